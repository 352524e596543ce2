package hfe

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// The module's argument grammar (§1.2 of the specification), checked on the client so that the
// scripts of the hash-field-expiration backend receive only well-formed, normalised arguments.

// argString renders one command argument as the server would receive it.
func argString(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case nil:
		return ""
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(a)
}

// isInt64 reports whether s is a canonical int64: optional '-', no leading zeros, no "-0".
func isInt64(s string) bool {
	if s == "0" {
		return true
	}
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || digits[0] < '1' || digits[0] > '9' {
		return false
	}
	for i := 1; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// isNonNegInt64 reports whether s is a canonical int64 ≥ 0.
func isNonNegInt64(s string) bool {
	return isInt64(s) && s[0] != '-'
}

// parseCursor reads an EXHSCAN cursor the way C strtoul does on the whole string: "" is 0, a
// leading '+' or '-' is allowed (negative values wrap modulo 2^64), leading zeros are fine, and
// nothing may precede or follow the digits.
func parseCursor(s string) (uint64, bool) {
	if s == "" {
		return 0, true
	}
	neg := false
	switch s[0] {
	case '+':
		s = s[1:]
	case '-':
		neg, s = true, s[1:]
	}
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// Limits of the x87 80-bit long double the module computes with.
var (
	longDoubleMax = new(big.Float).SetMantExp(new(big.Float).SetPrec(64).SetUint64(math.MaxUint64), 16384-64)
	// Values at or below half the smallest subnormal (2^-16445) round to zero: strtold underflows.
	longDoubleHalfTiny = new(big.Float).SetMantExp(big.NewFloat(1), -16446)
)

// parseLongDouble reads s as C strtold would for the module: the whole string must be consumed;
// decimal, exponent, hexadecimal (0x…, optional p exponent), leading '+' or '.', inf/infinity in
// any case; the empty string is 0. NaN, leading or trailing white space, and magnitudes that
// overflow or underflow a long double are refused. The value is rounded to 64 mantissa bits.
func parseLongDouble(s string) (*big.Float, bool) {
	if s == "" {
		return new(big.Float).SetPrec(64), true
	}
	if len(s) > 5119 {
		return nil, false
	}
	body, neg := strings.ToLower(s), false
	switch body[0] {
	case '+':
		body = body[1:]
	case '-':
		body, neg = body[1:], true
	}
	var v *big.Float
	var ok bool
	switch {
	case body == "inf" || body == "infinity":
		v, ok = new(big.Float).SetInf(false), true
	case strings.HasPrefix(body, "0x"):
		v, ok = parseHexFloat(body[2:])
	default:
		v, ok = parseDecFloat(body)
	}
	if !ok {
		return nil, false
	}
	if !v.IsInf() && v.Sign() != 0 && (v.Cmp(longDoubleMax) > 0 || v.Cmp(longDoubleHalfTiny) <= 0) {
		return nil, false
	}
	if neg {
		v.Neg(v)
	}
	return v, true
}

// parseDecFloat reads digits [. digits] [e [sign] digits] with at least one mantissa digit.
func parseDecFloat(s string) (*big.Float, bool) {
	mant, exp, ok := splitFloat(s, "0123456789", 'e')
	if !ok {
		return nil, false
	}
	if strings.Trim(mant, "0.") == "" {
		return new(big.Float).SetPrec(64), true
	}
	// With at most 5119 mantissa digits, a decimal exponent beyond ±100000 over- or underflows
	// whatever the mantissa; refusing it first keeps big.Float away from absurd exponents.
	if e, err := strconv.ParseInt(exp, 10, 64); err != nil || e > 100000 || e < -100000 {
		return nil, false
	}
	v, _, err := big.ParseFloat(mant+"e"+exp, 10, 64, big.ToNearestEven)
	return v, err == nil
}

// parseHexFloat reads hexdigits [. hexdigits] [p [sign] digits] (after "0x").
func parseHexFloat(s string) (*big.Float, bool) {
	mant, exp, ok := splitFloat(s, "0123456789abcdef", 'p')
	if !ok {
		return nil, false
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return new(big.Float).SetPrec(64), true
	}
	e, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || e > 1<<20 || e < -(1<<20) {
		return nil, false // far beyond the long double range either way
	}
	m, _ := new(big.Int).SetString(digits, 16)
	v := new(big.Float).SetPrec(64).SetMode(big.ToNearestEven).SetInt(m)
	return v.SetMantExp(v, int(e)-4*len(frac)), true
}

// splitFloat splits a lower-case number into mantissa and exponent. The mantissa must have at
// least one of digits and at most one '.'; an exponent marker must be followed by an optional sign
// and decimal digits. The exponent is "0" when absent.
func splitFloat(s, digits string, marker byte) (mant, exp string, ok bool) {
	mant, exp = s, "0"
	if i := strings.IndexByte(s, marker); i >= 0 {
		mant, exp = s[:i], strings.TrimPrefix(s[i+1:], "+")
		e := strings.TrimPrefix(exp, "-")
		if e == "" || strings.Trim(e, "0123456789") != "" || strings.HasPrefix(s[i+1:], "+-") {
			return "", "", false
		}
	}
	seen, dots := false, 0
	for i := 0; i < len(mant); i++ {
		switch c := mant[i]; {
		case c == '.':
			dots++
		case strings.IndexByte(digits, c) >= 0:
			seen = true
		default:
			return "", "", false
		}
	}
	return mant, exp, seen && dots <= 1
}
