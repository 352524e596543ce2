package emulate_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Regression for module defect D8 (spec §11): the module never actively expires fields in
// databases 16 and above. The Lua emulation's reaper works in any database, and announces the
// fields on that database's channel.
func TestReaperHighDatabase(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis7, "--databases", "32")
	const db = 20
	opt := *srv.Options()
	opt.DB = db
	rdb := redis.NewClient(&opt)
	defer rdb.Close()
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua(emulate.WithLuaDatabase(db))))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	sub, err := c.PSubscribeExpired(ctx, db, "k*")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	for _, f := range []string{"a", "b"} {
		if err := c.ExHSetArgs(ctx, "k", f, "v", exhash.ExHSetArgs{}.New().Px(50*time.Millisecond)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	// The reaper gets the database from the client's options: no WithReaperDatabase needed.
	r := emulate.NewReaper(rdb, emulate.WithReaperInterval(10*time.Millisecond))
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = r.Run(runCtx) }()

	want := map[string]bool{"a": true, "b": true}
	events := sub.Channel()
	for len(want) > 0 {
		select {
		case ev := <-events:
			if ev.DB != db || ev.Key != "k" || !want[ev.Field] {
				t.Fatalf("unexpected notification %+v", ev)
			}
			delete(want, ev.Field)
		case <-ctx.Done():
			t.Fatalf("fields %v not announced in db %d; reaper stats %+v", want, db, r.Stats())
		}
	}
	if n, err := rdb.DBSize(ctx).Result(); err != nil || n != 0 {
		t.Fatalf("db %d holds %d keys after the reap (%v), want 0", db, n, err)
	}
}
