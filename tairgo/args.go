package tair

import "time"

// Option keywords, as tair-go names them; they are the keys of the builders' Set maps.
const (
	XX = "xx"
	NX = "nx"

	PX   = "px"
	EX   = "ex"
	EXAT = "exat"
	PXAT = "pxat"

	VER = "ver"
	ABS = "abs"

	MAX = "MAX"
	MIN = "MIN"

	DEF        = "def"
	NONEGATIVE = "nonegative"

	FLAGS   = "flags"
	KEEPTTL = "keepttl"

	CH         = "ch"
	INCR       = "incr"
	WITHSCORES = "withscores"
	LIMIT      = "limit"
	GT         = "gt"
)

// arg is what every option builder embeds: Set records which options were chosen (an option is
// sent when its keyword is a key of Set, whatever the value), as in tair-go, where programs may
// read or reset it.
type arg struct {
	Set map[string]bool
}

// mark records option k. Unlike tair-go, a builder made without New works too.
func (a *arg) mark(k string) {
	if a.Set == nil {
		a.Set = make(map[string]bool)
	}
	a.Set[k] = true
}

func (a *arg) has(k string) bool {
	_, ok := a.Set[k]
	return ok
}

// flag appends keyword k if it was chosen.
func (a *arg) flag(args []any, k string) []any {
	if a.has(k) {
		args = append(args, k)
	}
	return args
}

// num appends keyword k and n if k was chosen.
func (a *arg) num(args []any, k string, n int64) []any {
	if a.has(k) {
		args = append(args, k, n)
	}
	return args
}

// ttl is the expiry part of a builder.
type ttl struct {
	ex, px     time.Duration
	exAt, pxAt time.Time
}

// appendTTL appends the chosen expiry options in the module's units. tair-go put a Duration on
// the wire as its integer, so Ex(5) meant five seconds and Ex(5*time.Second) five billion: a
// duration shorter than the option's unit is taken as a count of that unit (tair-go's meaning),
// a longer one as the real duration. A real duration that is not whole seconds goes as PX.
func (a *arg) appendTTL(args []any, t ttl) []any {
	if a.has(EX) {
		switch {
		case t.ex < time.Second:
			args = append(args, EX, int64(t.ex))
		case t.ex%time.Second == 0:
			args = append(args, EX, int64(t.ex/time.Second))
		default:
			args = append(args, PX, millis(t.ex))
		}
	}
	if a.has(PX) {
		if t.px < time.Millisecond {
			args = append(args, PX, int64(t.px))
		} else {
			args = append(args, PX, millis(t.px))
		}
	}
	if a.has(EXAT) {
		args = append(args, EXAT, t.exAt.Unix())
	}
	if a.has(PXAT) {
		args = append(args, PXAT, t.pxAt.UnixMilli()) // tair-go sent seconds here
	}
	return args
}

// millis rounds d up to whole milliseconds, so a field never expires early.
func millis(d time.Duration) int64 {
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond != 0 {
		ms++
	}
	return ms
}
