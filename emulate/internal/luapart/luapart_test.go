package luapart

import (
	"context"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// helpersLua runs the int64 helpers on ARGV: is_i64 of each, then, for the canonical ones, ver_inc
// and int_reply of each and i64_cmp and i64_add of every ordered pair (false for an overflow).
const helpersLua = `
local ok, vals, out = {}, {}, {}
for i = 1, #ARGV do
  ok[i] = is_i64(ARGV[i]) and 1 or 0
  if ok[i] == 1 then vals[#vals + 1] = ARGV[i] end
end
out[1] = ok
local inc, rep, cmp, add = {}, {}, {}, {}
for i = 1, #vals do
  inc[i], rep[i] = ver_inc(vals[i]), int_reply(vals[i])
  for j = 1, #vals do
    cmp[#cmp + 1] = i64_cmp(vals[i], vals[j])
    add[#add + 1] = i64_add(vals[i], vals[j]) or false
  end
end
out[2], out[3], out[4], out[5] = inc, rep, cmp, add
return out
`

// TestIntHelpersMatchBigInts checks the int64 helpers against math/big on the boundaries (int64
// min and max, 15/16 digits where the fast paths end, 2^53, 19 digits, 1e9 where a value is split)
// and random values of every length, plus strings that are not canonical int64s.
func TestIntHelpersMatchBigInts(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: testserver.Redis7(t).Addr})
	defer rdb.Close()
	args := []any{"0", "1", "-1", "999999999", "1000000000", "-1000000000", "999999999999999",
		"-99999999999999", "1000000000000000", "-999999999999999", "9007199254740993",
		"-9007199254740993", "4611686018427387904", "9223372036854775806", "9223372036854775807",
		"-9223372036854775807", "-9223372036854775808",
		// not canonical int64s
		"9223372036854775808", "-9223372036854775809", "-0", "007", "+1", "", "-", "1e3", " 1", "12345678901234567890"}
	r := rand.New(rand.NewPCG(1, 2))
	for digits := 1; digits <= 19; digits++ {
		n := r.Int64N(int64(math.Pow10(digits-1))) + int64(math.Pow10(digits-1))
		args = append(args, strconv.FormatInt(n, 10), strconv.FormatInt(-n, 10))
	}
	res, err := rdb.Eval(context.Background(), Strip(Helpers+helpersLua), nil, args...).Slice()
	if err != nil {
		t.Fatal(err)
	}
	var vals []*big.Int
	for i, got := range res[0].([]any) {
		s := args[i].(string)
		n, err := strconv.ParseInt(s, 10, 64)
		want := err == nil && strconv.FormatInt(n, 10) == s
		if (got == int64(1)) != want {
			t.Errorf("is_i64(%q) = %v, want %v", s, got, want)
		}
		if want {
			vals = append(vals, big.NewInt(n))
		}
	}
	minI, maxI := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	inc, rep, cmp, add := res[1].([]any), res[2].([]any), res[3].([]any), res[4].([]any)
	for i, a := range vals {
		wantInc := new(big.Int).Add(a, big.NewInt(1))
		if a.Cmp(maxI) == 0 {
			wantInc = minI
		}
		if inc[i] != wantInc.String() {
			t.Errorf("ver_inc(%s) = %v, want %s", a, inc[i], wantInc)
		}
		var wantRep any = a.String()
		if len(a.String()) < 16 {
			wantRep = a.Int64()
		}
		if rep[i] != wantRep {
			t.Errorf("int_reply(%s) = %#v, want %#v", a, rep[i], wantRep)
		}
		for j, b := range vals {
			k := i*len(vals) + j
			if cmp[k] != int64(a.Cmp(b)) {
				t.Errorf("i64_cmp(%s, %s) = %v, want %d", a, b, cmp[k], a.Cmp(b))
			}
			sum := new(big.Int).Add(a, b)
			var wantAdd any = sum.String()
			if sum.Cmp(minI) < 0 || sum.Cmp(maxI) > 0 {
				wantAdd = nil // false in the table comes back as nil
			}
			if add[k] != wantAdd {
				t.Errorf("i64_add(%s, %s) = %#v, want %#v", a, b, add[k], wantAdd)
			}
		}
	}
}
