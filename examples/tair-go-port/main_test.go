package main

import (
	"io"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/internal/testserver"
	tair "github.com/tairhash-go/tairhash/tairgo"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// The program prints what tair-go's example printed, on every kind of server. The test points
// the program's client at a test server instead of port 6379; the program itself is unchanged.
func TestOutput(t *testing.T) {
	type server struct{ addr, backend string }
	servers := map[string]server{}
	for _, srv := range testserver.Standalone(t) {
		servers[srv.Name] = server{srv.Addr, "lua"}
	}
	servers[testserver.KindRedis8] = server{servers[testserver.KindRedis8].addr, "hfe"}
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		servers["module"] = server{addr, "tairhash"}
	}
	for name, srv := range servers {
		t.Run(name, func(t *testing.T) {
			tairClient = tair.NewTairClient(&redis.Options{Addr: srv.addr, DB: 3})
			defer tairClient.Close()
			if err := tairClient.Del(ctx, "h-k-1").Err(); err != nil {
				t.Fatal(err)
			}
			if got, want := stdoutOf(t, ExampleTairHash), "key v-1\nkey v-2\n"; got != want {
				t.Fatalf("output %q, want %q", got, want)
			}
			if got := tairClient.ExHLen(ctx, "h-k-1").Val(); got != 2 {
				t.Fatalf("the hash has %d fields, want 2", got)
			}
			if be, err := tairClient.TairHashBackend(ctx); err != nil || be.Name() != srv.backend {
				t.Fatalf("backend %v (%v), want %s", be, err, srv.backend)
			}
		})
	}
}

// stdoutOf runs fn and returns what it printed.
func stdoutOf(t *testing.T, fn func()) string {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = w
	defer func() { os.Stdout = saved }()
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		done <- b
	}()
	fn()
	w.Close()
	return string(<-done)
}
