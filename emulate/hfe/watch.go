package hfe

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/emulate/internal/companion"
)

// Expiry notifications on the HFE backend.
//
// The module publishes the name of every expired field on tairhash@<db>@<key>__:expired. With
// native hash-field expiration Redis removes expired fields itself and only emits the keyspace
// event "hexpired" (channel __keyevent@<db>__:hexpired, message: the key), once per key and
// removal round, without field names, and only when notify-keyspace-events enables hash events
// ("h") and keyevent notifications ("E"); Valkey 9 also needs expired events ("x"). So on this
// backend:
//
//   - tairhash@<db>@<key>__:expired carries a field only when this backend removed it: a field
//     written with a deadline already passed (TTL 0, a past absolute time, 1 ms), published by
//     the next scripted command on the key or, within milliseconds, by the watcher of (*HFE).Watch;
//     and fields already due when a Lua-backend key is converted. Fields that Redis expires
//     publish nothing there.
//   - WatchHExpired delivers Redis' per-key events: which keys lost fields to expiry, not which
//     fields. A subscriber that needs field names must keep its own record of the fields it
//     cares about and compare (EXHMGET) when a key is reported.

// dueChannel is where the backend's code announces keys that hold tombstones (fields written with
// a deadline already passed, see emulate/hfe/1_prelude.lua); the message is the key.
func dueChannel(db string) string { return "tairhash-hfe@" + db + ":due" }

// DueWatch publishes the expiry of fields written with a deadline already passed; see Watch.
type DueWatch struct {
	sub       *redis.PubSub
	done      chan struct{}
	closing   chan struct{}
	closeOnce sync.Once
	pending   sync.WaitGroup
}

// Watch starts the backend's watcher on rdb (the client the backend's commands use, or one on the
// same servers and database). A field whose deadline has passed when it is written leaves the hash
// at once, as Redis cannot store it, but the module publishes its expiry only when something
// removes it (a command on the key; not DEL of the key). The backend therefore records such a
// field as a tombstone and announces the key; the next scripted command on the key, or this
// watcher within milliseconds (WithHFEDueGrace when the key has no other field), publishes tairhash@<db>@<key>__:expired with the field's name,
// unless the key was deleted meanwhile. Without a watcher the name is published by the next
// command on the key that runs the backend's script (any write, EXHTTL, EXHVER, EXHLEN, …), not by
// the plain reads. Tombstones left while no watcher ran are published by MigrateLuaToHFE.
//
// The watcher needs no server configuration. Run one per application (several are harmless: each
// key's tombstones are published once). Errors on single keys (for example a key replaced by
// another type) are ignored; Close stops the watcher.
func (h *HFE) Watch(ctx context.Context, rdb redis.UniversalClient) (*DueWatch, error) {
	sub := rdb.Subscribe(ctx, dueChannel(h.db))
	if _, err := sub.Receive(ctx); err != nil {
		_ = sub.Close()
		return nil, fmt.Errorf("emulate: HFE watcher: %w", err)
	}
	w := &DueWatch{sub: sub, done: make(chan struct{}), closing: make(chan struct{})}
	ctx = context.WithoutCancel(ctx)
	go func() {
		defer close(w.done)
		for m := range sub.Channel() {
			if h.watchKey(ctx, rdb, m.Payload, false) {
				w.later(ctx, h, rdb, m.Payload)
			}
		}
		w.pending.Wait()
	}()
	return w, nil
}

// DueGrace is how long the watcher leaves, by default, a key whose only fields were written with a
// deadline already passed: until then the key counts as present (EXHTTL -3, EXHVER -2, as on the
// module before its background expirer passes); afterwards the watcher publishes their expiry and
// the key is gone for good. WithHFEDueGrace changes it.
const DueGrace = 2 * time.Second

// WithHFEDueGrace sets how long the watcher of Watch waits before it publishes the expiry of fields
// written already due on a key that has no other field (default DueGrace).
func WithHFEDueGrace(d time.Duration) HFEOption {
	return func(h *HFE) { h.dueGrace = d }
}

// later publishes key's remaining tombstones after the backend's due grace, unless the watcher is closed first.
func (w *DueWatch) later(ctx context.Context, h *HFE, rdb redis.UniversalClient, key string) {
	w.pending.Go(func() {
		t := time.NewTimer(h.dueGrace)
		defer t.Stop()
		select {
		case <-t.C:
			h.watchKey(ctx, rdb, key, true)
		case <-w.closing:
		}
	})
}

// watchKey runs the watcher's operation on key (see watch in emulate/hfe/1_prelude.lua) and
// reports whether tombstones of a key with no other field stay for a later call.
func (h *HFE) watchKey(ctx context.Context, rdb redis.UniversalClient, key string, all bool) bool {
	ttl, ver, err := companion.CompanionKeys(key)
	if err != nil {
		return false
	}
	mode := "live"
	if all {
		mode = "all"
	}
	n, err := h.run(ctx, rdb, []string{key, ver, ttl}, []any{h.db, "watch", "watch", h.versionsFlag(), mode}).Int64()
	return err == nil && n == 1
}

// Close stops the watcher and waits for it to finish the key it is publishing. Keys still within
// DueGrace are left to the next command on them.
func (w *DueWatch) Close() error {
	w.closeOnce.Do(func() { close(w.closing) })
	err := w.sub.Close()
	<-w.done
	return err
}

// ErrHashEventsDisabled reports that notify-keyspace-events does not enable the hexpired event.
var ErrHashEventsDisabled = errors.New(`emulate: notify-keyspace-events lacks hash keyevents (needs "E" and "h", and on Valkey "x" too, e.g. CONFIG SET notify-keyspace-events Ehx)`)

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
		if err := checkHashEvents(ctx, node); err != nil {
			return err
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

// checkHashEvents fails with ErrHashEventsDisabled unless node publishes hexpired: Redis does with
// keyevents ("E") of the hash class ("h"); Valkey 9 sends it as a hash and an expired event and
// publishes it only when the expired class ("x") is enabled too.
func checkHashEvents(ctx context.Context, node *redis.Client) error {
	flags, err := node.ConfigGet(ctx, "notify-keyspace-events").Result()
	if err != nil {
		return err
	}
	classes := []string{"E", "h"}
	info, err := node.Info(ctx, "server").Result()
	if err != nil {
		return err
	}
	if strings.Contains(info, "\nserver_name:valkey") {
		classes = append(classes, "x")
	}
	f := flags["notify-keyspace-events"]
	for _, c := range classes {
		if !strings.Contains(f, c) && (c == "E" || !strings.Contains(f, "A")) { // A: every class
			return fmt.Errorf("%w (%s has %q)", ErrHashEventsDisabled, node.Options().Addr, f)
		}
	}
	return nil
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
