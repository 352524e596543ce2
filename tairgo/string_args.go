package tair

import "time"

// ExSetArgs holds the options of EXSET (TairString).
type ExSetArgs struct {
	arg
	ttl      ttl
	ver, abs int64
	flags    int
}

// New returns a pointer to a copy of a, with an empty Set, for chaining.
func (a ExSetArgs) New() *ExSetArgs {
	a.Set = make(map[string]bool)
	return &a
}

// Xx writes only a key that exists.
func (a *ExSetArgs) Xx() *ExSetArgs { a.mark(XX); return a }

// Nx writes only a key that does not exist.
func (a *ExSetArgs) Nx() *ExSetArgs { a.mark(NX); return a }

// Ex sets the TTL in seconds, as ExHSetArgs.Ex.
func (a *ExSetArgs) Ex(ex time.Duration) *ExSetArgs { a.mark(EX); a.ttl.ex = ex; return a }

// Px sets the TTL in milliseconds, as ExHSetArgs.Px.
func (a *ExSetArgs) Px(px time.Duration) *ExSetArgs { a.mark(PX); a.ttl.px = px; return a }

// ExAt expires the key at exAt, in whole seconds.
func (a *ExSetArgs) ExAt(exAt time.Time) *ExSetArgs { a.mark(EXAT); a.ttl.exAt = exAt; return a }

// PxAt expires the key at pxAt, in milliseconds.
func (a *ExSetArgs) PxAt(pxAt time.Time) *ExSetArgs { a.mark(PXAT); a.ttl.pxAt = pxAt; return a }

// Ver writes only if the key's version is ver.
func (a *ExSetArgs) Ver(ver int64) *ExSetArgs { a.mark(VER); a.ver = ver; return a }

// Abs sets the key's version to abs.
func (a *ExSetArgs) Abs(abs int64) *ExSetArgs { a.mark(ABS); a.abs = abs; return a }

// Flags stores flags with the value.
func (a *ExSetArgs) Flags(flags int) *ExSetArgs { a.mark(FLAGS); a.flags = flags; return a }

// KeepTTL keeps the key's TTL.
func (a *ExSetArgs) KeepTTL() *ExSetArgs { a.mark(KEEPTTL); return a }

// GetArgs returns the options as they are sent after the value.
func (a *ExSetArgs) GetArgs() []interface{} {
	if a == nil {
		return nil
	}
	args := make([]any, 0, 12)
	args = a.flag(args, XX)
	args = a.flag(args, NX)
	args = a.appendTTL(args, a.ttl)
	args = a.num(args, VER, a.ver)
	args = a.num(args, ABS, a.abs)
	args = a.num(args, FLAGS, int64(a.flags))
	return a.flag(args, KEEPTTL)
}

// CasArgs holds the options of CAS (TairString).
type CasArgs struct {
	arg
	ttl ttl
}

// New returns a pointer to a copy of a, with an empty Set, for chaining.
func (a CasArgs) New() *CasArgs {
	a.Set = make(map[string]bool)
	return &a
}

// Ex sets the TTL in seconds, as ExHSetArgs.Ex.
func (a *CasArgs) Ex(ex time.Duration) *CasArgs { a.mark(EX); a.ttl.ex = ex; return a }

// ExAt expires the key at exAt, in whole seconds.
func (a *CasArgs) ExAt(exAt time.Time) *CasArgs { a.mark(EXAT); a.ttl.exAt = exAt; return a }

// Px sets the TTL in milliseconds, as ExHSetArgs.Px.
func (a *CasArgs) Px(px time.Duration) *CasArgs { a.mark(PX); a.ttl.px = px; return a }

// PxAt expires the key at pxAt, in milliseconds.
func (a *CasArgs) PxAt(pxAt time.Time) *CasArgs { a.mark(PXAT); a.ttl.pxAt = pxAt; return a }

// KeppTTL keeps the key's TTL (tair-go's spelling; KeepTTL is the same).
func (a *CasArgs) KeppTTL() *CasArgs { return a.KeepTTL() }

