package scripts

import (
	"math"
	"strconv"

	"github.com/tairhash-go/tairhash/internal/grammar"
)

// ttlKinds are the scripts' names of the TTL kinds (lib.lua, deadline).
var ttlKinds = [...]string{grammar.TTLNone: "", grammar.TTLKeep: "k", grammar.TTLRel: "r", grammar.TTLAt: "a"}

// AppendArgs appends the script operands of op, a command that grammar.Parse accepted (op.Err
// is ""), to dst: ARGV after the database, by position and without option words, as each body's
// header lays out. Optional operands left at their end are dropped when empty, so the common
// shapes (EXHSET key field value) send no more than the client did.
func AppendArgs(dst []any, op *grammar.Op) []any {
	switch op.Cmd {
	case "exhset":
		dst = append(dst, op.Args[0], op.Args[1])
		return appendOptional(dst, ttlKinds[op.TTL], ttlMs(op), op.Cond, op.Ver, op.VerValue, op.Late)
	case "exhincrby", "exhincrbyfloat":
		dst = append(dst, op.Args[0], op.Args[1])
		min, max := op.Min, op.Max
		if op.Cmd == "exhincrbyfloat" && op.Late == "" {
			min, max = floatBound(op.HasMin, min), floatBound(op.HasMax, max)
		}
		return appendOptional(dst, ttlKinds[op.TTL], ttlMs(op), op.Ver, op.VerValue, min, max, op.Late)
	case "exhpexpire", "exhexpire", "exhpexpireat", "exhexpireat":
		dst = append(dst, op.Args[0], ttlKinds[op.TTL], ttlMs(op))
		return appendOptional(dst, op.Ver, op.VerValue)
	case "exhscan":
		dst = append(dst, op.Cursor, op.Count, op.Late)
		if op.HasMatch {
			dst = append(dst, op.Match)
		}
		return dst
	case "exhmsetwithopts", "exhdelwithver":
		dst = append(dst, op.Late)
	}
	for _, a := range op.Args {
		dst = append(dst, a)
	}
	return dst
}

// appendOptional appends opts without the empty ones at their end.
func appendOptional(dst []any, opts ...string) []any {
	n := len(opts)
	for n > 0 && opts[n-1] == "" {
		n--
	}
	for _, o := range opts[:n] {
		dst = append(dst, o)
	}
	return dst
}

func ttlMs(op *grammar.Op) string {
	if op.TTL == grammar.TTLRel || op.TTL == grammar.TTLAt {
		return strconv.FormatInt(op.TTLMs, 10)
	}
	return ""
}

// floatBound is an EXHINCRBYFLOAT bound as a double Lua reads exactly; infinities as a literal
// its tonumber overflows to infinity with.
func floatBound(given bool, s string) string {
	if !given {
		return ""
	}
	switch f := grammar.Float64(s); {
	case math.IsInf(f, 1):
		return "1e999"
	case math.IsInf(f, -1):
		return "-1e999"
	default:
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
}
