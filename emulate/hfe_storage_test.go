package emulate_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// hfeEnv is a Redis 8 client, a key prefix and a backend.
type hfeEnv struct {
	t   *testing.T
	ctx context.Context
	rdb redis.UniversalClient
	be  driver.Backend
	pre string
}

func newHFEEnv(t *testing.T, opts ...emulate.HFEOption) *hfeEnv {
	srv := testserver.Redis8(t)
	return &hfeEnv{t: t, ctx: t.Context(), rdb: srv.Client(t), be: emulate.NewHFE(opts...), pre: srv.Prefix(t)}
}

// do runs a TairHash command through the backend and fails the test on a transport error.
func (e *hfeEnv) do(args ...any) (any, error) {
	e.t.Helper()
	v, err := e.be.Do(e.ctx, e.rdb, args...).Result()
	if err == redis.Nil {
		return nil, nil
	}
	return v, err
}

// must runs a command that must succeed.
func (e *hfeEnv) must(args ...any) any {
	e.t.Helper()
	v, err := e.do(args...)
	if err != nil {
		e.t.Fatalf("%v: %v", args, err)
	}
	return v
}

// native runs a plain command that must succeed.
func (e *hfeEnv) native(args ...any) any {
	e.t.Helper()
	v, err := e.rdb.Do(e.ctx, args...).Result()
	if err != nil && err != redis.Nil {
		e.t.Fatalf("%v: %v", args, err)
	}
	return v
}

// verKey is the version companion of a key without hash tag.
func verKey(k string) string { return "exh~v:{" + k + "}" }

// expiryTimes returns HPEXPIRETIME of fields of key.
func (e *hfeEnv) expiryTimes(key string, fields ...string) []int64 {
	e.t.Helper()
	return e.rdb.HPExpireTime(e.ctx, key, fields...).Val()
}

// The layout behind the replies: values in the hash, versions other than 1 in the companion with
// the data field's expiry, deadlines stored one millisecond early.
func TestHFEStorage(t *testing.T) {
	e := newHFEEnv(t)
	k := e.pre + "k"
	deadline := time.Now().Add(time.Hour).UnixMilli()
	e.must("exhset", k, "one", "v", "pxat", deadline)
	e.must("exhset", k, "two", "v", "pxat", deadline)
	e.must("exhset", k, "two", "w", "keepttl")
	e.must("exhsetnx", k, "zero", "z")
	e.must("exhset", k, "big", "v", "abs", "9223372036854775807")

	if got := e.native("hgetall", verKey(k)); len(got.(map[any]any)) != 3 {
		t.Fatalf("version companion = %v, want two, zero and big only", got)
	}
	if got := e.native("hget", verKey(k), "two"); got != "2" {
		t.Errorf("stored version of two = %v, want 2", got)
	}
	if got := e.native("hget", verKey(k), "zero"); got != "0" {
		t.Errorf("stored version of zero = %v, want 0", got)
	}
	if got := e.expiryTimes(k, "one", "two"); got[0] != deadline-1 || got[1] != deadline-1 {
		t.Errorf("HPEXPIRETIME of one, two = %v, want deadline-1 = %d", got, deadline-1)
	}
	if got := e.expiryTimes(verKey(k), "two", "zero"); got[0] != deadline-1 || got[1] != -1 {
		t.Errorf("HPEXPIRETIME of the versions of two, zero = %v, want [%d -1]", got, deadline-1)
	}
	if got := e.must("exhpttl", k, "one").(int64); got > time.Hour.Milliseconds() || got < time.Hour.Milliseconds()-5000 {
		t.Errorf("EXHPTTL = %d, want about an hour", got)
	}
	if got := e.must("exhver", k, "big"); got != int64(9223372036854775807) {
		t.Errorf("EXHVER of big = %v (%T), want int64 max", got, got)
	}
	if got := e.must("exhgetwithver", k, "big"); !equalAny(got, []any{"v", int64(9223372036854775807)}) {
		t.Errorf("EXHGETWITHVER of big = %#v", got)
	}
	e.must("exhset", k, "big", "w")
	if got := e.must("exhver", k, "big"); got != int64(-9223372036854775808) {
		t.Errorf("EXHVER after wrap-around = %v, want int64 min", got)
	}
	// Setting version 1 again removes the stored one; deleting a field removes its version.
	e.must("exhsetver", k, "two", "1")
	e.must("exhdel", k, "zero")
	if got := e.native("hkeys", verKey(k)); !equalAny(got, []any{"big"}) {
		t.Errorf("version companion fields = %v, want [big]", got)
	}
	// Deleting the key natively leaves the companion behind; the next write clears it.
	e.native("del", k)
	e.must("exhset", k, "big", "v")
	if got := e.must("exhver", k, "big"); got != int64(1) {
		t.Errorf("EXHVER of a field recreated after DEL = %v, want 1", got)
	}
	if got := e.native("exists", verKey(k)); got != int64(0) {
		t.Errorf("version companion still exists after the key was recreated")
	}
}

