package exhash_test

import (
	"context"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// The subscription helpers on a real server (stock Redis 7 and a cluster). No TairHash is needed:
// the test publishes on the module's channel itself, which is exactly what the module (and every
// emulation) does when a field expires.
func TestSubscribeExpiredOnRealServers(t *testing.T) {
	for _, srv := range []*testserver.Server{testserver.Redis7(t), testserver.Cluster(t)} {
		t.Run(srv.Name, func(t *testing.T) {
			rdb := srv.Client(t)
			c := exhash.NewClient(rdb)
			p := srv.Prefix(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			sub, err := c.SubscribeExpired(ctx, 0, p+"a", p+"b@x")
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			psub, err := c.PSubscribeExpired(ctx, -1, p+"*")
			if err != nil {
				t.Fatal(err)
			}
			defer psub.Close()

			// Subscriptions are confirmed on return, so nothing published now can be missed.
			rdb.Publish(ctx, "unrelated", "x")
			rdb.Publish(ctx, exhash.ExpiredChannel(0, p+"other"), "f0") // pattern only
			rdb.Publish(ctx, exhash.ExpiredChannel(0, p+"b@x"), "f1")
			rdb.Publish(ctx, exhash.ExpiredChannel(5, p+"a"), "f2") // db 5: pattern only

			ev, err := sub.Receive(ctx)
			if err != nil || ev != (exhash.ExpiredEvent{DB: 0, Key: p + "b@x", Field: "f1"}) {
				t.Fatalf("SubscribeExpired got %+v, %v", ev, err)
			}
			want := []exhash.ExpiredEvent{
				{DB: 0, Key: p + "other", Field: "f0"},
				{DB: 0, Key: p + "b@x", Field: "f1"},
				{DB: 5, Key: p + "a", Field: "f2"},
			}
			events := psub.Channel()
			for i, w := range want {
				select {
				case got := <-events:
					if got != w {
						t.Fatalf("pattern event %d = %+v, want %+v", i, got, w)
					}
				case <-ctx.Done():
					t.Fatalf("pattern event %d: %v", i, ctx.Err())
				}
			}
		})
	}
}
