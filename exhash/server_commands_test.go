package exhash_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// TestServerEveryCommand runs each typed command once against the real module, over RESP2 and
// RESP3, so every decoder meets the replies the module actually sends.
func TestServerEveryCommand(t *testing.T) {
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		t.Skip("TAIRHASH_ADDR not set: no server with the TairHash module to run against")
	}
	for _, proto := range []int{2, 3} {
		t.Run(fmt.Sprintf("RESP%d", proto), func(t *testing.T) {
			rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: proto})
			t.Cleanup(func() { _ = rdb.Close() })
			k := fmt.Sprintf("exhash-test:every:%d:%d", proto, time.Now().UnixNano())
			t.Cleanup(func() { rdb.Del(context.Background(), k) })
			everyCommand(t, exhash.NewClient(rdb), k)
		})
	}
}

func everyCommand(t *testing.T, c *exhash.Client, k string) {
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eq := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s = %v, want %v", what, got, want)
		}
	}
	absent := k + ":absent"

	r, err := c.ExHSet(uctx, k, "a", "1").Result()
	must("exhset", err)
	eq("exhset", r, exhash.SetCreated)
	r, err = c.ExHSetArgs(uctx, k, "a", "2", unitSet{}.New().Xx().Gt(5).Ex(time.Hour)).Result()
	must("exhset xx gt ex", err)
	eq("exhset xx gt ex", r, exhash.SetUpdated)
	r, err = c.ExHSetArgs(uctx, absent, "a", "1", unitSet{}.New().Xx()).Result()
	must("exhset xx absent", err)
	eq("exhset xx absent", r, exhash.SetNotApplied)
	ok, err := c.ExHSetNx(uctx, k, "nx", "v").Result()
	must("exhsetnx", err)
	eq("exhsetnx", ok, true)
	must("exhmset", c.ExHMSet(uctx, k, map[string]string{"b": "x", "c": "y"}).Err())
	st, err := c.ExHMSetWithOpts(uctx, k, exhash.ExHMSetWithOptsArgs{}.New().Field("d").Value("z").SetExp(time.Hour)).Result()
	must("exhmsetwithopts", err)
	eq("exhmsetwithopts", st, "OK")
	err = c.ExHMSetWithOpts(uctx, k, exhash.ExHMSetWithOptsArgs{}.New().Field("a").Value("q").SetVer(1).SetExp(time.Hour)).Err()
	if !errors.Is(err, exhash.ErrStaleVersion) {
		t.Fatalf("exhmsetwithopts stale: %v", err)
	}

	n, err := c.ExHIncrByArgs(uctx, k, "n", 3, unitIncr{}.New().Px(time.Hour).Min(0)).Result()
	must("exhincrby", err)
	eq("exhincrby", n, 3)
	if err := c.ExHIncrBy(uctx, k, "nx", 1).Err(); !errors.Is(err, exhash.ErrNotInteger) {
		t.Fatalf("exhincrby on a non-integer: %v", err)
	}
	f, err := c.ExHIncrByFloatArgs(uctx, k, "fl", 1.25, unitIncr{}.New().MaxFloat(2)).Result()
	must("exhincrbyfloat", err)
	eq("exhincrbyfloat", f, exhash.Float{Value: 1.25, Text: "1.25"})
	if err := c.ExHIncrByFloatArgs(uctx, k, "fl", 1, unitIncr{}.New().MaxFloat(2)).Err(); !errors.Is(err, exhash.ErrOverflow) {
		t.Fatalf("exhincrbyfloat over MAX: %v", err)
	}
	if err := c.ExHIncrByFloat(uctx, k, "nx", 1).Err(); !errors.Is(err, exhash.ErrNotFloat) {
		t.Fatalf("exhincrbyfloat on a non-number: %v", err)
	}

	v, err := c.ExHGet(uctx, k, "a").Result()
	must("exhget", err)
	eq("exhget", v, "2")
	if _, err := c.ExHGet(uctx, absent, "a").Result(); err != redis.Nil {
		t.Fatalf("exhget absent: %v", err)
	}
	vv, err := c.ExHGetWithVer(uctx, k, "a").Result()
	must("exhgetwithver", err)
	eq("exhgetwithver", vv, exhash.ValueVersion{Value: "2", Version: 5})
	if _, err := c.ExHGetWithVer(uctx, k, "zz").Result(); err != redis.Nil {
		t.Fatalf("exhgetwithver absent: %v", err)
	}
	mg, err := c.ExHMGet(uctx, k, "b", "zz").Result()
	must("exhmget", err)
	if len(mg) != 2 || mg[0] == nil || *mg[0] != "x" || mg[1] != nil {
		t.Fatalf("exhmget = %v", mg)
	}
	mg, err = c.ExHMGet(uctx, absent, "b", "c").Result()
	must("exhmget absent", err)
	if len(mg) != 2 || mg[0] != nil || mg[1] != nil {
		t.Fatalf("exhmget absent = %v", mg)
	}
	mv, err := c.ExHMGetWithVer(uctx, k, "nx", "zz").Result()
	must("exhmgetwithver", err)
	if len(mv) != 2 || mv[0] == nil || *mv[0] != (exhash.ValueVersion{Value: "v", Version: 0}) || mv[1] != nil {
		t.Fatalf("exhmgetwithver = %v", mv)
	}

	l, err := c.ExHLen(uctx, k).Result()
	must("exhlen", err)
	eq("exhlen", l, 7) // a nx b c d n fl
	l, err = c.ExHLenNoExp(uctx, k).Result()
	must("exhlen noexp", err)
	eq("exhlen noexp", l, 7)
	ex, err := c.ExHExists(uctx, k, "zz").Result()
	must("exhexists", err)
	eq("exhexists", ex, false)
	sl, err := c.ExHStrLen(uctx, k, "fl").Result()
	must("exhstrlen", err)
	eq("exhstrlen", sl, 4)
	keys, err := c.ExHKeys(uctx, k).Result()
	must("exhkeys", err)
	sort.Strings(keys)
	eq("exhkeys", keys, []string{"a", "b", "c", "d", "fl", "n", "nx"})
	vals, err := c.ExHVals(uctx, absent).Result()
	must("exhvals absent", err)
	eq("exhvals absent", len(vals), 0)
	all, err := c.ExHGetAll(uctx, k).Result()
	must("exhgetall", err)
	eq("exhgetall", all["c"]+all["d"], "yz")
	allv, err := c.ExHGetAllWithVer(uctx, k).Result()
	must("exhgetallwithver", err)
	eq("exhgetallwithver", allv["a"], exhash.ValueVersion{Value: "2", Version: 5})

	set, err := c.ExHPExpireArgs(uctx, k, "b", 90*time.Second, unitExpire{}.New().Ver(1)).Result()
	must("exhpexpire", err)
	eq("exhpexpire", set, true)
	set, err = c.ExHExpire(uctx, k, "zz", time.Minute).Result()
	must("exhexpire absent", err)
	eq("exhexpire absent", set, false)
	must("exhpexpireat", c.ExHPExpireAt(uctx, k, "c", time.Now().Add(time.Hour)).Err())
	must("exhexpireat", c.ExHExpireAtArgs(uctx, k, "nx", time.Now().Add(time.Hour).Truncate(time.Second), unitExpire{}.New().Abs(9)).Err())
	if err := c.ExHExpireArgs(uctx, k, "nx", time.Minute, unitExpire{}.New().Gt(9)).Err(); !errors.Is(err, exhash.ErrStaleVersion) {
		t.Fatalf("exhexpire GT not greater: %v", err)
	}
	tt, err := c.ExHPTTL(uctx, k, "b").Result()
	must("exhpttl", err)
	if !tt.HasTTL() || tt.TTL <= 80*time.Second || tt.TTL > 90*time.Second {
		t.Fatalf("exhpttl = %+v", tt)
	}
	tt, err = c.ExHTTL(uctx, k, "nx").Result()
	must("exhttl", err)
	if !tt.HasTTL() || tt.TTL < 59*time.Minute || tt.TTL%time.Second != 0 {
		t.Fatalf("exhttl = %+v", tt)
	}
	p, err := c.ExHPersist(uctx, k, "b").Result()
	must("exhpersist", err)
	eq("exhpersist", p, true)
	tt, err = c.ExHTTL(uctx, k, "b").Result()
	must("exhttl persistent", err)
	eq("exhttl persistent", tt, exhash.TTLResult{Presence: exhash.Present, Persistent: true})
	tt, _ = c.ExHPTTL(uctx, k, "zz").Result()
	eq("exhpttl no field", tt.Presence, exhash.NoField)
	tt, _ = c.ExHPTTL(uctx, absent, "zz").Result()
	eq("exhpttl no key", tt.Presence, exhash.NoKey)

	ver, err := c.ExHVer(uctx, k, "nx").Result()
	must("exhver", err)
	eq("exhver", ver, exhash.VersionResult{Presence: exhash.Present, Version: 9})
	ver, _ = c.ExHVer(uctx, k, "zz").Result()
	eq("exhver no field", ver.Presence, exhash.NoField)
	ver, _ = c.ExHVer(uctx, absent, "zz").Result()
	eq("exhver no key", ver.Presence, exhash.NoKey)
	sv, err := c.ExHSetVer(uctx, k, "nx", 2).Result()
	must("exhsetver", err)
	eq("exhsetver", sv, true)

	seen := map[string]bool{}
	for cursor := uint64(0); ; {
		page, err := c.ExHScanArgs(uctx, k, cursor, exhash.ExHScanArgs{}.New().Match("[abcd]").Count(2)).Result()
		must("exhscan", err)
		for _, fv := range page.Fields {
			seen[fv.Field] = true
		}
		if cursor = page.Cursor; cursor == 0 {
			break
		}
	}
	eq("exhscan fields", len(seen), 4)

	d, err := c.ExHDelWithVer(uctx, k, exhash.FieldVersion{Field: "nx", Version: 2}, exhash.FieldVersion{Field: "a", Version: 1}).Result()
	must("exhdelwithver", err)
	eq("exhdelwithver", d, 1)
	d, err = c.ExHDel(uctx, k, "a", "b", "zz").Result()
	must("exhdel", err)
	eq("exhdel", d, 2)

	must("set plain", c.Redis().Set(uctx, absent, "s", time.Minute).Err())
	if err := c.ExHGet(uctx, absent, "a").Err(); !errors.Is(err, exhash.ErrWrongType) {
		t.Fatalf("exhget on a string: %v", err)
	}
	c.Redis().Del(uctx, absent)
}
