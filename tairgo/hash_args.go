package tair

import "time"

// ExHSetArgs holds the options of EXHSET: tair.ExHSetArgs{}.New().Ex(5).Ver(3).
type ExHSetArgs struct {
	arg
	ttl      ttl
	ver, abs int64
}

// New returns a pointer to a copy of a, with an empty Set, for chaining.
func (a ExHSetArgs) New() *ExHSetArgs {
	a.Set = make(map[string]bool)
	return &a
}

// Xx writes only a field that exists.
func (a *ExHSetArgs) Xx() *ExHSetArgs { a.mark(XX); return a }

// Nx writes only a field that does not exist.
func (a *ExHSetArgs) Nx() *ExHSetArgs { a.mark(NX); return a }

// Ex sets the field's TTL in seconds: Ex(5) and Ex(5*time.Second) both mean five seconds (see
// the package doc).
func (a *ExHSetArgs) Ex(ex time.Duration) *ExHSetArgs { a.mark(EX); a.ttl.ex = ex; return a }

// Px sets the field's TTL in milliseconds: Px(1500) and Px(1500*time.Millisecond) alike.
func (a *ExHSetArgs) Px(px time.Duration) *ExHSetArgs { a.mark(PX); a.ttl.px = px; return a }

// ExAt expires the field at exAt, in whole seconds.
func (a *ExHSetArgs) ExAt(exAt time.Time) *ExHSetArgs { a.mark(EXAT); a.ttl.exAt = exAt; return a }

// PxAt expires the field at pxAt, in milliseconds.
func (a *ExHSetArgs) PxAt(pxAt time.Time) *ExHSetArgs { a.mark(PXAT); a.ttl.pxAt = pxAt; return a }

// Ver writes only if the field's version is ver (0: no check).
func (a *ExHSetArgs) Ver(ver int64) *ExHSetArgs { a.mark(VER); a.ver = ver; return a }

// Abs writes and sets the field's version to abs.
func (a *ExHSetArgs) Abs(abs int64) *ExHSetArgs { a.mark(ABS); a.abs = abs; return a }

// GetArgs returns the options as they are sent after the field's value.
func (a *ExHSetArgs) GetArgs() []interface{} {
	if a == nil {
		return nil
	}
	args := make([]any, 0, 8)
	args = a.flag(args, XX)
	args = a.flag(args, NX)
	args = a.appendTTL(args, a.ttl)
	args = a.num(args, VER, a.ver)
	return a.num(args, ABS, a.abs)
}

// ExHMSetWithOptsArgs is one field of EXHMSETWITHOPTS: its value, the version it must have (0: no
// check) and its TTL in seconds.
type ExHMSetWithOptsArgs struct {
	arg
	field, value any
	ver, exp     int64
}

// New returns a pointer to a copy of a, with an empty Set, for chaining.
func (a ExHMSetWithOptsArgs) New() *ExHMSetWithOptsArgs {
	a.Set = make(map[string]bool)
	return &a
}

// Field sets the field name.
func (a *ExHMSetWithOptsArgs) Field(field interface{}) *ExHMSetWithOptsArgs {
	a.field = field
	return a
}

// Value sets the field's value.
func (a *ExHMSetWithOptsArgs) Value(value interface{}) *ExHMSetWithOptsArgs {
	a.value = value
	return a
}

// SetVer sets the version the field must have for the command to apply (0: no check).
func (a *ExHMSetWithOptsArgs) SetVer(ver int64) *ExHMSetWithOptsArgs { a.ver = ver; return a }

// SetExp sets the field's TTL in seconds.
func (a *ExHMSetWithOptsArgs) SetExp(exp int64) *ExHMSetWithOptsArgs { a.exp = exp; return a }

// GetArgs returns field, value, version and TTL, as sent.
func (a *ExHMSetWithOptsArgs) GetArgs() []interface{} {
	if a == nil {
		return nil
	}
	return []any{a.field, a.value, a.ver, a.exp}
}

// ExHIncrArgs holds the options of EXHINCRBY and EXHINCRBYFLOAT.
type ExHIncrArgs struct {
	arg
	ttl                    ttl
	ver, abs, min, max, gt int64
}

// New returns a pointer to a copy of a, with an empty Set, for chaining.
func (a ExHIncrArgs) New() *ExHIncrArgs {
	a.Set = make(map[string]bool)
	return &a
}

// Ex sets the field's TTL in seconds, as ExHSetArgs.Ex.
func (a *ExHIncrArgs) Ex(ex time.Duration) *ExHIncrArgs { a.mark(EX); a.ttl.ex = ex; return a }

// Px sets the field's TTL in milliseconds, as ExHSetArgs.Px.
func (a *ExHIncrArgs) Px(px time.Duration) *ExHIncrArgs { a.mark(PX); a.ttl.px = px; return a }

// ExAt expires the field at exAt, in whole seconds.
func (a *ExHIncrArgs) ExAt(exAt time.Time) *ExHIncrArgs { a.mark(EXAT); a.ttl.exAt = exAt; return a }

// PxAt expires the field at pxAt, in milliseconds.
func (a *ExHIncrArgs) PxAt(pxAt time.Time) *ExHIncrArgs { a.mark(PXAT); a.ttl.pxAt = pxAt; return a }

// Ver applies the increment only if the field's version is ver (0: no check).
func (a *ExHIncrArgs) Ver(ver int64) *ExHIncrArgs { a.mark(VER); a.ver = ver; return a }

// Abs sets the field's version to abs (tair-go stored it as Ver's value and sent ABS 0).
func (a *ExHIncrArgs) Abs(abs int64) *ExHIncrArgs { a.mark(ABS); a.abs = abs; return a }

// Min refuses a result below min.
func (a *ExHIncrArgs) Min(min int64) *ExHIncrArgs { a.mark(MIN); a.min = min; return a }

// Max refuses a result above max.
func (a *ExHIncrArgs) Max(max int64) *ExHIncrArgs { a.mark(MAX); a.max = max; return a }

// Gt is the module's GT version condition: the increment applies only if gt is greater than the
// field's version.
func (a *ExHIncrArgs) Gt(gt int64) *ExHIncrArgs { a.mark(GT); a.gt = gt; return a }

// KeepTTL keeps the field's TTL.
func (a *ExHIncrArgs) KeepTTL() *ExHIncrArgs { a.mark(KEEPTTL); return a }

// GetArgs returns the options as they are sent after the increment.
func (a ExHIncrArgs) GetArgs() []interface{} {
	args := make([]any, 0, 12)
	args = a.appendTTL(args, a.ttl)
	args = a.num(args, VER, a.ver)
	args = a.num(args, ABS, a.abs)
	args = a.num(args, MIN, a.min)
	args = a.num(args, MAX, a.max)
	args = a.num(args, GT, a.gt)
	return a.flag(args, KEEPTTL)
}
