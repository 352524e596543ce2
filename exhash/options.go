package exhash

import (
	"math"
	"strconv"
	"time"
)

// Option builders. Each has the tair-go shape — ExHSetArgs{}.New().Ex(time.Minute).Ver(3) — and the
// zero value (or a nil pointer) means "no options". Conflicting options (EX with PX, NX with XX, VER
// with ABS, …) and out-of-range values are reported when the command is built, before anything is
// sent; the command's Err then matches ErrInvalidArgument (and ErrSyntax where the server would have
// said "syntax error").

// ExHSetArgs holds the options of EXHSET.
type ExHSetArgs struct {
	nx, xx bool
	ttl    ttlSpec
	ver    verSpec
}

// New returns a pointer to a copy of a, for chaining: ExHSetArgs{}.New().Nx().
func (a ExHSetArgs) New() *ExHSetArgs { return &a }

// Nx writes only if the field does not exist (SetNotApplied otherwise).
func (a *ExHSetArgs) Nx() *ExHSetArgs { a.nx = true; return a }

// Xx writes only if the field exists (SetNotApplied otherwise; an absent key is not created).
func (a *ExHSetArgs) Xx() *ExHSetArgs { a.xx = true; return a }

// Ex expires the field after d, which must be a positive whole number of seconds (use Px otherwise).
func (a *ExHSetArgs) Ex(d time.Duration) *ExHSetArgs { a.ttl.set(ttlEX, d, time.Time{}); return a }

// Px expires the field after d (positive; millisecond resolution, a remainder is rounded up).
func (a *ExHSetArgs) Px(d time.Duration) *ExHSetArgs { a.ttl.set(ttlPX, d, time.Time{}); return a }

// ExAt expires the field at t, a whole Unix second (use PxAt otherwise). A past t expires it at once.
func (a *ExHSetArgs) ExAt(t time.Time) *ExHSetArgs { a.ttl.set(ttlEXAT, 0, t); return a }

// PxAt expires the field at t (millisecond resolution, rounded up). A past t expires it at once.
func (a *ExHSetArgs) PxAt(t time.Time) *ExHSetArgs { a.ttl.set(ttlPXAT, 0, t); return a }

// KeepTTL keeps the field's current TTL. Without a TTL option EXHSET removes the TTL.
func (a *ExHSetArgs) KeepTTL() *ExHSetArgs { a.ttl.set(ttlKeep, 0, time.Time{}); return a }

// Ver writes only if the field's version is v (0: no check); the version then increases by one.
func (a *ExHSetArgs) Ver(v int64) *ExHSetArgs { a.ver.set(verVER, v); return a }

// Abs sets the field's version to v (≥ 1) unconditionally.
func (a *ExHSetArgs) Abs(v int64) *ExHSetArgs { a.ver.set(verABS, v); return a }

// Gt writes only if v (≥ 1) is greater than the field's version, and sets the version to v.
func (a *ExHSetArgs) Gt(v int64) *ExHSetArgs { a.ver.set(verGT, v); return a }

func (a *ExHSetArgs) appendTo(args []any) ([]any, error) {
	if a == nil {
		return args, nil
	}
	if a.nx && a.xx {
		return nil, invalid(ErrSyntax, "EXHSET", "NX and XX are mutually exclusive")
	}
	args, err := a.ttl.appendTo("EXHSET", args)
	if err != nil {
		return nil, err
	}
	if a.nx {
		args = append(args, "NX")
	}
	if a.xx {
		args = append(args, "XX")
	}
	return a.ver.appendTo("EXHSET", args)
}

// bound is a MIN or MAX of EXHINCRBY/EXHINCRBYFLOAT.
type bound struct {
	set     bool
	isFloat bool
	i       int64
	f       float64
}

func (b bound) float() float64 {
	if b.isFloat {
		return b.f
	}
	return float64(b.i)
}

func (b bound) text() string {
	if b.isFloat {
		return strconv.FormatFloat(b.f, 'g', -1, 64)
	}
	return itoa(b.i)
}

// ExHIncrArgs holds the options of EXHINCRBY and EXHINCRBYFLOAT. TTL and version options work as in
// ExHSetArgs (without a TTL option the field's TTL is removed; KeepTTL keeps it). Min and Max bound
// the result: a result outside them fails with ErrOverflow and changes nothing.
type ExHIncrArgs struct {
	ttl      ttlSpec
	ver      verSpec
	min, max bound
}

