// Command tair-go-port shows a tair-go snippet ported to exhash: the import and the constructor
// change, the method names and option builders stay.
//
// tair-go (go-redis v8):
//
//	tair := tairgo.NewTairClient(&redis.Options{Addr: addr})
//	tair.ExHSetArgs(ctx, "user1", "phone", "token_123", tairgo.ExHSetArgs{}.New().Ex(5))
//	tair.ExHGetAll(ctx, "user1")
//
// exhash (go-redis v9): durations are real time.Duration values (tair-go sent Ex(5) as 5 seconds
// but Ex(5*time.Second) as 5e9 seconds), and replies are typed.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/tairhash-go/tairhash/examples/internal/connect"
	"github.com/tairhash-go/tairhash/exhash"
)

func main() {
	ctx := context.Background()
	tair, name, closeAll, err := connect.Connect(ctx) // tair-go: tairgo.NewTairClient(&redis.Options{…})
	if err != nil {
		log.Fatal(err)
	}
	defer closeAll()
	fmt.Fprintln(os.Stderr, name)

	res, err := tair.ExHSetArgs(ctx, "user1", "phone", "token_123", exhash.ExHSetArgs{}.New().Ex(5*time.Second)).Result()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("EXHSET:", res) // created (tair-go: 1)

	// Optimistic concurrency with versions: VER must match the current version.
	_, err = tair.ExHSetArgs(ctx, "user1", "phone", "token_999", exhash.ExHSetArgs{}.New().Ver(7).KeepTTL()).Result()
	fmt.Println("stale version refused:", errors.Is(err, exhash.ErrStaleVersion))

	ttl, err := tair.ExHTTL(ctx, "user1", "phone").Result()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("TTL:", ttl.TTL.Round(time.Second), "persistent:", ttl.Persistent) // tair-go: a bare integer

	all, err := tair.ExHGetAll(ctx, "user1").Result()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("EXHGETALL:", all)
}
