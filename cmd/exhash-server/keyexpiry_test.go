package main

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// A Tair program's key-level expiry commands through the server behave as on the module: they
// concern the deadline set on the key, not the fields' TTLs, and the companions go with the key
// (spec 8.5). The same scenario runs against the module itself when TAIRHASH_ADDR is set.
func TestKeyExpiryThroughServer(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis7, testserver.KindValkey8} {
		t.Run(kind, func(t *testing.T) {
			up := testserver.Start(t, kind)
			addr := serve(t, "--upstream", up.Addr, "--reap-dbs", "")
			c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
			defer c.Close()
			keyExpiryScenario(t, c, "", func() []string { return rawCompanions(t, up, 0) })
		})
	}
	t.Run("tairhash", func(t *testing.T) {
		addr := os.Getenv("TAIRHASH_ADDR")
		if addr == "" {
			t.Skip("TAIRHASH_ADDR not set: no server with the TairHash module")
		}
		c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
		defer c.Close()
		keyExpiryScenario(t, c, "keyexpiry-"+strconv.FormatInt(time.Now().UnixNano(), 36)+"-", func() []string { return nil })
	})
}

func keyExpiryScenario(t *testing.T, c *redis.Client, p string, companions func() []string) {
	ctx := t.Context()
	k := p + "k"
	do := func(args ...any) *redis.Cmd { return c.Do(ctx, args...) }
	want := func(what string, got *redis.Cmd, v int64) {
		t.Helper()
		if n, err := got.Int64(); err != nil || n != v {
			t.Fatalf("%s = %d, %v; want %d", what, n, err, v)
		}
	}
	if err := do("exhset", k, "f", "v", "ex", 100).Err(); err != nil {
		t.Fatal(err)
	}
	want("TTL of a key with field TTLs only", do("ttl", k), -1)
	want("PEXPIRETIME of it", do("pexpiretime", k), -1)
	want("PERSIST of it", do("persist", k), 0)
	want("EXPIRE XX", do("expire", k, 50, "xx"), 0)
	want("EXPIRE", do("expire", k, 50), 1)
	want("TTL", do("ttl", k), 50)
	if err := do("exhset", k, "g", "v").Err(); err != nil {
		t.Fatal(err)
	}
	want("TTL after EXHSET", do("ttl", k), 50)
	want("EXPIRE NX", do("expire", k, 80, "nx"), 0)
	want("EXPIRE GT", do("expire", k, 80, "gt"), 1)
	want("EXPIRE LT", do("expire", k, 90, "lt"), 0)
	want("TTL", do("ttl", k), 80)
	if at, err := do("expiretime", k).Int64(); err != nil || at < time.Now().Unix()+70 {
		t.Fatalf("EXPIRETIME = %d, %v", at, err)
	}
	for _, bad := range [][]any{{"expire", k, "x"}, {"expire", k, 1, "nx", "xx"}, {"expire", k, 1, "foo"}, {"ttl", k, 1}, {"persist"}} {
		if err := do(bad...).Err(); err == nil {
			t.Fatalf("%v: no error", bad)
		}
	}
	want("PERSIST", do("persist", k), 1)
	want("TTL after PERSIST", do("ttl", k), -1)

	// In MULTI and in a pipeline.
	var exp *redis.BoolCmd
	var pttl *redis.DurationCmd
	if _, err := c.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		exp = pipe.PExpire(ctx, k, 2*time.Second)
		pipe.Do(ctx, "exhset", k, "h", "v")
		pttl = pipe.PTTL(ctx, k)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !exp.Val() || pttl.Val() <= 0 || pttl.Val() > 2*time.Second {
		t.Fatalf("in MULTI: PEXPIRE %v, PTTL %v", exp.Val(), pttl.Val())
	}
	pipe := c.Pipeline()
	persist := pipe.Persist(ctx, k)
	after := pipe.TTL(ctx, k)
	exp = pipe.PExpire(ctx, k, 400*time.Millisecond)
	pipe.Do(ctx, "exhset", k, "i", "v", "ex", 100)
	pttl = pipe.PTTL(ctx, k)
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if !persist.Val() || after.Val() != -1 || !exp.Val() || pttl.Val() <= 0 || pttl.Val() > 400*time.Millisecond {
		t.Fatalf("in a pipeline: PERSIST %v, TTL %v, PEXPIRE %v, PTTL %v", persist.Val(), after.Val(), exp.Val(), pttl.Val())
	}

	// The key goes at its deadline with fields of longer TTLs, and its companions with it.
	waitFor(t, "the key to reach its deadline", func() bool { return c.Exists(ctx, k).Val() == 0 })
	waitFor(t, "its companions to go", func() bool { return len(companions()) == 0 })
	if err := do("exhset", k, "f", "v").Err(); err != nil {
		t.Fatal(err)
	}
	want("EXHVER of the recreated key", do("exhver", k, "f"), 1)
	want("TTL of the recreated key", do("ttl", k), -1)
	want("DEL", do("del", k), 1)

	// Keys of other types, and names the emulation cannot store, get Redis' own commands.
	for _, s := range []string{p + "s", p + "a}b"} {
		if err := c.Set(ctx, s, "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
		want("EXPIRE of a string", do("expire", s, 100), 1)
		want("TTL of a string", do("ttl", s), 100)
		want("PERSIST of a string", do("persist", s), 1)
		want("DEL of a string", do("del", s), 1)
	}
	if got := companions(); len(got) != 0 {
		t.Fatalf("companions left: %v", got)
	}
}
