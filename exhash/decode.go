package exhash

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Decoders turn a module-shaped reply (see driver.Backend) into a typed result. They receive nil for a nil
// reply however it arrived (null, redis.Nil or false); inside arrays they accept nil and false alike.

func unexpected(what string, v any) error {
	return fmt.Errorf("%w to %s: %T %v", ErrUnexpectedReply, what, v, v)
}

func isNil(v any) bool { return v == nil || v == false }

// integer reads an integer where the module replies one (see driver.Integer).
var integer = driver.Integer

func decodeInt(v any) (int64, error) {
	n, ok := integer(v)
	if !ok {
		return 0, unexpected("an integer command", v)
	}
	return n, nil
}

func decodeBool(v any) (bool, error) {
	switch v {
	case int64(1):
		return true, nil
	case int64(0):
		return false, nil
	}
	return false, unexpected("a 1/0 command", v)
}

func decodeSet(v any) (SetResult, error) {
	switch v {
	case int64(1), int64(0), int64(-1):
		return SetResult(v.(int64)), nil
	}
	return 0, unexpected("EXHSET", v)
}

func decodeStatus(v any) (Status, error) {
	s, ok := v.(string)
	if !ok {
		return "", unexpected("a status command", v)
	}
	return Status(s), nil
}

// decodeBulk returns redis.Nil for a nil reply, as go-redis does for HGET.
func decodeBulk(v any) (string, error) {
	if v == nil {
		return "", redis.Nil
	}
	s, ok := v.(string)
	if !ok {
		return "", unexpected("EXHGET", v)
	}
	return s, nil
}

func decodeFloat(v any) (Float, error) {
	s, ok := v.(string)
	if !ok {
		return Float{}, unexpected("EXHINCRBYFLOAT", v)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Float{}, unexpected("EXHINCRBYFLOAT", v)
	}
	return Float{Value: f, Text: s}, nil // out of float64 range: ±Inf (or 0), Text stays exact
}

// decodeTTL maps EXHTTL/EXHPTTL replies; unit is time.Second or time.Millisecond.
func decodeTTL(unit time.Duration) func(any) (TTLResult, error) {
	return func(v any) (TTLResult, error) {
		n, ok := v.(int64)
		switch {
		case !ok || n < -3:
			return TTLResult{}, unexpected("EXHTTL/EXHPTTL", v)
		case n == -1:
			return TTLResult{Presence: Present, Persistent: true}, nil
		case n == -2:
			return TTLResult{Presence: NoKey}, nil
		case n == -3:
			return TTLResult{Presence: NoField}, nil
		}
		return TTLResult{Presence: Present, TTL: time.Duration(n) * unit}, nil
	}
}

// decodeExpireTime maps EXPIRETIME/PEXPIRETIME replies; unit is time.Second or time.Millisecond.
func decodeExpireTime(unit time.Duration) func(any) (ExpireTimeResult, error) {
	return func(v any) (ExpireTimeResult, error) {
		n, ok := v.(int64)
		switch {
		case !ok || n < -2:
			return ExpireTimeResult{}, unexpected("EXPIRETIME/PEXPIRETIME", v)
		case n == -1:
			return ExpireTimeResult{Presence: Present, Persistent: true}, nil
		case n == -2:
			return ExpireTimeResult{Presence: NoKey}, nil
		}
		if unit == time.Second {
			return ExpireTimeResult{Presence: Present, At: time.Unix(n, 0)}, nil
		}
		return ExpireTimeResult{Presence: Present, At: time.UnixMilli(n)}, nil
	}
}

func decodeVersion(v any) (VersionResult, error) {
	n, ok := integer(v)
	switch {
	case !ok:
		return VersionResult{}, unexpected("EXHVER", v)
	case n == -1:
		return VersionResult{Presence: NoKey}, nil
	case n == -2:
		return VersionResult{Presence: NoField}, nil
	}
	return VersionResult{Presence: Present, Version: n}, nil
}

func valueVersion(v any) (ValueVersion, bool) {
	pair, ok := v.([]any)
	if !ok || len(pair) != 2 {
		return ValueVersion{}, false
	}
	s, ok1 := pair[0].(string)
	n, ok2 := integer(pair[1])
	return ValueVersion{Value: s, Version: n}, ok1 && ok2
}

// decodeValueVersion returns redis.Nil for an absent field, like decodeBulk.
func decodeValueVersion(v any) (ValueVersion, error) {
	if v == nil {
		return ValueVersion{}, redis.Nil
	}
	vv, ok := valueVersion(v)
	if !ok {
		return ValueVersion{}, unexpected("EXHGETWITHVER", v)
	}
	return vv, nil
}

