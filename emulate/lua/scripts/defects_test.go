package scripts

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// emuTargets returns the scripts on Redis 7 and Valkey 8 with a go-redis client of each server
// (for Pub/Sub).
func emuTargets(t *testing.T) map[*target]redis.UniversalClient {
	m := map[*target]redis.UniversalClient{}
	for _, srv := range []*testserver.Server{testserver.Redis7(t), testserver.Valkey8(t)} {
		m[emuTarget(t, srv)] = srv.Client(t)
	}
	return m
}

// subscribe listens to the expired notifications of the test's keys on c and returns a function
// that collects "key field" pairs (key without prefix) until n arrived or a second passed.
func subscribe(t *testing.T, c redis.UniversalClient, tg *target) func(n int) []string {
	ctx := context.Background()
	ps := c.PSubscribe(ctx, "tairhash@0@"+tg.pre+"*")
	t.Cleanup(func() { _ = ps.Close() })
	if _, err := ps.Receive(ctx); err != nil {
		t.Fatalf("psubscribe: %v", err)
	}
	ch := ps.Channel()
	return func(n int) []string {
		var got []string
		timeout := time.After(time.Second)
		for len(got) < n {
			select {
			case m := <-ch:
				key := strings.TrimSuffix(strings.TrimPrefix(m.Channel, "tairhash@0@"+tg.pre), "__:expired")
				got = append(got, key+" "+m.Payload)
			case <-timeout:
				return got
			}
		}
		// anything else that arrives soon is unexpected
		select {
		case m := <-ch:
			got = append(got, "extra "+m.Channel+" "+m.Payload)
		case <-time.After(50 * time.Millisecond):
		}
		return got
	}
}

// Spec 7: one expired notification per removed field, on every removal path; none for explicit
// removal. D1: every due field is removed by the next command (not just three, and never losing
// track of the next ones).
func TestNotificationsAndD1(t *testing.T) {
	for tg, c := range emuTargets(t) {
		recv := subscribe(t, c, tg)
		runSteps(t, tg, []step{
			s("exhset k c 1", ":1"),
			s("exhset k b v px 300", ":1"),
			s("exhset k a v px 10", ":1"),
			s("exhset k d v px 10", ":1"),
			s("exhset k e v px 10", ":1"),
			s("exhset k f v px 10", ":1"),
			s("exhset k g v px 10", ":1"),
			s("sleep 30ms", ""),
			s("exhset k c 2", ":0"),
			s("exhlen k", ":2"),
		})
		got := recv(5)
		slices.Sort(got)
		if want := []string{"k a", "k d", "k e", "k f", "k g"}; !slices.Equal(got, want) {
			t.Fatalf("%s: notifications %q, want %q", tg.name, got, want)
		}
		runSteps(t, tg, []step{
			s("sleep 300ms", ""),
			s("exhlen k", ":1"), // module (D1): b lost its index entry and is still counted
			s("exhkeys k", `["c"]`),
			s("exhdel k c", ":1"), // explicit: no notification
			s("exhset k2 f v px 10", ":1"),
			s("sleep 20ms", ""),
			s("exhget k2 f", "nil"),
			s("raw exists k2", ":0"),
		})
		if got := recv(2); !slices.Equal(got, []string{"k b", "k2 f"}) {
			t.Fatalf("%s: notifications %q, want [k b k2 f]", tg.name, got)
		}
		// a field the command itself writes already due stays, as in the module, until the next
		// command on the key removes and announces it
		runSteps(t, tg, []step{
			s("exhset k3 f v px 0", ":1"),
			s("exhset k3 g v", ":1"),
			s("exhpexpire k3 g 0", ":1"),
			s("exhmsetwithopts k3 h v 0 0", "+OK"),
			s("exhincrby k3 i 1 ex 0", ":1"),
			s("raw exists k3", ":1"),
			s("exhexists k3 i", ":0"),
			s("raw exists k3", ":0"),
		})
		if got := recv(4); !slices.Equal(got, []string{"k3 f", "k3 g", "k3 h", "k3 i"}) {
			t.Fatalf("%s: notifications %q, want [k3 f … k3 i]", tg.name, got)
		}
	}
}