// New returns a pointer to a copy of a, for chaining: ExHIncrArgs{}.New().Max(10).
func (a ExHIncrArgs) New() *ExHIncrArgs { return &a }

// Ex expires the field after d (positive whole seconds).
func (a *ExHIncrArgs) Ex(d time.Duration) *ExHIncrArgs { a.ttl.set(ttlEX, d, time.Time{}); return a }

// Px expires the field after d (positive; millisecond resolution, rounded up).
func (a *ExHIncrArgs) Px(d time.Duration) *ExHIncrArgs { a.ttl.set(ttlPX, d, time.Time{}); return a }

// ExAt expires the field at t, a whole Unix second.
func (a *ExHIncrArgs) ExAt(t time.Time) *ExHIncrArgs { a.ttl.set(ttlEXAT, 0, t); return a }

// PxAt expires the field at t (millisecond resolution, rounded up).
func (a *ExHIncrArgs) PxAt(t time.Time) *ExHIncrArgs { a.ttl.set(ttlPXAT, 0, t); return a }

// KeepTTL keeps the field's current TTL.
func (a *ExHIncrArgs) KeepTTL() *ExHIncrArgs { a.ttl.set(ttlKeep, 0, time.Time{}); return a }

// Ver applies the increment only if the field's version is v (0: no check).
func (a *ExHIncrArgs) Ver(v int64) *ExHIncrArgs { a.ver.set(verVER, v); return a }

// Abs sets the field's version to v (≥ 1).
func (a *ExHIncrArgs) Abs(v int64) *ExHIncrArgs { a.ver.set(verABS, v); return a }

// Gt applies the increment only if v (≥ 1) is greater than the field's version, and sets it to v.
func (a *ExHIncrArgs) Gt(v int64) *ExHIncrArgs { a.ver.set(verGT, v); return a }

// Min refuses results below n.
func (a *ExHIncrArgs) Min(n int64) *ExHIncrArgs { a.min = bound{set: true, i: n}; return a }

// Max refuses results above n.
func (a *ExHIncrArgs) Max(n int64) *ExHIncrArgs { a.max = bound{set: true, i: n}; return a }

// MinFloat refuses results below x; EXHINCRBYFLOAT only (±Inf allowed, NaN refused).
func (a *ExHIncrArgs) MinFloat(x float64) *ExHIncrArgs {
	a.min = bound{set: true, isFloat: true, f: x}
	return a
}

// MaxFloat refuses results above x; EXHINCRBYFLOAT only (±Inf allowed, NaN refused).
func (a *ExHIncrArgs) MaxFloat(x float64) *ExHIncrArgs {
	a.max = bound{set: true, isFloat: true, f: x}
	return a
}

func (a *ExHIncrArgs) appendTo(cmd string, args []any) ([]any, error) {
	if a == nil {
		return args, nil
	}
	args, err := a.ttl.appendTo(cmd, args)
	if err != nil {
		return nil, err
	}
	if args, err = a.ver.appendTo(cmd, args); err != nil {
		return nil, err
	}
	for _, b := range []bound{a.min, a.max} {
		switch {
		case b.isFloat && cmd == "EXHINCRBY":
			return nil, invalid(ErrMinMax, cmd, "MinFloat/MaxFloat apply to EXHINCRBYFLOAT only; use Min/Max")
		case b.isFloat && math.IsNaN(b.f):
			return nil, invalid(ErrMinMax, cmd, "a bound must not be NaN")
		}
	}
	if a.min.set && a.max.set && minAboveMax(a.min, a.max) {
		return nil, invalid(ErrMinMax, cmd, "MIN %s is bigger than MAX %s", a.min.text(), a.max.text())
	}
	if a.min.set {
		args = append(args, "MIN", a.min.text())
	}
	if a.max.set {
		args = append(args, "MAX", a.max.text())
	}
	return args, nil
}

func minAboveMax(lo, hi bound) bool {
	if !lo.isFloat && !hi.isFloat {
		return lo.i > hi.i
	}
	return lo.float() > hi.float()
}

// ExHExpireArgs holds the version option of EXHPEXPIRE, EXHEXPIRE, EXHPEXPIREAT and EXHEXPIREAT.
// Without it a successful call increases the field's version by one.
type ExHExpireArgs struct {
	ver verSpec
}

