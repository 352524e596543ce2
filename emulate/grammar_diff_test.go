package emulate_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Random EXH* commands, mostly malformed (option words in any order, repeated or missing their
// value, numbers in every spelling), on an absent key, a key of another type and a TairHash key
// with one field, get the module's reply from both emulations: the same error, of the same kind
// and precedence (WRONGTYPE before the errors the module finds after looking at the key, arity
// and the errors found before it), or the same value. The module is the judge ($TAIRHASH_ADDR).
func TestGrammarMatchesModule(t *testing.T) {
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		t.Skip("TAIRHASH_ADDR not set: no server with the TairHash module")
	}
	module := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = module.Close() })
	targets := []struct {
		name    string
		backend driver.Backend
		srv     *testserver.Server
	}{
		{"lua", emulate.NewLua(), testserver.Redis7(t)},
		{"hfe", emulate.NewHFE(), testserver.Redis8(t)},
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 17))
	modPre := fmt.Sprintf("grammar-diff:%d:", seed)
	var modKeys []string
	t.Cleanup(func() {
		for _, k := range modKeys {
			module.Del(context.Background(), k)
		}
	})
	ctx := t.Context()
	mismatches, errs := 0, map[string]int{}
	for i := 0; i < 600; i++ {
		state := i % 3
		args := malformed(rng)
		mk := modPre + strconv.Itoa(i)
		modKeys = append(modKeys, mk)
		// EXHSCAN's pages differ (the module walks its own table, HSCAN returns a small hash
		// whole whatever the cursor): only its errors are compared.
		errorsOnly := args[0] == "exhscan"
		want := show(prepare(ctx, t, module, exhNative, state, mk).Do(ctx, withKey(args, mk)...), errorsOnly)
		errs[replyKind(want)]++
		for _, tg := range targets {
			c := tg.srv.Client(t)
			k := tg.srv.Prefix(t) + strconv.Itoa(i)
			do := func(ctx context.Context, args ...any) *redis.Cmd { return tg.backend.Do(ctx, c, args...) }
			got := show(prepare(ctx, t, c, do, state, k).Do(ctx, withKey(args, k)...), errorsOnly)
			if got != want {
				mismatches++
				t.Errorf("seed %d, %s, key %s: %q\n module %s\n %s %s", seed, tg.name, keyStates[state], args, want, tg.name, got)
			}
		}
		if mismatches > 10 {
			t.FailNow()
		}
	}
	t.Logf("module replies: %v", errs)
	// The mix must exercise every class, or the comparison proves little.
	for _, kind := range []string{"no error", "WRONGTYPE Operation", "ERR syntax", "ERR wrong", "ERR value"} {
		if errs[kind] < 5 {
			t.Errorf("only %d module replies of kind %q in %v", errs[kind], kind, errs)
		}
	}
}

var keyStates = []string{"absent", "of another type", "with field f"}

type doer interface {
	Do(ctx context.Context, args ...any) *redis.Cmd
}

type doFunc func(ctx context.Context, args ...any) *redis.Cmd

func (f doFunc) Do(ctx context.Context, args ...any) *redis.Cmd { return f(ctx, args...) }

var exhNative doFunc

// prepare gives key k the state and returns how to run commands on the target.
func prepare(ctx context.Context, t *testing.T, c redis.UniversalClient, exh doFunc, state int, k string) doer {
	t.Helper()
	if exh == nil {
		exh = c.Do
	}
	switch state {
	case 1:
		if err := c.Set(ctx, k, "s", 0).Err(); err != nil {
			t.Fatal(err)
		}
	case 2:
		if err := exh(ctx, "exhset", k, "f", "10").Err(); err != nil {
			t.Fatal(err)
		}
	}
	return exh
}

func withKey(args []string, k string) []any {
	out := []any{args[0], k}
	for _, a := range args[1:] {
		out = append(out, a)
	}
	return out
}

// replyKind is "no error" or an error's first two words.
func replyKind(shown string) string {
	words := strings.Fields(strings.TrimPrefix(shown, "error "))
	if !strings.HasPrefix(shown, "error ") || len(words) < 2 {
		return "no error"
	}
	return words[0] + " " + words[1]
}

func show(c *redis.Cmd, errorsOnly bool) string {
	v, err := c.Result()
	switch {
	case err != nil:
		return "error " + err.Error()
	case errorsOnly:
		return "no error"
	}
	return fmt.Sprint(v)
}

// malformed returns a command (name, then its arguments after the key) built from pieces that
// are often wrong. TTLs stay small: huge ones overflow in the module (D6).
func malformed(rng *rand.Rand) []string {
	nums := []string{"0", "1", "2", "3", "-1", "abc", "", "1.5", "007", "+5", "-0", "inf", "0x10", "1e3",
		"9223372036854775808", "-9223372036854775809"}
	words := []string{"ex", "px", "exat", "pxat", "keepttl", "nx", "xx", "ver", "abs", "gt", "min", "max",
		"match", "count", "noexp", "EX", "Ver", "bogus"}
	num := func() string { return nums[rng.IntN(len(nums))] }
	opts := func(n int) []string {
		var out []string
		for j := 0; j < n; j++ {
			w := words[rng.IntN(len(words))]
			out = append(out, w)
			if rng.IntN(5) > 0 {
				v := num()
				if (w == "exat" || w == "pxat" || strings.EqualFold(w, "ex")) && rng.IntN(2) == 0 {
					v = "100000" // a time in the past or near: never one that overflows
				}
				out = append(out, v)
			}
		}
		return out
	}
	switch rng.IntN(10) {
	case 0:
		return append([]string{"exhset", "f", "v"}, opts(rng.IntN(4))...)
	case 1:
		return append([]string{"exhincrby", "f", num()}, opts(rng.IntN(4))...)
	case 2:
		return append([]string{"exhincrbyfloat", "f", num()}, opts(rng.IntN(4))...)
	case 3:
		return append([]string{[]string{"exhpexpire", "exhexpire", "exhpexpireat"}[rng.IntN(3)], "f", num()}, opts(rng.IntN(2))...)
	case 4:
		return []string{"exhsetver", "f", num()}
	case 5:
		if rng.IntN(2) == 0 {
			return []string{"exhlen"}
		}
		return []string{"exhlen", words[rng.IntN(len(words))]}
	case 6:
		return append([]string{"exhscan", num()}, opts(rng.IntN(3))...)
	case 7:
		a := []string{"exhmsetwithopts"}
		for j := rng.IntN(3); j > 0; j-- {
			a = append(a, "g"+strconv.Itoa(j), "v", num(), num())
		}
		if rng.IntN(4) == 0 {
			a = append(a, num())
		}
		return a
	case 8:
		a := []string{"exhdelwithver"}
		for j := rng.IntN(3); j > 0; j-- {
			a = append(a, []string{"f", "g"}[rng.IntN(2)], num())
		}
		return a
	}
	return append([]string{"exhset", "f"}, opts(rng.IntN(3))...)
}
