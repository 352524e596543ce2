package conformance

// §3.2 EXHSETNX, §3.3 EXHMSET, §3.4 EXHMSETWITHOPTS.

var multiSetScenarios = []scenario{
	{"exhsetnx/create-only", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhsetnx", k, "f", "v"),
			r([]any{"v", 0}, "exhgetwithver", k, "f"),
			r(-1, "exhpttl", k, "f"),
			r(0, "exhsetnx", k, "f", "w"),
			r([]any{"v", 0}, "exhgetwithver", k, "f"),
			r(errSyntax, "exhset", k, "f", "w", "abs", "0"),
		)
	}},
	{"exhsetnx/expired-target-is-replaced", func(e *env) {
		// Single-field key: the write-path sweep removes the expired field first.
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "old", "px", "0"),
			r(1, "exhsetnx", k, "f", "new"),
			r([]any{"new", 0}, "exhgetwithver", k, "f"),
		)
	}},
	{"exhmset/create-and-update", func(e *env) {
		k := e.key("k")
		e.rows(
			r("OK", "exhmset", k, "a", "1", "b", "2"),
			r([]any{[]any{"1", 1}, []any{"2", 1}}, "exhmgetwithver", k, "a", "b"),
			r("OK", "exhmset", k, "a", "3", "c", "4"),
			r([]any{[]any{"3", 2}, []any{"2", 1}, []any{"4", 1}}, "exhmgetwithver", k, "a", "b", "c"),
		)
	}},
	{"exhmset/repeated-field", func(e *env) {
		k := e.key("k")
		e.rows(
			r("OK", "exhmset", k, "a", "1", "a", "2"),
			r([]any{"2", 2}, "exhgetwithver", k, "a"),
			r("OK", "exhmset", k, "a", "3", "a", "4", "a", "5"),
			r([]any{"5", 5}, "exhgetwithver", k, "a"),
			r(1, "exhlen", k),
		)
	}},
	{"exhmset/expired-field-counts-as-absent", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "a", "1", "abs", "9", "px", "0"),
			r("OK", "exhmset", k, "a", "2"),
			r([]any{"2", 1}, "exhgetwithver", k, "a"),
			r(-1, "exhpttl", k, "a"),
		)
	}},
	{"exhmset/no-pairs", func(e *env) {
		k := e.key("k")
		e.rows(
			r("OK", "exhmset", k),
			r(0, "exhlen", k),
		)
		e.wantExists(k, e.module, "EXHMSET with no pairs leaves an empty key on the module only (D2)")
	}},
	{"exhmsetwithopts/apply", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "a", "old"),
			r("OK", "exhmsetwithopts", k, "a", "A", "1", "100", "b", "B", "7", "200"),
			// ver is only a precondition: versions are bumped (new field: 1), never assigned.
			r([]any{[]any{"A", 2}, []any{"B", 1}}, "exhmgetwithver", k, "a", "b"),
			r(ttlNear(100000), "exhpttl", k, "a"),
			r(ttlNear(200000), "exhpttl", k, "b"),
			r("OK", "exhmsetwithopts", k, "a", "A2", "0", "300"), // 0 matches any version
			r([]any{"A2", 3}, "exhgetwithver", k, "a"),
			r(ttlNear(300000), "exhpttl", k, "a"),
		)
	}},
	{"exhmsetwithopts/ttl-zero-expires-at-once", func(e *env) {
		k := e.key("k")
		e.rows(
			r("OK", "exhmsetwithopts", k, "a", "A", "0", "0"),
			r(nil, "exhget", k, "a"),
		)
		e.wantExists(k, false, "the expired last field was removed by EXHGET")
	}},
	{"exhmsetwithopts/all-or-nothing", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "a", "old", "px", "100000"),
			r(errStale, "exhmsetwithopts", k, "b", "B", "0", "100", "a", "A", "7", "100"),
			r(errSyntax, "exhmsetwithopts", k, "b", "B", "0", "100", "a", "A", "1", "x"),
			r(errSyntax, "exhmsetwithopts", k, "b", "B", "0", "100", "a", "A", "x", "1"),
			r(errSyntax, "exhmsetwithopts", k, "b", "B", "0", "100", "a", "A", "-1", "1"),
			r(errSyntax, "exhmsetwithopts", k, "b", "B", "0", "100", "a", "A", "1", "-1"),
			r(errSyntax, "exhmsetwithopts", k, "b", "B", "0", "100", "a", "A", "1", "1.5"),
			r(nil, "exhget", k, "b"),
			r([]any{"old", 1}, "exhgetwithver", k, "a"),
			r(ttlNear(100000), "exhpttl", k, "a"),
		)
	}},
	{"exhmsetwithopts/first-failure-decides", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "a", "old"),
			r(errStale, "exhmsetwithopts", k, "a", "A", "9", "100", "b", "B", "abc", "1"),
			r(errSyntax, "exhmsetwithopts", k, "b", "B", "abc", "1", "a", "A", "9", "100"),
			r(1, "exhlen", k),
		)
	}},
	{"exhmsetwithopts/same-field-twice", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "a", "old"),
			// Both tuples are checked against the version before the call.
			r("OK", "exhmsetwithopts", k, "a", "x", "1", "100", "a", "y", "1", "100"),
			r([]any{"y", 3}, "exhgetwithver", k, "a"),
			r(errStale, "exhmsetwithopts", k, "a", "z", "3", "100", "a", "w", "4", "100"),
			r([]any{"y", 3}, "exhgetwithver", k, "a"),
		)
	}},
	{"exhmsetwithopts/zero-tuples", func(e *env) {
		k := e.key("k")
		e.want("OK", "exhmsetwithopts", k)
		e.wantExists(k, e.module, "EXHMSETWITHOPTS with no tuples leaves an empty key on the module only (D2)")
	}},
	{"exhmsetwithopts/failure-on-absent-key", func(e *env) {
		k := e.key("k")
		e.want(errSyntax, "exhmsetwithopts", k, "f", "v", "1", "x")
		e.wantExists(k, e.module, "a failed EXHMSETWITHOPTS leaves an empty key on the module only (D2)")
	}},
}
