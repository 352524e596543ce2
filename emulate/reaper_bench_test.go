package emulate_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// BenchmarkReclaim100k measures how long 100k expired fields (20k users × 5 devices) take to
// disappear from a Redis 7.0 that nobody reads: with the reaper at its defaults, and with Redis'
// own key-level expiry alone (the fallback, which starts scripts.KeyExpiryGrace after the last
// deadline and announces nothing). Run with -benchtime=1x; it reports seconds until DBSIZE is 0.
//
//	go test -run '^$' -bench Reclaim100k -benchtime=1x ./emulate/
func BenchmarkReclaim100k(b *testing.B) {
	for _, withReaper := range []bool{true, false} {
		name := "key-expiry-only"
		if withReaper {
			name = "reaper"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				srv := testserver.Start(b, testserver.KindRedis7)
				rdb := srv.Client(b)
				c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
				keys := make([]string, 20000)
				for i := range keys {
					keys[i] = fmt.Sprint("user:", i)
				}
				writeDue(b, c, keys, 5, 8*time.Second) // all written before the first is due
				ctx, cancel := context.WithCancel(context.Background())
				r := emulate.NewReaper(rdb)
				b.StartTimer()
				start := time.Now()
				if withReaper {
					go func() { _ = r.Run(ctx) }()
				}
				for rdb.DBSize(ctx).Val() > 0 {
					if time.Since(start) > 2*time.Minute {
						b.Fatalf("%d keys left after 2 minutes", rdb.DBSize(ctx).Val())
					}
					time.Sleep(10 * time.Millisecond)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s-to-empty")
				cancel()
				if withReaper {
					b.ReportMetric(float64(r.Stats().FieldsReaped), "fields-reaped")
				}
				srv.Stop()
			}
		})
	}
}
