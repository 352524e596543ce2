// Package connect gives the examples their server: TAIR_ADDR (native EXH* commands), REDIS_ADDR
// (backend detected, or forced with EXHASH_BACKEND=lua|hfe|tairhash), or else an embedded
// Redis-compatible server in the example's own process running the Lua emulation, so that every
// example runs with nothing but Go.
package connect

import (
	"context"
	"fmt"
	"os"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash"
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
)

// Connect picks the server from the environment (see the package doc). It returns the client, a
// name for the backend for the example to print, and a function that releases everything.
func Connect(ctx context.Context) (*exhash.Client, string, func(), error) {
	if addr := os.Getenv("TAIR_ADDR"); addr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: addr, Password: os.Getenv("TAIR_PASSWORD")})
		return exhash.NewClient(rdb), "backend tairhash (TAIR_ADDR " + addr + ")", func() { rdb.Close() }, nil
	}

	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: addr, Password: os.Getenv("REDIS_PASSWORD")})
		var opts []tairhash.Option
		if kind := os.Getenv("EXHASH_BACKEND"); kind != "" {
			opts = append(opts, tairhash.WithKind(tairhash.Kind(kind)))
		}
		d, err := tairhash.Detect(ctx, rdb, opts...)
		if err != nil {
			rdb.Close()
			return nil, "", nil, fmt.Errorf("detect the backend at %s: %w", addr, err)
		}
		return exhash.NewClient(rdb, exhash.WithBackend(d.Backend)), d.String() + " (REDIS_ADDR " + addr + ")", func() { rdb.Close() }, nil
	}

	// Nothing configured: an in-process Redis-compatible server, with the same Lua scripts a stock
	// Redis would run.
	srv := miniredis.NewMiniRedis()
	if err := srv.Start(); err != nil {
		return nil, "", nil, fmt.Errorf("start the embedded server: %w", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	release := func() {
		rdb.Close()
		srv.Close()
	}
	be := emulate.NewLua()
	return exhash.NewClient(rdb, exhash.WithBackend(be)), "backend " + be.Name() + " (embedded server)", release, nil
}