// D2/D4: no command leaves an empty key behind; the companions go with the last field.
func TestNoEmptyKeys(t *testing.T) {
	for tg := range emuTargets(t) {
		for _, read := range []string{"exhkeys k", "exhvals k", "exhgetall k", "exhgetallwithver k",
			"exhgetwithver k f", "exhpersist k f", "exhlen k", "exhscan k 0", "exhttl k f", "exhver k f",
			"exhsetver k f 3", "exhexists k f", "exhstrlen k f", "exhmget k f", "exhmgetwithver k f"} {
			runSteps(t, tg, []step{
				s("exhset k f v px 10 abs 5", ":1"),
				s("sleep 20ms", ""),
				{args: strings.Fields(read), want: "…"},
				s("raw exists k", ":0"),
			})
			for _, key := range []string{"exh~t:{" + tg.pre + "k}", "exh~v:{" + tg.pre + "k}"} {
				if n := tg.raw(t, "EXISTS", key).n; n != 0 {
					t.Fatalf("%s: %q left %s behind", tg.name, read, key)
				}
			}
		}
	}
}

// A companion of another type is never overwritten: WRONGTYPE, nothing changed.
func TestCompanionOfAnotherType(t *testing.T) {
	for tg := range emuTargets(t) {
		for _, comp := range []string{"exh~t:{" + tg.pre + "k}", "exh~v:{" + tg.pre + "k}"} {
			tg.raw(t, "DEL", tg.pre+"k", "exh~t:{"+tg.pre+"k}", "exh~v:{"+tg.pre+"k}")
			tg.exh(t, "exhset", "k", "f", "v", "abs", "3")
			tg.raw(t, "DEL", comp)
			tg.raw(t, "SET", comp, "x")
			for _, cmd := range [][]string{
				{"exhset", "k", "f", "w", "ex", "10"}, {"exhset", "k", "f", "w"}, {"exhset", "k", "g", "w", "ex", "10"},
				{"exhincrby", "k", "n", "1"}, {"exhincrbyfloat", "k", "n", "1"}, {"exhmset", "k", "f", "w"},
				{"exhmsetwithopts", "k", "f", "w", "0", "10"}, {"exhpexpire", "k", "f", "100"},
				{"exhsetver", "k", "f", "9"}, {"exhdel", "k", "f"}, {"exhdelwithver", "k", "f", "0"},
				{"exhsetnx", "k", "g", "v"}, {"exhgetwithver", "k", "f"}, {"exhgetallwithver", "k"},
			} {
				r := tg.exh(t, cmd...)
				if r.String() != "-WRONGTYPE Operation against a key holding the wrong kind of value" {
					t.Fatalf("%s: %q with %s a string: %s", tg.name, cmd, comp, r)
				}
				if got := tg.raw(t, "HGETALL", tg.pre+"k").String(); got != `["f", "v"]` {
					t.Fatalf("%s: %q with %s a string changed the key: %s", tg.name, cmd, comp, got)
				}
				if got := tg.raw(t, "GET", comp).String(); got != `"x"` {
					t.Fatalf("%s: %q overwrote %s: %s", tg.name, cmd, comp, got)
				}
			}
		}
	}
}

// Companions left behind by a raw DEL of the user key are not inherited by a new key.
func TestLeftoverCompanions(t *testing.T) {
	for tg := range emuTargets(t) {
		runSteps(t, tg, []step{
			s("exhset k f v abs 7 ex 100", ":1"),
			s("exhset k g v", ":1"),
			s("raw del k", ":1"),
			s("exhset k f w", ":1"),
			s("exhver k f", ":1"),
			s("exhttl k f", ":-1"),
			s("raw del k", ":1"),
			s("exhincrby k f 1", ":1"),
			s("exhver k f", ":1"),
			s("raw del k", ":1"),
			s("exhsetnx k f v", ":1"),
			s("exhttl k f", ":-1"),
		})
	}
}

// Keys, fields and values are binary-safe: NUL, invalid UTF-8, braces, empty strings.
func TestBinarySafety(t *testing.T) {
	keys := []string{"k\x00z", "k\xff\xfe", "{tag}k", "a{b}c", "{}k", "k}", ""}
	fields := []string{"f\x00g", "\xff", "", "{x}", "*"}
	for tg, c := range emuTargets(t) {
		recv := subscribe(t, c, tg)
		var want []string
		for _, k := range keys {
			for _, f := range fields {
				val := "v\x00\xff" + f
				runSteps(t, tg, []step{
					sa(":1", "exhset", k, f, val, "ex", "100"),
					sa(strconvQuote(val), "exhget", k, f),
					sa("["+strconvQuote(f)+", "+strconvQuote(val)+"]", "exhgetall", k),
					sa(":1", "exhpexpire", k, f, "0"),
				})
				want = append(want, k+" "+f)
			}
			runSteps(t, tg, []step{sa(":0", "exhlen", k)}) // announces the last field set due
		}
		got := recv(len(want))
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: notifications %q, want %q", tg.name, got, want)
		}
	}
}

func strconvQuote(s string) string { return reply{kind: '$', str: s}.String() }
