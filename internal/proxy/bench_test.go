package proxy

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash"
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
// directBackend, at the same pipeline depths: EXHSET with a TTL, then EXHGET, on 1000 fields.
func benchEXH(b *testing.B, upstream string, directBackend exhash.Backend, serverBackend func(int) exhash.Backend) {
	addr, _ := startProxy(b, Config{Upstream: Upstream{Addr: upstream}, Backend: serverBackend})
	direct := exhash.NewClient(client(b, upstream), exhash.WithBackend(directBackend))
	proxied := exhash.NewClient(client(b, addr))
	key := "exhash-server:bench:" + strconv.FormatInt(time.Now().UnixNano(), 36)
	args := exhash.ExHSetArgs{}.New().Px(time.Minute)
	for _, depth := range []int{1, 32} {
		b.Run("depth="+strconv.Itoa(depth), func(b *testing.B) {
			op := func(c *exhash.Client) func(p redis.Pipeliner, i int) {
				return func(p redis.Pipeliner, i int) {
					on := c.On(p)
					field := "f" + strconv.Itoa(i/2%1000) // EXHGET reads the field just set
					if i%2 == 0 {
						on.ExHSetArgs(context.Background(), key, field, "value", args)
					} else {
						on.ExHGet(context.Background(), key, field)
					}
				}
			}
			compareClients(b, direct.Redis(), proxied.Redis(), depth, op(direct), op(proxied))
		})
	}
	direct.Redis().Del(context.Background(), key)
}

// EXH* commands in front of the real module ($TAIRHASH_ADDR): the cost of the server alone.
func BenchmarkEXHModule(b *testing.B) {
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		b.Skip("TAIRHASH_ADDR not set: no server with the TairHash module")
	}
	benchEXH(b, addr, exhash.Native{}, nil)
}
