package emulate_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/emulate/lua/scripts"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// luaDo runs a TairHash command with the Lua backend's own script, as a client did before the
// server was upgraded.
func luaDo(ctx context.Context, rdb redis.UniversalClient, args ...string) (any, error) {
	src, ok := scripts.Source(args[0])
	if !ok {
		return nil, fmt.Errorf("no Lua script for %s", args[0])
	}
	key := args[1]
	argv := []any{"0"}
	for _, a := range args[2:] {
		argv = append(argv, a)
	}
	return rdb.Eval(ctx, src, []string{key, ttlKey(key), verKey(key)}, argv...).Result()
}

func ttlKey(k string) string { return "exh~t:{" + k + "}" }

// seedLua writes n keys in the Lua backend's layout and returns, per key, its fields' state as
// seen through the Lua backend: "value/version/ttl-seconds".
func seedLua(t *testing.T, rdb redis.UniversalClient, pre string, n int) map[string]map[string]string {
	t.Helper()
	ctx := t.Context()
	want := map[string]map[string]string{}
	for i := range n {
		k := fmt.Sprintf("%sk%d", pre, i)
		for _, args := range [][]string{
			{"exhset", k, "ttl", "a", "ex", "200"},
			{"exhset", k, "ver", "b", "ex", "300", "abs", "7"},
			{"exhset", k, "plain", "c"},
			{"exhsetnx", k, "zero", "d"},
			{"exhset", k, "due", "e", "px", "1"},
		} {
			if _, err := luaDo(ctx, rdb, args...); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
		}
		if i%2 == 0 { // every field with a TTL: the Lua backend puts a key-level expiry on the key
			if _, err := luaDo(ctx, rdb, "exhdel", k, "plain", "zero"); err != nil {
				t.Fatal(err)
			}
		}
		want[k] = map[string]string{"ttl": "a/1/200", "ver": "b/7/300", "plain": "c/1/-1", "zero": "d/0/-1"}
		if i%2 == 0 {
			delete(want[k], "plain")
			delete(want[k], "zero")
		}
	}
	time.Sleep(5 * time.Millisecond) // "due" is due now
	return want
}

// state reads a key's fields through backend do as "value/version/ttl-seconds".
func state(t *testing.T, do func(args ...string) (any, error), key string) map[string]string {
	t.Helper()
	got := map[string]string{}
	all, err := do("exhgetallwithver", key)
	if err != nil {
		t.Fatalf("EXHGETALLWITHVER %s: %v", key, err)
	}
	flat, _ := all.([]any)
	for i := 0; i+2 < len(flat); i += 3 {
		f := fmt.Sprint(flat[i])
		ttl, err := do("exhttl", key, f)
		if err != nil {
			t.Fatal(err)
		}
		got[f] = fmt.Sprintf("%v/%v/%v", flat[i+1], flat[i+2], ttl)
	}
	return got
}

// sameState compares states, allowing TTLs in seconds to have run down by up to 10 s.
func sameState(got, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for f, w := range want {
		g, ok := got[f]
		if !ok {
			return false
		}
		wp, gp := strings.Split(w, "/"), strings.Split(g, "/")
		if wp[0] != gp[0] || wp[1] != gp[1] {
			return false
		}
		var wt, gt int
		fmt.Sscan(wp[2], &wt)
		fmt.Sscan(gp[2], &gt)
		if wt < 0 && gt != wt || wt >= 0 && (gt > wt || gt < wt-10) {
			return false
		}
	}
	return true
}

func TestMigrateLuaToHFE(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis8, testserver.KindValkey9} {
		t.Run(kind, func(t *testing.T) { migrateLuaToHFE(t, testserver.Start(t, kind)) })
	}
}