// The common EXHSET (no NX/XX/VER/ABS/GT) learns whether the field exists from writing it, without
// TYPE or HEXISTS first: a key of another type must still fail with Redis' own error and nothing
// written, and versions left behind by a native DEL must not survive into the recreated key, for
// the field written or any other.
func TestHFECommonWriteChecksByWriting(t *testing.T) {
	e := newHFEEnv(t)
	str, k := e.pre+"str", e.pre+"k"
	e.native("set", str, "x")
	for _, args := range [][]any{{"exhset", str, "f", "v"}, {"exhset", str, "f", "v", "ex", "10"}, {"exhset", str, "f", "v", "keepttl"}} {
		if _, err := e.do(args...); err == nil || err.Error() != "WRONGTYPE Operation against a key holding the wrong kind of value" {
			t.Errorf("%v on a string: %v, want Redis' WRONGTYPE error", args, err)
		}
	}
	if got := e.native("get", str); got != "x" || e.native("exists", verKey(str)) != int64(0) {
		t.Errorf("a failed EXHSET wrote something: %v", got)
	}
	e.must("exhset", k, "f", "1", "ex", "100")
	e.must("exhset", k, "f", "2", "ex", "100")
	e.must("exhset", k, "g", "1")
	e.must("exhset", k, "g", "2")
	e.native("del", k) // the versions of f and g stay behind
	if got := e.must("exhset", k, "h", "1", "ex", "100"); got != int64(1) {
		t.Errorf("EXHSET of a new field after DEL = %v, want 1", got)
	}
	e.must("exhmset", k, "g", "3")
	e.must("exhset", k, "f", "3", "keepttl")
	for _, f := range []string{"f", "g", "h"} {
		if got := e.must("exhver", k, f); got != int64(1) {
			t.Errorf("EXHVER %s after DEL and recreation = %v, want 1", f, got)
		}
	}
	// An overwrite with KEEPTTL keeps the deadline and gives the version entry the same one.
	e.must("exhset", k, "h", "2", "keepttl")
	if got := e.must("exhver", k, "h"); got != int64(2) {
		t.Errorf("EXHVER after an overwrite = %v, want 2", got)
	}
	field, ver := e.expiryTimes(k, "h"), e.expiryTimes(verKey(k), "h")
	if field[0] <= 0 || field[0] != ver[0] {
		t.Errorf("expiry times after KEEPTTL: field %v, version %v, want equal and set", field, ver)
	}
}

// Versions expire with their fields: nothing is left behind once every field expired.
func TestHFEVersionsExpireWithFields(t *testing.T) {
	e := newHFEEnv(t)
	k := e.pre + "k"
	e.must("exhset", k, "f", "v", "px", "60", "abs", "5")
	e.must("exhsetnx", k, "g", "v")
	e.must("exhpexpire", k, "g", "60")
	deadline := time.Now().Add(5 * time.Second)
	for e.native("exists", k, verKey(k)) != int64(0) {
		if time.Now().After(deadline) {
			t.Fatalf("key and version companion still exist: %v %v", e.native("hgetall", k), e.native("hgetall", verKey(k)))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// equalAny compares replies made of strings, integers and arrays.
func equalAny(a, b any) bool {
	x, ok1 := a.([]any)
	y, ok2 := b.([]any)
	if ok1 != ok2 {
		return false
	}
	if !ok1 {
		return a == b
	}
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !equalAny(x[i], y[i]) {
			return false
		}
	}
	return true
}

// A field written already due is a tombstone in the TTL companion: score -2 beside live fields,
// -1 when the key had no other field (the key then counts as present until looked at). The next
// scripted command removes it; nothing of the field is left in the hash or the version companion.
func TestHFETombstoneStorage(t *testing.T) {
	// A server of its own: a watcher of another test on the shared one would clear tombstones.
	srv := testserver.Start(t, testserver.KindRedis8)
	e := &hfeEnv{t: t, ctx: t.Context(), rdb: srv.Client(t), be: emulate.NewHFE(), pre: srv.Prefix(t)}
	beside, alone := e.pre+"beside", e.pre+"alone"
	e.must("exhset", beside, "keep", "1")
	e.must("exhset", beside, "f", "v", "abs", "5")
	e.must("exhset", beside, "f", "w", "px", "0")
	e.must("exhset", alone, "g", "v", "px", "0")
	for _, c := range []struct {
		key, field string
		score      float64
	}{{beside, "f", -2}, {alone, "g", -1}} {
		ttl := "exh~t:{" + c.key + "}"
		if got := e.rdb.ZScore(e.ctx, ttl, c.field).Val(); got != c.score {
			t.Errorf("%s: tombstone score %v, want %v", c.key, got, c.score)
		}
		if e.rdb.HExists(e.ctx, c.key, c.field).Val() || e.rdb.HExists(e.ctx, verKey(c.key), c.field).Val() {
			t.Errorf("%s: the due field %s is still stored", c.key, c.field)
		}
		// Tombstones of a key nobody touches again must not stay forever.
		if pttl := e.rdb.PTTL(e.ctx, ttl).Val(); pttl <= 0 || pttl > time.Minute {
			t.Errorf("%s: TTL companion holding tombstones has PTTL %v, want (0, 1m]", c.key, pttl)
		}
	}
	if n := e.rdb.Exists(e.ctx, alone).Val(); n != 0 {
		t.Errorf("%s exists natively (%d); only its tombstone should", alone, n)
	}
	if got := e.must("exhver", alone, "g"); got != int64(-2) {
		t.Errorf("EXHVER of the tombstone's key = %v, want -2 (key present, field gone)", got)
	}
	if got := e.must("exhlen", beside); got != int64(1) {
		t.Errorf("EXHLEN %s = %v, want 1", beside, got)
	}
	for _, k := range []string{beside, alone} {
		if n := e.rdb.Exists(e.ctx, "exh~t:{"+k+"}").Val(); n != 0 {
			t.Errorf("%s: TTL companion left after a scripted command", k)
		}
	}
	if got := e.must("exhver", alone, "g"); got != int64(-1) {
		t.Errorf("EXHVER after the key went = %v, want -1 (no key)", got)
	}
}
