package emulate_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// The server (Redis 8 or Valkey 9) reports which keys lost fields to expiry; the backend's own
// removals publish the field.
func TestWatchHExpired(t *testing.T) {
	for kind, events := range map[string]string{testserver.KindRedis8: "Eh", testserver.KindValkey9: "Ehx"} {
		t.Run(kind, func(t *testing.T) {
			watchHExpired(t, testserver.Start(t, kind, "--notify-keyspace-events", events))
		})
	}
}

func watchHExpired(t *testing.T, srv *testserver.Server) {
	rdb, ctx := srv.Client(t), t.Context()
	w, err := emulate.WatchHExpired(ctx, rdb, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	sub := rdb.Subscribe(ctx, "tairhash@0@k__:expired")
	t.Cleanup(func() { _ = sub.Close() })
	if _, err := sub.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	be := emulate.NewHFE()
	for _, args := range [][]any{
		{"exhset", "k", "keep", "1"},
		{"exhset", "k", "now", "1", "px", "0"}, // removed by the backend: published with its name
		{"exhset", "k", "soon", "1", "px", "30"},
	} {
		if err := be.Do(ctx, rdb, args...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	msg, err := sub.ReceiveMessage(ctx)
	if err != nil || msg.Payload != "now" {
		t.Fatalf("expired message = %v, %v; want field now", msg, err)
	}
	select {
	case ev := <-w.Events():
		if ev.Key != "k" || ev.DB != 0 {
			t.Errorf("event %+v, want key k", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no hexpired event for the field Redis expired")
	}
	if got := be.Do(ctx, rdb, "exhkeys", "k").Val(); !equalAny(got, []any{"keep"}) {
		t.Errorf("EXHKEYS after expiry = %v", got)
	}
	if err := w.Close(); err != nil {
		t.Error(err)
	}
	if _, open := <-w.Events(); open {
		t.Error("events channel still open after Close")
	}
}

// Without the events hexpired needs, WatchHExpired fails rather than waiting for nothing: Valkey 9
// publishes hexpired only with expired events ("x") enabled too, which Redis does not need.
func TestWatchHExpiredNeedsEvents(t *testing.T) {
	for _, srv := range []*testserver.Server{
		testserver.Redis8(t),
		testserver.Start(t, testserver.KindRedis8, "--notify-keyspace-events", "Ex"),
		testserver.Start(t, testserver.KindValkey9, "--notify-keyspace-events", "Eh"),
	} {
		_, err := emulate.WatchHExpired(t.Context(), srv.Client(t), 0)
		if !errors.Is(err, emulate.ErrHashEventsDisabled) {
			t.Errorf("%s: err = %v, want ErrHashEventsDisabled", srv.Name, err)
		}
	}
	// "A" stands for every class.
	srv := testserver.Start(t, testserver.KindValkey9, "--notify-keyspace-events", "EA")
	w, err := emulate.WatchHExpired(t.Context(), srv.Client(t), 0)
	if err != nil {
		t.Fatalf("valkey9 with EA: %v", err)
	}
	_ = w.Close()
}

// A field written already due leaves a tombstone: the watcher publishes it by name with no
// further command, at once when the key keeps other fields, after the grace when it had none
// (until then the key counts as present). Nothing is published for a key deleted meanwhile.
func TestHFEWatchPublishesTombstones(t *testing.T) {
	srv := testserver.Redis8(t)
	rdb, ctx, pre := srv.Client(t), t.Context(), srv.Prefix(t)
	be := emulate.NewHFE(emulate.WithHFEDueGrace(300 * time.Millisecond))
	w, err := be.Watch(ctx, rdb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	beside, alone, deleted := pre+"beside", pre+"alone", pre+"deleted"
	sub := rdb.Subscribe(ctx, "tairhash@0@"+beside+"__:expired", "tairhash@0@"+alone+"__:expired",
		"tairhash@0@"+deleted+"__:expired")
	t.Cleanup(func() { _ = sub.Close() })
	for range 3 {
		if _, err := sub.Receive(ctx); err != nil {
			t.Fatal(err)
		}
	}
	do := func(args ...any) any {
		t.Helper()
		v, err := be.Do(ctx, rdb, args...).Result()
		if err != nil && err != redis.Nil {
			t.Fatalf("%v: %v", args, err)
		}
		return v
	}
	// In one transaction, so that the watcher cannot look at the key before DEL.
	pipe, tctx := rdb.TxPipeline(), driver.InTransaction(ctx)
	be.Do(tctx, pipe, "exhset", deleted, "keep", "1")
	be.Do(tctx, pipe, "exhset", deleted, "f", "v", "px", "0")
	pipe.Del(ctx, deleted)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	do("exhset", beside, "keep", "1")
	do("exhset", beside, "f", "v", "px", "0")
	do("exhset", alone, "g", "v", "pxat", "1")
	if got := do("exhpttl", alone, "h"); got != int64(-3) {
		t.Errorf("EXHPTTL of another field of the key within the grace = %v, want -3 (key present)", got)
	}
	do("exhset", alone, "g2", "v", "px", "0") // the EXHPTTL above published g; g2 is the next one
	deadline := time.Now().Add(5 * time.Second)
	got := map[string][]string{}
	for len(got[beside])+len(got[alone]) < 3 && time.Now().Before(deadline) {
		msg, err := sub.ReceiveTimeout(ctx, time.Until(deadline))
		if err != nil {
			break
		}
		if m, ok := msg.(*redis.Message); ok {
			key := strings.TrimSuffix(strings.TrimPrefix(m.Channel, "tairhash@0@"), "__:expired")
			got[key] = append(got[key], m.Payload)
		}
	}
	if fmt.Sprint(got[beside]) != "[f]" || fmt.Sprint(got[alone]) != "[g g2]" || len(got[deleted]) != 0 {
		t.Errorf("published %v; want %s: f, %s: g g2, nothing for %s", got, beside, alone, deleted)
	}
	if n := rdb.Exists(ctx, alone).Val(); n != 0 {
		t.Errorf("%s still exists", alone)
	}
	if n := len(rdb.Keys(ctx, emulate.CompanionPrefix+"t*"+pre+"*").Val()); n != 0 {
		t.Errorf("%d TTL companions left", n)
	}
}

// In a cluster each master expires its own keys' fields and emits hexpired locally: the watcher
// hears every master.
func TestWatchHExpiredCluster(t *testing.T) {
	srv := testserver.Start(t, testserver.KindCluster8, "--notify-keyspace-events", "Eh")
	rdb, ctx := srv.Client(t), t.Context()
	w, err := emulate.WatchHExpired(ctx, rdb, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	be := emulate.NewHFE()
	want := map[string]bool{}
	masters := map[string]bool{}
	cc := rdb.(*redis.ClusterClient)
	for i := 0; len(masters) < 3 && i < 100; i++ {
		k := fmt.Sprintf("user%d", i)
		n, err := cc.MasterForKey(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if masters[n.Options().Addr] {
			continue
		}
		masters[n.Options().Addr] = true
		want[k] = true
		if err := be.Do(ctx, rdb, "exhset", k, "phone", "t", "px", "20").Err(); err != nil {
			t.Fatal(err)
		}
	}
	if len(want) != 3 {
		t.Fatalf("keys on %d masters, want 3", len(want))
	}
	deadline := time.After(5 * time.Second)
	for len(want) > 0 {
		select {
		case ev := <-w.Events():
			delete(want, ev.Key)
		case <-deadline:
			t.Fatalf("no hexpired event for %v", want)
		}
	}
}
