package reliability

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// dedicated starts a server of kind for one test with extra arguments and returns it with the
// backend that kind runs (HFE on Redis 8, Lua elsewhere).
func dedicated(t *testing.T, kind string, args ...string) (*testserver.Server, redis.UniversalClient, *exhash.Client, string) {
	t.Helper()
	srv := testserver.Start(t, kind, args...)
	rdb, c, name := clientFor(t, srv, kind, nil)
	return srv, rdb, c, name
}

// clientFor opens a client of its own on srv (opts may adjust its options) with the backend kind
// runs.
func clientFor(t *testing.T, srv *testserver.Server, kind string, opts func(*redis.Options)) (redis.UniversalClient, *exhash.Client, string) {
	t.Helper()
	o := srv.Options()
	if opts != nil {
		opts(o)
	}
	rdb := redis.NewClient(o)
	t.Cleanup(func() { _ = rdb.Close() })
	var be driver.Backend = emulate.NewLua()
	name := "lua"
	if kind == testserver.KindRedis8 {
		hfe := emulate.NewHFE()
		if err := hfe.Load(context.Background(), rdb); err != nil {
			t.Fatalf("loading the HFE library: %v", err)
		}
		be, name = hfe, "hfe"
	}
	return rdb, exhash.NewClient(rdb, exhash.WithBackend(be)), name
}

var faultKinds = []string{testserver.KindRedis7, testserver.KindValkey8, testserver.KindRedis8}

// TestRestartWithAOF writes fields with values, versions and TTLs, restarts the server (graceful
// stop, AOF reload) and checks with the same client that everything survived: values, versions,
// long TTLs (counting down, not reset or cleared), short TTLs expired. The first commands after
// the restart find no scripts loaded; the backend must reload them without the caller noticing.
func TestRestartWithAOF(t *testing.T) {
	for _, kind := range faultKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			srv, _, c, be := dedicated(t, kind, "--appendonly", "yes", "--appendfsync", "always")
			ctx := context.Background()
			const n = 50
			for i := 0; i < n; i++ {
				f := "f" + strconv.Itoa(i)
				for v := 0; v <= i%3; v++ { // versions 1..3
					if err := c.ExHSet(ctx, "k", f, fmt.Sprint(i, "-", v)).Err(); err != nil {
						t.Fatal(err)
					}
				}
				switch i % 5 {
				case 0: // a long TTL that must survive, counting down
					if err := c.ExHPExpire(ctx, "k", f, time.Hour).Err(); err != nil {
						t.Fatal(err)
					}
				case 1: // a short one that must be gone after the restart
					if err := c.ExHPExpire(ctx, "k", f, 50*time.Millisecond).Err(); err != nil {
						t.Fatal(err)
					}
				}
			}
			srv.Restart(t)
			deadline := time.Now().Add(10 * time.Second)
			for i := 0; i < n; i++ {
				f := "f" + strconv.Itoa(i)
				vv, err := c.ExHGetWithVer(ctx, "k", f).Result()
				if i%5 == 1 {
					// Short TTL: expired by now or within the next moments (server clock).
					for err == nil && time.Now().Before(deadline) {
						time.Sleep(10 * time.Millisecond)
						_, err = c.ExHGetWithVer(ctx, "k", f).Result()
					}
					if !errors.Is(err, redis.Nil) {
						t.Fatalf("%s %s: field with a 50 ms TTL still readable after restart: %v", kind, f, err)
					}
					continue
				}
				wantVal, wantVer := fmt.Sprint(i, "-", i%3), int64(i%3+1)
				if i%5 == 0 {
					wantVer++ // EXHPEXPIRE without VER bumps the version (spec §3.11)
				}
				if err != nil || vv.Value != wantVal || vv.Version != wantVer {
					t.Fatalf("%s/%s %s after restart: %+v, %v; want %q version %d", kind, be, f, vv, err, wantVal, wantVer)
				}
				ttl, err := c.ExHPTTL(ctx, "k", f).Result()
				if err != nil {
					t.Fatal(err)
				}
				if i%5 == 0 && (ttl.TTL <= 0 || ttl.TTL > time.Hour) {
					t.Fatalf("%s %s: TTL after restart %+v, want counting down from 1h", kind, f, ttl)
				}
				if i%5 != 0 && ttl.TTL > 0 {
					t.Fatalf("%s %s: field without TTL has %+v after restart", kind, f, ttl)
				}
			}
			// Pipelines and transactions also find the scripts gone after a restart.
			srv.Restart(t)
			var incr *exhash.Cmd[int64]
			if _, err := c.TxPipelined(ctx, func(p exhash.Pipeliner) error {
				incr = p.ExHIncrBy(ctx, "k", "counter", 3)
				return nil
			}); err != nil || incr.Val() != 3 {
				t.Fatalf("MULTI after restart: %v, %d", err, incr.Val())
			}
			t.Logf("%s/%s: %d fields (values, versions 1-3, 10 TTLs of 1h, 10 of 50 ms) held across restart; 0 lost", kind, be, n)
		})
	}
}

