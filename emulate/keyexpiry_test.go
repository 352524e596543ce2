package emulate_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// expiryTarget is one server and backend the key deadline tests run on.
type expiryTarget struct {
	rdb, rdb1 redis.UniversalClient // databases 0 and 1
	be        func(db int) driver.Backend
	prefix    string
	module    bool
}

// expiryTargets runs fn on every emulation and, when TAIRHASH_ADDR names a server with the
// module, on the module (the reference the emulations must match).
func expiryTargets(t *testing.T, fn func(t *testing.T, tg expiryTarget)) {
	for _, k := range keysTargets {
		t.Run(k.name, func(t *testing.T) {
			srv := k.srv(t)
			opt := srv.Options()
			opt.DB = 1
			rdb1 := redis.NewClient(opt)
			t.Cleanup(func() { _ = rdb1.Close() })
			fn(t, expiryTarget{rdb: srv.Client(t), rdb1: rdb1, be: k.be, prefix: srv.Prefix(t)})
		})
	}
	t.Run("tairhash", func(t *testing.T) {
		addr := os.Getenv("TAIRHASH_ADDR")
		if addr == "" {
			t.Skip("TAIRHASH_ADDR not set: no server with the TairHash module")
		}
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		rdb1 := redis.NewClient(&redis.Options{Addr: addr, DB: 1})
		t.Cleanup(func() { _ = rdb.Close(); _ = rdb1.Close() })
		native := func(int) driver.Backend { return exhash.Native{} }
		prefix := "keyexpiry-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-"
		fn(t, expiryTarget{rdb: rdb, rdb1: rdb1, be: native, prefix: prefix, module: true})
	})
}

// eventually polls cond until it holds, for at most 10 s: deadlines pass on the server's clock,
// which a loaded machine may reach late.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noCompanions waits until no companion of a key under prefix is left in rdb (a raw SCAN).
func noCompanions(t *testing.T, rdb redis.UniversalClient, prefix string) {
	t.Helper()
	eventually(t, "no companion is left (raw SCAN)", func() bool { return len(companionsOf(t, rdb, prefix)) == 0 })
}

// must fails the test when cmd failed.
func must(t *testing.T, cmd interface{ Err() error }) {
	t.Helper()
	if err := cmd.Err(); err != nil {
		t.Fatal(err)
	}
}

// keyPTTL returns the key's TTL result, failing the test on an error.
func keyPTTL(t *testing.T, c *exhash.Client, key string) exhash.TTLResult {
	t.Helper()
	r, err := c.PTTLKey(t.Context(), key).Result()
	if err != nil {
		t.Fatalf("PTTL %s: %v", key, err)
	}
	return r
}

