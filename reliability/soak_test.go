package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// TestSoak runs a bounded multi-device workload — devices reporting readings as fields with
// short TTLs, per-device counters, reads, deletes — on a dedicated server, with the reaper
// running on the Lua emulation (HFE expires fields natively). Afterwards, once every field's
// deadline has passed: DBSIZE is 0 (no companion or empty key left), used_memory is back near
// its baseline, and no goroutine or connection is left over. Short form: 4 s per backend;
// -reliability.long: 3 minutes.
func TestSoak(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis7, testserver.KindRedis8} {
		t.Run(kind, func(t *testing.T) {
			srv := testserver.Start(t, kind)
			ctx := context.Background()
			admin := redis.NewClient(srv.Options())
			defer admin.Close()
			baseClients := clientCount(t, admin)
			baseGoroutines := runtime.NumGoroutine()

			rdb, c, be := clientFor(t, srv, kind, nil)
			runCtx, stop := context.WithCancel(ctx)
			var reaper sync.WaitGroup
			if be == "lua" {
				r := emulate.NewReaper(rdb, emulate.WithReaperInterval(20*time.Millisecond))
				reaper.Add(1)
				go func() { defer reaper.Done(); _ = r.Run(runCtx) }()
				defer func() { t.Logf("reaper: %+v", r.Stats()) }()
			}
			// A short warm-up first, so the memory baseline includes the loaded scripts and
			// the connection pool's buffers rather than counting them as a leak.
			soakWorkload(t, c, 8, 300*time.Millisecond)
			waitEmpty(t, admin, kind+"/"+be+" warm-up")
			baseMem := usedMemory(t, admin)

			dur := time.Duration(scale(4, 180)) * time.Second
			ops := soakWorkload(t, c, 8, dur)
			// Every TTL is ≤ 300 ms: wait for the reaper (or Redis) to reclaim everything.
			waitEmpty(t, admin, kind+"/"+be)
			stop()
			reaper.Wait()
			mem := usedMemory(t, admin)
			if err := rdb.Close(); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "connections back to baseline", func() (bool, string) {
				n := clientCount(t, admin)
				return n <= baseClients, fmt.Sprintf("%d clients, baseline %d", n, baseClients)
			})
			waitFor(t, "goroutines back to baseline", func() (bool, string) {
				n := runtime.NumGoroutine()
				return n <= baseGoroutines, fmt.Sprintf("%d goroutines, baseline %d", n, baseGoroutines)
			})
			// used_memory is the allocator's live total: after DBSIZE 0 only allocator slack
			// and per-connection buffers can remain. 256 KiB is far below what the workload
			// held (thousands of fields), so a leak of keys, companions or versions shows.
			if mem > baseMem+256<<10 {
				t.Fatalf("%s/%s: used_memory %d after the soak, baseline %d", kind, be, mem, baseMem)
			}
			t.Logf("%s/%s: %d operations in %v by 8 devices; DBSIZE 0; used_memory %d -> %d; no goroutine or connection left", kind, be, ops, dur, baseMem, mem)
		})
	}
}

// soakWorkload runs devices goroutines for d and returns the operations done.
func soakWorkload(t *testing.T, c *exhash.Client, devices int, d time.Duration) int64 {
	t.Helper()
	ctx := context.Background()
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	counts := make([]int64, devices)
	errs := make(chan error, devices)
	for dev := 0; dev < devices; dev++ {
		wg.Add(1)
		go func(dev int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(dev), 7))
			key := "device:" + strconv.Itoa(dev)
			for time.Now().Before(end) {
				ttl := time.Duration(20+rng.IntN(280)) * time.Millisecond
				f := "sensor" + strconv.Itoa(rng.IntN(50))
				var err error
				switch rng.IntN(6) {
				case 0, 1:
					err = c.ExHSetArgs(ctx, key, f, strconv.Itoa(rng.IntN(1000)), exhash.ExHSetArgs{}.New().Px(ttl)).Err()
				case 2:
					err = c.ExHIncrByArgs(ctx, key+":count", f, 1, exhash.ExHIncrArgs{}.New().Px(ttl)).Err()
				case 3:
					_, err = c.Pipelined(ctx, func(p exhash.Pipeliner) error {
						for i := 0; i < 10; i++ {
							p.ExHSetArgs(ctx, key+":batch", f+strconv.Itoa(i), "x", exhash.ExHSetArgs{}.New().Px(ttl))
						}
						return nil
					})
				case 4:
					err = c.ExHGetAll(ctx, key).Err()
				default:
					err = c.ExHDel(ctx, key, f).Err()
				}
				if err != nil && err != redis.Nil {
					errs <- fmt.Errorf("device %d: %w", dev, err)
					return
				}
				counts[dev]++
			}
		}(dev)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var total int64
	for _, n := range counts {
		total += n
	}
	return total
}

func usedMemory(t *testing.T, admin *redis.Client) int64 {
	t.Helper()
	info, err := admin.Info(context.Background(), "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatal("no used_memory in INFO")
	return 0
}

func clientCount(t *testing.T, admin *redis.Client) int {
	t.Helper()
	list, err := admin.ClientList(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(strings.TrimSpace(list), "\n") + 1
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s", what, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitEmpty polls DBSIZE until it is 0, or fails after 20 s naming what is left.
func waitEmpty(t *testing.T, admin *redis.Client, what string) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	for admin.DBSize(ctx).Val() != 0 {
		if time.Now().After(deadline) {
			keys, _ := admin.Keys(ctx, "*").Result()
			t.Fatalf("%s: %d keys left after every deadline passed: %.10q", what, len(keys), keys)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