// TestCrashKeepsAcknowledgedWrites increments counters from several goroutines, SIGKILLs the
// server in the middle (appendfsync always), restarts it and checks that every acknowledged
// increment is there: each counter is at least its acknowledged count and at most its attempts.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	for _, kind := range faultKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			srv, _, c, be := dedicated(t, kind, "--appendonly", "yes", "--appendfsync", "always")
			acked, tried := runCounters(t, c, 4, func() { srv.Kill() })
			srv.Restart(t)
			checkCounters(t, c, acked, tried, kind+"/"+be+" after SIGKILL")
		})
	}
}

// runCounters runs workers goroutines, each incrementing its own field of key "ctr" 2000 times,
// calls fault once 200 increments have started, and returns acknowledged and attempted increments
// per field. Before the fault an error does not stop a worker (a loaded machine may time a call
// out; it counts as attempted, not acknowledged); after it a worker stops at its first error. The
// test fails when nothing was acknowledged before the fault: the check would then prove nothing.
func runCounters(t *testing.T, c *exhash.Client, workers int, fault func()) (acked, tried []int64) {
	t.Helper()
	ctx := context.Background()
	acked, tried = make([]int64, workers), make([]int64, workers)
	var started, ackedBefore atomic.Int64
	var faulted atomic.Bool
	var errOnce sync.Once
	var firstErr error
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			f := "w" + strconv.Itoa(w)
			for i := 0; i < 2000; i++ {
				tried[w]++
				started.Add(1)
				before := !faulted.Load()
				if err := c.ExHIncrBy(ctx, "ctr", f, 1).Err(); err != nil {
					if !before {
						return
					}
					errOnce.Do(func() { firstErr = err })
					continue
				}
				acked[w]++
				if before {
					ackedBefore.Add(1)
				}
			}
		}(w)
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	// Every worker ends after 2000 attempts, so this wait ends too.
	for deadline := time.Now().Add(time.Minute); started.Load() < 200 && time.Now().Before(deadline); {
		select {
		case <-finished:
		case <-time.After(time.Millisecond):
		}
	}
	faulted.Store(true)
	fault()
	<-finished
	if ackedBefore.Load() == 0 {
		t.Fatalf("no increment acknowledged before the fault (first error: %v)", firstErr)
	}
	return acked, tried
}

func checkCounters(t *testing.T, c *exhash.Client, acked, tried []int64, what string) {
	t.Helper()
	ctx := context.Background()
	var total int64
	for w := range acked {
		var got int64
		s, err := c.ExHGet(ctx, "ctr", "w"+strconv.Itoa(w)).Result()
		switch {
		case err == nil:
			if got, err = strconv.ParseInt(s, 10, 64); err != nil {
				t.Fatal(err)
			}
		case !errors.Is(err, redis.Nil):
			t.Fatal(err)
		}
		if got < acked[w] || got > tried[w] {
			t.Fatalf("%s: counter %d = %d, acknowledged %d, attempted %d", what, w, got, acked[w], tried[w])
		}
		total += acked[w]
	}
	t.Logf("%s: %d acknowledged increments, all present; 0 lost", what, total)
}

// TestScriptFlushUnderLoad flushes the scripts repeatedly while
// plain commands, pipelines and transactions run: no caller sees an error and every increment
// lands exactly once.
func TestScriptFlushUnderLoad(t *testing.T) {
	for _, kind := range faultKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			_, rdb, c, be := dedicated(t, kind)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var flushes atomic.Int64
			done := make(chan struct{})
			go func() {
				defer close(done)
				for ctx.Err() == nil {
					rdb.ScriptFlush(ctx)
					flushes.Add(1)
					time.Sleep(2 * time.Millisecond)
				}
			}()
			const workers, rounds = 3, 150
			errs := make(chan error, workers)
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					f := "w" + strconv.Itoa(w)
					for i := 0; i < rounds; i++ {
						var err error
						switch i % 3 {
						case 0:
							err = c.ExHIncrBy(ctx, "ctr", f, 1).Err()
						case 1:
							_, err = c.Pipelined(ctx, func(p exhash.Pipeliner) error {
								p.ExHIncrBy(ctx, "ctr", f, 1)
								p.ExHGet(ctx, "ctr", f)
								return nil
							})
						default:
							_, err = c.TxPipelined(ctx, func(p exhash.Pipeliner) error {
								p.ExHIncrBy(ctx, "ctr", f, 1)
								p.ExHVer(ctx, "ctr", f)
								return nil
							})
						}
						if err != nil {
							errs <- fmt.Errorf("worker %d round %d: %w", w, i, err)
							return
						}
					}
				}(w)
			}
			wg.Wait()
			cancel()
			<-done
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			for w := 0; w < workers; w++ {
				vv, err := c.ExHGetWithVer(context.Background(), "ctr", "w"+strconv.Itoa(w)).Result()
				if err != nil || vv.Value != strconv.Itoa(rounds) || vv.Version != rounds {
					t.Fatalf("counter %d = %+v, %v; want %d at version %d", w, vv, err, rounds, rounds)
				}
			}
			t.Logf("%s/%s: %d operations across %d flushes, 0 errors, 0 lost", kind, be, workers*rounds, flushes.Load())
		})
	}
}

