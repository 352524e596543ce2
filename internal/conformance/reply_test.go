package conformance

import (
	"errors"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// serverErr is what go-redis returns for an error reply.
type serverErr string

func (e serverErr) Error() string { return string(e) }
func (serverErr) RedisError()     {}

func TestNormaliseMapsEveryNilShapeToNil(t *testing.T) {
	for _, in := range []struct {
		val any
		err error
	}{{nil, nil}, {nil, redis.Nil}, {false, nil}} {
		got, err := normalise(in.val, in.err)
		if err != nil || got != nil {
			t.Errorf("normalise(%v, %v) = %v, %v; want nil, nil", in.val, in.err, got, err)
		}
	}
	got, _ := normalise([]any{"a", false, nil, int64(3), []any{false}}, nil)
	if !equal([]any{"a", nil, nil, 3, []any{nil}}, got) {
		t.Errorf("array with nil holes normalised to %s", show(got))
	}
}

func TestNormaliseKeepsServerErrorsAndReturnsTransportErrors(t *testing.T) {
	got, err := normalise(nil, serverErr("ERR syntax error"))
	if err != nil || got != errSyntax {
		t.Errorf("server error normalised to %v, %v", got, err)
	}
	transport := errors.New("connection refused")
	if _, err := normalise(nil, transport); err != transport {
		t.Errorf("transport error = %v, want it returned", err)
	}
}

func TestEqual(t *testing.T) {
	yes := []struct{ want, got any }{
		{1, int64(1)},
		{"1", "1"},
		{nil, nil},
		{[]any{}, []any{}},
		{inRange(1, 3), int64(3)},
		{anyOf{0, -3}, int64(-3)},
		{unordered("a", "b"), []any{"b", "a"}},
		{pairs("a", "1", "b", "2"), []any{"b", "2", "a", "1"}},
		{triples("a", "1", 1, "b", "2", 2), []any{"b", "2", int64(2), "a", "1", int64(1)}},
		{[]any{"0", pairs("a", "1")}, []any{"0", []any{"a", "1"}}},
	}
	for _, c := range yes {
		if !equal(c.want, c.got) {
			t.Errorf("equal(%s, %s) = false", show(c.want), show(c.got))
		}
	}
	no := []struct{ want, got any }{
		{1, "1"},          // integer versus bulk string
		{"1", int64(1)},   // bulk string versus integer
		{nil, ""},         // nil versus empty string
		{[]any{}, nil},    // empty array versus nil
		{errSyntax, "OK"}, // error versus status
		{inRange(1, 3), int64(4)},
		{pairs("a", "1", "b", "2"), []any{"a", "2", "b", "1"}}, // values swapped between fields
		{unordered("a", "a"), []any{"a", "b"}},
		{[]any{1, 2}, []any{int64(1)}},
	}
	for _, c := range no {
		if equal(c.want, c.got) {
			t.Errorf("equal(%s, %s) = true", show(c.want), show(c.got))
		}
	}
}

func TestScenarioNamesAreUniqueAndDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range scenarios() {
		if seen[s.name] {
			t.Errorf("scenario %q defined twice", s.name)
		}
		seen[s.name] = true
		if strings.ContainsAny(s.name, " {}") {
			t.Errorf("scenario name %q has spaces or braces", s.name)
		}
	}
	if len(seen) < 150 {
		t.Errorf("only %d scenarios: a group is missing from groups()", len(seen))
	}
}

func TestShowCommandQuotesBinaryArguments(t *testing.T) {
	got := showCommand([]any{"exhset", "k", "a\x00b", "", "v"})
	if want := `exhset k "a\x00b" "" v`; got != want {
		t.Errorf("showCommand = %s, want %s", got, want)
	}
}