func migrateLuaToHFE(t *testing.T, srv *testserver.Server) {
	rdb, ctx := srv.Client(t), t.Context()
	want := seedLua(t, rdb, "", 60)
	hfeDo := caller(ctx, rdb, emulate.NewHFE())

	// Interrupted after the first batch, then resumed from the checkpoint.
	cursors := map[string]uint64{}
	stop := errors.New("stop")
	st1, err := emulate.MigrateLuaToHFE(ctx, rdb, emulate.MigrateOptions{Count: 10, Checkpoint: func(addr string, c uint64, done bool) error {
		cursors[addr] = c
		return stop
	}})
	if !errors.Is(err, stop) || st1.Migrated == 0 || st1.Migrated >= 60 {
		t.Fatalf("first run: %+v, %v; want a partial run stopped by the checkpoint", st1, err)
	}
	st2, err := emulate.MigrateLuaToHFE(ctx, rdb, emulate.MigrateOptions{Count: 10, Cursors: cursors})
	if err != nil {
		t.Fatal(err)
	}
	if st1.Migrated+st2.Migrated != 60 {
		t.Errorf("migrated %d + %d keys, want 60", st1.Migrated, st2.Migrated)
	}
	// Idempotent: nothing left to do.
	st3, err := emulate.MigrateLuaToHFE(ctx, rdb, emulate.MigrateOptions{})
	if err != nil || st3.Scanned != 0 {
		t.Errorf("third run: %+v, %v; want nothing found", st3, err)
	}
	for k, w := range want {
		if got := state(t, hfeDo, k); !sameState(got, w) {
			t.Errorf("%s after migration: %v, want %v", k, got, w)
		}
		if n := rdb.Exists(ctx, ttlKey(k)).Val(); n != 0 {
			t.Errorf("%s: TTL companion left", k)
		}
		for _, key := range []string{k, verKey(k)} {
			if ttl := rdb.PTTL(ctx, key).Val(); ttl != -1 && ttl != -2*time.Nanosecond {
				t.Errorf("%s keeps a key-level TTL %v", key, ttl)
			}
		}
		exp := rdb.HPExpireTime(ctx, k, "ttl").Val()
		vexp := rdb.HPExpireTime(ctx, verKey(k), "ver").Val()
		if len(exp) != 1 || exp[0] <= 0 || len(vexp) != 1 || vexp[0] <= 0 {
			t.Errorf("%s: field expiry %v, version field expiry %v", k, exp, vexp)
		}
	}
}

// The upgrade itself: keys the Lua backend wrote on Valkey 8 reach Valkey 9 in the RDB file,
// MigrateLuaToHFE converts them all, and the HFE backend then reads what the Lua backend showed.
func TestMigrateAfterUpgradeFromValkey8(t *testing.T) {
	ctx := t.Context()
	old := testserver.Start(t, testserver.KindValkey8)
	const keys = 20
	want := seedLua(t, old.Client(t), "", keys)
	if err := old.Client(t).Save(ctx).Err(); err != nil {
		t.Fatalf("SAVE on Valkey 8: %v", err)
	}
	dump, err := os.ReadFile(filepath.Join(old.Dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dump.rdb"), dump, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := testserver.Start(t, testserver.KindValkey9, "--dir", dir)
	rdb := srv.Client(t)
	if n := countKeys(t, rdb, "exh~t"); n != keys {
		t.Fatalf("Valkey 9 loaded %d TTL companions from Valkey 8's RDB file, want %d", n, keys)
	}
	st, err := emulate.MigrateLuaToHFE(ctx, rdb, emulate.MigrateOptions{})
	if err != nil || st.Migrated != keys || st.Invalid != 0 {
		t.Fatalf("migration: %+v, %v; want %d keys migrated", st, err, keys)
	}
	do := caller(ctx, rdb, emulate.NewHFE())
	for k, w := range want {
		if got := state(t, do, k); !sameState(got, w) {
			t.Errorf("%s after the upgrade and migration: %v, want %v", k, got, w)
		}
		if exp := rdb.HPExpireTime(ctx, k, "ttl").Val(); len(exp) != 1 || exp[0] <= 0 {
			t.Errorf("%s: field expiry %v, want one set by Valkey 9 itself", k, exp)
		}
	}
	if n := countKeys(t, rdb, "exh~t"); n != 0 {
		t.Errorf("%d TTL companions left", n)
	}
}

// A key still in the Lua layout is converted by the first scripted command, and (WithLuaKeys)
// by native reads too.
func TestHFEConvertsLuaKeyOnTouch(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis8)
	rdb, ctx := srv.Client(t), t.Context()
	want := seedLua(t, rdb, "", 2)
	for i, be := range []*emulate.HFE{emulate.NewHFE(), emulate.NewHFE(emulate.WithLuaKeys())} {
		k := fmt.Sprintf("k%d", i)
		cmd := []any{"exhget", k, "due"} // native HGET unless WithLuaKeys
		if i == 0 {
			cmd = []any{"exhpttl", k, "due"}
		}
		if v, err := be.Do(ctx, rdb, cmd...).Result(); err == nil && v != int64(-3) || err != nil && err != redis.Nil {
			t.Errorf("%v = %v, %v; want the due field gone", cmd, v, err)
		}
		if n := rdb.Exists(ctx, ttlKey(k)).Val(); n != 0 {
			t.Errorf("%s not converted by %v", k, cmd)
		}
		do := caller(ctx, rdb, be)
		if got := state(t, do, k); !sameState(got, want[k]) {
			t.Errorf("%s: %v, want %v", k, got, want[k])
		}
	}
}

// The migration runs while clients (already on the HFE backend) write and read the same keys:
// every acknowledged write is readable afterwards with its value, version and TTL, and the
// fields nobody wrote keep theirs.
func TestMigrateUnderLoad(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis8, testserver.KindValkey9, testserver.KindCluster8} {
		t.Run(kind, func(t *testing.T) { migrateUnderLoad(t, testserver.Start(t, kind)) })
	}
}