// array accepts an array reply; nil counts as empty.
func array(what string, v any) ([]any, error) {
	if v == nil {
		return nil, nil
	}
	a, ok := v.([]any)
	if !ok {
		return nil, unexpected(what, v)
	}
	return a, nil
}

func decodeStrings(v any) ([]string, error) {
	a, err := array("EXHKEYS/EXHVALS", v)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(a))
	for i, e := range a {
		s, ok := e.(string)
		if !ok {
			return nil, unexpected("EXHKEYS/EXHVALS", v)
		}
		out[i] = s
	}
	return out, nil
}

func decodeOptionalStrings(v any) ([]*string, error) {
	a, err := array("EXHMGET", v)
	if err != nil {
		return nil, err
	}
	out := make([]*string, len(a))
	for i, e := range a {
		if isNil(e) {
			continue
		}
		s, ok := e.(string)
		if !ok {
			return nil, unexpected("EXHMGET", v)
		}
		out[i] = &s
	}
	return out, nil
}

func decodeValueVersions(v any) ([]*ValueVersion, error) {
	a, err := array("EXHMGETWITHVER", v)
	if err != nil {
		return nil, err
	}
	out := make([]*ValueVersion, len(a))
	for i, e := range a {
		if isNil(e) {
			continue
		}
		vv, ok := valueVersion(e)
		if !ok {
			return nil, unexpected("EXHMGETWITHVER", v)
		}
		out[i] = &vv
	}
	return out, nil
}

// pairs decodes a flat field/value array (or a map, should a backend answer one under RESP3).
func pairs(what string, v any) ([]FieldValue, error) {
	if m, ok := v.(map[any]any); ok {
		out := make([]FieldValue, 0, len(m))
		for k, val := range m {
			f, ok1 := k.(string)
			s, ok2 := val.(string)
			if !ok1 || !ok2 {
				return nil, unexpected(what, v)
			}
			out = append(out, FieldValue{Field: f, Value: s})
		}
		return out, nil
	}
	a, err := array(what, v)
	if err != nil {
		return nil, err
	}
	if len(a)%2 != 0 {
		return nil, unexpected(what, v)
	}
	out := make([]FieldValue, 0, len(a)/2)
	for i := 0; i < len(a); i += 2 {
		f, ok1 := a[i].(string)
		s, ok2 := a[i+1].(string)
		if !ok1 || !ok2 {
			return nil, unexpected(what, v)
		}
		out = append(out, FieldValue{Field: f, Value: s})
	}
	return out, nil
}

func decodeMap(v any) (map[string]string, error) {
	fvs, err := pairs("EXHGETALL", v)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(fvs))
	for _, fv := range fvs {
		out[fv.Field] = fv.Value
	}
	return out, nil
}

func decodeValueVersionMap(v any) (map[string]ValueVersion, error) {
	a, err := array("EXHGETALLWITHVER", v)
	if err != nil {
		return nil, err
	}
	if len(a)%3 != 0 {
		return nil, unexpected("EXHGETALLWITHVER", v)
	}
	out := make(map[string]ValueVersion, len(a)/3)
	for i := 0; i < len(a); i += 3 {
		f, ok1 := a[i].(string)
		s, ok2 := a[i+1].(string)
		n, ok3 := integer(a[i+2])
		if !ok1 || !ok2 || !ok3 {
			return nil, unexpected("EXHGETALLWITHVER", v)
		}
		out[f] = ValueVersion{Value: s, Version: n}
	}
	return out, nil
}

// decodeScan accepts the cursor as a bulk or status string ("0" for an absent key is a status) or,
// defensively, as an integer.
func decodeScan(v any) (ScanPage, error) {
	a, ok := v.([]any)
	if !ok || len(a) != 2 {
		return ScanPage{}, unexpected("EXHSCAN", v)
	}
	var page ScanPage
	switch c := a[0].(type) {
	case string:
		n, err := strconv.ParseUint(c, 10, 64)
		if err != nil {
			return ScanPage{}, unexpected("EXHSCAN", v)
		}
		page.Cursor = n
	case int64:
		if c < 0 {
			return ScanPage{}, unexpected("EXHSCAN", v)
		}
		page.Cursor = uint64(c)
	default:
		return ScanPage{}, unexpected("EXHSCAN", v)
	}
	fvs, err := pairs("EXHSCAN", a[1])
	if err != nil {
		return ScanPage{}, err
	}
	page.Fields = fvs
	return page, nil
}
