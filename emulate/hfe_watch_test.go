package emulate_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Redis reports which keys lost fields to expiry; the backend's own removals publish the field.
func TestWatchHExpired(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis8, "--notify-keyspace-events", "Eh")
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

func TestWatchHExpiredNeedsEvents(t *testing.T) {
	srv := testserver.Redis8(t)
	_, err := emulate.WatchHExpired(t.Context(), srv.Client(t), 0)
	if !errors.Is(err, emulate.ErrHashEventsDisabled) {
		t.Errorf("err = %v, want ErrHashEventsDisabled", err)
	}
}
