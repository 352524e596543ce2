package emulate_test

import (
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Companions changed by hand (a version that is not an integer, a deadline of +inf) give a clear
// error matching exhash.ErrCorruptCompanion, and nothing is written. Before, EXHSET wrote the value
// and then failed in Lua arithmetic, EXHMSET wrote half, EXHVER answered nil and EXHTTL
// -9223372036854775808. Both call paths: the function library (batched) and one script per command.
func TestLuaCorruptCompanions(t *testing.T) {
	for name, be := range map[string]func() driver.Backend{
		"batched":    func() driver.Backend { return emulate.NewLua() },
		"per-script": func() driver.Backend { return emulate.NewLua(emulate.WithLuaOneCallPerCommand()) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			srv := testserver.Redis7(t)
			rdb := srv.Client(t)
			c := exhash.NewClient(rdb, exhash.WithBackend(be()))
			k := srv.Prefix(t) + "k"
			for _, f := range []string{"f", "n"} {
				for range 2 { // version 2: stored in the companion
					if err := c.ExHSet(ctx, k, f, "1").Err(); err != nil {
						t.Fatal(err)
					}
				}
			}
			ttlKey, verKey, _ := emulate.CompanionKeys(k)
			if err := rdb.HSet(ctx, verKey, "f", "not-a-version", "n", "1.5").Err(); err != nil {
				t.Fatal(err)
			}
			corrupt := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, exhash.ErrCorruptCompanion) {
					t.Errorf("%s: %v; want ErrCorruptCompanion", what, err)
				}
			}
			corrupt("EXHSET", c.ExHSet(ctx, k, "f", "changed").Err())
			corrupt("EXHSET EX", c.ExHSetArgs(ctx, k, "f", "changed", exhash.ExHSetArgs{}.New().Ex(100*time.Second)).Err())
			corrupt("EXHMSET", c.ExHMSet(ctx, k, map[string]string{"new": "x", "f": "changed"}).Err())
			corrupt("EXHINCRBY", c.ExHIncrBy(ctx, k, "n", 1).Err())
			corrupt("EXHINCRBYFLOAT", c.ExHIncrByFloat(ctx, k, "n", 1.5).Err())
			corrupt("EXHVER", c.ExHVer(ctx, k, "f").Err())
			corrupt("EXHGETWITHVER", c.ExHGetWithVer(ctx, k, "f").Err())
			corrupt("EXHMGETWITHVER", c.ExHMGetWithVer(ctx, k, "f").Err())
			corrupt("EXHGETALLWITHVER", c.ExHGetAllWithVer(ctx, k).Err())
			got, err := rdb.HGetAll(ctx, k).Result()
			if err != nil || len(got) != 2 || got["f"] != "1" || got["n"] != "1" {
				t.Fatalf("after the refused writes the key holds %v, %v; want f=1 n=1, unchanged", got, err)
			}

			if err := rdb.ZAdd(ctx, ttlKey, redis.Z{Score: 1e300, Member: "f"}).Err(); err != nil {
				t.Fatal(err)
			}
			if err := rdb.Do(ctx, "zadd", ttlKey, "+inf", "f").Err(); err != nil {
				t.Fatal(err)
			}
			corrupt("EXHTTL of a +inf deadline", c.ExHTTL(ctx, k, "f").Err())
		})
	}
}