// New returns a pointer to a copy of a, for chaining: ExHExpireArgs{}.New().Ver(2).
func (a ExHExpireArgs) New() *ExHExpireArgs { return &a }

// Ver sets the TTL only if the field's version is v (0: no check).
func (a *ExHExpireArgs) Ver(v int64) *ExHExpireArgs { a.ver.set(verVER, v); return a }

// Abs sets the TTL and the version to v (≥ 1).
func (a *ExHExpireArgs) Abs(v int64) *ExHExpireArgs { a.ver.set(verABS, v); return a }

// Gt sets the TTL only if v (≥ 1) is greater than the field's version, and sets the version to v.
func (a *ExHExpireArgs) Gt(v int64) *ExHExpireArgs { a.ver.set(verGT, v); return a }

func (a *ExHExpireArgs) appendTo(cmd string, args []any) ([]any, error) {
	if a == nil {
		return args, nil
	}
	return a.ver.appendTo(cmd, args)
}

// ExHMSetWithOptsArgs is one tuple of EXHMSETWITHOPTS: field, value, a VER-style precondition and a
// TTL. The module cannot write a field without a TTL through this command, so SetExp is required.
type ExHMSetWithOptsArgs struct {
	field, value string
	ver          int64
	exp          time.Duration
}

// New returns a pointer to a copy of a, for chaining.
func (a ExHMSetWithOptsArgs) New() *ExHMSetWithOptsArgs { return &a }

// Field sets the field name.
func (a *ExHMSetWithOptsArgs) Field(field string) *ExHMSetWithOptsArgs { a.field = field; return a }

// Value sets the value.
func (a *ExHMSetWithOptsArgs) Value(value string) *ExHMSetWithOptsArgs { a.value = value; return a }

// SetVer makes the whole command fail with ErrStaleVersion unless the field is absent or its version
// is v; 0 (the default) means no check. The version is not assigned: it increases by one.
func (a *ExHMSetWithOptsArgs) SetVer(v int64) *ExHMSetWithOptsArgs { a.ver = v; return a }

// SetExp sets the field's TTL, a positive whole number of seconds.
func (a *ExHMSetWithOptsArgs) SetExp(d time.Duration) *ExHMSetWithOptsArgs { a.exp = d; return a }

func (a *ExHMSetWithOptsArgs) appendTo(args []any) ([]any, error) {
	const cmd = "EXHMSETWITHOPTS"
	if a == nil {
		return nil, invalid(nil, cmd, "nil tuple")
	}
	if a.ver < 0 {
		return nil, invalid(ErrSyntax, cmd, "version of field %q must not be negative, got %d", a.field, a.ver)
	}
	if a.exp == 0 {
		return nil, invalid(nil, cmd, "field %q has no SetExp; this command always sets a TTL (use ExHMSet for none)", a.field)
	}
	s, err := seconds(cmd, "SetExp", a.exp)
	if err != nil {
		return nil, err
	}
	return append(args, a.field, a.value, itoa(a.ver), itoa(s)), nil
}

// ExHScanArgs holds the options of EXHSCAN.
type ExHScanArgs struct {
	match    string
	hasMatch bool
	count    int64
}

// New returns a pointer to a copy of a, for chaining: ExHScanArgs{}.New().Match("user:*").Count(100).
func (a ExHScanArgs) New() *ExHScanArgs { return &a }

// Match returns only fields matching the glob pattern (case-sensitive).
func (a *ExHScanArgs) Match(pattern string) *ExHScanArgs {
	a.match, a.hasMatch = pattern, true
	return a
}

// Count is a hint of the page size (the module compares it with fields + values, so a page holds
// about n/2 fields). 0 keeps the server's default (10); negative values are refused.
func (a *ExHScanArgs) Count(n int64) *ExHScanArgs { a.count = n; return a }

func (a *ExHScanArgs) appendTo(args []any) ([]any, error) {
	if a == nil {
		return args, nil
	}
	if a.hasMatch {
		args = append(args, "MATCH", a.match)
	}
	if a.count < 0 {
		return nil, invalid(nil, "EXHSCAN", "COUNT must be at least 1, got %d", a.count)
	}
	if a.count > 0 {
		args = append(args, "COUNT", itoa(a.count))
	}
	return args, nil
}
