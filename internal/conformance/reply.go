package conformance

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Replies are compared in one normal form so that a scenario reads like the specification and
// does not care which backend or protocol produced them:
//
//	nil                  null bulk, RESP3 null, redis.Nil, or a Lua false (also inside arrays)
//	int64                integer (expected values may be written as plain int)
//	string               bulk or status string ("+OK" and "+0" become "OK" and "0")
//	[]any                array, elements normalised recursively
//	Err                  server error reply, compared by its full text
//
// Expected values may also be a matcher (inRange, unordered, anyOf, …) where the exact reply is
// not fixed by the specification.

// Err is an expected (or received) server error, compared by its full text, e.g.
// Err("ERR syntax error").
type Err string

// The error texts of §12 of the specification, verbatim.
const (
	errSyntax      = Err("ERR syntax error")
	errStale       = Err("ERR update version is stale")
	errWrongType   = Err("WRONGTYPE Operation against a key holding the wrong kind of value")
	errNotInt      = Err("ERR value is not an integer")
	errNotFloat    = Err("ERR value is not an float")
	errOverflow    = Err("ERR increment or decrement would overflow")
	errMinMaxInt   = Err("ERR min or max is specified, but value is not an integer")
	errMinMaxFloat = Err("ERR min or max is specified, but value is not a float")
	errMinOverMax  = Err("ERR min value is bigger than max value")
)

// errArity is the module's arity error for a command (always its lower-case name).
func errArity(cmd string) Err {
	return Err("ERR wrong number of arguments for '" + cmd + "' command")
}

// normalise turns a go-redis result into the normal form. A transport error (not a server
// reply) is returned as err.
func normalise(val any, err error) (any, error) {
	if err != nil {
		if errors.Is(err, redis.Nil) {
			return nil, nil
		}
		var re redis.Error
		if errors.As(err, &re) {
			return Err(re.Error()), nil
		}
		return nil, err
	}
	return normaliseValue(val), nil
}

func normaliseValue(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case bool:
		if !v {
			return nil // a script's false stands for nil
		}
		return int64(1)
	case int:
		return int64(v)
	case int64:
		return v
	case string:
		return v
	case []byte:
		return string(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normaliseValue(e)
		}
		return out
	case redis.Error:
		return Err(v.Error())
	default:
		return v // a shape the module never produces (map, double, …): left as is so it mismatches
	}
}

// matcher is an expectation that is not one exact value.
type matcher interface {
	match(got any) bool
	String() string
}

// equal reports whether a normalised reply satisfies an expectation.
func equal(want, got any) bool {
	if m, ok := want.(matcher); ok {
		return m.match(got)
	}
	want = normaliseValue(want)
	switch w := want.(type) {
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !equal(w[i], g[i]) {
				return false
			}
		}
		return true
	default:
		return want == got
	}
}

// between matches an integer reply lo ≤ n ≤ hi.
type between struct{ lo, hi int64 }

// inRange expects an integer lo ≤ n ≤ hi.
func inRange(lo, hi int64) between { return between{lo, hi} }

func (r between) match(got any) bool {
	n, ok := got.(int64)
	return ok && r.lo <= n && n <= r.hi
}

func (r between) String() string { return fmt.Sprintf("integer in [%d, %d]", r.lo, r.hi) }

// anyOf matches a reply equal to one of its alternatives.
type anyOf []any

func (a anyOf) match(got any) bool {
	return slices.ContainsFunc(a, func(w any) bool { return equal(w, got) })
}

func (a anyOf) String() string { return "one of " + show([]any(a)) }

// unorderedGroups matches an array holding the given groups of `size` consecutive elements in any
// order: EXHKEYS (size 1), EXHGETALL (size 2: field, value), EXHGETALLWITHVER (size 3).
type unorderedGroups struct {
	size  int
	items []any
}

// unordered expects the elements in any order.
func unordered(items ...any) unorderedGroups { return unorderedGroups{1, items} }

// pairs expects field, value pairs in any order of the pairs.
func pairs(items ...any) unorderedGroups { return unorderedGroups{2, items} }

// triples expects field, value, version triples in any order of the triples.
func triples(items ...any) unorderedGroups { return unorderedGroups{3, items} }

func (u unorderedGroups) match(got any) bool {
	g, ok := got.([]any)
	if !ok || len(g) != len(u.items) || len(g)%u.size != 0 {
		return false
	}
	return slices.Equal(groupKeys(u.size, u.items), groupKeys(u.size, g))
}

// groupKeys renders each group as one comparable string and sorts them.
func groupKeys(size int, items []any) []string {
	var keys []string
	for i := 0; i+size <= len(items); i += size {
		keys = append(keys, show(normaliseValue(slices.Clone(items[i:i+size]))))
	}
	slices.Sort(keys)
	return keys
}

func (u unorderedGroups) String() string {
	return fmt.Sprintf("in any order (groups of %d) %s", u.size, show(u.items))
}

// show renders a normalised reply or expectation for failure messages, like redis-cli would.
func show(v any) string {
	switch v := v.(type) {
	case nil:
		return "(nil)"
	case int:
		return "(integer) " + strconv.Itoa(v)
	case int64:
		return "(integer) " + strconv.FormatInt(v, 10)
	case string:
		return strconv.Quote(v)
	case Err:
		return "(error) " + string(v)
	case matcher:
		return v.String()
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return fmt.Sprintf("%T(%v)", v, v)
	}
}

// showCommand renders a command for failure messages.
func showCommand(args []any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		s := fmt.Sprint(a)
		if i == 0 || (s != "" && strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' }) < 0) {
			parts[i] = s
		} else {
			parts[i] = strconv.Quote(s)
		}
	}
	return strings.Join(parts, " ")
}
