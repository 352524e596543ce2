package tair_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	tair "github.com/tairhash-go/tairhash/tairgo"
)

// The scenarios of tair-go's TairHash specs (and its cluster hash specs, the first three), on
// every backend, with keys under the test's prefix instead of a flushed database.

func TestSpecExHGet(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHSet", c.ExHSet(ctx, p+"k1", "f1", "v1"), int64(1))
		equal(t, "Exists", c.Exists(ctx, p+"k1"), int64(1))
		equal(t, "ExHGet", c.ExHGet(ctx, p+"k1", "f1"), "v1")
		fails(t, "ExHGet absent", c.ExHGet(ctx, p+"k1", "nope"), redis.Nil.Error())
	})
}

func TestSpecExHSetArgsXX(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		a := tair.ExHSetArgs{}.New()
		a.Set = make(map[string]bool) // as tair-go's spec does
		a.Xx()
		equal(t, "ExHSetArgs XX", c.ExHSetArgs(ctx, p+"k1", "f1", "v1", a), int64(-1))
		equal(t, "Exists", c.Exists(ctx, p+"k1"), int64(0))
	})
}

func TestSpecExHSetNx(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHSetNx", c.ExHSetNx(ctx, p+"k1", "f1", "v1"), int64(1))
		equal(t, "Exists", c.Exists(ctx, p+"k1"), int64(1))
		equal(t, "ExHSetNx again", c.ExHSetNx(ctx, p+"k1", "f1", "v2"), int64(0))
	})
}

func TestSpecExHMGet(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHMSet", c.ExHMSet(ctx, p+"k1", map[string]string{"f1": "v1", "f2": "v2", "f3": "v3"}), "OK")
		equal(t, "ExHMGet", c.ExHMGet(ctx, p+"k1", "f1", "f2", "nope", "f3"), []string{"v1", "v2", "", "v3"})
	})
}

// tair-go built EXHMSETWITHOPTS and never sent it, so its spec passed without a server; here the
// field is written, with its TTL.
func TestSpecExHMSetWithOpts(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		b := tair.ExHMSetWithOptsArgs{}.New()
		b.Field("f1")
		b.Value("v1")
		b.SetExp(5)
		b.SetVer(99)
		equal(t, "ExHMSetWithOpts", c.ExHMSetWithOpts(ctx, p+"k1", b), "OK")
		equal(t, "ExHGet", c.ExHGet(ctx, p+"k1", "f1"), "v1")
		between(t, "ExHTTL", c.ExHTTL(ctx, p+"k1", "f1"), 1, 5)
	})
}

// ExHExpire takes seconds, as in tair-go: the field, and with it the key, is gone after one.
func TestSpecExHExpire(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHSet", c.ExHSet(ctx, p+"k1", "f1", "v1"), int64(1))
		equal(t, "ExHExpire", c.ExHExpire(ctx, p+"k1", "f1", 1), true)
		between(t, "ExHPTTL", c.ExHPTTL(ctx, p+"k1", "f1"), 1, 1000)
		eventually(t, "key expired", func() bool { return c.Exists(ctx, p+"k1").Val() == 0 })
	})
}

func TestSpecExHSetVer(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHSet", c.ExHSet(ctx, p+"k1", "f1", "v1"), int64(1))
		equal(t, "ExHSetVer", c.ExHSetVer(ctx, p+"k1", "f1", 10), true)
		equal(t, "ExHVer", c.ExHVer(ctx, p+"k1", "f1"), int64(10))
		equal(t, "ExHSetVer absent", c.ExHSetVer(ctx, p+"k1", "nope", 10), false)
	})
}

func TestSpecExHIncrBy(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "+1", c.ExHIncrBy(ctx, p+"k1", "f1", 1), int64(1))
		equal(t, "-1", c.ExHIncrBy(ctx, p+"k1", "f1", -1), int64(0))
		equal(t, "-10", c.ExHIncrBy(ctx, p+"k1", "f1", -10), int64(-10))
	})
}

func TestSpecExHIncrByArgs(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		fails(t, "above MAX", c.ExHIncrByArgs(ctx, p+"k1", "f1", 11, tair.ExHIncrArgs{}.New().Min(0).Max(10)),
			"ERR increment or decrement would overflow")
		equal(t, "within", c.ExHIncrByArgs(ctx, p+"k1", "f1", 10, tair.ExHIncrArgs{}.New().Min(0).Max(10)), int64(10))
	})
}

func TestSpecExHIncrByFloat(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "+1.5", c.ExHIncrByFloat(ctx, p+"k1", "f1", 1.5), "1.5")
		equal(t, "-1.5", c.ExHIncrByFloat(ctx, p+"k1", "f1", -1.5), "0")
		equal(t, "-10.7", c.ExHIncrByFloat(ctx, p+"k1", "f1", -10.7), "-10.7")
	})
}

