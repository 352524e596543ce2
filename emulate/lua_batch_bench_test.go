package emulate_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
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

// BenchmarkLuaBatching compares the Lua backend's batched pipelines (the default) with one script
// call per command (emulate.WithLuaOneCallPerCommand) and, when TAIRHASH_ADDR names a Redis with the module,
// with the module: 8 connections × pipelines of 16, rounds of every operation with the systems'
// order rotated, median ratios reported. Run with
//
//	go test -run '^$' -bench LuaBatching -benchtime 1x ./emulate/
func BenchmarkLuaBatching(b *testing.B) {
	ctx := context.Background()
	sessions := exhash.ExHSetArgs{}.New().Ex(time.Hour)
	open := func(rdb redis.UniversalClient, be driver.Backend) *exhash.Client {
		return exhash.NewClient(rdb, exhash.WithBackend(be))
	}
	// Both Lua systems on one server, over the same keys: servers started alike still differ by
	// more than the two paths do on this machine.
	// Each has a go-redis client of its own: the client's hook keeps one backend per name.
	srv := testserver.Start(b, testserver.KindRedis7)
	client := func() *redis.Client {
		rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, PoolSize: 16})
		b.Cleanup(func() { _ = rdb.Close() })
		return rdb
	}
	systems := map[string]*exhash.Client{
		"batched": open(client(), emulate.NewLua()),
		"percmd":  open(client(), emulate.NewLua(emulate.WithLuaOneCallPerCommand())),
	}
	ref := "percmd"
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 16})
		b.Cleanup(func() { _ = rdb.Close() })
		systems["module"], ref = open(rdb, exhash.Native{}), "module"
	}
	prefix := "lua-batching-" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
	const users, devices, conns, depth = 5000, 5, 8, 16
	user := func(rng *rand.Rand) string { return prefix + strconv.Itoa(rng.IntN(users)) }
	device := func(rng *rand.Rand) string { return "d" + strconv.Itoa(rng.IntN(devices)) }
	token := benchToken
	ops := map[string]func(p exhash.Pipeliner, rng *rand.Rand){
		"login":    func(p exhash.Pipeliner, rng *rand.Rand) { p.ExHSetArgs(ctx, user(rng), device(rng), token, sessions) },
		"validate": func(p exhash.Pipeliner, rng *rand.Rand) { p.ExHGet(ctx, user(rng), device(rng)) },
		"list":     func(p exhash.Pipeliner, rng *rand.Rand) { p.ExHGetAll(ctx, user(rng)) },
	}
	ops["mix"] = func(p exhash.Pipeliner, rng *rand.Rand) { // the harness's session mix
		switch r := rng.IntN(100); {
		case r < 75:
			u, d := user(rng), device(rng)
			p.ExHGet(ctx, u, d)
			if rng.IntN(10) == 0 {
				p.ExHPExpire(ctx, u, d, time.Hour)
			}
		case r < 85:
			ops["list"](p, rng)
		case r < 95:
			ops["login"](p, rng)
		default:
			p.ExHDel(ctx, user(rng), device(rng))
		}
	}
	for _, name := range []string{"batched", "module"} { // percmd shares batched's keys
		c := systems[name]
		if c == nil {
			continue
		}
		for u := 0; u < users; u += 100 {
			p := c.Pipeline()
			for i := u; i < u+100; i++ {
				for d := 0; d < devices; d++ {
					p.ExHSetArgs(ctx, prefix+strconv.Itoa(i), "d"+strconv.Itoa(d), token, sessions)
				}
			}
			if _, err := p.Exec(ctx); err != nil {
				b.Fatalf("%s: preload: %v", name, err)
			}
		}
	}
	if m := systems["module"]; m != nil {
		b.Cleanup(func() {
			for i := 0; i < users; i++ {
				_ = m.Redis().Del(context.Background(), prefix+strconv.Itoa(i)).Err()
			}
		})
	}
	rate := func(c *exhash.Client, op func(exhash.Pipeliner, *rand.Rand), seed uint64) float64 {
		var n atomic.Int64
		var wg sync.WaitGroup
		const phase = 400 * time.Millisecond
		stop := time.Now().Add(phase)
		for g := 0; g < conns; g++ {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(seed, uint64(g)))
				for time.Now().Before(stop) {
					p := c.Pipeline()
					for j := 0; j < depth; j++ {
						op(p, rng)
					}
					if _, err := p.Exec(ctx); err != nil && !isReply(err) {
						b.Error(err)
						return
					}
					n.Add(depth)
				}
			})
		}
		wg.Wait()
		return float64(n.Load()) / phase.Seconds()
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range systems {
			if !yield(name) {
				return
			}
		}
	})
	ratios := map[string][]float64{}
	cpu := map[string][]float64{} // the Lua server's CPU time per command, µs
	for i := 0; i < b.N; i++ {
		for round := 0; round < 5; round++ {
			for _, opName := range []string{"login", "validate", "list", "mix"} {
				got := map[string]float64{}
				for k := range names {
					name := names[(k+round)%len(names)]
					before := serverCPU(b, srv)
					got[name] = rate(systems[name], ops[opName], uint64(round))
					if name != "module" {
						perOp := (serverCPU(b, srv) - before) / (got[name] * 0.4) * 1e6
						cpu[opName+"/"+name] = append(cpu[opName+"/"+name], perOp)
					}
				}
				for _, name := range names {
					if name != ref {
						ratios[opName+"/"+name] = append(ratios[opName+"/"+name], got[name]/got[ref])
					}
				}
			}
		}
	}
	for key, r := range ratios {
		slices.Sort(r)
		b.ReportMetric(r[len(r)/2], key+"_x_"+ref)
	}
	for key, r := range cpu {
		slices.Sort(r)
		b.ReportMetric(r[len(r)/2], key+"_server_µs/op")
	}
}

// serverCPU returns the CPU time (user + system, seconds) the server has used.
func serverCPU(b *testing.B, srv *testserver.Server) float64 {
	info, err := srv.Client(b).Info(context.Background(), "cpu").Result()
	if err != nil {
		b.Fatal(err)
	}
	total := 0.0
	for _, line := range strings.Split(info, "\r\n") {
		for _, field := range []string{"used_cpu_user:", "used_cpu_sys:"} {
			if v, ok := strings.CutPrefix(line, field); ok {
				f, _ := strconv.ParseFloat(v, 64)
				total += f
			}
		}
	}
	return total
}

// isReply reports a server's reply to one command (a miss, a refused write), which the
// workload's random commands may get; anything else (a broken connection) ends the benchmark.
func isReply(err error) bool {
	_, ok := err.(interface{ RedisError() })
	return ok || err == redis.Nil
}
