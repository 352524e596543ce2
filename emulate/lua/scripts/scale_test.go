package scripts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ReapSource removes at most limit due fields, earliest first, announces them and deletes the
// companions with the last field.
func TestReap(t *testing.T) {
	for tg, c := range emuTargets(t) {
		recv := subscribe(t, c, tg)
		// The TTLs leave the four writes 2 s (a field due before the last write would be removed,
		// and announced, by that write instead of by the reap): 200 ms was outlasted on a loaded
		// machine.
		runSteps(t, tg, []step{
			s("exhset k a v px 2000", ":1"),
			s("exhset k b v px 2001", ":1"),
			s("exhset k c v px 2002", ":1"),
			s("exhset k d v px 100000", ":1"),
			s("sleep 2030ms", ""),
		})
		reap := func(limit string) string { return tg.eval(t, ReapSource, tg.pre+"k", "0", limit).String() }
		if got := reap("2"); got != ":2" {
			t.Fatalf("%s: reap 2: %s", tg.name, got)
		}
		if got := recv(2); !slices.Equal(got, []string{"k a", "k b"}) {
			t.Fatalf("%s: notifications %q", tg.name, got)
		}
		checkStorage(t, tg, tg.pre+"k")
		if got := reap("10"); got != ":1" {
			t.Fatalf("%s: reap 10: %s", tg.name, got)
		}
		if got := reap("10"); got != ":0" {
			t.Fatalf("%s: reap again: %s", tg.name, got)
		}
		checkStorage(t, tg, tg.pre+"k")
		runSteps(t, tg, []step{
			s("exhpexpire k d 10", ":1"),
			s("sleep 30ms", ""),
		})
		if got := reap("10"); got != ":1" {
			t.Fatalf("%s: reap last: %s", tg.name, got)
		}
		if n := tg.raw(t, "EXISTS", tg.pre+"k", "exh~t:{"+tg.pre+"k}", "exh~v:{"+tg.pre+"k}").n; n != 0 {
			t.Fatalf("%s: %d keys left after the last field was reaped", tg.name, n)
		}
		if got := recv(2); !slices.Equal(got, []string{"k c", "k d"}) {
			t.Fatalf("%s: notifications %q", tg.name, got)
		}
		if got := reap("10"); got != ":0" {
			t.Fatalf("%s: reap absent key: %s", tg.name, got)
		}
	}
}

// A 1 MiB value round-trips.
func TestBigValue(t *testing.T) {
	big := strings.Repeat("x\x00y", 1<<20/3+1)
	for tg := range emuTargets(t) {
		runSteps(t, tg, []step{
			sa(":1", "exhset", "k", "f", big, "ex", "100"),
			sa(":"+strconv.Itoa(len(big)), "exhstrlen", "k", "f"),
		})
		if got := tg.exh(t, "exhget", "k", "f"); got.str != big {
			t.Fatalf("%s: value of %d bytes came back as %d bytes", tg.name, len(big), len(got.str))
		}
	}
}

// 100k fields in one key: multi-field commands beyond Lua's unpack limit, a full scan, and the
// removal of many due fields at once.
func TestManyFields(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const n = 100000
	for tg, c := range emuTargets(t) {
		args := []string{"exhmset", "k"}
		fields := make([]string, n)
		for i := range fields {
			fields[i] = "f" + strconv.Itoa(i)
			args = append(args, fields[i], "v"+strconv.Itoa(i))
		}
		runSteps(t, tg, []step{sa("+OK", args...)})
		if got := tg.exh(t, "exhlen", "k").n; got != n {
			t.Fatalf("%s: exhlen %d", tg.name, got)
		}
		// exhmget of every field
		mget := tg.exh(t, append([]string{"exhmget", "k"}, fields...)...)
		if len(mget.arr) != n || mget.arr[n-1].str != "v"+strconv.Itoa(n-1) {
			t.Fatalf("%s: exhmget of %d fields: %d elements", tg.name, n, len(mget.arr))
		}
		// scan it all
		seen := map[string]bool{}
		for cur, calls := "0", 0; ; calls++ {
			page := tg.exh(t, "exhscan", "k", cur, "count", "2000")
			for i := 0; i < len(page.arr[1].arr); i += 2 {
				seen[page.arr[1].arr[i].str] = true
			}
			if cur = page.arr[0].str; cur == "0" {
				break
			}
			if calls > n {
				t.Fatalf("%s: scan does not end", tg.name)
			}
		}
		if len(seen) != n {
			t.Fatalf("%s: scan saw %d of %d fields", tg.name, len(seen), n)
		}
		// versions of many fields at once
		runSteps(t, tg, []step{sa("+OK", args...)})
		if v := tg.exh(t, "exhver", "k", "f99999").n; v != 2 {
			t.Fatalf("%s: version after second exhmset: %d", tg.name, v)
		}
		// 10k fields become due together; the next command removes and announces them all
		tuples := []string{"exhmsetwithopts", "k"}
		for i := 0; i < 10000; i++ {
			tuples = append(tuples, fields[i], "w", "0", "100")
		}
		runSteps(t, tg, []step{sa("+OK", tuples...)})
		zadd := []string{"ZADD", "exh~t:{" + tg.pre + "k}", "XX"} // make them due
		for i := 0; i < 10000; i++ {
			zadd = append(zadd, "1", fields[i])
		}
		tg.raw(t, zadd...)
		recv := subscribe(t, c, tg)
		if got := tg.exh(t, "exhlen", "k").n; got != n-10000 {
			t.Fatalf("%s: exhlen after 10k fields expired: %d", tg.name, got)
		}
		if got := recv(10000); len(got) != 10000 {
			t.Fatalf("%s: %d notifications for 10k expired fields", tg.name, len(got))
		}
		checkStorage(t, tg, tg.pre+"k")
		// delete the rest in one command
		del := append([]string{"exhdel", "k"}, fields[10000:]...)
		if got := tg.exh(t, del...).String(); got != fmt.Sprintf(":%d", n-10000) {
			t.Fatalf("%s: exhdel: %s", tg.name, got)
		}
		checkStorage(t, tg, tg.pre+"k")
	}
}
