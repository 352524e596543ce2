package exhash_test

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// unitAnswer runs one command on a client whose backend answers val (or err).
func unitAnswer[T any](t *testing.T, val any, err error, run func(c *exhash.Client) *exhash.Cmd[T]) (T, error) {
	t.Helper()
	c, be := unitClient(t)
	be.val, be.err = val, err
	return run(c).Result()
}

func unitStr(s string) *string { return &s }

// The nil forms a backend may produce: a null reply (redis.Nil), a nil value, and false (Lua).
var unitNils = []struct {
	name string
	val  any
	err  error
}{{"redis.Nil", nil, redis.Nil}, {"nil", nil, nil}, {"false", false, nil}}

func TestDecodeSet(t *testing.T) {
	for in, want := range map[int64]exhash.SetResult{1: exhash.SetCreated, 0: exhash.SetUpdated, -1: exhash.SetNotApplied} {
		got, err := unitAnswer(t, in, nil, func(c *exhash.Client) *exhash.SetCmd { return c.ExHSet(uctx, "k", "f", "v") })
		if err != nil || got != want {
			t.Fatalf("%d: got %v, %v; want %v", in, got, err, want)
		}
		if got.Applied() != (in >= 0) {
			t.Fatalf("%v.Applied() = %v", got, got.Applied())
		}
	}
	for _, bad := range []any{int64(2), "1", nil} {
		_, err := unitAnswer(t, bad, nil, func(c *exhash.Client) *exhash.SetCmd { return c.ExHSet(uctx, "k", "f", "v") })
		if !errors.Is(err, exhash.ErrUnexpectedReply) {
			t.Fatalf("%#v: err = %v, want ErrUnexpectedReply", bad, err)
		}
	}
	if s := exhash.SetNotApplied.String(); s != "not applied" {
		t.Fatalf("String() = %q", s)
	}
}

