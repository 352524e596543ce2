package emulate_test

import (
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Fields whose deadline has passed but that the server has not reclaimed yet are gone for every
// command. Valkey 9 keeps them stored (HLEN and EXISTS count them) until its active expiry passes,
// which this test turns off; a script never sees Redis reclaim them either. A key left with only
// such fields replies as an absent key, and a field written already due beside them leaves the
// tombstone of a key that had no other field.
func TestHFEUnreclaimedFieldsAreGone(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis8, testserver.KindValkey9} {
		t.Run(kind, func(t *testing.T) {
			srv := testserver.Start(t, kind) // its own: active expiry is turned off
			e := &hfeEnv{t: t, ctx: t.Context(), rdb: srv.Client(t), be: emulate.NewHFE(), pre: srv.Prefix(t)}
			if err := e.rdb.Do(e.ctx, "debug", "set-active-expire", "0").Err(); err != nil {
				t.Fatal(err)
			}
			key := e.pre + "h"
			e.must("exhset", key, "f", "v", "px", "50")
			e.must("exhset", key, "g", "v", "px", "50")
			waitFieldExpired(e, key, "f")
			waitFieldExpired(e, key, "g")
			if kind == testserver.KindValkey9 {
				// The difference this test is about: Valkey still stores and counts them.
				if n := e.rdb.HLen(e.ctx, key).Val(); n != 2 {
					t.Fatalf("HLEN on %s after the fields expired = %d, want 2 (not reclaimed)", kind, n)
				}
			}
			for _, c := range []struct {
				args []any
				want any
			}{
				{[]any{"exhttl", key, "f"}, int64(-2)},
				{[]any{"exhpttl", key, "g"}, int64(-2)},
				{[]any{"exhver", key, "f"}, int64(-1)},
				{[]any{"exhlen", key}, int64(0)},
				{[]any{"exhexists", key, "f"}, int64(0)},
			} {
				if got := e.must(c.args...); got != c.want {
					t.Errorf("%v = %v, want %v (a key with only expired fields is absent)", c.args, got, c.want)
				}
			}
			// Written already due, next to fields that only wait to be reclaimed: the key had
			// no other field, so it counts as present until the next command looks at it.
			e.must("exhset", key, "d", "v", "px", "0")
			ttl := "exh~t:{" + key + "}"
			if got := e.rdb.ZScore(e.ctx, ttl, "d").Val(); got != -1 {
				t.Errorf("tombstone score %v, want -1 (the key had no live field)", got)
			}
			if got := e.must("exhttl", key, "d"); got != int64(-3) {
				t.Errorf("EXHTTL of the tombstone's key = %v, want -3 (key present, field gone)", got)
			}
			if got := e.must("exhttl", key, "d"); got != int64(-2) {
				t.Errorf("EXHTTL once the tombstone was looked at = %v, want -2 (no key)", got)
			}
			// A live field beside the expired ones makes the key present again.
			e.must("exhset", key, "live", "v")
			if got := e.must("exhttl", key, "f"); got != int64(-3) {
				t.Errorf("EXHTTL of an expired field beside a live one = %v, want -3", got)
			}
			if got := e.must("exhver", key, "f"); got != int64(-2) {
				t.Errorf("EXHVER of an expired field beside a live one = %v, want -2", got)
			}
		})
	}
}

// waitFieldExpired polls the server's own HPTTL until the field's deadline has passed.
func waitFieldExpired(e *hfeEnv, key, field string) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ttl, err := e.rdb.Do(e.ctx, "hpttl", key, "fields", 1, field).Int64Slice()
		if err != nil {
			e.t.Fatalf("HPTTL %s %s: %v", key, field, err)
		}
		if len(ttl) == 1 && ttl[0] == -2 {
			// Scripts judge expiry by a clock Redis caches; on a loaded machine it lagged behind
			// the one HPTTL used (EXHVER still saw the field). Let the server's clock run 100 ms more.
			t0, err := e.rdb.Time(e.ctx).Result()
			if err != nil {
				e.t.Fatal(err)
			}
			for {
				now, err := e.rdb.Time(e.ctx).Result()
				if err != nil {
					e.t.Fatal(err)
				}
				if now.Sub(t0) >= 100*time.Millisecond {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("HPTTL %s %s = %v after 10 s, want [-2]", key, field, ttl)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
