package emulate_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// The multi-device workload: one hash per user, one field per device (5), a 40-byte token per
// field, a TTL on every field. Run with
//
//	go test -run '^$' -bench MultiDevice -benchtime 3s ./emulate/
//
// and TAIRHASH_ADDR=127.0.0.1:16379 to include the TairHash module (whose server is shared: its
// keys are deleted afterwards, and its memory figure is as exact as the other traffic allows).
const (
	benchDevices  = 5
	benchUsers    = 20_000
	benchDepth    = 16 // commands per pipeline in the pipelined variants
	benchParallel = 4  // goroutines per GOMAXPROCS
)

var benchToken = strings.Repeat("t", 40)

// benchTarget is a backend on a server.
type benchTarget struct {
	name   string
	be     driver.Backend
	rdb    redis.UniversalClient
	shared bool   // the server is not ours: no FLUSHALL
	pre    string // key prefix
}

func benchTargets(b *testing.B) []benchTarget {
	r8 := testserver.Start(b, testserver.KindRedis8)
	rdb := redis.NewClient(&redis.Options{Addr: r8.Addr, PoolSize: 64})
	b.Cleanup(func() { _ = rdb.Close() })
	hfe, lean := emulate.NewHFE(), emulate.NewHFE(emulate.WithoutVersions())
	for _, h := range []*emulate.HFE{hfe, lean} {
		if err := h.Load(b.Context(), rdb); err != nil {
			b.Fatal(err)
		}
	}
	targets := []benchTarget{
		{name: "hfe", be: hfe, rdb: rdb},
		{name: "hfe-noversions", be: lean, rdb: rdb},
	}
	targets = append(targets, luaBenchTargets(b, rdb)...)
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		mod := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 64})
		b.Cleanup(func() { _ = mod.Close() })
		targets = append(targets, benchTarget{name: "module", be: exhash.Native{}, rdb: mod, shared: true,
			pre: fmt.Sprintf("bench-%d-", os.Getpid())})
	}
	return targets
}

func userKey(t benchTarget, i int) string { return t.pre + "u" + strconv.Itoa(i) }

// BenchmarkMultiDevice measures logins (EXHSET … EX), token checks (EXHGET) and device listings
// (EXHGETALL), one command per op, both one command per round trip and pipelined.
func BenchmarkMultiDevice(b *testing.B) {
	for _, t := range benchTargets(b) {
		ctx := b.Context()
		clear(b, t)
		preload(b, t)
		for _, mode := range []string{"direct", "pipelined"} {
			b.Run(t.name+"/write/"+mode, func(b *testing.B) {
				var next atomic.Int64
				run(b, t, mode, func(p driver.Conn) {
					n := int(next.Add(1))
					_ = t.be.Do(ctx, p, "exhset", userKey(t, n%benchUsers), "device"+strconv.Itoa(n/benchUsers%benchDevices),
						benchToken, "ex", "3600")
				})
			})
			b.Run(t.name+"/read-get/"+mode, func(b *testing.B) {
				run(b, t, mode, func(p driver.Conn) {
					_ = t.be.Do(ctx, p, "exhget", userKey(t, rand.IntN(benchUsers)), "device"+strconv.Itoa(rand.IntN(benchDevices)))
				})
			})
			b.Run(t.name+"/read-getall/"+mode, func(b *testing.B) {
				run(b, t, mode, func(p driver.Conn) {
					_ = t.be.Do(ctx, p, "exhgetall", userKey(t, rand.IntN(benchUsers)))
				})
			})
		}
		clear(b, t)
	}
}

// run drives op in parallel; in pipelined mode each goroutine sends pipelines of benchDepth ops.
// Every reply is checked.
func run(b *testing.B, t benchTarget, mode string, op func(driver.Conn)) {
	ctx := b.Context()
	b.SetParallelism(benchParallel)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		if mode == "direct" {
			for pb.Next() {
				op(recorder{t.rdb, b})
			}
			return
		}
		for more := true; more; {
			pipe := t.rdb.Pipeline()
			for i := 0; i < benchDepth; i++ {
				if more = pb.Next(); !more {
					break
				}
				op(pipe)
			}
			if pipe.Len() == 0 {
				return
			}
			cmds, err := pipe.Exec(ctx)
			if err != nil && err != redis.Nil {
				b.Error(err, cmds[0].Args())
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// recorder checks the reply of each direct command.
type recorder struct {
	redis.UniversalClient
	b *testing.B
}

func (r recorder) Do(ctx context.Context, args ...any) *redis.Cmd {
	cmd := r.UniversalClient.Do(ctx, args...)
	if err := cmd.Err(); err != nil && err != redis.Nil {
		r.b.Error(args, err)
	}
	return cmd
}

// preload logs every user in on every device.
func preload(b *testing.B, t benchTarget) {
	ctx := b.Context()
	for u := 0; u < benchUsers; u += 100 {
		pipe := t.rdb.Pipeline()
		for i := u; i < u+100; i++ {
			for d := range benchDevices {
				t.be.Do(ctx, pipe, "exhset", userKey(t, i), "device"+strconv.Itoa(d), benchToken, "ex", "3600")
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// clear removes the benchmark's keys.
func clear(b *testing.B, t benchTarget) {
	ctx := b.Context()
	if !t.shared {
		if err := t.rdb.FlushAll(ctx).Err(); err != nil {
			b.Fatal(err)
		}
		return
	}
	for u := 0; u < benchUsers; u += 500 {
		var keys []string
		for i := u; i < u+500; i++ {
			keys = append(keys, userKey(t, i))
		}
		if err := t.rdb.Del(ctx, keys...).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMultiDeviceMemory reports bytes per field (INFO used_memory delta) after benchUsers
// users logged in on every device, and again after every device logged in a second time (which
// gives every field version 2: the versioned backends then store a version per field).
func BenchmarkMultiDeviceMemory(b *testing.B) {
	for _, t := range benchTargets(b) {
		b.Run(t.name, func(b *testing.B) {
			for range b.N {
				clear(b, t)
				before := usedMemory(b, t.rdb)
				preload(b, t)
				fresh := usedMemory(b, t.rdb)
				preload(b, t)
				again := usedMemory(b, t.rdb)
				fields := float64(benchUsers * benchDevices)
				b.ReportMetric(float64(fresh-before)/fields, "B/field")
				b.ReportMetric(float64(again-before)/fields, "B/field-v2")
				clear(b, t)
			}
		})
	}
	b.Run("plain-hsetex", func(b *testing.B) {
		r8 := testserver.Start(b, testserver.KindRedis8)
		rdb := r8.Client(b)
		ctx := b.Context()
		for range b.N {
			rdb.FlushAll(ctx)
			before := usedMemory(b, rdb)
			for u := 0; u < benchUsers; u += 100 {
				pipe := rdb.Pipeline()
				for i := u; i < u+100; i++ {
					for d := range benchDevices {
						pipe.Do(ctx, "hsetex", "u"+strconv.Itoa(i), "ex", "3600", "fields", "1", "device"+strconv.Itoa(d), benchToken)
					}
				}
				if _, err := pipe.Exec(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(usedMemory(b, rdb)-before)/float64(benchUsers*benchDevices), "B/field")
		}
	})
}

func usedMemory(b *testing.B, rdb redis.UniversalClient) int64 {
	info, err := rdb.Info(b.Context(), "memory").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	b.Fatal("no used_memory in INFO memory")
	return 0
}

// luaBenchTargets is the Lua backend on the same Redis 8 (filled in once emulate.NewLua exists).
func luaBenchTargets(b *testing.B, rdb redis.UniversalClient) []benchTarget { return nil }
