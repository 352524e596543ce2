package emulate_test

import (
	"context"
	"log"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
)

// The Lua emulation removes a due field when a command touches its key; the reaper removes the
// others in the background (and publishes their expired notifications), as the module's timer does.
func ExampleNewReaper() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()

	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	go func() {
		if err := emulate.NewReaper(rdb).Run(ctx); err != nil && ctx.Err() == nil {
			log.Print(err)
		}
	}()
	_ = c // use c as usual; fields expire on the server's clock
}
