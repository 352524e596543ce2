package exhash_test

import (
	"context"
	"fmt"
	"slices"
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
			// In a cluster each PUBLISH may enter at another node and reach the subscriber's node
			// over the cluster bus, so only the set of events is guaranteed, not their order.
			events := psub.Channel()
			var got []exhash.ExpiredEvent
			for range want {
				select {
				case ev := <-events:
					got = append(got, ev)
				case <-ctx.Done():
					t.Fatalf("pattern events: got %+v, then %v", got, ctx.Err())
				}
			}
			if !srv.IsCluster() && !slices.Equal(got, want) {
				t.Fatalf("pattern events = %+v, want %+v in that order", got, want)
			}
			if !sameEvents(got, want) {
				t.Fatalf("pattern events = %+v, want %+v", got, want)
			}
		})
	}
}

// sameEvents reports whether a and b hold the same events, in any order.
func sameEvents(a, b []exhash.ExpiredEvent) bool {
	count := map[exhash.ExpiredEvent]int{}
	for _, e := range a {
		count[e]++
	}
	for _, e := range b {
		count[e]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return len(a) == len(b)
}

// Channel is one channel per subscription: a second call returns the same one (events are not
// split between two readers), and Close closes it even while an event waits unread.
func TestExpiredChannelIsOnePerSubscription(t *testing.T) {
	srv := testserver.Redis7(t)
	rdb := srv.Client(t)
	c := exhash.NewClient(rdb)
	p := srv.Prefix(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	sub, err := c.SubscribeExpired(ctx, 0, p+"k")
	if err != nil {
		t.Fatal(err)
	}
	first, second := sub.Channel(), sub.Channel()
	if first != second {
		t.Fatal("Channel returned two different channels")
	}
	const n = 20
	for i := range n {
		rdb.Publish(ctx, exhash.ExpiredChannel(0, p+"k"), fmt.Sprint("f", i))
	}
	for i := range n {
		select {
		case ev := <-first:
			if want := (exhash.ExpiredEvent{DB: 0, Key: p + "k", Field: fmt.Sprint("f", i)}); ev != want {
				t.Fatalf("event %d = %+v, want %+v", i, ev, want)
			}
		case <-ctx.Done():
			t.Fatalf("event %d: %v", i, ctx.Err())
		}
	}
	rdb.Publish(ctx, exhash.ExpiredChannel(0, p+"k"), "unread")
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case _, open := <-first:
			if !open {
				return
			}
		case <-ctx.Done():
			t.Fatal("Channel still open after Close")
		}
	}
}
