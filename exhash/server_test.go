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

// tairhashClient connects to a real server with the TairHash module at $TAIRHASH_ADDR (a loopback
// address), or skips the test.
func tairhashClient(t *testing.T) (*exhash.Client, string) {
	t.Helper()
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		t.Skip("TAIRHASH_ADDR not set: no server with the TairHash module to run against")
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("TAIRHASH_ADDR=%s: %v", addr, err)
	}
	prefix := fmt.Sprintf("exhash-test:%s:%d:", t.Name(), time.Now().UnixNano())
	t.Cleanup(func() {
		keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(context.Background(), keys...)
		}
	})
	return exhash.NewClient(rdb), prefix
}

func TestServerPipelineTypedResults(t *testing.T) {
	c, p := tairhashClient(t)
	k := p + "h"
	var (
		created, updated, skipped *exhash.SetCmd
		get, missing              *exhash.StringCmd
		gv                        *exhash.ValueVersionCmd
		mget                      *exhash.OptionalStringSliceCmd
		pttl, noTTL, noKey, noFld *exhash.TTLCmd
		ver, verNoKey             *exhash.VersionCmd
		flt                       *exhash.FloatCmd
		incr                      *exhash.IntCmd
		all                       *exhash.ValueVersionMapCmd
		plain                     *redis.StringCmd
		stale                     *exhash.SetCmd
	)
	_, err := c.Pipelined(uctx, func(pl exhash.Pipeliner) error {
		created = pl.ExHSetArgs(uctx, k, "a", "1", unitSet{}.New().Px(time.Minute))
		updated = pl.ExHSetArgs(uctx, k, "a", "2", unitSet{}.New().KeepTTL())
		skipped = pl.ExHSetArgs(uctx, k, "a", "3", unitSet{}.New().Nx())
		stale = pl.ExHSetArgs(uctx, k, "a", "4", unitSet{}.New().Ver(99))
		pl.ExHSet(uctx, k, "b", "x")
		get = pl.ExHGet(uctx, k, "a")
		missing = pl.ExHGet(uctx, k, "zz")
		gv = pl.ExHGetWithVer(uctx, k, "a")
		mget = pl.ExHMGet(uctx, k, "a", "zz", "b")
		pttl = pl.ExHPTTL(uctx, k, "a")
		noTTL = pl.ExHTTL(uctx, k, "b")
		noKey = pl.ExHTTL(uctx, p+"absent", "a")
		noFld = pl.ExHTTL(uctx, k, "zz")
		ver = pl.ExHVer(uctx, k, "a")
		verNoKey = pl.ExHVer(uctx, p+"absent", "a")
		flt = pl.ExHIncrByFloat(uctx, k, "f", 0.1)
		pl.ExHIncrByFloat(uctx, k, "f", 0.2)
		incr = pl.ExHIncrByArgs(uctx, k, "n", 5, unitIncr{}.New().Max(10))
		all = pl.ExHGetAllWithVer(uctx, k)
		plain = pl.Get(uctx, p+"plain")
		return nil
	})
	if err == nil {
		t.Fatal("Exec must report the stale version error")
	}
	check := func(what string, got, want any, err error) {
		t.Helper()
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, %v; want %v", what, got, err, want)
		}
	}
	r1, e1 := created.Result()
	check("created", r1, exhash.SetCreated, e1)
	r2, e2 := updated.Result()
	check("updated", r2, exhash.SetUpdated, e2)
	r3, e3 := skipped.Result()
	check("skipped", r3, exhash.SetNotApplied, e3)
	if !errors.Is(stale.Err(), exhash.ErrStaleVersion) {
		t.Errorf("stale: %v", stale.Err())
	}
	g, ge := get.Result()
	check("get", g, "2", ge)
	if missing.Err() != redis.Nil {
		t.Errorf("missing: %v, want redis.Nil", missing.Err())
	}
	v, ve := gv.Result()
	check("getwithver", v, exhash.ValueVersion{Value: "2", Version: 2}, ve)
	m, me := mget.Result()
	if me != nil || len(m) != 3 || *m[0] != "2" || m[1] != nil || *m[2] != "x" {
		t.Errorf("mget = %v, %v", m, me)
	}
	pt, pe := pttl.Result()
	if pe != nil || !pt.HasTTL() || pt.TTL <= 50*time.Second || pt.TTL > time.Minute {
		t.Errorf("pttl = %+v, %v (KEEPTTL must keep the minute)", pt, pe)
	}
	for what, tc := range map[string]struct {
		cmd  *exhash.TTLCmd
		want exhash.TTLResult
	}{
		"persistent": {noTTL, exhash.TTLResult{Presence: exhash.Present, Persistent: true}},
		"no key":     {noKey, exhash.TTLResult{Presence: exhash.NoKey}},
		"no field":   {noFld, exhash.TTLResult{Presence: exhash.NoField}},
	} {
		got, err := tc.cmd.Result()
		check(what, got, tc.want, err)
	}
	vr, vre := ver.Result()
	check("ver", vr, exhash.VersionResult{Presence: exhash.Present, Version: 2}, vre)
	vn, vne := verNoKey.Result()
	check("ver no key", vn, exhash.VersionResult{Presence: exhash.NoKey}, vne)
	f, fe := flt.Result()
	check("incrbyfloat", f, exhash.Float{Value: 0.1, Text: "0.1"}, fe)
	n, ne := incr.Result()
	check("incrby", n, int64(5), ne)
	a, ae := all.Result()
	check("getallwithver", len(a), 4, ae)
	if a["f"].Value != "0.3" || a["n"] != (exhash.ValueVersion{Value: "5", Version: 1}) {
		t.Errorf("getallwithver = %v", a)
	}
	if plain.Err() != redis.Nil {
		t.Errorf("plain GET in the same pipeline: %v", plain.Err())
	}
}

