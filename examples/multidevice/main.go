// Command multidevice reproduces the multi-device token story: one hash per user, one field per
// device, one TTL per device.
//
// user1 logs in on phone (TTL 5 s) and pad (10 s), user2 on pad and pc (10 s each); after 6 s only
// the three tokens whose TTL has not run out are listed.
//
// With no configuration it starts an embedded Redis-compatible server in this process and runs the
// library's Lua emulation against it, so it needs nothing but Go. REDIS_ADDR (and REDIS_PASSWORD)
// point it at a Redis or Valkey server, where the backend is detected; TAIR_ADDR (and TAIR_PASSWORD)
// at Tair, spoken to natively. The backend in use is named on stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/tairhash-go/tairhash/examples/internal/connect"
	"github.com/tairhash-go/tairhash/examples/multidevice/story"
)

func main() {
	scale := flag.Float64("time-scale", 1, "multiply every TTL and the wait by this factor (tests run the story faster with e.g. 0.1)")
	flag.Parse()
	if *scale <= 0 {
		log.Fatal("-time-scale must be positive")
	}

	ctx := context.Background()
	client, name, closeAll, err := connect.Connect(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer closeAll()
	fmt.Fprintln(os.Stderr, name)

	if err := story.Run(ctx, os.Stdout, client, *scale); err != nil {
		log.Fatal(err)
	}
}
