package tairhash_test

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash"
	"github.com/tairhash-go/tairhash/exhash"
)

// Open probes the server once and returns a typed client on the best backend it offers: the
// module's own commands on Tair, hash-field expiration on Redis 7.4+/8, the Lua emulation on
// Redis 7.0 and Valkey 8. The same code runs on all three.
func ExampleOpen() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()

	c, err := tairhash.Open(ctx, rdb)
	if err != nil {
		panic(err)
	}
	fmt.Println("backend:", c.Backend().Name())

	// One field per device, each with its own TTL.
	set := exhash.ExHSetArgs{}.New().Ex(30 * time.Minute)
	if err := c.ExHSetArgs(ctx, "user1", "phone", "token-1", set).Err(); err != nil {
		panic(err)
	}
	devices, err := c.ExHGetAll(ctx, "user1").Result()
	fmt.Println(devices, err)
}

// Detect reports what it found without making a client; WithKind skips the probe.
func ExampleDetect() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()

	d, err := tairhash.Detect(ctx, rdb)
	if err != nil {
		panic(err)
	}
	fmt.Println(d) // e.g. "backend hfe"
	c := exhash.NewClient(rdb, exhash.WithBackend(d.Backend))
	_ = c

	forced, _ := tairhash.Detect(ctx, rdb, tairhash.WithKind(tairhash.KindLua))
	fmt.Println(forced) // backend lua (forced)
}
