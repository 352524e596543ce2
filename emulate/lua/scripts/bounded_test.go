package scripts

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// dueKey writes key k (unprefixed) with n fields d0…d<n-1> at version 2 whose deadlines have
// passed (d_i due at i+1 ms after the epoch, so earliest first is d0 first), beside live fields p
// (no TTL, version 2) and t (TTL 100 s, version 1).
func dueKey(t *testing.T, tg *target, k string, n int) {
	t.Helper()
	tuples := []string{"exhmsetwithopts", k}
	for i := range n {
		tuples = append(tuples, "d"+strconv.Itoa(i), "v", "0", "100")
	}
	runSteps(t, tg, []step{sa("+OK", tuples...), sa("+OK", tuples...),
		s("exhset "+k+" p pv", ":1"), s("exhset "+k+" p pv", ":0"), s("exhset "+k+" t tv ex 100", ":1")})
	ttl, _ := companions(tg.pre + k)
	zadd := []string{"ZADD", ttl, "XX"}
	for i := range n {
		zadd = append(zadd, strconv.Itoa(i+1), "d"+strconv.Itoa(i))
	}
	tg.raw(t, zadd...)
}

// groups renders an array reply as its groups of size elements, sorted: hash order is the
// server's.
func groups(r reply, size int) string {
	var out []string
	for i := 0; i+size <= len(r.arr); i += size {
		out = append(out, reply{kind: '*', arr: r.arr[i : i+size]}.String())
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// Bounded removal (issue 17 item 5): a command removes at most DueFieldsPerCommand due fields
// besides the ones it names, and its reply is exact while due fields are left in the key: reads
// skip them, writes find their field absent (version back to 1), EXHLEN counts live fields.
func TestBoundedDueRemoval(t *testing.T) {
	n := 2*DueFieldsPerCommand + 500 // due fields per key: every command (at most two) leaves some
	if n <= DueFieldsPerCommand {
		t.Fatalf("the test needs more than %d due fields", DueFieldsPerCommand)
	}
	cases := []struct {
		cmds [][]string // run in order on a fresh key; the last one's reply is checked
		want string
		sort int // compare the reply's groups of this size as a set (hash order); -2: a scan page's pairs
	}{
		{cmds: [][]string{{"exhlen", "k"}}, want: ":2"},
		{cmds: [][]string{{"exhlen", "k", "noexp"}}, want: ":2"},
		{cmds: [][]string{{"exhget", "k", "d1499"}}, want: "nil"},
		{cmds: [][]string{{"exhexists", "k", "d1499"}}, want: ":0"},
		{cmds: [][]string{{"exhstrlen", "k", "d1499"}}, want: ":0"},
		{cmds: [][]string{{"exhttl", "k", "d1499"}}, want: ":-3"},
		{cmds: [][]string{{"exhpttl", "k", "d1499"}}, want: ":-3"},
		{cmds: [][]string{{"exhver", "k", "d1499"}}, want: ":-2"},
		{cmds: [][]string{{"exhgetwithver", "k", "d1499"}}, want: "nil"},
		{cmds: [][]string{{"exhmget", "k", "d1499", "p", "d1200"}}, want: `[nil, "pv", nil]`},
		{cmds: [][]string{{"exhmgetwithver", "k", "d1499", "p"}}, want: `[nil, ["pv", :2]]`},
		{cmds: [][]string{{"exhgetall", "k"}}, want: `["p", "pv"] ["t", "tv"]`, sort: 2},
		{cmds: [][]string{{"exhkeys", "k"}}, want: `["p"] ["t"]`, sort: 1},
		{cmds: [][]string{{"exhvals", "k"}}, want: `["pv"] ["tv"]`, sort: 1},
		{cmds: [][]string{{"exhgetallwithver", "k"}}, want: `["p", "pv", :2] ["t", "tv", :1]`, sort: 3},
		{cmds: [][]string{{"exhscan", "k", "0", "count", "100000"}}, want: `["0", ["p", "pv"] ["t", "tv"]]`, sort: -2},
		{cmds: [][]string{{"exhscan", "k", "0", "match", "d1*", "count", "100000"}}, want: `["0", []]`},
		{cmds: [][]string{{"exhset", "k", "d1499", "x"}, {"exhver", "k", "d1499"}}, want: ":1"},
		{cmds: [][]string{{"exhset", "k", "d1499", "x", "ver", "2"}}, want: ":1"},
		{cmds: [][]string{{"exhset", "k", "d1499", "x", "xx"}}, want: ":-1"},
		{cmds: [][]string{{"exhsetnx", "k", "d1499", "x"}}, want: ":1"},
		{cmds: [][]string{{"exhincrby", "k", "d1499", "5"}, {"exhgetwithver", "k", "d1499"}}, want: `["5", :1]`},
		{cmds: [][]string{{"exhincrbyfloat", "k", "d1499", "1.5"}}, want: `"1.5"`},
		{cmds: [][]string{{"exhmset", "k", "d1499", "x", "p", "y"}, {"exhmgetwithver", "k", "d1499", "p"}},
			want: `[["x", :1], ["y", :3]]`},
		{cmds: [][]string{{"exhmsetwithopts", "k", "d1499", "x", "2", "100"}, {"exhver", "k", "d1499"}}, want: ":1"},
		{cmds: [][]string{{"exhsetver", "k", "d1499", "5"}}, want: ":0"},
		{cmds: [][]string{{"exhpexpire", "k", "d1499", "100000"}}, want: ":0"},
		{cmds: [][]string{{"exhpersist", "k", "d1499"}}, want: ":0"},
		{cmds: [][]string{{"exhdel", "k", "d1499", "p", "d1200"}}, want: ":1"},
		{cmds: [][]string{{"exhdelwithver", "k", "d1499", "0", "p", "2"}}, want: ":1"},
	}
	// The scripts on both servers; the library (the same prelude and bodies) on one.
	for _, srv := range []*testserver.Server{testserver.Redis7(t), testserver.Valkey8(t)} {
		for _, lib := range []bool{false, true} {
			if lib && srv != testserver.Redis7(t) {
				continue
			}
			tg := emuTarget(t, srv)
			tg.lib = lib
			if lib {
				tg.pre += "lib:"
			}
			for i, c := range cases {
				k := "k" + strconv.Itoa(i)
				dueKey(t, tg, k, n)
				var got reply
				for _, cmd := range c.cmds {
					before := tg.raw(t, "HLEN", tg.pre+k).n
					args := append([]string{cmd[0], k}, cmd[2:]...)
					got = tg.exh(t, args...)
					after := tg.raw(t, "HLEN", tg.pre+k).n
					// A write may add a field; the named fields are removed besides the bound.
					if removed := before - after; removed > int64(DueFieldsPerCommand+len(cmd)-2) {
						t.Errorf("%s %v: %d fields removed, bound %d + %d named", tg.name, cmd, removed,
							DueFieldsPerCommand, len(cmd)-2)
					}
				}
				text := got.String()
				if c.sort > 0 {
					text = groups(got, c.sort)
				} else if c.sort == -2 { // a scan page: cursor, then its pairs as a set
					text = "[" + got.arr[0].String() + ", " + groups(got.arr[1], 2) + "]"
				}
				if text != c.want {
					t.Errorf("%s lib=%v %v: %s, want %s", tg.name, lib, c.cmds, text, c.want)
				}
				ttl, _ := companions(tg.pre + k)
				if left := tg.raw(t, "ZCOUNT", ttl, "-inf", "100000").n; left == 0 {
					t.Errorf("%s %v: no due field left: the test saw no backlog", tg.name, c.cmds)
				}
				checkStorage(t, tg, tg.pre+k)
			}
		}
	}
}

// A key holding only due fields, more than the bound, looks like a key whose fields all expired:
// no fields, and "no field" rather than "no key" for the single-field commands (spec 1.4).
func TestBoundedOnlyDueFields(t *testing.T) {
	for tg := range emuTargets(t) {
		dueKey(t, tg, "k", 6*DueFieldsPerCommand+10) // every step leaves some
		runSteps(t, tg, []step{
			s("exhdel k p t", ":2"),
			s("exhlen k", ":0"),
			s("exhgetall k", "[]"),
			s("exhttl k d5", ":-3"),
			s("exhver k d5", ":-2"),
			s("exhscan k 0 count 100000", `["0", []]`),
			s("raw exists k", ":1"), // the rest is the reaper's
		})
		checkStorage(t, tg, tg.pre+"k")
	}
}

// With 5000 due fields, one command removes DueFieldsPerCommand of them; the reap script, at most
// its limit per call, removes the rest. Every field is announced exactly once and the companions
// are left consistent.
func TestBoundedRemovalThenReap(t *testing.T) {
	const n = 5000
	for tg, c := range emuTargets(t) {
		dueKey(t, tg, "k", n)
		recv := subscribe(t, c, tg)
		runSteps(t, tg, []step{s("exhget k d0", "nil")})
		if got := tg.raw(t, "HLEN", tg.pre+"k").n; got != n+2-int64(DueFieldsPerCommand) {
			t.Fatalf("%s: HLEN %d after one command, want %d", tg.name, got, n+2-DueFieldsPerCommand)
		}
		calls := 0
		for left := n - DueFieldsPerCommand; left > 0; calls++ {
			r := tg.eval(t, ReapSource, tg.pre+"k", "0", "1000")
			if r.n <= 0 || r.n > 1000 {
				t.Fatalf("%s: reap: %s with %d due fields left", tg.name, r, left)
			}
			left -= int(r.n)
		}
		if r := tg.eval(t, ReapSource, tg.pre+"k", "0", "1000"); r.n != 0 {
			t.Fatalf("%s: reap after the last due field: %s", tg.name, r)
		}
		got := recv(n)
		seen := map[string]bool{}
		for _, m := range got {
			seen[m] = true
		}
		if len(got) != n || len(seen) != n {
			t.Fatalf("%s: %d notifications (%d distinct) for %d due fields", tg.name, len(got), len(seen), n)
		}
		runSteps(t, tg, []step{s("exhlen k", ":2")})
		ttl, ver := companions(tg.pre + "k")
		if z, v := tg.raw(t, "ZCARD", ttl).n, tg.raw(t, "HLEN", ver).n; z != 1 || v != 1 {
			t.Fatalf("%s: companions hold %d deadlines and %d versions, want 1 and 1 (t, p)", tg.name, z, v)
		}
		checkStorage(t, tg, tg.pre+"k")
	}
}
