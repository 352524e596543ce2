package exhash_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Client-side cost of the typed client: each pair runs one command through exhash and the raw
// go-redis call of the same shape against the same server, so the difference in B/op and
// allocs/op (go test -bench Overhead -benchmem ./exhash) is what the typed layer and the backend
// add on the client. Time per op is mostly the round trip; the whole-system comparison is
// cmd/exhash-bench (docs/benchmarks.md).

// overheadToken is a 40-byte session token, as in the benchmark harness.
const overheadToken = "0123456789abcdefghijklmnopqrstuvwxyzABCD"

// benchPair runs typed and raw as sub-benchmarks, each b.N times, after one warm-up call each (it
// loads the scripts of an emulation backend).
func benchPair(b *testing.B, typed, raw func(ctx context.Context, i int) error) {
	ctx := context.Background()
	for _, side := range []struct {
		name string
		f    func(context.Context, int) error
	}{{"typed", typed}, {"raw", raw}} {
		b.Run(side.name, func(b *testing.B) {
			if err := side.f(ctx, 0); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if err := side.f(ctx, i); err != nil && err != redis.Nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// overheadKeys writes a 5-field hash for the read benchmarks.
func overheadFields(b *testing.B, c *exhash.Client, key string) {
	for d := range 5 {
		if err := c.ExHSet(context.Background(), key, "device"+strconv.Itoa(d), overheadToken).Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOverheadModule: the typed client with the Native backend against rdb.Do of the same
// EXH* command, on the TairHash module at $TAIRHASH_ADDR.
func BenchmarkOverheadModule(b *testing.B) {
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		b.Skip("TAIRHASH_ADDR not set: no server with the TairHash module")
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	b.Cleanup(func() { _ = rdb.Close() })
	c := exhash.NewClient(rdb)
	key := "exhash-bench:" + strconv.FormatInt(time.Now().UnixNano(), 36)
	b.Cleanup(func() { rdb.Del(context.Background(), key) })
	args := exhash.ExHSetArgs{}.New().Ex(time.Hour)
	b.Run("exhset-ex", func(b *testing.B) {
		benchPair(b,
			func(ctx context.Context, i int) error {
				_, err := c.ExHSetArgs(ctx, key, "device"+strconv.Itoa(i%5), overheadToken, args).Result()
				return err
			},
			func(ctx context.Context, i int) error {
				return rdb.Do(ctx, "exhset", key, "device"+strconv.Itoa(i%5), overheadToken, "ex", 3600).Err()
			})
	})
	overheadFields(b, c, key)
	b.Run("exhget", func(b *testing.B) {
		benchPair(b,
			func(ctx context.Context, i int) error {
				_, err := c.ExHGet(ctx, key, "device"+strconv.Itoa(i%5)).Result()
				return err
			},
			func(ctx context.Context, i int) error {
				return rdb.Do(ctx, "exhget", key, "device"+strconv.Itoa(i%5)).Err()
			})
	})
	b.Run("exhgetall", func(b *testing.B) {
		benchPair(b,
			func(ctx context.Context, _ int) error {
				_, err := c.ExHGetAll(ctx, key).Result()
				return err
			},
			func(ctx context.Context, _ int) error { return rdb.Do(ctx, "exhgetall", key).Err() })
	})
}

// benchEmulated compares the typed client on an emulation backend with the plain hash command a
// user would otherwise send (HSET, HGET, HGETALL) on the same server: the client-side cost of the
// typed layer plus the backend (script arguments, companion names, reply conversion).
func benchEmulated(b *testing.B, srv *testserver.Server, be driver.Backend) {
	rdb := srv.Client(b)
	c := exhash.NewClient(rdb, exhash.WithBackend(be))
	key, plain := srv.Prefix(b)+"user", srv.Prefix(b)+"plain"
	args := exhash.ExHSetArgs{}.New().Ex(time.Hour)
	b.Run("exhset-ex-vs-hset", func(b *testing.B) {
		benchPair(b,
			func(ctx context.Context, i int) error {
				_, err := c.ExHSetArgs(ctx, key, "device"+strconv.Itoa(i%5), overheadToken, args).Result()
				return err
			},
			func(ctx context.Context, i int) error {
				return rdb.HSet(ctx, plain, "device"+strconv.Itoa(i%5), overheadToken).Err()
			})
	})
	overheadFields(b, c, key)
	b.Run("exhget-vs-hget", func(b *testing.B) {
		benchPair(b,
			func(ctx context.Context, i int) error {
				_, err := c.ExHGet(ctx, key, "device"+strconv.Itoa(i%5)).Result()
				return err
			},
			func(ctx context.Context, i int) error { return rdb.HGet(ctx, plain, "device"+strconv.Itoa(i%5)).Err() })
	})
	b.Run("exhgetall-vs-hgetall", func(b *testing.B) {
		benchPair(b,
			func(ctx context.Context, _ int) error {
				_, err := c.ExHGetAll(ctx, key).Result()
				return err
			},
			func(ctx context.Context, _ int) error { return rdb.HGetAll(ctx, plain).Err() })
	})
}

// BenchmarkOverheadLua: the Lua emulation on Redis 7.0 against plain hash commands.
func BenchmarkOverheadLua(b *testing.B) { benchEmulated(b, testserver.Redis7(b), emulate.NewLua()) }

// BenchmarkOverheadHFE: the hash-field-expiration backend on Redis 8 against plain hash commands.
func BenchmarkOverheadHFE(b *testing.B) { benchEmulated(b, testserver.Redis8(b), emulate.NewHFE()) }
