package conformance

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// §3.22 EXHSCAN: cursor loop over a whole hash, MATCH, COUNT, cursor grammar, expired fields.

// scanAll walks key with EXHSCAN from cursor 0 until the cursor is "0" again and returns every
// field → value seen (a field may be returned more than once; it must keep its value).
func (e *env) scanAll(key string, opts ...any) map[string]string {
	e.t.Helper()
	seen := map[string]string{}
	cursor := "0"
	for calls := 0; ; calls++ {
		if calls > 10000 {
			e.t.Fatalf("EXHSCAN %s did not finish after %d calls", key, calls)
		}
		args := append([]any{"exhscan", key, cursor}, opts...)
		next, page := e.scanPage(args...)
		for i := 0; i+1 < len(page); i += 2 {
			seen[page[i]] = page[i+1]
		}
		if cursor = next; cursor == "0" {
			return seen
		}
	}
}

// scanPage sends one EXHSCAN and checks the reply's shape: [cursor, [field, value, …]].
func (e *env) scanPage(args ...any) (cursor string, page []string) {
	e.t.Helper()
	got := e.do(args...)
	reply, ok := got.([]any)
	if !ok || len(reply) != 2 {
		e.t.Fatalf("%s: got %s, want [cursor, [field, value, …]]", showCommand(args), show(got))
	}
	cursor, ok = reply[0].(string)
	if _, err := strconv.ParseUint(cursor, 10, 64); !ok || err != nil {
		e.t.Fatalf("%s: cursor %s is not a decimal string", showCommand(args), show(reply[0]))
	}
	items, ok := reply[1].([]any)
	if !ok || len(items)%2 != 0 {
		e.t.Fatalf("%s: page %s is not a flat field/value array", showCommand(args), show(reply[1]))
	}
	for _, it := range items {
		s, ok := it.(string)
		if !ok {
			e.t.Fatalf("%s: page element %s is not a string", showCommand(args), show(it))
		}
		page = append(page, s)
	}
	return cursor, page
}

// wantScan walks key and checks the set of fields and values seen.
func (e *env) wantScan(key string, want map[string]string, opts ...any) {
	e.t.Helper()
	got := e.scanAll(key, opts...)
	if !maps.Equal(got, want) {
		e.t.Errorf("EXHSCAN %s %s walk\n   got: %v\n  want: %v", key, showCommand(opts), sortedKeys(got), sortedKeys(want))
	}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// fillFields stores n fields "<prefix><i>" = "v<i>" and returns them.
func (e *env) fillFields(key, prefix string, n int) map[string]string {
	e.t.Helper()
	args := []any{"exhmset", key}
	want := map[string]string{}
	for i := range n {
		f, v := fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("v%d", i)
		args = append(args, f, v)
		want[f] = v
	}
	e.want("OK", args...)
	return want
}

var scanScenarios = []scenario{
	{"exhscan/absent-key", func(e *env) {
		k := e.key("k")
		e.rows(
			r([]any{"0", []any{}}, "exhscan", k, "0"),
			r([]any{"0", []any{}}, "exhscan", k, "0", "match", "*", "count", "10"),
			// The cursor and the options are parsed even when the key is absent.
			r(errSyntax, "exhscan", k, "abc"),
			r(errSyntax, "exhscan", k, "0", "foo", "1"),
			r(errSyntax, "exhscan", k, "0", "count", "x"),
		)
		e.wantExists(k, false, "EXHSCAN creates nothing")
	}},
	{"exhscan/walks-whole-hash", func(e *env) {
		k := e.key("k")
		want := e.fillFields(k, "f", 300)
		e.wantScan(k, want)
		e.wantScan(k, want, "count", "7")
		e.wantScan(k, want, "count", "1000")
		e.wantScan(k, want, "match", "*")
	}},
	{"exhscan/count", func(e *env) {
		k := e.key("k")
		want := e.fillFields(k, "f", 200)
		// A negative COUNT returns the whole hash in one call.
		next, page := e.scanPage("exhscan", k, "0", "count", "-1")
		got := map[string]string{}
		for i := 0; i+1 < len(page); i += 2 {
			got[page[i]] = page[i+1]
		}
		if next != "0" || !maps.Equal(got, want) {
			e.t.Errorf("EXHSCAN COUNT -1: cursor %q and %d fields, want cursor \"0\" and %d", next, len(got), len(want))
		}
		e.wantScan(k, want, "count", "0")
		e.wantScan(k, want, "count", "100", "count", "3") // the last COUNT counts
	}},
	{"exhscan/match", func(e *env) {
		k := e.key("k")
		all := e.fillFields(k, "f", 30)
		e.want("OK", "exhmset", k, "F1", "x", "g1", "y", "*x", "z", "a?b", "w", "ab", "u")
		pick := func(names ...string) map[string]string {
			m := map[string]string{}
			for _, n := range names {
				if v, ok := all[n]; ok {
					m[n] = v
				}
			}
			return m
		}
		e.wantScan(k, pick("f1", "f10", "f11", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19"), "match", "f1*")
		want := pick("f1")
		want["F1"] = "x"
		e.wantScan(k, want, "match", "[Ff]1") // case-sensitive, classes
		want["g1"] = "y"
		e.wantScan(k, want, "match", "?1")
		e.wantScan(k, map[string]string{"F1": "x", "g1": "y"}, "match", "[^f]1")
		e.wantScan(k, map[string]string{"*x": "z"}, "match", `\*x`)
		e.wantScan(k, map[string]string{"a?b": "w"}, "match", `a\?b`)
		e.wantScan(k, map[string]string{"a?b": "w"}, "match", "a?b")
		e.wantScan(k, map[string]string{}, "match", "nothing*")
		e.wantScan(k, pick("f2"), "match", "nothing", "match", "f2") // the last MATCH counts
		e.wantScan(k, pick("f2"), "count", "5", "match", "f2")
	}},
	{"exhscan/cursor-grammar", func(e *env) {
		k := e.key("k")
		e.fillFields(k, "f", 3)
		for _, c := range []string{"", "+0", "00", "-1", "18446744073709551615"} {
			e.scanPage("exhscan", k, c) // accepted: any well-formed reply
		}
		for _, c := range []string{" 0", "0 ", "abc", "0x1", "1.5", "18446744073709551616"} {
			e.want(errSyntax, "exhscan", k, c)
		}
	}},
	{"exhscan/option-errors", func(e *env) {
		k := e.key("k")
		e.fillFields(k, "f", 3)
		e.rows(
			r(errSyntax, "exhscan", k, "0", "foo", "1"),
			r(errSyntax, "exhscan", k, "0", "count", "x"),
			r(errSyntax, "exhscan", k, "0", "count", "1.5"),
			r(errSyntax, "exhscan", k, "0", "match"),
			r(errSyntax, "exhscan", k, "0", "count", "1", "match"),
		)
	}},
	{"exhscan/expired-fields", func(e *env) {
		k := e.key("k")
		e.atomic(
			r("OK", "exhmset", k, "a", "1", "b", "2", "c", "3"),
			r(1, "exhpexpire", k, "b", "0"),
			r([]any{"0", pairs("a", "1", "c", "3")}, "exhscan", k, "0", "count", "100"),
			r(2, "exhlen", k),
		)
		k2 := e.key("k2")
		e.atomic(
			r(1, "exhset", k2, "f", "v", "px", "0"),
			r([]any{"0", []any{}}, "exhscan", k2, "0"),
		)
		e.wantExists(k2, false, "EXHSCAN removing the last field deletes the key")
	}},
}
