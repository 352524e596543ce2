package emulate_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// writeDue stores users×fields fields with TTL ttl through the Lua backend and sleeps for ttl
// (client and test servers share this machine's clock), so they are all due when it returns.
// Nothing reads them afterwards, so only the reaper (or Redis' key-level expiry after the grace)
// removes them; callers then poll for that with a deadline.
func writeDue(t testing.TB, c *exhash.Client, keys []string, fields int, ttl time.Duration) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < len(keys); i += 200 {
		_, err := c.Pipelined(ctx, func(p exhash.Pipeliner) error {
			for _, k := range keys[i:min(i+200, len(keys))] {
				for f := range fields {
					p.ExHSetArgs(ctx, k, fmt.Sprint("d", f), "token", exhash.ExHSetArgs{}.New().Px(ttl))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// ttl must be long enough that no write of a key's fields removes an earlier one (every write
	// removes its key's due fields first). Then wait until they are all due on the server clock.
	time.Sleep(ttl + 10*time.Millisecond)
}

// countKeys counts the keys of the test (user keys and companions) on every master.
func countKeys(t testing.TB, rdb redis.UniversalClient, prefix string) int {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	n := 0
	count := func(ctx context.Context, c *redis.Client) error {
		keys, err := c.Keys(ctx, "*"+prefix+"*").Result()
		mu.Lock()
		n += len(keys)
		mu.Unlock()
		return err
	}
	var err error
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, count)
	} else {
		err = count(ctx, rdb.(*redis.Client))
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReaperReclaimsAndAnnounces(t *testing.T) {
	for _, srv := range []*testserver.Server{testserver.Redis7(t), testserver.Valkey8(t), testserver.Cluster(t)} {
		t.Run(srv.Name, func(t *testing.T) {
			rdb := srv.Client(t)
			c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
			p := srv.Prefix(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			sub, err := c.PSubscribeExpired(ctx, 0, p+"*")
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()

			var keys []string
			for i := range 50 {
				keys = append(keys, fmt.Sprintf("%su%d", p, i))
			}
			keys = append(keys, p+"{tag}u") // a hash-tagged key has the other companion form
			live := p + "live"
			if err := c.ExHSetArgs(ctx, live, "f", "v", exhash.ExHSetArgs{}.New().Ex(time.Hour)).Err(); err != nil {
				t.Fatal(err)
			}
			writeDue(t, c, keys, 3, 200*time.Millisecond)

			r := emulate.NewReaper(rdb, emulate.WithReaperInterval(20*time.Millisecond), emulate.WithReaperKeysPerTick(16))
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- r.Run(runCtx) }()

			want := map[string]bool{}
			for _, k := range keys {
				for f := range 3 {
					want[k+" "+fmt.Sprint("d", f)] = true
				}
			}
			events := sub.Channel()
			for len(want) > 0 {
				select {
				case ev := <-events:
					if !want[ev.Key+" "+ev.Field] {
						t.Fatalf("unexpected or repeated notification %+v", ev)
					}
					delete(want, ev.Key+" "+ev.Field)
				case <-ctx.Done():
					t.Fatalf("%d notifications missing, e.g. %v; stats %+v", len(want), slices.Collect(mapKeys(want))[:1], r.Stats())
				}
			}
			// Everything of the expired users is gone: the live user's hash and TTL companion remain.
			deadline := time.Now().Add(5 * time.Second)
			for n := countKeys(t, rdb, p); n != 2; n = countKeys(t, rdb, p) {
				if time.Now().After(deadline) {
					t.Fatalf("%d keys left, want 2", n)
				}
				time.Sleep(10 * time.Millisecond)
			}
			if v, err := c.ExHGet(ctx, live, "f").Result(); err != nil || v != "v" {
				t.Fatalf("live field: %q, %v", v, err)
			}
			// The server is shared: a complete pass over every test's keys may take longer than
			// reaping ours did.
			for deadline := time.Now().Add(10 * time.Second); r.Stats().Passes == 0; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("no complete pass: stats %+v", r.Stats())
				}
			}
			stop()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
			st := r.Stats()
			// The server is shared: other tests' due fields may have been reaped too.
			if st.FieldsReaped < int64(3*len(keys)) || st.Passes == 0 {
				t.Fatalf("stats %+v, want at least %d fields reaped and a complete pass", st, 3*len(keys))
			}
		})
	}
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// One tick visits at most WithReaperKeysPerTick companions per master and removes at most
// WithReaperFieldsPerKey fields of each.
func TestReaperTickIsBounded(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis7) // a keyspace of this test's keys only
	rdb := srv.Client(t)
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	ctx := context.Background()
	var keys []string
	for i := range 30 {
		keys = append(keys, fmt.Sprint("u", i))
	}
	writeDue(t, c, keys, 4, 200*time.Millisecond)

	r := emulate.NewReaper(rdb, emulate.WithReaperKeysPerTick(10), emulate.WithReaperFieldsPerKey(3))
	more, err := r.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	// SCAN's COUNT is a hint: a page may hold a few more keys than asked, never the whole keyspace.
	if !more || st.KeysVisited < 10 || st.KeysVisited >= 30 || st.FieldsReaped != 3*st.KeysVisited {
		t.Fatalf("after one tick: more=%v stats %+v, want 10..29 keys visited, 3 fields each", more, st)
	}
	for more {
		if more, err = r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if st := r.Stats(); st.FieldsReaped != 90 || st.Passes != 1 {
		t.Fatalf("after one pass: %+v, want 90 fields (3 of 4 per key) and 1 pass", st)
	}
	// The fourth field of every key waits for the next pass.
	for more = true; more; {
		if more, err = r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if st := r.Stats(); st.FieldsReaped != 120 {
		t.Fatalf("after two passes: %+v, want 120 fields", st)
	}
	if n := rdb.DBSize(ctx).Val(); n != 0 {
		t.Fatalf("DBSIZE %d after reaping everything", n)
	}
}

// The reaper skips keys it must not touch: a user key of another type that looks like a companion
// is not a companion, and a companion whose user key became another type is left alone.
func TestReaperLeavesForeignKeys(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis7)
	rdb := srv.Client(t)
	ctx := context.Background()
	rdb.ZAdd(ctx, "exh~t:{nokey", redis.Z{Score: 1, Member: "f"}) // no closing brace: not a companion
	rdb.ZAdd(ctx, "exh~t:{str}", redis.Z{Score: 1, Member: "f"})  // companion of "str", a string
	rdb.Set(ctx, "str", "x", 0)
	r := emulate.NewReaper(rdb)
	if _, err := r.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := rdb.Get(ctx, "str").Val(); got != "x" {
		t.Fatalf("string clobbered: %q", got)
	}
	if n := rdb.Exists(ctx, "exh~t:{nokey", "exh~t:{str}").Val(); n != 2 {
		t.Fatalf("%d of the foreign sorted sets left, want 2", n)
	}
}

// The reaper survives SCRIPT FLUSH between ticks.
func TestReaperAfterScriptFlush(t *testing.T) {
	srv := testserver.Redis7(t)
	rdb := srv.Client(t)
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	p := srv.Prefix(t)
	writeDue(t, c, []string{p + "a"}, 2, 200*time.Millisecond)
	r := emulate.NewReaper(rdb, emulate.WithReaperKeysPerTick(100000))
	ctx := context.Background()
	rdb.ScriptFlush(ctx)
	for more := true; more; {
		var err error
		if more, err = r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := rdb.Exists(ctx, p+"a").Val(); n != 0 {
		t.Fatalf("key left after a full pass (stats %+v)", r.Stats())
	}
}
