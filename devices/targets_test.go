package devices

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// target is one backend on one real server.
type target struct {
	name   string
	c      *exhash.Client
	prefix string
}

// targets returns the Lua emulation on Redis 7, Valkey 8 and the cluster, native hash-field
// expiration on Redis 8, and the module when TAIRHASH_ADDR is set.
func targets(t testing.TB) []target {
	t.Helper()
	var out []target
	for _, srv := range testserver.All(t) {
		var be driver.Backend = emulate.NewLua()
		name := srv.Name + "-lua"
		if srv.Name == testserver.KindRedis8 {
			be, name = emulate.NewHFE(), srv.Name+"-hfe"
		}
		out = append(out, target{name, exhash.NewClient(srv.Client(t), exhash.WithBackend(be)), srv.Prefix(t)})
	}
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		mod := redis.NewClient(&redis.Options{Addr: addr, DB: 3})
		t.Cleanup(func() { _ = mod.Close() })
		out = append(out, target{"module", exhash.NewClient(mod), testserver.Redis7(t).Prefix(t)})
	} else {
		t.Log("TAIRHASH_ADDR not set: the module is not a target")
	}
	return out
}

// each runs fn on every target in parallel subtests, with a store configured by opts (the prefix
// is the target's unique one).
func each(t *testing.T, opts Options, fn func(t *testing.T, tg target, s *Store)) {
	t.Helper()
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			o := opts
			o.Prefix = tg.prefix + o.Prefix
			s, err := New(tg.c, o)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, tg, s)
		})
	}
}

// eventually polls cond every 10 ms until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
