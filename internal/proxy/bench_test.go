package proxy

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
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
	var tDirect, tProxied time.Duration
	b.ResetTimer()
	// Alternate in slices so that noise from other processes hits both sides alike.
	const slices = 4
	per := max(b.N/slices, 1)
	for range slices {
		tDirect += runPipelined(b, direct, per, depth, op)
		tProxied += runPipelined(b, proxied, per, depth, op)
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