// A key deadline ends the key with all its fields, whatever their TTLs; writes keep it; TTL and
// PTTL report it and nothing else; the companions go with the key, and a key written again later
// starts afresh (spec 8.5).
func TestKeyDeadline(t *testing.T) {
	expiryTargets(t, func(t *testing.T, tg expiryTarget) {
		ctx := t.Context()
		c := exhash.NewClient(tg.rdb, exhash.WithBackend(tg.be(0)))
		k := tg.prefix + "k"
		px := func(d time.Duration) *exhash.ExHSetArgs { return exhash.ExHSetArgs{}.New().Px(d) }

		// No deadline: TTL is -1, also for a key whose fields all have TTLs (the Lua emulation's
		// own expiry of such a key does not show).
		must(t, c.ExHSetArgs(ctx, k, "short", "s", px(time.Hour)))
		for _, r := range []exhash.TTLResult{c.TTLKey(ctx, k).Val(), keyPTTL(t, c, k)} {
			if !r.Persistent || r.Presence != exhash.Present {
				t.Fatalf("TTL of a key whose fields all have TTLs = %v; want persistent (-1)", r)
			}
		}
		if r := c.PExpireTimeKey(ctx, k).Val(); !r.Persistent {
			t.Fatalf("PEXPIRETIME without a deadline = %v; want persistent", r)
		}
		if r := c.TTLKey(ctx, tg.prefix+"missing").Val(); r.Presence != exhash.NoKey {
			t.Fatalf("TTL of a missing key = %v; want no key", r)
		}
		if ok, err := c.PExpireKey(ctx, tg.prefix+"missing", time.Second).Result(); err != nil || ok {
			t.Fatalf("PEXPIRE of a missing key = %v, %v; want false", ok, err)
		}
		if ok, err := c.PersistKey(ctx, k).Result(); err != nil || ok {
			t.Fatalf("PERSIST without a deadline = %v, %v; want false", ok, err)
		}

		// A deadline 1.5 s away; TTL and PTTL report it, EXPIRETIME gives it on the server clock.
		const life = 1500 * time.Millisecond
		before, err := tg.rdb.Time(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := c.PExpireKey(ctx, k, life).Result(); err != nil || !ok {
			t.Fatalf("PEXPIRE = %v, %v; want true", ok, err)
		}
		after, err := tg.rdb.Time(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		if r := keyPTTL(t, c, k); !r.HasTTL() || r.TTL <= 0 || r.TTL > life {
			t.Fatalf("PTTL after PEXPIRE 1500 = %v; want in (0, 1.5s]", r)
		}
		if r := c.TTLKey(ctx, k).Val(); !r.HasTTL() || r.TTL < time.Second || r.TTL > 2*time.Second {
			t.Fatalf("TTL after PEXPIRE 1500 = %v; want 1 or 2 s", r)
		}
		at := c.PExpireTimeKey(ctx, k).Val()
		lo, hi := before.Add(life).Truncate(time.Millisecond), after.Add(life)
		if at.Presence != exhash.Present || at.At.Before(lo) || at.At.After(hi) {
			t.Fatalf("PEXPIRETIME = %v; want between %v and %v", at, lo, hi)
		}
		if s, want := c.ExpireTimeKey(ctx, k).Val(), (at.At.UnixMilli()+500)/1000; s.At.Unix() != want {
			t.Fatalf("EXPIRETIME = %v; want %d (rounded half up, as Redis)", s, want)
		}

		// Writes keep the deadline: a field with a longer TTL, a persistent field, an update that
		// gives a field its first version above 1 (the version companion may be made now), a
		// field TTL changed, a field made persistent, a field removed.
		must(t, c.ExHSetArgs(ctx, k, "long", "l", px(time.Hour)))
		must(t, c.ExHSet(ctx, k, "plain", "p"))
		must(t, c.ExHSet(ctx, k, "plain", "p2"))
		must(t, c.ExHPExpire(ctx, k, "short", 300*time.Millisecond))
		must(t, c.ExHSet(ctx, k, "gone", "g"))
		must(t, c.ExHDel(ctx, k, "gone"))
		must(t, c.ExHSetArgs(ctx, k, "kept", "k", px(time.Hour)))
		must(t, c.ExHPersist(ctx, k, "kept"))
		must(t, c.ExHIncrBy(ctx, k, "n", 1))
		if r := c.PExpireTimeKey(ctx, k).Val(); !r.At.Equal(at.At) {
			t.Fatalf("PEXPIRETIME after writes = %v; want %v unchanged", r, at)
		}

		// A field TTL shorter than the deadline removes that field only.
		eventually(t, "the field with the shorter TTL is gone", func() bool { return !c.ExHExists(ctx, k, "short").Val() })
		if v, err := c.ExHGet(ctx, k, "plain").Result(); err != nil || v != "p2" {
			t.Fatalf("after the short field expired, plain = %q, %v; want p2", v, err)
		}
		if r := keyPTTL(t, c, k); !r.HasTTL() {
			t.Fatalf("PTTL after a field expired = %v; want the deadline", r)
		}

		// At the deadline the key goes with every field, the one with a longer TTL too, and its
		// companions with it.
		eventually(t, "the key is gone at its deadline", func() bool { return c.ExistsKeys(ctx, k).Val() == 0 })
		noCompanions(t, tg.rdb, tg.prefix)

		// Written again, the key starts afresh: version 1, no deadline, no TTL.
		must(t, c.ExHSet(ctx, k, "plain", "new"))
		if v := c.ExHVer(ctx, k, "plain").Val(); v.Version != 1 {
			t.Fatalf("version after the key was recreated = %v; want 1", v)
		}
		if r := c.TTLKey(ctx, k).Val(); !r.Persistent {
			t.Fatalf("TTL of the recreated key = %v; want persistent", r)
		}
		if r := c.ExHTTL(ctx, k, "long").Val(); r.Presence != exhash.NoField {
			t.Fatalf("the longer-lived field after the key's deadline = %v; want no field", r)
		}

		// A deadline in the past removes the key at once, with its companions.
		must(t, c.ExHSetArgs(ctx, k, "t", "v", px(time.Hour)))
		if ok, err := c.PExpireAtKey(ctx, k, time.Unix(1, 0)).Result(); err != nil || !ok {
			t.Fatalf("PEXPIREAT in the past = %v, %v; want true", ok, err)
		}
		if n := c.ExistsKeys(ctx, k).Val(); n != 0 {
			t.Fatal("PEXPIREAT in the past left the key")
		}
		noCompanions(t, tg.rdb, tg.prefix)
	})
}

// PERSIST removes the deadline; field TTLs go on working, and a key whose fields all expire still
// goes (spec 8.5).
func TestKeyPersist(t *testing.T) {
	expiryTargets(t, func(t *testing.T, tg expiryTarget) {
		ctx := t.Context()
		c := exhash.NewClient(tg.rdb, exhash.WithBackend(tg.be(0)))
		k := tg.prefix + "p"
		must(t, c.ExHSet(ctx, k, "v", "1"))
		if ok := c.ExpireKey(ctx, k, time.Hour).Val(); !ok {
			t.Fatal("EXPIRE = false")
		}
		// A TTL field written after the deadline (the Lua emulation's deadline companion is made
		// now).
		must(t, c.ExHSetArgs(ctx, k, "f", "x", exhash.ExHSetArgs{}.New().Px(400*time.Millisecond)))
		if ok, err := c.PersistKey(ctx, k).Result(); err != nil || !ok {
			t.Fatalf("PERSIST = %v, %v; want true", ok, err)
		}
		if r := c.TTLKey(ctx, k).Val(); !r.Persistent {
			t.Fatalf("TTL after PERSIST = %v; want persistent", r)
		}
		if ok := c.PersistKey(ctx, k).Val(); ok {
			t.Fatal("a second PERSIST = true")
		}
		eventually(t, "the TTL field expires", func() bool { return !c.ExHExists(ctx, k, "f").Val() })
		if v, err := c.ExHGet(ctx, k, "v").Result(); err != nil || v != "1" {
			t.Fatalf("after PERSIST and the field's expiry, v = %q, %v", v, err)
		}
		// Only TTL fields left, no deadline: the key goes when they have expired.
		must(t, c.ExHPExpire(ctx, k, "v", 300*time.Millisecond))
		if ok := c.ExpireKey(ctx, k, time.Hour).Val(); !ok {
			t.Fatal("EXPIRE = false")
		}
		if ok := c.PersistKey(ctx, k).Val(); !ok {
			t.Fatal("PERSIST = false")
		}
		eventually(t, "the key whose fields all expired is gone", func() bool { return !c.ExHExists(ctx, k, "v").Val() })
		if tg.module {
			return
		}
		eventually(t, "the key is removed", func() bool { return tg.rdb.Exists(ctx, k).Val() == 0 })
		noCompanions(t, tg.rdb, tg.prefix)
	})
}

// NX, XX, GT and LT as Redis applies them to a key's TTL, against the user's deadline only.
func TestKeyExpireConditions(t *testing.T) {
	expiryTargets(t, func(t *testing.T, tg expiryTarget) {
		ctx := t.Context()
		c := exhash.NewClient(tg.rdb, exhash.WithBackend(tg.be(0)))
		k := tg.prefix + "c"
		// Every field has a TTL: the Lua emulation keeps an expiry of its own on the key, which
		// the conditions must not see.
		must(t, c.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Ex(time.Hour)))
		steps := []struct {
			ttl  time.Duration
			when []exhash.ExpireCondition
			want bool
			left time.Duration // the deadline afterwards (0: none)
		}{
			{100 * time.Second, []exhash.ExpireCondition{exhash.ExpireXX}, false, 0},
			{100 * time.Second, []exhash.ExpireCondition{exhash.ExpireGT}, false, 0},
			{100 * time.Second, []exhash.ExpireCondition{exhash.ExpireLT}, true, 100 * time.Second},
			{200 * time.Second, []exhash.ExpireCondition{exhash.ExpireNX}, false, 100 * time.Second},
			{200 * time.Second, []exhash.ExpireCondition{exhash.ExpireLT}, false, 100 * time.Second},
			{200 * time.Second, []exhash.ExpireCondition{exhash.ExpireGT}, true, 200 * time.Second},
			{50 * time.Second, []exhash.ExpireCondition{exhash.ExpireXX, exhash.ExpireGT}, false, 200 * time.Second},
			{50 * time.Second, []exhash.ExpireCondition{exhash.ExpireXX, exhash.ExpireLT}, true, 50 * time.Second},
			{300 * time.Second, []exhash.ExpireCondition{exhash.ExpireXX}, true, 300 * time.Second},
		}
		for i, s := range steps {
			if ok, err := c.ExpireKey(ctx, k, s.ttl, s.when...).Result(); err != nil || ok != s.want {
				t.Fatalf("step %d: EXPIRE %v %v = %v, %v; want %v", i, s.ttl, s.when, ok, err, s.want)
			}
			r := c.TTLKey(ctx, k).Val()
			if s.left == 0 && !r.Persistent || s.left != 0 && (r.TTL > s.left || r.TTL < s.left-2*time.Second) {
				t.Fatalf("step %d: TTL = %v; want %v", i, r, s.left)
			}
		}
		if ok := c.PersistKey(ctx, k).Val(); !ok {
			t.Fatal("PERSIST = false")
		}
		if ok := c.ExpireKey(ctx, k, time.Hour, exhash.ExpireNX).Val(); !ok {
			t.Fatal("EXPIRE NX after PERSIST = false")
		}
		err := c.ExpireKey(ctx, k, time.Hour, exhash.ExpireNX, exhash.ExpireXX).Err()
		if !errors.Is(err, exhash.ErrInvalidArgument) {
			t.Fatalf("EXPIRE NX XX: %v; want refused before sending", err)
		}
		// Refused by the server with its own text, also on the emulations.
		err = tg.rdb.Do(ctx, "expire", k, "10", "gt", "lt").Err()
		be := exhash.NewClient(tg.rdb, exhash.WithBackend(tg.be(0)))
		err2 := be.Backend().Do(ctx, tg.rdb, "expire", k, "10", "gt", "lt").Err()
		if tg.module {
			err2 = err
		}
		if err == nil || err2 == nil || err.Error() != err2.Error() {
			t.Fatalf("EXPIRE GT LT: %v through the backend, %v from Redis; want the same error", err2, err)
		}
		if err := be.Backend().Do(ctx, tg.rdb, "expire", k, "x").Err(); err == nil || err.Error() != "ERR value is not an integer or out of range" {
			t.Fatalf("EXPIRE k x: %v", err)
		}
		if n := c.DelKeys(ctx, k).Val(); n != 1 {
			t.Fatalf("DEL = %d", n)
		}
		noCompanions(t, tg.rdb, tg.prefix)
	})
}

// RENAME, MOVE and COPY keep the deadline; the key goes at it under its new name.
func TestKeyDeadlineMoves(t *testing.T) {
	expiryTargets(t, func(t *testing.T, tg expiryTarget) {
		ctx := t.Context()
		c := exhash.NewClient(tg.rdb, exhash.WithBackend(tg.be(0)))
		c1 := exhash.NewClient(tg.rdb1, exhash.WithBackend(tg.be(1)))
		src, dst := tg.prefix+"src", tg.prefix+"dst"
		must(t, c.ExHSetArgs(ctx, src, "f", "v", exhash.ExHSetArgs{}.New().Ex(time.Hour)))
		must(t, c.ExHSet(ctx, src, "p", "v"))
		if ok := c.PExpireKey(ctx, src, time.Hour).Val(); !ok {
			t.Fatal("PEXPIRE = false")
		}
		want := c.PExpireTimeKey(ctx, src).Val()
		must(t, c.RenameKey(ctx, src, dst))
		if r := c.PExpireTimeKey(ctx, dst).Val(); !r.At.Equal(want.At) {
			t.Fatalf("PEXPIRETIME after RENAME = %v; want %v", r, want)
		}
		if !tg.module { // the module refuses COPY of its keys (spec 8.3)
			if ok, err := c.CopyKey(ctx, dst, src, -1, false).Result(); err != nil || !ok {
				t.Fatalf("COPY = %v, %v", ok, err)
			}
			if r := c.PExpireTimeKey(ctx, src).Val(); !r.At.Equal(want.At) {
				t.Fatalf("PEXPIRETIME of the copy = %v; want %v", r, want)
			}
			if n := c.DelKeys(ctx, src).Val(); n != 1 {
				t.Fatalf("DEL of the copy = %d", n)
			}
		}
		if ok, err := c.MoveKey(ctx, dst, 1).Result(); err != nil || !ok {
			t.Fatalf("MOVE = %v, %v", ok, err)
		}
		if r := c1.PExpireTimeKey(ctx, dst).Val(); !r.At.Equal(want.At) {
			t.Fatalf("PEXPIRETIME after MOVE = %v; want %v", r, want)
		}
		// Moved back with a deadline close by: it goes there at the deadline, companions too.
		if ok := c1.PExpireKey(ctx, dst, 500*time.Millisecond).Val(); !ok {
			t.Fatal("PEXPIRE = false")
		}
		if ok, err := c1.MoveKey(ctx, dst, 0).Result(); err != nil || !ok {
			t.Fatalf("MOVE back = %v, %v", ok, err)
		}
		if r := keyPTTL(t, c, dst); !r.HasTTL() || r.TTL > 500*time.Millisecond {
			t.Fatalf("PTTL after MOVE back = %v", r)
		}
		eventually(t, "the moved key is gone at its deadline", func() bool { return c.ExistsKeys(ctx, dst).Val() == 0 })
		noCompanions(t, tg.rdb, tg.prefix)
		noCompanions(t, tg.rdb1, tg.prefix)
	})
}

// The key-level expiry commands in pipelines and transactions.
func TestKeyDeadlineInPipelines(t *testing.T) {
	expiryTargets(t, func(t *testing.T, tg expiryTarget) {
		ctx := t.Context()
		c := exhash.NewClient(tg.rdb, exhash.WithBackend(tg.be(0)))
		k := tg.prefix + "pipe"
		for _, tx := range []bool{false, true} {
			var set, none *exhash.BoolCmd
			var ttl, gone *exhash.TTLCmd
			var at *exhash.ExpireTimeCmd
			fn := func(p exhash.Pipeliner) error {
				p.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Ex(time.Hour))
				set = p.PExpireKey(ctx, k, time.Minute)
				p.ExHSet(ctx, k, "g", "w")
				ttl = p.PTTLKey(ctx, k)
				at = p.ExpireTimeKey(ctx, k)
				none = p.ExpireKey(ctx, tg.prefix+"missing", time.Minute)
				p.PersistKey(ctx, k)
				gone = p.TTLKey(ctx, tg.prefix+"missing")
				return nil
			}
			var err error
			if tx {
				_, err = c.TxPipelined(ctx, fn)
			} else {
				_, err = c.Pipelined(ctx, fn)
			}
			if err != nil {
				t.Fatalf("tx=%v: %v", tx, err)
			}
			if !set.Val() || none.Val() || !ttl.Val().HasTTL() || ttl.Val().TTL > time.Minute ||
				at.Val().Presence != exhash.Present || gone.Val().Presence != exhash.NoKey {
				t.Fatalf("tx=%v: set %v, none %v, ttl %v, at %v, gone %v", tx, set.Val(), none.Val(), ttl.Val(), at.Val(), gone.Val())
			}
			if r := c.TTLKey(ctx, k).Val(); !r.Persistent {
				t.Fatalf("tx=%v: TTL after the pipeline's PERSIST = %v", tx, r)
			}
		}
		if n := c.DelKeys(ctx, k).Val(); n != 1 {
			t.Fatalf("DEL = %d", n)
		}
		noCompanions(t, tg.rdb, tg.prefix)
	})
}

