package proxy

import (
	"context"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// runPipelined runs n calls of op in pipelines of depth commands and returns the time taken.
func runPipelined(b *testing.B, c redis.Cmdable, n, depth int, op func(p redis.Pipeliner, i int)) time.Duration {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	for done := 0; done < n; {
		p := c.Pipeline()
		for j := 0; j < depth && done < n; j++ {
			op(p, done)
			done++
		}
		if _, err := p.Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

// compare times the same operations straight to Redis and through the server, in turns, and reports
// both rates and their ratio (through the server / direct; 1 means no cost).
func compare(b *testing.B, direct, proxied redis.Cmdable, depth int, op func(p redis.Pipeliner, i int)) {
	compareClients(b, direct, proxied, depth, op, op)
}

// compareClients is compare with an operation of its own for each side.
func compareClients(b *testing.B, direct, proxied redis.Cmdable, depth int, directOp, proxiedOp func(p redis.Pipeliner, i int)) {
	var tDirect, tProxied time.Duration
	b.ResetTimer()
	// Alternate in slices so that noise from other processes hits both sides alike.
	const slices = 4
	per := max(b.N/slices, 1)
	for range slices {
		tDirect += runPipelined(b, direct, per, depth, directOp)
		tProxied += runPipelined(b, proxied, per, depth, proxiedOp)
	}
	n := float64(per * slices)
	b.ReportMetric(n/tDirect.Seconds(), "direct-ops/s")
	b.ReportMetric(n/tProxied.Seconds(), "proxied-ops/s")
	b.ReportMetric(tDirect.Seconds()/tProxied.Seconds(), "ratio")
}

// Pass-through commands: GET and SET through the server against straight to Redis.
func BenchmarkPassThrough(b *testing.B) {
	up := redis7(b)
	addr := proxyFor(b, up.Addr)
	direct, proxied := client(b, up.Addr), client(b, addr)
	key := up.Prefix(b) + "k"
	for _, depth := range []int{1, 32} {
		b.Run("depth="+strconv.Itoa(depth), func(b *testing.B) {
			compare(b, direct, proxied, depth, func(p redis.Pipeliner, i int) {
				if i%2 == 0 {
					p.Set(context.Background(), key, i, 0)
				} else {
					p.Get(context.Background(), key)
				}
			})
		})
	}
}

// benchEXH compares the typed client running EXH* commands through the server (Native backend, the
// server's backend doing the work) with the same client calling the upstream directly through
// directBackend, at the same pipeline depths (the typed client's own pipelines) and number of
// concurrent connections: EXHSET with a TTL, then EXHGET, on 1000 fields of one key per connection.
// It also runs a server without the early flushes of EXH* commands in a batch ("batch-flush"), to
// show what they gain under the same load, and the library through a byte-copying relay
// ("relay", startRelay): the cost of the hop alone, the floor for the server's ratio.
func benchEXH(b *testing.B, cfg Config, directBackend driver.Backend) {
	addr, _ := startProxy(b, cfg)
	lateCfg := cfg
	lateCfg.batchFlushOnly = true
	lateAddr, _ := startProxy(b, lateCfg)
	relayAddr := startRelay(b, cfg.Upstream.Addr)
	key := "exhash-server:bench:" + strconv.FormatInt(time.Now().UnixNano(), 36)
	admin := client(b, cfg.Upstream.Addr)
	args := exhash.ExHSetArgs{}.New().Px(time.Minute)
	const maxConns = 8
	for _, conns := range []int{1, maxConns} {
		for _, depth := range []int{1, 16, 32} {
			b.Run("conns="+strconv.Itoa(conns)+"/depth="+strconv.Itoa(depth), func(b *testing.B) {
				pool := func(o *redis.Options) { o.PoolSize = conns }
				sides := []side{
					{name: "direct", c: exhash.NewClient(client(b, cfg.Upstream.Addr, pool), exhash.WithBackend(directBackend))},
					{name: "proxied", c: exhash.NewClient(client(b, addr, pool))},
					{name: "batch-flush", c: exhash.NewClient(client(b, lateAddr, pool))},
					{name: "relay", c: exhash.NewClient(client(b, relayAddr, pool), exhash.WithBackend(directBackend))},
				}
				// Each goroutine works on a key of its own.
				op := func(p exhash.Pipeliner, g, i int) {
					k, field := key+":"+strconv.Itoa(g), "f"+strconv.Itoa(i/2%1000) // EXHGET reads the field just set
					if i%2 == 0 {
						p.ExHSetArgs(context.Background(), k, field, "value", args)
					} else {
						p.ExHGet(context.Background(), k, field)
					}
				}
				compareTyped(b, admin, sides, conns, depth, op)
			})
		}
	}
	rdb := redis.NewClient(&redis.Options{Addr: cfg.Upstream.Addr})
	defer rdb.Close()
	for g := range maxConns {
		k := key + ":" + strconv.Itoa(g)
		ttl, ver, _ := emulate.CompanionKeys(k)
		rdb.Del(context.Background(), k, ttl, ver)
	}
}

// startRelay serves a relay that copies bytes between each client and a connection of its own to
// upstream, and nothing else: the library through it pays the extra hop (its reads, writes and
// wake-ups) without any per-command work, which is the floor of what a server in between costs.
func startRelay(b *testing.B, upstream string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var conns sync.WaitGroup
	b.Cleanup(func() {
		ln.Close()
		conns.Wait()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				continue
			}
			conns.Go(func() { io.Copy(u, c); u.Close() })
			conns.Go(func() { io.Copy(c, u); c.Close() })
		}
	}()
	return ln.Addr().String()
}

// side is one client a benchmark times, and the time it took.
type side struct {
	name string
	c    *exhash.Client
	took time.Duration
	cpu  time.Duration // this process's CPU (client and in-process server) while the side ran
	up   time.Duration // the upstream's CPU while the side ran
}

// processCPU is the CPU time this process has used (user + system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// upstreamCPU is the CPU time the upstream has used (INFO cpu), 0 if it cannot tell.
func upstreamCPU(rdb *redis.Client) time.Duration {
	info, err := rdb.Info(context.Background(), "cpu").Result()
	if err != nil {
		return 0
	}
	var total float64
	for _, line := range strings.Split(info, "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
		if k == "used_cpu_user" || k == "used_cpu_sys" {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return time.Duration(total * float64(time.Second))
}

// compareTyped times op on each side in turns, from conns goroutines each sending pipelines of depth
// commands, and reports each side's rate and its ratio to the first side's ("ratio" for the second).
// The CPU per operation, of this process (the client, and the server where it runs in process) and
// of the upstream (admin's server), is reported as well: on a machine with few cores what the server
// adds per command shows there first.
func compareTyped(b *testing.B, admin *redis.Client, sides []side, conns, depth int, op func(p exhash.Pipeliner, g, i int)) {
	run := func(c *exhash.Client, per int) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		for g := range conns {
			wg.Go(func() {
				ctx := context.Background()
				for done := 0; done < per; {
					p := c.Pipeline()
					for j := 0; j < depth && done < per; j++ {
						op(p, g, done)
						done++
					}
					if _, err := p.Exec(ctx); err != nil {
						b.Error(err) // not Fatal: this runs on a goroutine of its own
						return
					}
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	b.ResetTimer()
	// Alternate in slices so that noise from other processes hits every side alike.
	const slices = 4
	per := max(b.N/slices/conns, 1)
	for range slices {
		for i := range sides {
			cpu, up := processCPU(), upstreamCPU(admin)
			sides[i].took += run(sides[i].c, per)
			sides[i].cpu += processCPU() - cpu
			sides[i].up += upstreamCPU(admin) - up
		}
	}
	total := float64(per * slices * conns)
	for i, s := range sides {
		b.ReportMetric(total/s.took.Seconds(), s.name+"-ops/s")
		b.ReportMetric(float64(s.cpu.Nanoseconds())/total, s.name+"-cpu-ns/op")
		b.ReportMetric(float64(s.up.Nanoseconds())/total, s.name+"-upstream-cpu-ns/op")
		switch i {
		case 0:
		case 1:
			b.ReportMetric(sides[0].took.Seconds()/s.took.Seconds(), "ratio")
		default:
			b.ReportMetric(sides[0].took.Seconds()/s.took.Seconds(), "ratio-"+s.name)
		}
	}
}

// EXH* commands in front of the real module ($TAIRHASH_ADDR): the cost of the server alone.
func BenchmarkEXHModule(b *testing.B) {
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		b.Skip("TAIRHASH_ADDR not set: no server with the TairHash module")
	}
	benchEXH(b, Config{Upstream: Upstream{Addr: addr}}, exhash.Native{})
}

// EXH* commands through the server (Lua emulation, the default) against the library calling the same
// Redis 7.0 directly with emulate.NewLua: same typed client, same pipeline depths, one connection each.
func BenchmarkEXHLua(b *testing.B) {
	benchEXH(b, luaConfig(redis7(b).Addr), emulate.NewLua())
}
