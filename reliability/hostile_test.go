package reliability

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// inputsTried counts the hostile inputs sent end to end, for docs/reliability.md.
var inputsTried atomic.Int64

// TestHostileInput sends malformed and hostile commands through each backend exactly as a caller
// or the protocol server would (raw arguments, bypassing the typed client's own checks) and
// checks that each gets a clear error (the spec's text, §12) or, where the input is legal, a
// correct answer — and that the data around it is intact: the hash, its versions and TTLs, a
// string and a list next to it.
func TestHostileInput(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			c := tg.client()
			h, s, l := tg.prefix+"h", tg.prefix+"s", tg.prefix+"l"
			if tg.rdb.(interface {
				Do(context.Context, ...any) *redis.Cmd
			}) == nil {
				t.Fatal("no Do")
			}
			// The hash: a number, a near-max number, a text field, a field with a long TTL.
			mustDo(t, tg, "exhset", h, "num", "10")
			mustDo(t, tg, "exhset", h, "big", "9223372036854775806")
			mustDo(t, tg, "exhset", h, "txt", "abc")
			mustDo(t, tg, "exhset", h, "ttl", "x", "EX", "3600")
			mustDo(t, tg, "exhset", h, "ttl", "y", "KEEPTTL")
			if err := tg.rdb.Set(ctx, s, "plain", 0).Err(); err != nil {
				t.Fatal(err)
			}
			if err := tg.rdb.RPush(ctx, l, "a", "b").Err(); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, tg, c, h, s, l)

			bad := []struct {
				args []any
				want string // a substring of the error; "" accepts success too (then checked by ok)
				ok   func(*redis.Cmd) bool
			}{
				{args: []any{"exhset", s, "f", "v"}, want: "WRONGTYPE"},
				{args: []any{"exhget", l, "f"}, want: "WRONGTYPE"},
				{args: []any{"exhincrby", s, "f", "1"}, want: "WRONGTYPE"},
				{args: []any{"exhdel", l, "a"}, want: "WRONGTYPE"},
				{args: []any{"exhincrby", h, "txt", "1"}, want: "not an integer"},
				{args: []any{"exhincrby", h, "big", "10"}, want: "overflow"},
				{args: []any{"exhincrby", h, "num", "-9223372036854775808", "MIN", "0"}, want: "overflow"},
				{args: []any{"exhincrby", h, "num", "9223372036854775808"}, want: "ERR"},
				{args: []any{"exhincrbyfloat", h, "num", "nan"}, want: "ERR"},
				{args: []any{"exhincrbyfloat", h, "num", "inf"}, want: "overflow"},
				{args: []any{"exhincrbyfloat", h, "num", "-inf"}, want: "overflow"},
				{args: []any{"exhincrbyfloat", h, "num", "1e5000"}, want: "ERR"},
				{args: []any{"exhincrbyfloat", h, "txt", "1"}, want: "ERR"},
				{args: []any{"exhset", h, "num", "v", "VER", "-1"}, want: "syntax"},
				{args: []any{"exhset", h, "num", "v", "VER", "9223372036854775808"}, want: "syntax"},
				{args: []any{"exhset", h, "num", "v", "ABS", "0"}, want: "syntax"},
				{args: []any{"exhset", h, "num", "v", "VER", "99"}, want: "stale"},
				{args: []any{"exhset", h, "num", "v", "PX", "-5"}, want: "syntax"},
				{args: []any{"exhset", h, "num", "v", "PX", "9223372036854775808"}, want: "syntax"},
				{args: []any{"exhset", h, "num", "v", "PX", "1", "EX", "1"}, want: "syntax"},
				{args: []any{"exhset", h, "num", "v", "NX", "XX"}, want: "syntax"},
				{args: []any{"exhset", h, "num", "v", "BOGUS"}, want: "syntax"},
				{args: []any{"exhset", h, "num", "v", "VER"}, want: "syntax"},
				{args: []any{"exhset", h, "num"}, want: "wrong number"},
				{args: []any{"exhmget", h}, want: "wrong number"},
				{args: []any{"exhdelwithver", h, "num", "x"}, want: "ERR"},
				{args: []any{"exhpexpire", h, "num", "-1"}, want: "syntax"},
				{args: []any{"exhsetver", h, "num", "0"}, want: "syntax"},
				{args: []any{"exhlen", h, "BOGUS"}, want: "syntax"},
				{args: []any{"exhscan", h, "notacursor"}, want: "ERR"},
				// Legal but extreme: must answer correctly and quickly, without damage. (COUNT -1
				// is accepted by the module too, as a default count.)
				{args: []any{"exhscan", h, "0", "COUNT", "-1"}, ok: func(cmd *redis.Cmd) bool { return cmd.Err() == nil }},
				{args: []any{"exhscan", h, "0", "COUNT", "9223372036854775807"}, ok: func(cmd *redis.Cmd) bool { return cmd.Err() == nil }},
				{args: []any{"exhmget", h, "num", "nope", "\xff\xfe"}, ok: func(cmd *redis.Cmd) bool {
					v, err := cmd.Slice()
					return err == nil && len(v) == 3 && fmt.Sprint(v[0]) == "10" && (v[1] == nil || v[1] == false)
				}},
				{args: []any{"exhget", h, strings.Repeat("z", 1<<16)}, ok: func(cmd *redis.Cmd) bool { return errors.Is(cmd.Err(), redis.Nil) || cmd.Val() == false }},
			}
			for _, b := range bad {
				inputsTried.Add(1)
				cmd := tg.be.Do(ctx, tg.rdb, b.args...)
				switch {
				case b.ok != nil:
					if !b.ok(cmd) {
						t.Errorf("%q: reply %v, %v", b.args, cmd.Val(), cmd.Err())
					}
				case cmd.Err() == nil || errors.Is(cmd.Err(), redis.Nil):
					t.Errorf("%q: accepted (%v), want an error containing %q", b.args, cmd.Val(), b.want)
				case !strings.Contains(strings.ToLower(cmd.Err().Error()), strings.ToLower(b.want)):
					t.Errorf("%q: error %q, want one containing %q", b.args, cmd.Err(), b.want)
				}
			}
			if after := snapshot(t, tg, c, h, s, l); !reflect.DeepEqual(before, after) {
				t.Errorf("data changed by refused commands:\nbefore %v\nafter  %v", before, after)
			}

			// Typed client: NaN/Inf increments and overflowing durations are refused before sending.
			for name, err := range map[string]error{
				"NaN increment":  c.ExHIncrByFloat(ctx, h, "num", nanValue()).Err(),
				"+Inf increment": c.ExHIncrByFloat(ctx, h, "num", infValue()).Err(),
				"negative VER":   c.ExHSetArgs(ctx, h, "num", "v", exhash.ExHSetArgs{}.New().Ver(-1)).Err(),
			} {
				inputsTried.Add(1)
				if err == nil {
					t.Errorf("typed %s: accepted", name)
				}
			}

			// Non-UTF-8 and NUL bytes are data: they round-trip exactly.
			inputsTried.Add(1)
			odd := tg.prefix + "bin\xff"
			if err := c.ExHSet(ctx, odd, "\xff\xfe\x00f", "\x00\xc3\x28v").Err(); err != nil {
				t.Fatalf("binary field: %v", err)
			}
			if v, err := c.ExHGet(ctx, odd, "\xff\xfe\x00f").Result(); err != nil || v != "\x00\xc3\x28v" {
				t.Fatalf("binary field read back %q, %v", v, err)
			}

			// A user key that looks like a companion of h: our backends refuse it (ErrReservedKey);
			// the module has no companions and stores it. Either way h is untouched.
			inputsTried.Add(1)
			fake := "exh~t:{" + h + "}"
			err := c.ExHSet(ctx, fake, "num", "666").Err()
			if tg.name == "module" {
				if err != nil {
					t.Errorf("module refused %q: %v", fake, err)
				}
				tg.rdb.Del(ctx, fake)
			} else if !errors.Is(err, exhash.ErrReservedKey) {
				t.Errorf("companion-looking key %q: %v, want ErrReservedKey", fake, err)
			}
			if after := snapshot(t, tg, c, h, s, l); !reflect.DeepEqual(before, after) {
				t.Errorf("data changed:\nbefore %v\nafter  %v", before, after)
			}
			t.Logf("%s: %d hostile inputs, all refused clearly or answered correctly; data intact", tg.name, len(bad)+5)
		})
	}
}

func mustDo(t *testing.T, tg target, args ...any) {
	t.Helper()
	if err := tg.be.Do(context.Background(), tg.rdb, args...).Err(); err != nil {
		t.Fatalf("%q: %v", args, err)
	}
}

// snapshot captures everything the hostile commands could damage: the hash's fields with values
// and versions, whether each still has a TTL, and the neighbouring string and list.
func snapshot(t *testing.T, tg target, c *exhash.Client, h, s, l string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	all, err := c.ExHGetAllWithVer(ctx, h).Result()
	if err != nil {
		t.Fatal(err)
	}
	for f, vv := range all {
		ttl, err := c.ExHTTL(ctx, h, f).Result()
		if err != nil {
			t.Fatal(err)
		}
		out["h/"+f] = fmt.Sprintf("%s v%d ttl=%v", vv.Value, vv.Version, ttl.TTL > 0)
	}
	out["s"] = tg.rdb.Get(ctx, s).Val()
	out["l"] = strings.Join(tg.rdb.LRange(ctx, l, 0, -1).Val(), ",")
	return out
}

func nanValue() float64 { var zero float64; return zero / zero }

func infValue() float64 { var zero float64; return 1 / zero }