// A key deadline set on the Lua emulation survives the move to hash-field expiration: the
// migration makes it the key's own expiry, exactly, and drops the deadline companion.
func TestMigrateKeepsKeyDeadline(t *testing.T) {
	srv := testserver.Redis8(t)
	rdb, ctx, p := srv.Client(t), t.Context(), srv.Prefix(t)
	lua := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	k := p + "m"
	must(t, lua.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Ex(time.Hour)))
	must(t, lua.ExHSetArgs(ctx, k, "g", "v", exhash.ExHSetArgs{}.New().Abs(5)))
	at := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli()/2*2 + 2) // even: stored 1 ms later
	if ok := lua.PExpireAtKey(ctx, k, at).Val(); !ok {
		t.Fatal("PEXPIREAT = false")
	}
	if got := rdb.PExpireTime(ctx, k).Val(); got != time.Duration(at.UnixMilli()+1)*time.Millisecond {
		t.Fatalf("the Lua emulation's stored expiry = %v; want the even deadline + 1 ms", got)
	}
	if _, err := emulate.MigrateLuaToHFE(ctx, rdb, emulate.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	hfe := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewHFE()))
	if r := hfe.PExpireTimeKey(ctx, k).Val(); !r.At.Equal(at) {
		t.Fatalf("PEXPIRETIME after the migration = %v; want %v", r, at)
	}
	_, ver, _ := emulate.CompanionKeys(k)
	if got := rdb.PExpireTime(ctx, ver).Val(); got != time.Duration(at.UnixMilli())*time.Millisecond {
		t.Fatalf("the version companion's expiry = %v; want the key's", got)
	}
	if v := hfe.ExHVer(ctx, k, "g").Val(); v.Version != 5 {
		t.Fatalf("version after the migration = %v", v)
	}
	if got := companionsOf(t, rdb, p); len(got) != 1 || got[0] != ver {
		t.Fatalf("companions after the migration = %v; want the version companion only", got)
	}
	if n := hfe.DelKeys(ctx, k).Val(); n != 1 {
		t.Fatalf("DEL = %d", n)
	}
	noCompanions(t, rdb, p)
}

