// Command expiry-notifications listens for fields that expire: every backend publishes
// tairhash@<db>@<key>__:expired with the field as message, as the TairHash module does, so a
// subscriber written for Tair works unchanged.
//
// It subscribes, stores two device tokens with TTLs of 300 ms and 600 ms, and prints each expiry
// as it is announced. On the Lua emulation an expiry is announced when the field is removed: by
// the next command that touches the key (here a read once per 100 ms) or by the reaper
// (emulate.NewReaper); on Redis 8's hash-field expiration see docs/architecture.md.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/tairhash-go/tairhash/examples/internal/connect"
	"github.com/tairhash-go/tairhash/exhash"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client, name, closeAll, err := connect.Connect(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer closeAll()
	fmt.Fprintln(os.Stderr, name)

	sub, err := client.SubscribeExpired(ctx, 0, "user1")
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()

	for device, ttl := range map[string]time.Duration{"phone": 300 * time.Millisecond, "pad": 600 * time.Millisecond} {
		if err := client.ExHSetArgs(ctx, "user1", device, "token-"+device, exhash.ExHSetArgs{}.New().Px(ttl)).Err(); err != nil {
			log.Fatal(err)
		}
	}

	// A reader touching the key, as an application would; it also makes the emulation notice
	// the expiry without a reaper.
	readerDone := make(chan struct{})
	readCtx, stopReading := context.WithCancel(ctx)
	go func() {
		defer close(readerDone)
		for readCtx.Err() == nil {
			client.ExHGetAll(readCtx, "user1")
			time.Sleep(100 * time.Millisecond)
		}
	}()
	defer func() { stopReading(); <-readerDone }()

	for seen := 0; seen < 2; seen++ {
		ev, err := sub.Receive(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("expired: key %s, field %s (db %d)\n", ev.Key, ev.Field, ev.DB)
	}
}
