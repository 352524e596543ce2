package emulate_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

type keysTarget struct {
	name string
	srv  func(testing.TB) *testserver.Server
	be   func(db int) driver.Backend
}

var keysTargets = []keysTarget{
	{"lua-redis7", testserver.Redis7, func(db int) driver.Backend { return emulate.NewLua(emulate.WithLuaDatabase(db)) }},
	{"lua-percmd-redis7", testserver.Redis7, func(db int) driver.Backend {
		return emulate.NewLua(emulate.WithLuaDatabase(db), emulate.WithLuaOneCallPerCommand())
	}},
	{"lua-valkey8", testserver.Valkey8, func(db int) driver.Backend { return emulate.NewLua(emulate.WithLuaDatabase(db)) }},
	{"hfe-redis8", testserver.Redis8, func(db int) driver.Backend { return emulate.NewHFE(emulate.WithHFEDatabase(db)) }},
	{"hfe-valkey9", testserver.Valkey9, func(db int) driver.Backend { return emulate.NewHFE(emulate.WithHFEDatabase(db)) }},
}

// companionsOf lists the companion keys on rdb whose name mentions prefix (a raw SCAN, so nothing
// the emulation hides is missed).
func companionsOf(t *testing.T, rdb redis.UniversalClient, prefix string) []string {
	t.Helper()
	var mu sync.Mutex
	var found []string
	scan := func(ctx context.Context, node redis.UniversalClient) error {
		iter := node.Scan(ctx, 0, emulate.CompanionPrefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			if strings.Contains(iter.Val(), prefix) {
				mu.Lock()
				found = append(found, iter.Val())
				mu.Unlock()
			}
		}
		return iter.Err()
	}
	var err error
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(t.Context(), func(ctx context.Context, node *redis.Client) error { return scan(ctx, node) })
	} else {
		err = scan(t.Context(), rdb)
	}
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(found)
	return found
}

// session writes a key with a field that expires (ttl), a persistent one with version 7, and
// returns the key.
func session(t *testing.T, c *exhash.Client, key string, ttl time.Duration) string {
	t.Helper()
	ctx := t.Context()
	if err := c.ExHSetArgs(ctx, key, "phone", "p", exhash.ExHSetArgs{}.New().Px(ttl)).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.ExHSetArgs(ctx, key, "pc", "c", exhash.ExHSetArgs{}.New().Abs(7)).Err(); err != nil {
		t.Fatal(err)
	}
	return key
}

