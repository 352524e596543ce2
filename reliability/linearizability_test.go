package reliability

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// clockSlack widens each operation's time window: the servers run on this host and share its
// clock, but they cache "now" per command/script and round to whole milliseconds.
const clockSlack = 2

// TestLinearizability runs concurrent EXHSET (NX/XX/VER, PX), EXHINCRBY (PX), EXHDEL and
// EXHGETWITHVER on a few fields of a few keys from several goroutines and checks the history
// against the sequential model of model_test.go with porcupine. Short PX TTLs put many operations
// on expiry boundaries.
//
// On the module the TTLs are left out: its write-path sweep of expired fields can crash the
// server (specification §11, D1), which this suite must not do to a shared server. The same
// sequences with TTLs run on our backends (TestModuleDefectSequences).
func TestLinearizability(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			withTTL := tg.name != "module"
			rounds := scale(3, 30)
			var checked int
			for r := 0; r < rounds; r++ {
				ops := runHistory(t, tg, r, withTTL)
				res, info := porcupine.CheckOperationsVerbose(fieldModel.ToModel(), ops, 20*time.Second)
				switch res {
				case porcupine.Ok:
					opsChecked.Add(int64(len(ops)))
					checked += len(ops)
				case porcupine.Illegal:
					t.Fatalf("round %d: history of %d operations is not linearizable:\n%s", r, len(ops), describeIllegal(info))
				default:
					t.Logf("round %d: checker timed out on %d operations (neither accepted nor rejected)", r, len(ops))
				}
			}
			t.Logf("%s: %d operations in %d rounds proven linearizable (TTLs: %v)", tg.name, checked, rounds, withTTL)
		})
	}
}

// describeIllegal prints the longest partial linearization of each partition, which is where a
// violating history got stuck.
func describeIllegal(info porcupine.LinearizationInfo) string {
	var s string
	for i, part := range info.PartialLinearizationsOperations() {
		longest := []porcupine.Operation{}
		for _, l := range part {
			if len(l) > len(longest) {
				longest = l
			}
		}
		s += fmt.Sprintf("partition %d, longest prefix (%d ops):\n", i, len(longest))
		for _, op := range longest {
			s += "  " + fieldModel.DescribeOperation(op.Input, op.Output) + "\n"
		}
	}
	return s
}

// runHistory runs one round: workers goroutines × perWorker operations on 2 keys × 2 fields.
func runHistory(t *testing.T, tg target, round int, withTTL bool) []porcupine.Operation {
	t.Helper()
	const workers = 4
	perWorker := scale(60, 150)
	ctx := context.Background()
	c := tg.client()
	keys := []string{fmt.Sprintf("%slin:%d:a", tg.prefix, round), fmt.Sprintf("%slin:%d:b", tg.prefix, round)}
	fields := []string{"f", "g"}
	t.Cleanup(func() { tg.rdb.Del(ctx, keys...) })

	var (
		mu  sync.Mutex
		ops []porcupine.Operation
		wg  sync.WaitGroup
	)
	start := time.Now()
	errc := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
			for i := 0; i < perWorker; i++ {
				ki, fi := rng.IntN(len(keys)), rng.IntN(len(fields))
				in := randomOp(rng, withTTL, int64(w*1_000_000+i+1))
				in.Field = keys[ki] + "/" + fields[fi]
				call := time.Since(start).Nanoseconds()
				in.T0 = time.Now().UnixMilli() - clockSlack
				out, err := runOp(ctx, c, keys[ki], fields[fi], in)
				in.T1 = time.Now().UnixMilli() + clockSlack
				ret := time.Since(start).Nanoseconds()
				if err != nil {
					errc <- fmt.Errorf("worker %d op %d (%+v): %w", w, i, in, err)
					return
				}
				mu.Lock()
				ops = append(ops, porcupine.Operation{ClientId: w, Input: in, Call: call, Output: out, Return: ret})
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	return ops
}

// randomOp draws an operation; value is the unique value an EXHSET writes.
func randomOp(rng *rand.Rand, withTTL bool, value int64) lInput {
	var in lInput
	px := func() int64 {
		if !withTTL || rng.IntN(3) == 0 {
			return 0
		}
		return 3 + rng.Int64N(25) // 3..27 ms: expiries land among the operations
	}
	switch n := rng.IntN(10); {
	case n < 4:
		in.Kind, in.Arg, in.PX = opSet, value, px()
		in.Cond = cond(rng.IntN(3))
		if rng.IntN(2) == 0 {
			in.HasVer, in.Ver = true, rng.Int64N(4) // VER 0 (no check) … 3
		}
	case n < 6:
		in.Kind, in.Arg, in.PX = opIncr, 1+rng.Int64N(5), px()
	case n < 7:
		in.Kind = opDel
	default:
		in.Kind = opGet
	}
	return in
}

// runOp sends in through the typed client and turns the reply into the model's output.
func runOp(ctx context.Context, c *exhash.Client, key, field string, in lInput) (lOutput, error) {
	switch in.Kind {
	case opSet:
		a := exhash.ExHSetArgs{}.New()
		switch in.Cond {
		case condNX:
			a.Nx()
		case condXX:
			a.Xx()
		}
		if in.HasVer {
			a.Ver(in.Ver)
		}
		if in.PX > 0 {
			a.Px(time.Duration(in.PX) * time.Millisecond)
		}
		r, err := c.ExHSetArgs(ctx, key, field, strconv.FormatInt(in.Arg, 10), a).Result()
		if errors.Is(err, exhash.ErrStaleVersion) {
			return lOutput{Stale: true}, nil
		}
		return lOutput{Code: int64(r)}, err
	case opIncr:
		var a *exhash.ExHIncrArgs
		if in.PX > 0 {
			a = exhash.ExHIncrArgs{}.New().Px(time.Duration(in.PX) * time.Millisecond)
		}
		n, err := c.ExHIncrByArgs(ctx, key, field, in.Arg, a).Result()
		return lOutput{Code: n}, err
	case opDel:
		n, err := c.ExHDel(ctx, key, field).Result()
		return lOutput{Code: n}, err
	default:
		vv, err := c.ExHGetWithVer(ctx, key, field).Result()
		if errors.Is(err, redis.Nil) {
			return lOutput{}, nil
		}
		if err != nil {
			return lOutput{}, err
		}
		v, err := strconv.ParseInt(vv.Value, 10, 64)
		return lOutput{Present: true, Value: v, Version: vv.Version}, err
	}
}
