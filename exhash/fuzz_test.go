package exhash

import (
	"errors"
	"math"
	"strconv"
	"testing"
	"time"
)

// Fuzz targets for the client's two boundaries with the outside: the option builders (what the
// caller asks for becomes command arguments) and the reply decoders (what a server or a backend
// answers becomes typed results). Without -fuzz they run on their seed corpus as ordinary tests.
//
//	go test ./exhash/ -run '^$' -fuzz FuzzExHSetArgs -fuzztime 30s

// checkOptionArgs asserts the grammar of the spec (§1.2, §3.1) on the options a builder produced:
// one TTL option at most, one version option at most, NX and XX not both, and every number a
// canonical non-negative int64 decimal (positive where the server demands it).
func checkOptionArgs(t *testing.T, args []any) {
	t.Helper()
	var ttls, vers, conds int
	for i := 0; i < len(args); i++ {
		kw, _ := args[i].(string)
		number := func(minimum int64) {
			if i+1 >= len(args) {
				t.Fatalf("%s without a value in %q", kw, args)
			}
			i++
			s, _ := args[i].(string)
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || strconv.FormatInt(n, 10) != s || n < minimum {
				t.Fatalf("%s value %q is not a canonical int64 ≥ %d (args %q)", kw, s, minimum, args)
			}
		}
		switch kw {
		case "EX", "PX":
			ttls++
			number(1)
		case "EXAT", "PXAT":
			ttls++
			number(0)
		case "KEEPTTL":
			ttls++
		case "VER":
			vers++
			number(0)
		case "ABS", "GT":
			vers++
			number(1)
		case "NX", "XX":
			conds++
		case "MIN", "MAX":
			if i+1 >= len(args) {
				t.Fatalf("%s without a value in %q", kw, args)
			}
			i++
			s, _ := args[i].(string)
			if f, err := strconv.ParseFloat(s, 64); err != nil || math.IsNaN(f) {
				t.Fatalf("%s value %q is not a number (args %q)", kw, s, args)
			}
		default:
			t.Fatalf("unexpected token %q in %q", kw, args)
		}
	}
	if ttls > 1 || vers > 1 || conds > 1 {
		t.Fatalf("conflicting options reached the arguments: %q", args)
	}
}

// refusedCleanly asserts that a builder's error is one a caller can classify.
func refusedCleanly(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("builder error %v does not match ErrInvalidArgument", err)
	}
}

// FuzzExHSetArgs drives every EXHSET option with arbitrary values, in an arbitrary order
// (each bit of ops picks a setter; later setters may clash with earlier ones).
func FuzzExHSetArgs(f *testing.F) {
	f.Add(uint16(0), int64(0), int64(0), int64(0))
	f.Add(uint16(0b10), int64(1500*time.Millisecond), int64(0), int64(3))
	f.Add(uint16(0b1000_0010_0001), int64(-1), int64(math.MaxInt64), int64(-5))
	f.Add(uint16(0xffff), int64(math.MaxInt64), int64(math.MinInt64), int64(0))
	f.Add(uint16(0b0001_1000_0000), int64(time.Second), int64(1<<62), int64(1))
	f.Fuzz(func(t *testing.T, ops uint16, d, at, v int64) {
		a := ExHSetArgs{}.New()
		setters := []func(){
			func() { a.Ex(time.Duration(d)) },
			func() { a.Px(time.Duration(d)) },
			func() { a.ExAt(time.Unix(0, at)) },
			func() { a.PxAt(time.Unix(at, 0)) },
			func() { a.KeepTTL() },
			func() { a.Nx() },
			func() { a.Xx() },
			func() { a.Ver(v) },
			func() { a.Abs(v) },
			func() { a.Gt(v) },
		}
		for i, set := range setters {
			if ops&(1<<i) != 0 {
				set()
			}
		}
		args, err := a.appendTo(nil)
		if err != nil {
			refusedCleanly(t, err)
			return
		}
		checkOptionArgs(t, args)
	})
}