// Key-level commands carry the companions: nothing outlives its key, and renamed, moved or copied
// keys keep their fields' values, versions and TTLs (the module's test suite scenarios that failed
// through the protocol server: UNLINK then DBSIZE, DEL of a mixed key, RENAME and MOVE of a key
// with TTL fields).
func TestKeyCommandsCarryCompanions(t *testing.T) {
	for _, tg := range keysTargets {
		t.Run(tg.name, func(t *testing.T) {
			ctx := t.Context()
			srv := tg.srv(t)
			rdb := srv.Client(t)
			c := exhash.NewClient(rdb, exhash.WithBackend(tg.be(0)))
			p := srv.Prefix(t)

			// DEL / UNLINK: counts the user keys, removes every companion.
			keys := []string{session(t, c, p+"a", time.Hour), session(t, c, p+"b", time.Hour), session(t, c, p+"c", time.Hour)}
			if got := companionsOf(t, rdb, p); len(got) == 0 {
				t.Fatal("no companions after writing TTL fields and versions: the check below would prove nothing")
			}
			if n, err := c.UnlinkKeys(ctx, keys...).Result(); err != nil || n != 3 {
				t.Fatalf("UNLINK = %d, %v; want 3", n, err)
			}
			if n, err := c.DelKeys(ctx, p+"a", p+"missing").Result(); err != nil || n != 0 {
				t.Fatalf("DEL of removed keys = %d, %v; want 0", n, err)
			}
			if got := companionsOf(t, rdb, p); len(got) != 0 {
				t.Fatalf("companions left after UNLINK: %v", got)
			}
			session(t, c, p+"d", time.Hour)
			if n, err := c.DelKeys(ctx, p+"d").Result(); err != nil || n != 1 {
				t.Fatalf("DEL = %d, %v; want 1", n, err)
			}
			if got := companionsOf(t, rdb, p); len(got) != 0 {
				t.Fatalf("companions left after DEL of a key with persistent and TTL fields: %v", got)
			}

			// RENAME: values, versions and TTLs move; the destination's old fields and companions go.
			src := session(t, c, p+"r", 1500*time.Millisecond)
			dst := session(t, c, p+"r2", time.Hour)
			if err := c.ExHSetArgs(ctx, dst, "old", "x", exhash.ExHSetArgs{}.New().Ex(time.Hour)).Err(); err != nil {
				t.Fatal(err)
			}
			if err := c.RenameKey(ctx, src, dst).Err(); err != nil {
				t.Fatal(err)
			}
			if v, err := c.ExHGetWithVer(ctx, dst, "pc").Result(); err != nil || v.Value != "c" || v.Version != 7 {
				t.Fatalf("after RENAME pc = %+v, %v; want c at version 7", v, err)
			}
			if ttl, err := c.ExHPTTL(ctx, dst, "phone").Result(); err != nil || ttl.TTL <= 0 || ttl.TTL > 1500*time.Millisecond {
				t.Fatalf("after RENAME phone's TTL = %+v, %v; want the source's (≤ 1.5 s)", ttl, err)
			}
			if ttl, err := c.ExHTTL(ctx, dst, "old").Result(); err != nil || ttl.Presence != exhash.NoField {
				t.Fatalf("after RENAME the destination's old field = %+v, %v; want no field", ttl, err)
			}
			if n := c.ExistsKeys(ctx, src).Val(); n != 0 {
				t.Fatalf("source still exists after RENAME")
			}
			got, own := companionsOf(t, rdb, p), companionNames(t, dst)
			if len(got) == 0 || slices.ContainsFunc(got, func(name string) bool { return !slices.Contains(own, name) }) {
				t.Fatalf("companions after RENAME = %v, want the destination's only (of %v), at least its versions", got, own)
			}
			// The renamed field still expires on time, alone.
			deadline := time.Now().Add(10 * time.Second)
			for c.ExHExists(ctx, dst, "phone").Val() {
				if time.Now().After(deadline) {
					t.Fatal("the renamed field never expired")
				}
				time.Sleep(50 * time.Millisecond)
			}
			if got := c.ExHGet(ctx, dst, "pc").Val(); got != "c" {
				t.Fatalf("after phone expired, pc = %q; want c (the key must not vanish)", got)
			}

			// RENAMENX onto an existing key, RENAME of a missing key.
			other := session(t, c, p+"o", time.Hour)
			if ok, err := c.RenameKeyNX(ctx, dst, other).Result(); err != nil || ok {
				t.Fatalf("RENAMENX onto an existing key = %v, %v; want false", ok, err)
			}
			if err := c.RenameKey(ctx, p+"missing", p+"x").Err(); err == nil || !strings.Contains(err.Error(), "no such key") {
				t.Fatalf("RENAME of a missing key: %v; want ERR no such key", err)
			}

			// COPY: the copy has its own companions; the source keeps its own.
			if ok, err := c.CopyKey(ctx, other, p+"copy", -1, false).Result(); err != nil || !ok {
				t.Fatalf("COPY = %v, %v", ok, err)
			}
			if v := c.ExHGetWithVer(ctx, p+"copy", "pc").Val(); v.Value != "c" || v.Version != 7 {
				t.Fatalf("copy's pc = %+v", v)
			}
			if ttl := c.ExHTTL(ctx, p+"copy", "phone").Val(); ttl.TTL <= 0 {
				t.Fatalf("copy's phone TTL = %+v", ttl)
			}
			if ok := c.CopyKey(ctx, dst, p+"copy", -1, false).Val(); ok {
				t.Fatal("COPY onto an existing key without REPLACE copied")
			}
			if ok, err := c.CopyKey(ctx, dst, p+"copy", -1, true).Result(); err != nil || !ok {
				t.Fatalf("COPY REPLACE = %v, %v", ok, err)
			}
			if ttl := c.ExHTTL(ctx, p+"copy", "phone").Val(); ttl.Presence != exhash.NoField {
				t.Fatalf("after COPY REPLACE from a key without phone, phone = %+v; want no field", ttl)
			}
			if n, err := c.DelKeys(ctx, dst, other, p+"copy").Result(); err != nil || n != 3 {
				t.Fatalf("DEL = %d, %v", n, err)
			}
			if got := companionsOf(t, rdb, p); len(got) != 0 {
				t.Fatalf("companions left: %v", got)
			}
		})
	}
}

