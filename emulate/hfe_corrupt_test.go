package emulate_test

import (
	"errors"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// A version companion changed by hand (a version that is not an integer) gives a clear error that
// matches exhash.ErrCorruptCompanion, and nothing is written: not the value of a write that would
// have bumped the version, not the first fields of an EXHMSET. Before, EXHSET failed in Lua
// arithmetic and EXHGETALLWITHVER answered a version that was not one.
func TestHFECorruptVersionCompanion(t *testing.T) {
	for _, srv := range []func(testing.TB) *testserver.Server{testserver.Redis8, testserver.Valkey9} {
		s := srv(t)
		t.Run(s.Name, func(t *testing.T) {
			ctx := t.Context()
			rdb := s.Client(t)
			c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewHFE()))
			k := s.Prefix(t) + "k"
			if err := c.ExHMSet(ctx, k, map[string]string{"f": "1", "g": "2"}).Err(); err != nil {
				t.Fatal(err)
			}
			if err := c.ExHSet(ctx, k, "f", "1").Err(); err != nil { // version 2: stored in the companion
				t.Fatal(err)
			}
			_, ver, _ := emulate.CompanionKeys(k)
			if err := rdb.HSet(ctx, ver, "f", "not-a-version").Err(); err != nil {
				t.Fatal(err)
			}
			corrupt := func(what string, err error) {
				t.Helper()
				if !errors.Is(err, exhash.ErrCorruptCompanion) {
					t.Fatalf("%s: %v; want ErrCorruptCompanion", what, err)
				}
			}
			corrupt("EXHSET", c.ExHSet(ctx, k, "f", "changed").Err())
			corrupt("EXHMSET", c.ExHMSet(ctx, k, map[string]string{"g": "changed", "f": "changed", "new": "x"}).Err())
			corrupt("EXHINCRBY", c.ExHIncrBy(ctx, k, "f", 1).Err())
			corrupt("EXHINCRBYFLOAT", c.ExHIncrByFloat(ctx, k, "f", 1.5).Err())
			corrupt("EXHPEXPIRE", c.ExHPExpire(ctx, k, "f", time.Hour).Err())
			if ttl := rdb.HPTTL(ctx, k, "f").Val(); len(ttl) != 1 || ttl[0] != -1 {
				t.Fatalf("after the refused EXHPEXPIRE the field's TTL is %v, want none (-1)", ttl)
			}
			corrupt("EXHVER", c.ExHVer(ctx, k, "f").Err())
			corrupt("EXHGETALLWITHVER", c.ExHGetAllWithVer(ctx, k).Err())
			got, err := rdb.HGetAll(ctx, k).Result()
			if err != nil || len(got) != 2 || got["f"] != "1" || got["g"] != "2" {
				t.Fatalf("after the refused writes the key holds %v, %v; want f=1 g=2, unchanged", got, err)
			}
			// Repaired (the field's version set again), the key works as before.
			if err := c.ExHSetVer(ctx, k, "f", 7).Err(); err != nil {
				t.Fatal(err)
			}
			if v, err := c.ExHVer(ctx, k, "f").Result(); err != nil || v.Version != 7 {
				t.Fatalf("after EXHSETVER: %+v, %v", v, err)
			}
		})
	}
}
