package emulate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Expiry notifications on the HFE backend.
//
// The module publishes the name of every expired field on tairhash@<db>@<key>__:expired. With
// native hash-field expiration Redis removes expired fields itself and only emits the keyspace
// event "hexpired" (channel __keyevent@<db>__:hexpired, message: the key), once per key and
// removal round, without field names, and only when notify-keyspace-events enables hash events
// ("h") and keyevent notifications ("E"). So on this backend:
//
//   - tairhash@<db>@<key>__:expired carries a field only when a command of this backend removed
//     it: a write whose deadline had already passed (TTL 0, a past absolute time, 1 ms) or the
//     conversion of a Lua-backend key. Fields that Redis expires publish nothing there.
//   - WatchHExpired delivers Redis' per-key events: which keys lost fields to expiry, not which
//     fields. A subscriber that needs field names must keep its own record of the fields it
//     cares about and compare (EXHMGET) when a key is reported.

// ErrHashEventsDisabled reports that notify-keyspace-events does not enable the hexpired event.
var ErrHashEventsDisabled = errors.New(`emulate: notify-keyspace-events lacks hash keyevents (needs "E" and "h", e.g. CONFIG SET notify-keyspace-events Eh)`)

// HExpiredEvent reports that Redis expired one or more fields of Key in database DB.
type HExpiredEvent struct {
	DB  int
	Key string
}

// HExpiredWatch receives hexpired events from every master.
type HExpiredWatch struct {
	events chan HExpiredEvent
	subs   []*redis.PubSub
	once   sync.Once
}

// WatchHExpired subscribes to __keyevent@<db>__:hexpired on every master of rdb (keyspace events
// are local to the node that expires the field). It checks notify-keyspace-events on each master
// and fails with ErrHashEventsDisabled rather than changing the server's configuration.
func WatchHExpired(ctx context.Context, rdb redis.UniversalClient, db int) (*HExpiredWatch, error) {
	channel := fmt.Sprintf("__keyevent@%d__:hexpired", db)
	w := &HExpiredWatch{events: make(chan HExpiredEvent, 128)}
	var mu sync.Mutex
	subscribe := func(ctx context.Context, node *redis.Client) error {
		flags, err := node.ConfigGet(ctx, "notify-keyspace-events").Result()
		if err != nil {
			return err
		}
		if f := flags["notify-keyspace-events"]; !strings.Contains(f, "E") || !strings.ContainsAny(f, "hA") {
			return fmt.Errorf("%w (%s has %q)", ErrHashEventsDisabled, node.Options().Addr, f)
		}
		ps := node.Subscribe(ctx, channel)
		if _, err := ps.Receive(ctx); err != nil {
			_ = ps.Close()
			return err
		}
		mu.Lock()
		w.subs = append(w.subs, ps)
		mu.Unlock()
		return nil
	}
	var err error
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, subscribe)
	case *redis.Client:
		err = subscribe(ctx, c)
	default:
		err = fmt.Errorf("emulate: WatchHExpired: unsupported client type %T", rdb)
	}
	if err != nil {
		_ = w.Close()
		return nil, err
	}
	var wg sync.WaitGroup
	for _, ps := range w.subs {
		wg.Go(func() {
			for m := range ps.Channel() {
				w.events <- HExpiredEvent{DB: db, Key: m.Payload}
			}
		})
	}
	go func() {
		wg.Wait()
		close(w.events)
	}()
	return w, nil
}

// Events returns the events; the channel is closed after Close.
func (w *HExpiredWatch) Events() <-chan HExpiredEvent { return w.events }

// Close ends the subscriptions.
func (w *HExpiredWatch) Close() error {
	var err error
	w.once.Do(func() {
		for _, ps := range w.subs {
			err = errors.Join(err, ps.Close())
		}
	})
	return err
}