func TestServerTxPipelineTypedResults(t *testing.T) {
	c, p := tairhashClient(t)
	k := p + "h"
	var (
		set    *exhash.SetCmd
		over   *exhash.IntCmd
		expire *exhash.BoolCmd
		ttl    *exhash.TTLCmd
		del    *exhash.IntCmd
		keys   *exhash.StringSliceCmd
	)
	_, err := c.TxPipelined(uctx, func(tx exhash.Pipeliner) error {
		set = tx.ExHSetArgs(uctx, k, "a", "1", unitSet{}.New().Abs(7))
		over = tx.ExHIncrByArgs(uctx, k, "a", 100, unitIncr{}.New().Max(10))
		expire = tx.ExHExpireArgs(uctx, k, "a", 30*time.Second, unitExpire{}.New().Gt(8))
		ttl = tx.ExHTTL(uctx, k, "a")
		tx.ExHMSet(uctx, k, map[string]string{"b": "2", "c": "3"})
		del = tx.ExHDelWithVer(uctx, k, exhash.FieldVersion{Field: "b", Version: 1}, exhash.FieldVersion{Field: "c", Version: 9})
		keys = tx.ExHKeys(uctx, k)
		return nil
	})
	if !errors.Is(err, exhash.ErrOverflow) {
		t.Fatalf("EXEC error = %v, want the overflow inside the transaction", err)
	}
	if r, err := set.Result(); err != nil || r != exhash.SetCreated {
		t.Errorf("set = %v, %v", r, err)
	}
	var se *exhash.Error
	if !errors.As(over.Err(), &se) || se.Msg != "ERR increment or decrement would overflow" {
		t.Errorf("overflow = %#v", over.Err())
	}
	if ok, err := expire.Result(); err != nil || !ok {
		t.Errorf("expire = %v, %v", ok, err)
	}
	if r, err := ttl.Result(); err != nil || r.TTL != 30*time.Second {
		t.Errorf("ttl = %+v, %v", r, err)
	}
	if n, err := del.Result(); err != nil || n != 1 {
		t.Errorf("delwithver = %d, %v", n, err)
	}
	got, err := keys.Result()
	sort.Strings(got)
	if err != nil || fmt.Sprint(got) != "[a c]" {
		t.Errorf("keys = %v, %v", got, err)
	}
	if v := c.ExHVer(uctx, k, "a").Val(); v.Version != 8 {
		t.Errorf("version after GT 8 = %v", v)
	}
}

func TestServerOnCallerPipelineAndScan(t *testing.T) {
	c, p := tairhashClient(t)
	k := p + "h"
	want := map[string]string{}
	for i := range 40 {
		want[fmt.Sprintf("f%02d", i)] = fmt.Sprint(i)
	}
	pipe := c.Redis().TxPipeline()
	cs := c.On(pipe)
	mset := cs.ExHMSet(uctx, k, want)
	incr := pipe.Incr(uctx, p+"counter")
	n := cs.ExHLenNoExp(uctx, k)
	if _, err := pipe.Exec(uctx); err != nil {
		t.Fatal(err)
	}
	if mset.Val() != "OK" || incr.Val() != 1 || n.Val() != 40 {
		t.Fatalf("mset %v, incr %v, len %v", mset.Val(), incr.Val(), n.Val())
	}
	got := map[string]string{}
	for fv, err := range c.ExHScanAll(uctx, k, exhash.ExHScanArgs{}.New().Count(6)) {
		if err != nil {
			t.Fatal(err)
		}
		got[fv.Field] = fv.Value
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("scan walked %d fields, want %d", len(got), len(want))
	}
	page, err := c.ExHScan(uctx, p+"absent", 0).Result() // status "0" cursor
	if err != nil || page.Cursor != 0 || len(page.Fields) != 0 {
		t.Fatalf("absent key scan = %+v, %v", page, err)
	}
}

func TestServerExpiredNotification(t *testing.T) {
	c, p := tairhashClient(t)
	k := p + "h"
	sub, err := c.SubscribeExpired(uctx, 0, k)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := c.ExHSetArgs(uctx, k, "gone", "v", unitSet{}.New().Px(20*time.Millisecond)).Err(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(uctx, 5*time.Second)
	defer cancel()
	// Poll reads so the field is removed lazily even before the module's 1 s background tick.
	go func() {
		for ctx.Err() == nil {
			c.ExHGet(ctx, k, "gone")
			time.Sleep(10 * time.Millisecond)
		}
	}()
	ev, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ev != (exhash.ExpiredEvent{DB: 0, Key: k, Field: "gone"}) {
		t.Fatalf("event %+v", ev)
	}
}
