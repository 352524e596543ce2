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
	"github.com/tairhash-go/tairhash/emulate/lua/scripts"
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
// WithReaperFieldsPerKey fields of each; a key where a visit stopped at that bound is visited again
// first thing in the next tick.
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
	first := st.KeysVisited
	// The next tick takes the fourth field of each key visited (its backlog) before walking on.
	if _, err := r.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.FieldsReaped-3*first < first {
		t.Fatalf("after the second tick: %+v, want the fourth field of the %d keys of the first", st, first)
	}
	for more = true; more; {
		if more, err = r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if st := r.Stats(); st.FieldsReaped != 120 || st.Passes == 0 {
		t.Fatalf("after the ticks wanting more: %+v, want 120 fields and a complete pass", st)
	}
	if n := rdb.DBSize(ctx).Val(); n != 0 {
		t.Fatalf("DBSIZE %d after reaping everything", n)
	}
}

// A key with more due fields than a command removes (scripts.DueFieldsPerCommand) is drained by
// the reaper in back-to-back ticks of WithReaperFieldsPerKey fields each, ahead of its walk over
// other keys; every field is announced once.
func TestReaperDrainsBacklog(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis7) // a keyspace of this test's keys only
	rdb := srv.Client(t)
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const n = 5000
	for i := range 40 { // other keys the walk must get through, none due
		if err := c.ExHSetArgs(ctx, fmt.Sprint("other", i), "f", "v", exhash.ExHSetArgs{}.New().Ex(time.Hour)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Pipelined(ctx, func(p exhash.Pipeliner) error {
		p.ExHSet(ctx, "big", "live", "v")
		for i := range n {
			p.ExHSetArgs(ctx, "big", fmt.Sprint("d", i), "v", exhash.ExHSetArgs{}.New().Ex(time.Hour))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ttlKey, _, _ := emulate.CompanionKeys("big")
	due := make([]redis.Z, n)
	for i := range due {
		due[i] = redis.Z{Score: float64(i + 1), Member: fmt.Sprint("d", i)} // long past
	}
	if err := rdb.ZAddXX(ctx, ttlKey, due...).Err(); err != nil {
		t.Fatal(err)
	}
	sub, err := c.PSubscribeExpired(ctx, 0, "big")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	if got, err := c.ExHLen(ctx, "big").Result(); err != nil || got != 1 {
		t.Fatalf("EXHLEN = %d, %v; want 1", got, err)
	}
	hlen := func() int64 { return rdb.HLen(ctx, "big").Val() }
	if got := hlen(); got != n+1-int64(scripts.DueFieldsPerCommand) {
		t.Fatalf("HLEN after one command = %d, want %d", got, n+1-scripts.DueFieldsPerCommand)
	}
	r := emulate.NewReaper(rdb, emulate.WithReaperKeysPerTick(5))
	ticks := 0
	for before := hlen(); before > 1; ticks++ {
		if ticks > 10 {
			t.Fatalf("%d fields left after %d ticks: the backlog does not come first", before, ticks)
		}
		if _, err := r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		after := hlen()
		if before-after > 1000 {
			t.Fatalf("one tick removed %d fields of one key, bound 1000", before-after)
		}
		before = after
	}
	seen := map[string]bool{}
	for len(seen) < n {
		ev, err := sub.Receive(ctx) // the messages wait in the connection
		if err != nil {
			t.Fatalf("%d of %d fields announced: %v", len(seen), n, err)
		}
		if seen[ev.Field] {
			t.Fatalf("%s announced twice", ev.Field)
		}
		seen[ev.Field] = true
	}
	if got, err := c.ExHGetAll(ctx, "big").Result(); err != nil || len(got) != 1 || got["live"] != "v" {
		t.Fatalf("EXHGETALL after reaping = %v, %v; want live only", got, err)
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