// FuzzExHIncrArgs does the same for EXHINCRBY and EXHINCRBYFLOAT, including MIN/MAX bounds
// (integer and float, NaN and ±Inf).
func FuzzExHIncrArgs(f *testing.F) {
	f.Add(uint16(0), int64(0), int64(0), 0.0, 0.0, false)
	f.Add(uint16(0b11_0000_0000), int64(10), int64(5), 0.0, 0.0, false)
	f.Add(uint16(0b1100_0000_0000), int64(0), int64(0), math.Inf(-1), math.NaN(), true)
	f.Add(uint16(0xffff), int64(-1), int64(math.MaxInt64), math.Inf(1), math.Copysign(0, -1), true)
	f.Fuzz(func(t *testing.T, ops uint16, d, v int64, lo, hi float64, float bool) {
		a := ExHIncrArgs{}.New()
		setters := []func(){
			func() { a.Ex(time.Duration(d)) },
			func() { a.Px(time.Duration(d)) },
			func() { a.ExAt(time.Unix(d, 0)) },
			func() { a.PxAt(time.Unix(0, d)) },
			func() { a.KeepTTL() },
			func() { a.Ver(v) },
			func() { a.Abs(v) },
			func() { a.Gt(v) },
			func() { a.Min(d) },
			func() { a.Max(v) },
			func() { a.MinFloat(lo) },
			func() { a.MaxFloat(hi) },
		}
		for i, set := range setters {
			if ops&(1<<i) != 0 {
				set()
			}
		}
		cmd := "EXHINCRBY"
		if float {
			cmd = "EXHINCRBYFLOAT"
		}
		args, err := a.appendTo(cmd, nil)
		if err != nil {
			refusedCleanly(t, err)
			return
		}
		checkOptionArgs(t, args)
	})
}

// replyFrom builds an arbitrary reply tree, in the shapes a backend can yield (int64, string,
// nil, false, true, float64, error, nested arrays), from fuzz bytes.
func replyFrom(b []byte, depth int) (any, []byte) {
	if len(b) == 0 {
		return nil, b
	}
	tag, b := b[0], b[1:]
	take := func() (string, []byte) {
		if len(b) == 0 {
			return "", b
		}
		n := int(b[0]) % 8
		b = b[1:]
		n = min(n, len(b))
		return string(b[:n]), b[n:]
	}
	switch tag % 9 {
	case 0:
		return nil, b
	case 1:
		return false, b
	case 2:
		return true, b
	case 3:
		s, rest := take()
		n, _ := strconv.ParseInt(s, 10, 64)
		if len(s) > 0 && s[0]&1 == 1 {
			n = -n
		}
		return n, rest
	case 4:
		return take()
	case 5:
		s, rest := take()
		f, _ := strconv.ParseFloat(s, 64)
		return f, rest
	case 6:
		s, rest := take()
		return errors.New(s), rest
	default:
		if depth > 3 || len(b) == 0 {
			return []any{}, b
		}
		n := int(b[0]) % 6
		b = b[1:]
		arr := make([]any, 0, n)
		for i := 0; i < n; i++ {
			var e any
			e, b = replyFrom(b, depth+1)
			arr = append(arr, e)
		}
		return arr, b
	}
}

// FuzzDecoders feeds arbitrary reply trees to every decoder: none may panic, and every refusal
// must match ErrUnexpectedReply so callers can tell a broken reply from a server error.
func FuzzDecoders(f *testing.F) {
	f.Add([]byte{3, 1, '5'})
	f.Add([]byte{4, 3, 'a', 'b', 'c'})
	f.Add([]byte{7, 2, 4, 1, 'x', 3, 1, '2'})
	f.Add([]byte{7, 4, 4, 1, 'f', 4, 1, 'v', 4, 1, 'g', 0})
	f.Add([]byte{7, 2, 4, 1, '0', 7, 3, 4, 1, 'f', 4, 1, 'v', 3, 1, '1'})
	f.Add([]byte{7, 5, 7, 5, 7, 5, 7, 5, 7, 5, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, _ := replyFrom(b, 0)
		check := func(name string, err error) {
			if err != nil && !errors.Is(err, ErrUnexpectedReply) {
				t.Fatalf("%s: error %v does not match ErrUnexpectedReply", name, err)
			}
		}
		_, err := decodeInt(v)
		check("int", err)
		_, err = decodeBool(v)
		check("bool", err)
		_, err = decodeSet(v)
		check("set", err)
		_, err = decodeStatus(v)
		check("status", err)
		_, err = decodeFloat(v)
		check("float", err)
		_, err = decodeTTL(time.Millisecond)(v)
		check("ttl", err)
		_, err = decodeVersion(v)
		check("version", err)
		_, err = decodeStrings(v)
		check("strings", err)
		_, err = decodeOptionalStrings(v)
		check("optional strings", err)
		_, err = decodeValueVersions(v)
		check("value versions", err)
		_, err = decodeMap(v)
		check("map", err)
		_, err = decodeValueVersionMap(v)
		check("value version map", err)
		_, err = decodeScan(v)
		check("scan", err)
		if !isNil(v) {
			_, err = decodeBulk(v)
			check("bulk", err)
			_, err = decodeValueVersion(v)
			check("value version", err)
		}
	})
}