// TestClientKillMidPipeline kills the client connections (CLIENT KILL TYPE normal) while
// pipelines of increments are in flight. With go-redis's retries off, commands may fail, but every
// acknowledged increment is present and none is applied twice. With the default retries (3) a
// pipeline cut after the server ran part of it is sent again, so increments can apply twice: that
// is measured and logged (go-redis behaviour for any non-idempotent command, not the backend's),
// and docs/reliability.md advises MaxRetries -1 or VER for exactly-once increments.
func TestClientKillMidPipeline(t *testing.T) {
	for _, kind := range faultKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			srv := testserver.Start(t, kind)
			_, c, be := clientFor(t, srv, kind, func(o *redis.Options) { o.MaxRetries = -1 })
			acked, tried, kills := killWhilePipelining(t, srv, c, "ctr")
			checkCounters(t, c, acked, tried, fmt.Sprintf("%s/%s, retries off, %d connections killed", kind, be, kills))

			_, rc, _ := clientFor(t, srv, kind, nil)
			acked, _, kills = killWhilePipelining(t, srv, rc, "retried")
			var dup int64
			for w := range acked {
				got, err := rc.ExHGet(context.Background(), "retried", "w"+strconv.Itoa(w)).Result()
				n, _ := strconv.ParseInt(got, 10, 64)
				if err != nil || n < acked[w] {
					t.Fatalf("default retries: counter %d = %q (%v), acknowledged %d: an acknowledged write was lost", w, got, err, acked[w])
				}
				dup += n - acked[w]
			}
			t.Logf("%s/%s, default retries, %d connections killed: 0 acknowledged increments lost, %d applied twice by go-redis resending a cut pipeline", kind, be, kills, dup)
		})
	}
}

// killWhilePipelining runs pipelines of 20 EXHINCRBY from 3 goroutines (one field each) while a
// separate connection kills every other client connection every few milliseconds.
func killWhilePipelining(t *testing.T, srv *testserver.Server, c *exhash.Client, key string) (acked, tried []int64, kills int64) {
	t.Helper()
	ctx := context.Background()
	const workers, batch = 3, 20
	acked, tried = make([]int64, workers), make([]int64, workers)
	stop := make(chan struct{})
	var killed atomic.Int64
	killer := make(chan struct{})
	admin := redis.NewClient(srv.Options())
	defer admin.Close()
	go func() {
		defer close(killer)
		for {
			select {
			case <-stop:
				return
			case <-time.After(3 * time.Millisecond):
			}
			if n, err := admin.ClientKillByFilter(ctx, "TYPE", "normal", "SKIPME", "yes").Result(); err == nil && n > 0 {
				killed.Add(n)
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			f := "w" + strconv.Itoa(w)
			for i := 0; i < 60; i++ {
				cmds := make([]*exhash.Cmd[int64], batch)
				_, _ = c.Pipelined(ctx, func(p exhash.Pipeliner) error {
					for j := range cmds {
						cmds[j] = p.ExHIncrBy(ctx, key, f, 1)
					}
					return nil
				})
				for _, cmd := range cmds {
					tried[w]++
					if cmd.Err() == nil {
						acked[w]++
					}
				}
			}
		}(w)
	}
	wg.Wait()
	close(stop)
	<-killer
	return acked, tried, killed.Load()
}

// TestHFEFunctionLoss removes the HFE function library (FUNCTION FLUSH; the same happens when a
// server without persistence restarts) and then uses the client directly, in a pipeline and in
// a transaction: all three should reload the library as the Lua backend reloads its scripts.
func TestHFEFunctionLoss(t *testing.T) {
	srv, rdb, c, _ := dedicated(t, testserver.KindRedis8, "--save", "", "--appendonly", "no")
	ctx := context.Background()
	paths := map[string]func() error{
		"direct": func() error { return c.ExHSet(ctx, "k", "a", "1").Err() },
		"pipeline": func() error {
			_, err := c.Pipelined(ctx, func(p exhash.Pipeliner) error { p.ExHSet(ctx, "k", "b", "1"); return nil })
			return err
		},
		"transaction": func() error {
			_, err := c.TxPipelined(ctx, func(p exhash.Pipeliner) error { p.ExHSet(ctx, "k", "c", "1"); return nil })
			return err
		},
	}
	var failed []string
	for _, name := range []string{"pipeline", "transaction", "direct"} {
		for _, lose := range []string{"FUNCTION FLUSH", "restart"} {
			if lose == "restart" {
				srv.Restart(t)
			} else if err := rdb.FunctionFlush(ctx).Err(); err != nil {
				t.Fatal(err)
			}
			if err := paths[name](); err != nil {
				failed = append(failed, fmt.Sprintf("%s after %s: %v", name, lose, err))
			}
		}
	}
	if len(failed) > 0 {
		t.Fatalf("the HFE backend did not recover its lost code: %v", failed)
	}
}