func TestDecodeGet(t *testing.T) {
	got, err := unitAnswer(t, "v", nil, func(c *exhash.Client) *exhash.StringCmd { return c.ExHGet(uctx, "k", "f") })
	if err != nil || got != "v" {
		t.Fatalf("got %q, %v", got, err)
	}
	got, err = unitAnswer(t, "", nil, func(c *exhash.Client) *exhash.StringCmd { return c.ExHGet(uctx, "k", "f") })
	if err != nil || got != "" {
		t.Fatalf("empty value: got %q, %v", got, err)
	}
	for _, n := range unitNils {
		_, err := unitAnswer(t, n.val, n.err, func(c *exhash.Client) *exhash.StringCmd { return c.ExHGet(uctx, "k", "f") })
		if err != redis.Nil {
			t.Fatalf("%s: err = %v, want redis.Nil", n.name, err)
		}
	}
	_, err = unitAnswer(t, int64(1), nil, func(c *exhash.Client) *exhash.StringCmd { return c.ExHGet(uctx, "k", "f") })
	if !errors.Is(err, exhash.ErrUnexpectedReply) {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeGetWithVer(t *testing.T) {
	run := func(c *exhash.Client) *exhash.ValueVersionCmd { return c.ExHGetWithVer(uctx, "k", "f") }
	got, err := unitAnswer(t, []any{"v", int64(3)}, nil, run)
	if err != nil || got != (exhash.ValueVersion{Value: "v", Version: 3}) {
		t.Fatalf("got %+v, %v", got, err)
	}
	for _, n := range unitNils {
		if _, err := unitAnswer(t, n.val, n.err, run); err != redis.Nil {
			t.Fatalf("%s: err = %v, want redis.Nil", n.name, err)
		}
	}
	for _, bad := range []any{[]any{"v"}, []any{"v", "3x"}, []any{int64(3), "v"}, "v"} {
		if _, err := unitAnswer(t, bad, nil, run); !errors.Is(err, exhash.ErrUnexpectedReply) {
			t.Fatalf("%#v: err = %v", bad, err)
		}
	}
}

func TestDecodeMGet(t *testing.T) {
	run := func(c *exhash.Client) *exhash.OptionalStringSliceCmd { return c.ExHMGet(uctx, "k", "a", "b", "c", "d") }
	got, err := unitAnswer(t, []any{"1", nil, false, ""}, nil, run)
	want := []*string{unitStr("1"), nil, nil, unitStr("")}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := unitAnswer(t, []any{int64(1)}, nil, run); !errors.Is(err, exhash.ErrUnexpectedReply) {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeMGetWithVer(t *testing.T) {
	run := func(c *exhash.Client) *exhash.ValueVersionSliceCmd { return c.ExHMGetWithVer(uctx, "k", "a", "b", "c") }
	got, err := unitAnswer(t, []any{[]any{"1", int64(2)}, nil, false}, nil, run)
	want := []*exhash.ValueVersion{{Value: "1", Version: 2}, nil, nil}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := unitAnswer(t, []any{"1"}, nil, run); !errors.Is(err, exhash.ErrUnexpectedReply) {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeTTL(t *testing.T) {
	cases := []struct {
		in    int64
		milli bool
		want  exhash.TTLResult
		text  string
	}{
		{-1, false, exhash.TTLResult{Presence: exhash.Present, Persistent: true}, "persistent"},
		{-2, false, exhash.TTLResult{Presence: exhash.NoKey}, "no key"},
		{-3, true, exhash.TTLResult{Presence: exhash.NoField}, "no field"},
		{0, false, exhash.TTLResult{Presence: exhash.Present}, "0s"},
		{5, false, exhash.TTLResult{Presence: exhash.Present, TTL: 5 * time.Second}, "5s"},
		{1500, true, exhash.TTLResult{Presence: exhash.Present, TTL: 1500 * time.Millisecond}, "1.5s"},
	}
	for _, tc := range cases {
		got, err := unitAnswer(t, tc.in, nil, func(c *exhash.Client) *exhash.TTLCmd {
			if tc.milli {
				return c.ExHPTTL(uctx, "k", "f")
			}
			return c.ExHTTL(uctx, "k", "f")
		})
		if err != nil || got != tc.want || got.String() != tc.text {
			t.Fatalf("%d: got %+v (%s), %v; want %+v", tc.in, got, got, err, tc.want)
		}
		if got.HasTTL() != (tc.in >= 0) {
			t.Fatalf("%d: HasTTL() = %v", tc.in, got.HasTTL())
		}
	}
	for _, bad := range []any{int64(-4), "5"} {
		_, err := unitAnswer(t, bad, nil, func(c *exhash.Client) *exhash.TTLCmd { return c.ExHTTL(uctx, "k", "f") })
		if !errors.Is(err, exhash.ErrUnexpectedReply) {
			t.Fatalf("%#v: err = %v", bad, err)
		}
	}
}

func TestDecodeVersion(t *testing.T) {
	cases := map[int64]exhash.VersionResult{
		-1: {Presence: exhash.NoKey},
		-2: {Presence: exhash.NoField},
		0:  {Presence: exhash.Present, Version: 0},
		7:  {Presence: exhash.Present, Version: 7},
	}
	for in, want := range cases {
		got, err := unitAnswer(t, in, nil, func(c *exhash.Client) *exhash.VersionCmd { return c.ExHVer(uctx, "k", "f") })
		if err != nil || got != want {
			t.Fatalf("%d: got %+v, %v", in, got, err)
		}
	}
}

func TestDecodeScan(t *testing.T) {
	run := func(c *exhash.Client) *exhash.ScanCmd { return c.ExHScan(uctx, "k", 0) }
	cases := []struct {
		name string
		in   any
		want exhash.ScanPage
	}{
		{"absent key: status cursor", []any{"0", []any{}}, exhash.ScanPage{Cursor: 0, Fields: []exhash.FieldValue{}}},
		{"bulk cursor", []any{"17", []any{"a", "1", "b", ""}},
			exhash.ScanPage{Cursor: 17, Fields: []exhash.FieldValue{{Field: "a", Value: "1"}, {Field: "b", Value: ""}}}},
		{"largest cursor", []any{"18446744073709551615", []any{}},
			exhash.ScanPage{Cursor: math.MaxUint64, Fields: []exhash.FieldValue{}}},
		{"integer cursor", []any{int64(3), []any{"a", "1"}},
			exhash.ScanPage{Cursor: 3, Fields: []exhash.FieldValue{{Field: "a", Value: "1"}}}},
	}
	for _, tc := range cases {
		got, err := unitAnswer(t, tc.in, nil, run)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Fatalf("%s: got %+v, %v", tc.name, got, err)
		}
	}
	for _, bad := range []any{[]any{"x", []any{}}, []any{"-1", []any{}}, []any{"0", []any{"a"}}, []any{"0"}, nil, []any{int64(-1), []any{}}} {
		if _, err := unitAnswer(t, bad, nil, run); !errors.Is(err, exhash.ErrUnexpectedReply) {
			t.Fatalf("%#v: err = %v", bad, err)
		}
	}
}

func TestDecodeIncrByFloat(t *testing.T) {
	run := func(c *exhash.Client) *exhash.FloatCmd { return c.ExHIncrByFloat(uctx, "k", "f", 1) }
	big := "1" + strings.Repeat("0", 400)
	cases := []struct {
		in   string
		want float64
	}{{"1.5", 1.5}, {"0", 0}, {"-2.25", -2.25}, {"1.23456789012345679", 1.23456789012345679}, {big, math.Inf(1)}, {"-" + big, math.Inf(-1)}}
	for _, tc := range cases {
		got, err := unitAnswer(t, tc.in, nil, run)
		if err != nil || got.Value != tc.want || got.Text != tc.in {
			t.Fatalf("%.20s: got %+v, %v", tc.in, got, err)
		}
	}
	for _, bad := range []any{"abc", int64(1), nil} {
		if _, err := unitAnswer(t, bad, nil, run); !errors.Is(err, exhash.ErrUnexpectedReply) {
			t.Fatalf("%#v: err = %v", bad, err)
		}
	}
}

func TestDecodeGetAll(t *testing.T) {
	run := func(c *exhash.Client) *exhash.StringMapCmd { return c.ExHGetAll(uctx, "k") }
	want := map[string]string{"a": "1", "b": ""}
	for name, in := range map[string]any{
		"flat array":  []any{"a", "1", "b", ""},
		"RESP3 map":   map[any]any{"a": "1", "b": ""},
		"empty array": nil,
	} {
		got, err := unitAnswer(t, in, nil, run)
		if in == nil {
			if err != nil || len(got) != 0 || got == nil {
				t.Fatalf("%s: got %v, %v", name, got, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %v, %v", name, got, err)
		}
	}
	got, err := unitAnswer(t, []any{}, nil, run)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("empty: got %#v, %v", got, err)
	}
	for _, bad := range []any{[]any{"a"}, []any{"a", int64(1)}, "x"} {
		if _, err := unitAnswer(t, bad, nil, run); !errors.Is(err, exhash.ErrUnexpectedReply) {
			t.Fatalf("%#v: err = %v", bad, err)
		}
	}
}

func TestDecodeGetAllWithVer(t *testing.T) {
	run := func(c *exhash.Client) *exhash.ValueVersionMapCmd { return c.ExHGetAllWithVer(uctx, "k") }
	got, err := unitAnswer(t, []any{"a", "1", int64(2), "b", "", int64(0)}, nil, run)
	want := map[string]exhash.ValueVersion{"a": {Value: "1", Version: 2}, "b": {Value: "", Version: 0}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, %v", got, err)
	}
	for _, bad := range []any{[]any{"a", "1"}, []any{"a", "1", "two"}} {
		if _, err := unitAnswer(t, bad, nil, run); !errors.Is(err, exhash.ErrUnexpectedReply) {
			t.Fatalf("%#v: err = %v", bad, err)
		}
	}
}

func TestDecodeListsAndScalars(t *testing.T) {
	keys, err := unitAnswer(t, []any{"a", "b"}, nil, func(c *exhash.Client) *exhash.StringSliceCmd { return c.ExHKeys(uctx, "k") })
	if err != nil || !reflect.DeepEqual(keys, []string{"a", "b"}) {
		t.Fatalf("keys %v, %v", keys, err)
	}
	vals, err := unitAnswer(t, []any{}, nil, func(c *exhash.Client) *exhash.StringSliceCmd { return c.ExHVals(uctx, "k") })
	if err != nil || vals == nil || len(vals) != 0 {
		t.Fatalf("vals %#v, %v", vals, err)
	}
	if _, err := unitAnswer(t, []any{nil}, nil, func(c *exhash.Client) *exhash.StringSliceCmd { return c.ExHKeys(uctx, "k") }); !errors.Is(err, exhash.ErrUnexpectedReply) {
		t.Fatalf("keys with a hole: err = %v", err)
	}
	ok, err := unitAnswer(t, "OK", nil, func(c *exhash.Client) *exhash.StatusCmd {
		return c.ExHMSet(uctx, "k", map[string]string{"a": "1"})
	})
	if err != nil || ok != "OK" {
		t.Fatalf("mset %q, %v", ok, err)
	}
	n, err := unitAnswer(t, int64(4), nil, func(c *exhash.Client) *exhash.IntCmd { return c.ExHLen(uctx, "k") })
	if err != nil || n != 4 {
		t.Fatalf("len %d, %v", n, err)
	}
	for in, want := range map[int64]bool{1: true, 0: false} {
		got, err := unitAnswer(t, in, nil, func(c *exhash.Client) *exhash.BoolCmd { return c.ExHExists(uctx, "k", "f") })
		if err != nil || got != want {
			t.Fatalf("exists %d: %v, %v", in, got, err)
		}
	}
	if _, err := unitAnswer(t, int64(2), nil, func(c *exhash.Client) *exhash.BoolCmd { return c.ExHPersist(uctx, "k", "f") }); !errors.Is(err, exhash.ErrUnexpectedReply) {
		t.Fatalf("bool 2: err = %v", err)
	}
}

// Every typed command passes a server error through as *Error, whatever its reply type.
func TestDecodeServerErrorOnEveryCommand(t *testing.T) {
	for _, tc := range unitEncCases {
		t.Run(tc.name, func(t *testing.T) {
			c, be := unitClient(t)
			be.err = unitServerError("WRONGTYPE Operation against a key holding the wrong kind of value")
			err := tc.run(c).Err()
			var se *exhash.Error
			if !errors.Is(err, exhash.ErrWrongType) || !errors.As(err, &se) {
				t.Fatalf("err = %#v", err)
			}
		})
	}
}

// Integers beyond 2^53 leave the emulations' scripts as exact decimal strings; every integer
// position accepts that form, so replies stay exact on any path (a caller's pipeline included).
func TestDecodeExactDecimalIntegers(t *testing.T) {
	const big = "9223372036854775806"
	const want = int64(math.MaxInt64 - 1)
	if got, err := unitAnswer(t, big, nil, func(c *exhash.Client) *exhash.VersionCmd { return c.ExHVer(uctx, "k", "f") }); err != nil || got.Version != want {
		t.Errorf("EXHVER: %+v, %v", got, err)
	}
	if got, err := unitAnswer(t, big, nil, func(c *exhash.Client) *exhash.IntCmd { return c.ExHIncrBy(uctx, "k", "f", 1) }); err != nil || got != want {
		t.Errorf("EXHINCRBY: %d, %v", got, err)
	}
	if got, err := unitAnswer(t, []any{"v", big}, nil, func(c *exhash.Client) *exhash.ValueVersionCmd { return c.ExHGetWithVer(uctx, "k", "f") }); err != nil || got.Version != want {
		t.Errorf("EXHGETWITHVER: %+v, %v", got, err)
	}
	if got, err := unitAnswer(t, []any{[]any{"v", big}, nil}, nil, func(c *exhash.Client) *exhash.ValueVersionSliceCmd { return c.ExHMGetWithVer(uctx, "k", "f", "g") }); err != nil || got[0].Version != want || got[1] != nil {
		t.Errorf("EXHMGETWITHVER: %+v, %v", got, err)
	}
	if got, err := unitAnswer(t, []any{"f", "v", big}, nil, func(c *exhash.Client) *exhash.ValueVersionMapCmd { return c.ExHGetAllWithVer(uctx, "k") }); err != nil || got["f"].Version != want {
		t.Errorf("EXHGETALLWITHVER: %+v, %v", got, err)
	}
	// Not a decimal integer: still refused.
	for _, bad := range []string{"1.5", "", " 1", "9223372036854775808", "0x10"} {
		if _, err := unitAnswer(t, bad, nil, func(c *exhash.Client) *exhash.VersionCmd { return c.ExHVer(uctx, "k", "f") }); !errors.Is(err, exhash.ErrUnexpectedReply) {
			t.Errorf("EXHVER of %q: %v, want ErrUnexpectedReply", bad, err)
		}
	}
}

// A reply is decoded once: Result, Val and Err after it return the same map without decoding again.
func TestDecodeOnce(t *testing.T) {
	c, be := unitClient(t)
	be.val = []any{"f", "v", "g", "w"}
	cmd := c.ExHGetAll(uctx, "k")
	first, err := cmd.Result()
	if err != nil || len(first) != 2 {
		t.Fatalf("%v, %v", first, err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = cmd.Result()
		_ = cmd.Val()
		_ = cmd.Err()
	})
	if allocs != 0 {
		t.Fatalf("reading a decoded reply again allocates %v times: it is decoded again", allocs)
	}
	first["f"] = "changed"
	if cmd.Val()["f"] != "changed" {
		t.Fatal("Val returned another map than Result: the reply was decoded again")
	}
}