func migrateUnderLoad(t *testing.T, srv *testserver.Server) {
	rdb, ctx := srv.Client(t), t.Context()
	const keys, writers = 200, 4
	seeded := seedLua(t, rdb, "", keys)
	hfe := emulate.NewHFE()

	type written struct {
		value   string
		version int64
	}
	var (
		mu      sync.Mutex
		acked   = map[string]map[string]written{} // key → field → last acknowledged write
		done    atomic.Bool
		wg      sync.WaitGroup
		failure atomic.Value
	)
	for w := range writers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			version := int64(100)
			for n := 0; !done.Load() || n < 200; n++ {
				k := fmt.Sprintf("k%d", rng.IntN(keys/writers)*writers+w) // keys of this writer only
				f := fmt.Sprintf("w%d", rng.IntN(3))
				if rng.IntN(4) == 0 {
					f = "ver" // a field the Lua backend wrote
				}
				version++
				value := fmt.Sprintf("%d-%d", w, n)
				err := hfe.Do(ctx, rdb, "exhset", k, f, value, "ex", "500", "abs", version).Err()
				if err != nil {
					failure.Store(fmt.Sprintf("EXHSET %s %s: %v", k, f, err))
					return
				}
				mu.Lock()
				if acked[k] == nil {
					acked[k] = map[string]written{}
				}
				acked[k][f] = written{value, version}
				mu.Unlock()
				got, err := hfe.Do(ctx, rdb, "exhgetwithver", k, f).Result()
				if err != nil || !equalAny(got, []any{value, version}) {
					failure.Store(fmt.Sprintf("EXHGETWITHVER %s %s right after writing = %v, %v; want %s %d", k, f, got, err, value, version))
					return
				}
			}
		})
	}
	st, err := emulate.MigrateLuaToHFE(ctx, rdb, emulate.MigrateOptions{Count: 5})
	done.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("migration: %v", err)
	}
	if f := failure.Load(); f != nil {
		t.Fatal(f)
	}
	touched := 0
	for _, fields := range acked {
		touched += len(fields)
	}
	t.Logf("migration: %+v; %d fields written meanwhile", st, touched)
	if st.Migrated+st.Skipped != st.Scanned || st.Migrated == 0 || st.Invalid != 0 {
		t.Errorf("migration stats %+v: want each companion found converted, by the migration or a client", st)
	}
	if n := countKeys(t, rdb, "exh~t"); n != 0 {
		t.Errorf("%d TTL companions left", n)
	}
	for k, want := range seeded {
		for f, w := range acked[k] {
			want[f] = fmt.Sprintf("%s/%d/500", w.value, w.version)
		}
		do := caller(ctx, rdb, hfe)
		if got := state(t, do, k); !sameState(got, want) {
			t.Errorf("%s: %v, want %v", k, got, want)
		}
	}
}

// caller runs commands through be on rdb, a nil reply as a nil value.
func caller(ctx context.Context, rdb redis.UniversalClient, be driver.Backend) func(args ...string) (any, error) {
	return func(args ...string) (any, error) {
		a := make([]any, len(args))
		for i, s := range args {
			a[i] = s
		}
		v, err := be.Do(ctx, rdb, a...).Result()
		if err == redis.Nil {
			err = nil
		}
		return v, err
	}
}