// KeepTTL keeps the key's TTL.
func (a *CasArgs) KeepTTL() *CasArgs { a.mark(KEEPTTL); return a }

// GetArgs returns the options as they are sent after the new value.
func (a *CasArgs) GetArgs() []interface{} {
	if a == nil {
		return nil
	}
	return a.flag(a.appendTTL(make([]any, 0, 5), a.ttl), KEEPTTL)
}

// ExIncrByArgs holds the options of EXINCRBY and EXINCRBYFLOAT (TairString).
type ExIncrByArgs struct {
	arg
	ttl                     ttl
	ver, abs, min, max, def int64
}

// New returns a pointer to a copy of a, with an empty Set, for chaining.
func (a ExIncrByArgs) New() *ExIncrByArgs {
	a.Set = make(map[string]bool)
	return &a
}

// Xx increments only a key that exists.
func (a *ExIncrByArgs) Xx() *ExIncrByArgs { a.mark(XX); return a }

// Nx increments only a key that does not exist.
func (a *ExIncrByArgs) Nx() *ExIncrByArgs { a.mark(NX); return a }

// Ex sets the TTL in seconds, as ExHSetArgs.Ex.
func (a *ExIncrByArgs) Ex(ex time.Duration) *ExIncrByArgs { a.mark(EX); a.ttl.ex = ex; return a }

// Px sets the TTL in milliseconds, as ExHSetArgs.Px.
func (a *ExIncrByArgs) Px(px time.Duration) *ExIncrByArgs { a.mark(PX); a.ttl.px = px; return a }

// ExAt expires the key at exAt, in whole seconds.
func (a *ExIncrByArgs) ExAt(exAt time.Time) *ExIncrByArgs { a.mark(EXAT); a.ttl.exAt = exAt; return a }

// PxAt expires the key at pxAt, in milliseconds.
func (a *ExIncrByArgs) PxAt(pxAt time.Time) *ExIncrByArgs { a.mark(PXAT); a.ttl.pxAt = pxAt; return a }

// Ver increments only if the key's version is ver.
func (a *ExIncrByArgs) Ver(ver int64) *ExIncrByArgs { a.mark(VER); a.ver = ver; return a }

// Abs sets the key's version to abs (tair-go stored it as Ver's value and sent ABS 0).
func (a *ExIncrByArgs) Abs(abs int64) *ExIncrByArgs { a.mark(ABS); a.abs = abs; return a }

// Min refuses a result below min.
func (a *ExIncrByArgs) Min(min int64) *ExIncrByArgs { a.mark(MIN); a.min = min; return a }

// Max refuses a result above max.
func (a *ExIncrByArgs) Max(max int64) *ExIncrByArgs { a.mark(MAX); a.max = max; return a }

// Def is the value a missing key starts from.
func (a *ExIncrByArgs) Def(def int64) *ExIncrByArgs { a.mark(DEF); a.def = def; return a }

// SetNoNegative refuses a negative result.
func (a *ExIncrByArgs) SetNoNegative() *ExIncrByArgs { a.mark(NONEGATIVE); return a }

// KeepTTL keeps the key's TTL.
func (a *ExIncrByArgs) KeepTTL() *ExIncrByArgs { a.mark(KEEPTTL); return a }

// GetArgs returns the options as they are sent after the increment.
func (a ExIncrByArgs) GetArgs() []interface{} {
	args := make([]any, 0, 16)
	args = a.flag(args, XX)
	args = a.flag(args, NX)
	args = a.appendTTL(args, a.ttl)
	args = a.num(args, VER, a.ver)
	args = a.num(args, ABS, a.abs)
	args = a.num(args, MIN, a.min)
	args = a.num(args, MAX, a.max)
	args = a.num(args, DEF, a.def)
	args = a.flag(args, NONEGATIVE)
	return a.flag(args, KEEPTTL)
}