// Writes on keys without a user deadline never read the deadline companion: the scripts tell the
// user's deadline from their own key expiry by its parity (docs/architecture.md), so the write
// path makes the calls it made before key deadlines existed. With a deadline they do read it.
func TestWritesWithoutDeadlineDoNotReadIt(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis7) // its own server: the command counts are ours
	rdb, ctx := srv.Client(t), t.Context()
	gets := func() int64 {
		t.Helper()
		stats, err := rdb.Info(ctx, "commandstats").Result()
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(stats, "cmdstat_get:calls=")
		if i < 0 {
			return 0
		}
		n, _ := strconv.ParseInt(strings.SplitN(stats[i+len("cmdstat_get:calls="):], ",", 2)[0], 10, 64)
		return n
	}
	for _, be := range []driver.Backend{emulate.NewLua(), emulate.NewLua(emulate.WithLuaOneCallPerCommand())} {
		c := exhash.NewClient(rdb, exhash.WithBackend(be))
		write := func(k string) {
			for i := range 20 {
				f := "f" + strconv.Itoa(i%4)
				ex := exhash.ExHSetArgs{}.New().Px(time.Duration(10+i*100) * time.Second)
				must(t, c.ExHSetArgs(ctx, k, f, "v", ex))
				must(t, c.ExHPExpire(ctx, k, f, time.Duration(20+i*200)*time.Second))
				if i%5 == 0 {
					must(t, c.ExHSet(ctx, k, "plain", "v"))
					must(t, c.ExHDel(ctx, k, "plain"))
				}
			}
		}
		before := gets()
		write("nodeadline")
		if n := gets() - before; n != 0 {
			t.Fatalf("%s: writes on a key without a deadline read the deadline companion %d times", be.Name(), n)
		}
		if ok := c.ExpireKey(ctx, "deadline", time.Hour).Val(); ok {
			t.Fatal("EXPIRE of a missing key = true")
		}
		must(t, c.ExHSet(ctx, "deadline", "x", "v"))
		if ok := c.ExpireKey(ctx, "deadline", time.Hour).Val(); !ok {
			t.Fatal("EXPIRE = false")
		}
		before = gets()
		write("deadline")
		if gets() == before {
			t.Fatalf("%s: writes on a key with a deadline never read it: the count above proves nothing", be.Name())
		}
		if r := c.TTLKey(ctx, "deadline").Val(); r.TTL < 59*time.Minute {
			t.Fatalf("%s: TTL after the writes = %v", be.Name(), r)
		}
		c.DelKeys(ctx, "nodeadline", "deadline")
	}
}

