package exhash

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// ttlKind is the TTL option of EXHSET, EXHINCRBY and EXHINCRBYFLOAT.
type ttlKind uint8

const (
	ttlUnset ttlKind = iota
	ttlEX
	ttlPX
	ttlEXAT
	ttlPXAT
	ttlKeep
)

var ttlKeywords = [...]string{ttlEX: "EX", ttlPX: "PX", ttlEXAT: "EXAT", ttlPXAT: "PXAT", ttlKeep: "KEEPTTL"}

// ttlSpec is the TTL part of a builder. Setting two different kinds is recorded as a conflict (the
// server would answer "syntax error"); setting the same kind again replaces the value.
type ttlSpec struct {
	kind     ttlKind
	d        time.Duration
	at       time.Time
	conflict [2]ttlKind // the first two different kinds set, if they clash
}

func (t *ttlSpec) set(k ttlKind, d time.Duration, at time.Time) {
	if t.kind != ttlUnset && t.kind != k && t.conflict[0] == ttlUnset {
		t.conflict = [2]ttlKind{t.kind, k}
	}
	t.kind, t.d, t.at = k, d, at
}

// appendTo validates the TTL and appends its keyword and value.
func (t *ttlSpec) appendTo(cmd string, args []any) ([]any, error) {
	if t.conflict[0] != ttlUnset {
		return nil, invalid(ErrSyntax, cmd, "%s and %s are mutually exclusive",
			ttlKeywords[t.conflict[0]], ttlKeywords[t.conflict[1]])
	}
	var n int64
	var err error
	switch t.kind {
	case ttlUnset:
		return args, nil
	case ttlKeep:
		return append(args, "KEEPTTL"), nil
	case ttlEX:
		n, err = seconds(cmd, "EX", t.d)
	case ttlPX:
		n, err = millis(cmd, "PX", t.d)
	case ttlEXAT:
		n, err = unixSeconds(cmd, "EXAT", t.at)
	case ttlPXAT:
		n, err = unixMillis(cmd, "PXAT", t.at)
	}
	if err != nil {
		return nil, err
	}
	return append(args, ttlKeywords[t.kind], itoa(n)), nil
}

// seconds converts a relative TTL for a seconds-based option. Zero and negative TTLs are refused: the
// module would store an already-expired field for 0 (go-redis users read 0 as "no TTL"), and a
// negative one is a syntax error. Fractions of a second are refused rather than truncated.
func seconds(cmd, opt string, d time.Duration) (int64, error) {
	if err := positive(cmd, opt, d); err != nil {
		return 0, err
	}
	if d%time.Second != 0 {
		hint := "use the millisecond form"
		if d < time.Second && d%time.Millisecond != 0 { // a bare integer, as tair-go took seconds
			hint = fmt.Sprintf("did you mean %d*time.Second?", int64(d))
		}
		return 0, invalid(nil, cmd, "%s takes whole seconds; %v would lose precision (%s)", opt, d, hint)
	}
	return int64(d / time.Second), nil
}

// millis converts a relative TTL for a milliseconds-based option. A sub-millisecond remainder is
// rounded up (the server's resolution is 1 ms), so a field never expires before the requested time.
func millis(cmd, opt string, d time.Duration) (int64, error) {
	if err := positive(cmd, opt, d); err != nil {
		return 0, err
	}
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond != 0 {
		ms++
	}
	return ms, nil
}

// positive refuses zero and negative relative TTLs (negative ones the server calls a syntax error).
func positive(cmd, opt string, d time.Duration) error {
	if d < 0 {
		return invalid(ErrSyntax, cmd, "%s needs a positive duration, got %v", opt, d)
	}
	if d == 0 {
		return invalid(nil, cmd, "%s needs a positive duration, got 0 (which would expire it at once)", opt)
	}
	return nil
}

// inRange returns at's Unix seconds if its millisecond count is representable and not negative.
func inRange(cmd, opt string, at time.Time) (int64, error) {
	s := at.Unix()
	if s < 0 {
		return 0, invalid(ErrSyntax, cmd, "%s time %v is before the Unix epoch", opt, at)
	}
	if s > maxUnixSeconds {
		return 0, invalid(nil, cmd, "%s time %v overflows the server's millisecond clock", opt, at)
	}
	return s, nil
}

// maxUnixSeconds is the latest instant whose millisecond count fits in an int64.
const maxUnixSeconds = math.MaxInt64/1000 - 1

// unixSeconds converts an absolute time for a seconds-based option; it must be a whole second
// between the Unix epoch and the end of the int64 millisecond range. A past time is allowed: the
// field expires at once.
func unixSeconds(cmd, opt string, at time.Time) (int64, error) {
	s, err := inRange(cmd, opt, at)
	if err != nil {
		return 0, err
	}
	if at.Nanosecond() != 0 {
		return 0, invalid(nil, cmd, "%s takes whole seconds; %v would lose precision (use the millisecond form)", opt, at)
	}
	return s, nil
}

// unixMillis converts an absolute time for a milliseconds-based option, rounding a sub-millisecond
// remainder up like millis.
func unixMillis(cmd, opt string, at time.Time) (int64, error) {
	s, err := inRange(cmd, opt, at)
	if err != nil {
		return 0, err
	}
	ns := int64(at.Nanosecond())
	ms := s*1000 + ns/1e6
	if ns%1e6 != 0 {
		ms++
	}
	return ms, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// verKind is the version option of EXHSET, EXHINCRBY(FLOAT) and the EXHPEXPIRE family.
type verKind uint8

const (
	verUnset verKind = iota
	verVER
	verABS
	verGT
)

var verKeywords = [...]string{verVER: "VER", verABS: "ABS", verGT: "GT"}

// verSpec is the version part of a builder, with the same conflict rule as ttlSpec.
type verSpec struct {
	kind     verKind
	v        int64
	conflict [2]verKind
}

func (s *verSpec) set(k verKind, v int64) {
	if s.kind != verUnset && s.kind != k && s.conflict[0] == verUnset {
		s.conflict = [2]verKind{s.kind, k}
	}
	s.kind, s.v = k, v
}

// appendTo validates the version and appends its keyword and value. VER takes v ≥ 0 (0: no check);
// ABS and GT take v ≥ 1, as the server requires.
func (s *verSpec) appendTo(cmd string, args []any) ([]any, error) {
	if s.conflict[0] != verUnset {
		return nil, invalid(ErrSyntax, cmd, "%s and %s are mutually exclusive",
			verKeywords[s.conflict[0]], verKeywords[s.conflict[1]])
	}
	switch {
	case s.kind == verUnset:
		return args, nil
	case s.v < 0:
		return nil, invalid(ErrSyntax, cmd, "%s version must not be negative, got %d", verKeywords[s.kind], s.v)
	case s.v == 0 && s.kind != verVER:
		return nil, invalid(ErrSyntax, cmd, "%s version must be at least 1", verKeywords[s.kind])
	}
	return append(args, verKeywords[s.kind], itoa(s.v)), nil
}