// companionNames lists key's companions, sorted.
func companionNames(t *testing.T, key string) []string {
	t.Helper()
	ttl, ver, err := emulate.CompanionKeys(key)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{ttl, ver}
	slices.Sort(names)
	return names
}

// MOVE takes the companions to the other database and removes stale ones found there.
func TestMoveKeyCarriesCompanions(t *testing.T) {
	for _, tg := range keysTargets {
		t.Run(tg.name, func(t *testing.T) {
			ctx := t.Context()
			srv := tg.srv(t)
			rdb := srv.Client(t)
			opt := srv.Options()
			opt.DB = 1
			rdb1 := redis.NewClient(opt)
			t.Cleanup(func() { _ = rdb1.Close() })
			c := exhash.NewClient(rdb, exhash.WithBackend(tg.be(0)))
			c1 := exhash.NewClient(rdb1, exhash.WithBackend(tg.be(1)))
			p := srv.Prefix(t)

			k := session(t, c, p+"m", time.Hour)
			if ok, err := c.MoveKey(ctx, k, 1).Result(); err != nil || !ok {
				t.Fatalf("MOVE = %v, %v", ok, err)
			}
			if got := companionsOf(t, rdb, p); len(got) != 0 {
				t.Fatalf("companions left in database 0: %v", got)
			}
			if v := c1.ExHGetWithVer(ctx, k, "pc").Val(); v.Value != "c" || v.Version != 7 {
				t.Fatalf("moved pc = %+v", v)
			}
			if ttl := c1.ExHTTL(ctx, k, "phone").Val(); ttl.TTL <= 0 || ttl.TTL > time.Hour {
				t.Fatalf("moved phone TTL = %+v", ttl)
			}

			// A key with versions only, moved where a stale deadline companion of its name lies.
			k2 := p + "m2"
			if err := c.ExHSet(ctx, k2, "f", "v").Err(); err != nil {
				t.Fatal(err)
			}
			ttlName, _, _ := emulate.CompanionKeys(k2)
			if err := rdb1.ZAdd(ctx, ttlName, redis.Z{Score: 1, Member: "f"}).Err(); err != nil {
				t.Fatal(err)
			}
			hadTTL := rdb.Exists(ctx, ttlName).Val() == 1
			if ok, err := c.MoveKey(ctx, k2, 1).Result(); err != nil || !ok {
				t.Fatalf("MOVE = %v, %v", ok, err)
			}
			if !hadTTL && rdb1.Exists(ctx, ttlName).Val() != 0 {
				t.Fatal("the stale deadline companion in database 1 was kept: it would expire the moved field")
			}
			if got, err := c1.ExHGet(ctx, k2, "f").Result(); err != nil || got != "v" {
				t.Fatalf("moved f = %q, %v", got, err)
			}
			if n := c1.DelKeys(ctx, k, k2).Val(); n != 2 {
				t.Fatalf("DEL in database 1 = %d", n)
			}
			if got := companionsOf(t, rdb1, p); len(got) != 0 {
				t.Fatalf("companions left in database 1: %v", got)
			}
		})
	}
}

// On a cluster the keys of one call must share a slot, as for DEL itself.
func TestKeyCommandsOnCluster(t *testing.T) {
	ctx := t.Context()
	srv := testserver.Cluster(t)
	rdb := srv.Client(t)
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	p := srv.Prefix(t)
	a, b := session(t, c, "{"+p+"}a", time.Hour), session(t, c, "{"+p+"}b", time.Hour)
	if err := c.RenameKey(ctx, a, "{"+p+"}a2").Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := c.DelKeys(ctx, "{"+p+"}a2", b).Result(); err != nil || n != 2 {
		t.Fatalf("DEL of keys sharing a slot = %d, %v", n, err)
	}
	if got := companionsOf(t, rdb, p); len(got) != 0 {
		t.Fatalf("companions left: %v", got)
	}
	x, y := session(t, c, p+"x", time.Hour), session(t, c, p+"yy", time.Hour)
	err := c.DelKeys(ctx, x, y).Err()
	if err == nil || !strings.Contains(err.Error(), "CROSSSLOT") {
		t.Fatalf("DEL across slots: %v; want Redis' CROSSSLOT error", err)
	}
	if n := c.ExistsKeys(ctx, x).Val() + c.ExistsKeys(ctx, y).Val(); n != 2 {
		t.Fatalf("a refused DEL removed keys")
	}
}