// Ex(1) is one second, as tair-go sent it.
func TestSpecExHIncrByFloatExpire(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHIncrByFloatArgs", c.ExHIncrByFloatArgs(ctx, p+"k1", "f1", 5.1, tair.ExHIncrArgs{}.New().Ex(1)), "5.1")
		between(t, "ExHPTTL", c.ExHPTTL(ctx, p+"k1", "f1"), 1, 1000)
		eventually(t, "field expired", func() bool { return c.ExHLen(ctx, p+"k1").Val() == 0 })
	})
}

func TestSpecExHGetWithVer(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHSet", c.ExHSet(ctx, p+"k1", "f1", "v1"), int64(1))
		equal(t, "ExHGetWithVer", c.ExHGetWithVer(ctx, p+"k1", "f1"), []any{"v1", int64(1)})
		fails(t, "ExHGetWithVer absent", c.ExHGetWithVer(ctx, p+"k1", "nope"), redis.Nil.Error())
	})
}

func TestSpecExHMGetWithVer(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHMSet", c.ExHMSet(ctx, p+"k1", map[string]string{"f1": "v1", "f2": "v2", "f3": "v3"}), "OK")
		equal(t, "ExHMGetWithVer", c.ExHMGetWithVer(ctx, p+"k1", "f1", "nope", "f3"),
			[]any{[]any{"v1", int64(1)}, nil, []any{"v3", int64(1)}})
	})
}

func TestSpecExHDelLenExistsStrLen(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHMSet", c.ExHMSet(ctx, p+"k1", map[string]string{"f1": "v1", "f2": "v2", "f3": "v3"}), "OK")
		equal(t, "ExHDel absent", c.ExHDel(ctx, p+"k1", "not-exists"), int64(0))
		equal(t, "ExHLen", c.ExHLen(ctx, p+"k1"), int64(3))
		equal(t, "ExHDel", c.ExHDel(ctx, p+"k1", "f1"), int64(1))
		equal(t, "ExHExists", c.ExHExists(ctx, p+"k1", "f1"), false)
		equal(t, "ExHExists f2", c.ExHExists(ctx, p+"k1", "f2"), true)
		equal(t, "ExHLen", c.ExHLen(ctx, p+"k1"), int64(2))
		equal(t, "ExHStrLen", c.ExHStrLen(ctx, p+"k1", "f2"), int64(2))
	})
}

func TestSpecExHKeysVals(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHMSet", c.ExHMSet(ctx, p+"k1", map[string]string{"f1": "v1", "f2": "v2", "f3": "v3"}), "OK")
		keys := c.ExHKeys(ctx, p+"k1")
		slices.Sort(keys.Val())
		equal(t, "ExHKeys", keys, []string{"f1", "f2", "f3"})
		vals := c.ExHVals(ctx, p+"k1")
		slices.Sort(vals.Val())
		equal(t, "ExHVals", vals, []string{"v1", "v2", "v3"})
	})
}

func TestSpecExHGetAll(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "ExHMSet", c.ExHMSet(ctx, p+"k1", map[string]string{"f1": "v1", "f2": "v2", "f3": "v3"}), "OK")
		equal(t, "ExHGetAll", c.ExHGetAll(ctx, p+"k1"), map[string]string{"f1": "v1", "f2": "v2", "f3": "v3"})
		equal(t, "ExHGetAll absent", c.ExHGetAll(ctx, p+"nokey"), map[string]string{})
	})
}

// result is what the go-redis commands the tests read have in common.
type result[T any] interface {
	Result() (T, error)
	String() string
}

func equal[T any](t *testing.T, what string, cmd result[T], want T) {
	t.Helper()
	got, err := cmd.Result()
	if err != nil {
		t.Fatalf("%s: %v (%s)", what, err, cmd)
	}
	if !equalValues(got, want) {
		t.Fatalf("%s: got %#v, want %#v", what, got, want)
	}
}

func fails[T any](t *testing.T, what string, cmd result[T], wantErr string) {
	t.Helper()
	_, err := cmd.Result()
	if err == nil || !strings.Contains(err.Error(), wantErr) {
		t.Fatalf("%s: error %v, want one containing %q (%s)", what, err, wantErr, cmd)
	}
}

func between(t *testing.T, what string, cmd *redis.IntCmd, lo, hi int64) {
	t.Helper()
	n, err := cmd.Result()
	if err != nil || n < lo || n > hi {
		t.Fatalf("%s: %d, %v; want %d..%d", what, n, err, lo, hi)
	}
}

// eventually polls cond, on the server's clock, until it holds or ten seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
