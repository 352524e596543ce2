package tair_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
	tair "github.com/tairhash-go/tairhash/tairgo"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// client is what TairClient and TairClusterClient have in common that the tests use.
type client interface {
	tair.TairCmdable
	Exists(ctx context.Context, keys ...string) *redis.IntCmd
	Del(ctx context.Context, keys ...string) *redis.IntCmd
	TairPipeline() tair.TairPipeline
	TairHashBackend(ctx context.Context) (driver.Backend, error)
	Close() error
}

// target is one server a test runs on, with the backend detection must choose there.
type target struct {
	name    string
	backend string
	connect func(t *testing.T) (client, string) // a client and a key prefix
}

// targets are the Lua emulation on Redis 7.0, Valkey 8 and a Redis 7.0 cluster, hash-field
// expiration on Redis 8 and a Redis 8 cluster, and the TairHash module when TAIRHASH_ADDR is set.
func targets(t *testing.T) []target {
	single := func(srv func(testing.TB) *testserver.Server) func(t *testing.T) (client, string) {
		return func(t *testing.T) (client, string) {
			s := srv(t)
			c := tair.NewTairClient(s.Options())
			t.Cleanup(func() { _ = c.Close() })
			return c, s.Prefix(t)
		}
	}
	cluster := func(srv func(testing.TB) *testserver.Server) func(t *testing.T) (client, string) {
		return func(t *testing.T) (client, string) {
			s := srv(t)
			c := tair.NewTairClusterClient(&tair.TairClusterOptions{ClusterOptions: s.ClusterOptions()})
			t.Cleanup(func() { _ = c.Close() })
			return c, s.Prefix(t)
		}
	}
	ts := []target{
		{"redis7", "lua", single(testserver.Redis7)},
		{"valkey8", "lua", single(testserver.Valkey8)},
		{"redis8", "hfe", single(testserver.Redis8)},
		{"cluster", "lua", cluster(testserver.Cluster)},
		{"cluster8", "hfe", cluster(testserver.Cluster8)},
	}
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		ts = append(ts, target{"module", "tairhash", func(t *testing.T) (client, string) {
			c := tair.NewTairClient(&redis.Options{Addr: addr})
			t.Cleanup(func() { _ = c.Close() })
			return c, fmt.Sprintf("%s-%d-", t.Name(), time.Now().UnixNano()) // keys of earlier runs stay
		}})
	} else {
		t.Log("TAIRHASH_ADDR not set: not run on the TairHash module")
	}
	return ts
}

// onEveryTarget runs fn as a subtest per target, with a client whose backend was checked.
func onEveryTarget(t *testing.T, fn func(t *testing.T, c client, prefix string)) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			c, prefix := tg.connect(t)
			be, err := c.TairHashBackend(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if be.Name() != tg.backend {
				t.Fatalf("backend %s, want %s", be.Name(), tg.backend)
			}
			fn(t, c, prefix)
		})
	}
}
