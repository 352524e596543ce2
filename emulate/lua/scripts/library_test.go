package scripts

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// TestBatchMatchesScripts runs random sequences of commands on a few keys twice: one command per
// script call, and all of a sequence in one call of the library's batch function. Replies (in
// order, errors included) and the stored state must be the same.
func TestBatchMatchesScripts(t *testing.T) {
	for _, srv := range []*testserver.Server{testserver.Redis7(t), testserver.Valkey8(t)} {
		t.Run(srv.Name, func(t *testing.T) { batchDifferential(t, srv) })
	}
}

func batchDifferential(t *testing.T, srv *testserver.Server) {
	one, lib := emuTarget(t, srv), emuTarget(t, srv)
	lib.lib = true
	lib.pre = one.pre + "lib-"
	one.pre += "one-"
	rng := rand.New(rand.NewPCG(2, uint64(time.Now().UnixNano())))
	fields := []string{"a", "b", "c"}
	const keys, rounds = 3, 120
	races := 0
	drift := int64(maxDrift) // how far apart the two targets' stored deadlines may be; grows with a slow round
	for round := 0; round < rounds; round++ {
		var seq [][]string
		if round == 0 {
			seq = versionEdges
		}
		for len(seq) < 1+rng.IntN(20) {
			args := randomCommand(rng, "k"+strconv.Itoa(rng.IntN(keys)), fields[rng.IntN(len(fields))])
			if args[0] != "raw" {
				seq = append(seq, args)
			}
		}
		var deadlines []int64
		for i := 0; i < keys; i++ {
			k := "k" + strconv.Itoa(i)
			deadlines = append(deadlines, deadlinesOf(t, one, one.pre+k)...)
			deadlines = append(deadlines, deadlinesOf(t, lib, lib.pre+k)...)
		}
		before := serverMs(t, one)
		var want []string
		for _, args := range seq {
			want = append(want, one.exh(t, args...).String())
		}
		var prefixed [][]string
		for _, args := range seq {
			prefixed = append(prefixed, append([]string{args[0], lib.pre + args[1]}, args[2:]...))
		}
		var got []string
		for _, r := range lib.batch(t, prefixed).arr {
			got = append(got, r.String())
		}
		after := serverMs(t, one)
		drift = max(drift, after-before+5) // a loaded machine can take 100 ms and more for a round
		same := slices.Equal(got, want)
		for i := 0; same && i < keys; i++ {
			k := "k" + strconv.Itoa(i)
			same = sameDump(dump(t, one, one.pre+k), dump(t, lib, lib.pre+k), drift)
		}
		if same {
			continue
		}
		// A deadline passing between the two runs (or inside the sequence, which the batch runs
		// at one instant and the scripts across several) makes them disagree rightly.
		// One target's copy of a deadline may lie up to drift before the other's.
		if !slices.ContainsFunc(deadlines, func(d int64) bool { return d >= before-drift-1 && d <= after+1 }) &&
			!writesShortTTL(seq) {
			t.Fatalf("round %d %q:\nscripts %v\nbatch   %v", round, seq, want, got)
		}
		races++
		for i := 0; i < keys; i++ {
			for _, tg := range []*target{one, lib} {
				k := tg.pre + "k" + strconv.Itoa(i)
				tv, vv := companions(k)
				tg.raw(t, "DEL", k, tv, vv)
			}
		}
	}
	if races > rounds/4 {
		t.Fatalf("%d of %d rounds raced a deadline: too few were compared", races, rounds)
	}
	t.Logf("%d of %d rounds raced a deadline and were not compared", races, rounds)
}

// writesShortTTL reports whether a sequence gives a field a TTL short enough to pass while it runs.
func writesShortTTL(seq [][]string) bool {
	for _, args := range seq {
		for i, a := range args {
			if i+1 < len(args) && (strings.EqualFold(a, "px") || args[0] == "exhpexpire") {
				if n, err := strconv.Atoi(args[i+1]); err == nil && n < 100 {
					return true
				}
			}
		}
	}
	return false
}