// On a cluster: the deadline companion shares the key's slot (the scripts reach it without naming
// it among their keys), and the deadline works as on a single server.
func TestKeyDeadlineOnCluster(t *testing.T) {
	for _, tg := range []struct {
		name string
		srv  func(testing.TB) *testserver.Server
		be   driver.Backend
	}{{"lua-redis7", testserver.Cluster, emulate.NewLua()}, {"hfe-redis8", testserver.Cluster8, emulate.NewHFE()}} {
		t.Run(tg.name, func(t *testing.T) {
			srv := tg.srv(t)
			rdb, ctx, p := srv.Client(t), t.Context(), srv.Prefix(t)
			c := exhash.NewClient(rdb, exhash.WithBackend(tg.be))
			for _, k := range []string{p + "plain", "{" + p + "}tagged"} {
				must(t, c.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Ex(time.Hour)))
				must(t, c.ExHSet(ctx, k, "g", "v"))
				if ok, err := c.PExpireKey(ctx, k, 400*time.Millisecond).Result(); err != nil || !ok {
					t.Fatalf("PEXPIRE %s = %v, %v", k, ok, err)
				}
				must(t, c.ExHSet(ctx, k, "g", "w")) // a version companion made under the deadline
				if r := keyPTTL(t, c, k); !r.HasTTL() || r.TTL > 400*time.Millisecond {
					t.Fatalf("PTTL %s = %v", k, r)
				}
				eventually(t, k+" is gone at its deadline", func() bool { return c.ExistsKeys(ctx, k).Val() == 0 })
			}
			noCompanions(t, rdb, p)
		})
	}
}
