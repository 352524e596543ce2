package reliability

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// The module's own defects (specification §11) replayed on our backends, where the same
// sequences must be harmless. Covered elsewhere and not repeated here: D2/D4 (no empty key left
// behind) in scripts.TestNoEmptyKeys, D1's notifications in scripts.TestNotificationsAndD1, D8
// (databases ≥ 16) in emulate.TestReaperHighDatabase. The module is not a target: D1 can crash it.

// TestModuleDefectSequences replays D1, D6 and D7 on every emulated backend.
func TestModuleDefectSequences(t *testing.T) {
	for _, tg := range targets(t) {
		if tg.name == "module" {
			continue
		}
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			c := tg.client()

			// D1: 2-field key with one expired field receiving EXHSET (the module can crash or
			// lose the next field's index entry). Here: the write succeeds, the expired field is
			// gone, the pending one expires on time, the permanent one stays.
			k := tg.prefix + "d1"
			must(t, c.ExHSet(ctx, k, "c", "1").Err())
			must(t, c.ExHSetArgs(ctx, k, "b", "1", exhash.ExHSetArgs{}.New().Px(300*time.Millisecond)).Err())
			must(t, c.ExHSetArgs(ctx, k, "a", "1", exhash.ExHSetArgs{}.New().Px(time.Millisecond)).Err())
			waitGone(t, c, k, "a")
			must(t, c.ExHSet(ctx, k, "c", "2").Err())
			waitGone(t, c, k, "b")
			waitFor(t, "D1: EXHLEN back to 1", func() (bool, string) {
				n, err := c.ExHLen(ctx, k).Result()
				return err == nil && n == 1, strconv.FormatInt(n, 10)
			})
			if keys, err := c.ExHKeys(ctx, k).Result(); err != nil || len(keys) != 1 || keys[0] != "c" {
				t.Fatalf("D1: fields %v, %v; want [c]", keys, err)
			}
			if err := tg.rdb.Ping(ctx).Err(); err != nil {
				t.Fatalf("D1: server gone: %v", err)
			}

			// D7: EXHSETNX on an expired field the sweep has not reached must create it.
			k = tg.prefix + "d7"
			for i := 0; i < 6; i++ {
				must(t, c.ExHSetArgs(ctx, k, "f"+strconv.Itoa(i), "old", exhash.ExHSetArgs{}.New().Px(time.Millisecond)).Err())
			}
			must(t, c.ExHSet(ctx, k, "keep", "1").Err())
			waitGone(t, c, k, "f5")
			if ok, err := c.ExHSetNx(ctx, k, "f5", "new").Result(); err != nil || !ok {
				t.Fatalf("D7: EXHSETNX on an expired field = %v, %v; want created", ok, err)
			}

			// D6: a TTL whose deadline overflows is refused, or honoured as "practically never";
			// never silently ignored (old TTL kept) nor turned into immediate expiry.
			k = tg.prefix + "d6"
			must(t, c.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Px(time.Minute)).Err())
			for _, args := range [][]any{
				{"exhset", k, "f", "v", "EX", "9223372036854775807"},
				{"exhset", k, "f", "v", "PX", "9223372036854775807"},
				{"exhpexpire", k, "f", "9223372036854775807"},
				{"exhexpire", k, "f", "9223372036854775807"},
				{"exhpexpireat", k, "f", "9223372036854775807"},
			} {
				err := tg.be.Do(ctx, tg.rdb, args...).Err()
				vv, gerr := c.ExHGetWithVer(ctx, k, "f").Result()
				if gerr != nil {
					t.Fatalf("D6 %q (err %v): field gone: %v", args, err, gerr)
				}
				ttl, terr := c.ExHTTL(ctx, k, "f").Result()
				if terr != nil {
					t.Fatal(terr)
				}
				if err == nil && ttl.TTL > 0 && ttl.TTL <= time.Minute {
					t.Fatalf("D6 %q accepted but the old TTL %v was kept (version %d)", args, ttl.TTL, vv.Version)
				}
				must(t, c.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Px(time.Minute)).Err())
			}
		})
	}
}

// TestModuleDefectsAcrossRestart replays D3 and D5 — what the module loses or corrupts through
// its AOF — on a dedicated server per backend with AOF on, a rewrite and a restart.
func TestModuleDefectsAcrossRestart(t *testing.T) {
	for _, kind := range faultKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			srv, rdb, c, be := dedicated(t, kind, "--appendonly", "yes", "--appendfsync", "always")
			ctx := context.Background()
			hour := exhash.ExHSetArgs{}.New().Px(time.Hour)
			// D3: KEEPTTL must keep the TTL; an EXHINCRBY TTL must stay near what was asked;
			// EXHPERSIST must survive.
			must(t, c.ExHSetArgs(ctx, "k", "keep", "1", hour).Err())
			must(t, c.ExHSetArgs(ctx, "k", "keep", "2", exhash.ExHSetArgs{}.New().KeepTTL()).Err())
			must(t, c.ExHIncrByArgs(ctx, "k", "incr", 1, exhash.ExHIncrArgs{}.New().Px(time.Hour)).Err())
			must(t, c.ExHSetArgs(ctx, "k", "persist", "1", hour).Err())
			must(t, c.ExHPersist(ctx, "k", "persist").Err())
			// D5: a version-0 field (EXHSETNX) and a version set with ABS survive a rewrite.
			must(t, c.ExHSetNx(ctx, "k", "nx", "1").Err())
			must(t, c.ExHSetArgs(ctx, "k", "abs", "1", exhash.ExHSetArgs{}.New().Abs(1<<62)).Err())
			before, err := c.ExHGetAllWithVer(ctx, "k").Result()
			must(t, err)
			must(t, rdb.BgRewriteAOF(ctx).Err())
			waitFor(t, "AOF rewrite", func() (bool, string) {
				info := rdb.Info(ctx, "persistence").Val()
				return containsLine(info, "aof_rewrite_in_progress:0") && containsLine(info, "aof_rewrite_scheduled:0"), "in progress"
			})
			srv.Restart(t)
			after, err := c.ExHGetAllWithVer(ctx, "k").Result()
			must(t, err)
			if len(after) != len(before) {
				t.Fatalf("%s/%s: fields before %v, after restart %v", kind, be, keysOf(before), keysOf(after))
			}
			for f, vv := range before {
				if after[f] != vv {
					t.Fatalf("%s/%s: field %s was %+v, after rewrite+restart %+v", kind, be, f, vv, after[f])
				}
			}
			for f, wantTTL := range map[string]bool{"keep": true, "incr": true, "persist": false, "nx": false} {
				ttl, err := c.ExHPTTL(ctx, "k", f).Result()
				must(t, err)
				if has := ttl.TTL > 0; has != wantTTL || ttl.TTL > time.Hour {
					t.Fatalf("%s/%s: %s TTL after rewrite+restart %+v, want TTL %v (≤ 1h)", kind, be, f, ttl, wantTTL)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// waitGone polls until field reads as absent (it expires on the server clock).
func waitGone(t *testing.T, c *exhash.Client, key, field string) {
	t.Helper()
	waitFor(t, key+"/"+field+" expired", func() (bool, string) {
		_, err := c.ExHGet(context.Background(), key, field).Result()
		return errors.Is(err, redis.Nil), "still readable"
	})
}

func containsLine(info, line string) bool {
	for _, l := range splitLines(info) {
		if l == line {
			return true
		}
	}
	return false
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			l := s[start:i]
			if len(l) > 0 && l[len(l)-1] == '\r' {
				l = l[:len(l)-1]
			}
			out = append(out, l)
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func keysOf(m map[string]exhash.ValueVersion) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
