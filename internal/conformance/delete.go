package conformance

// §3.16 EXHDEL and §3.17 EXHDELWITHVER.

var deleteScenarios = []scenario{
	{"exhdel/counts-removed-fields", func(e *env) {
		k := e.key("k")
		e.rows(
			r(0, "exhdel", k, "a"),
			r("OK", "exhmset", k, "a", "1", "b", "2", "c", "3"),
			r(1, "exhdel", k, "a", "a", "zz"), // duplicates count once
			r(nil, "exhget", k, "a"),
			r(2, "exhdel", k, "b", "c"),
		)
		e.wantExists(k, false, "EXHDEL of the last field deletes the key")
	}},
	{"exhdel/expired-field-not-counted", func(e *env) {
		k := e.key("k")
		e.atomic(
			r(1, "exhset", k, "a", "1"),
			r(1, "exhset", k, "b", "2", "px", "0"),
			r(1, "exhdel", k, "b", "a"),
		)
		e.wantExists(k, false, "both fields are gone")
	}},
	{"exhdelwithver/versions", func(e *env) {
		k := e.key("k")
		e.rows(
			r("OK", "exhmset", k, "a", "1", "b", "1", "c", "1", "d", "1"),
			r(0, "exhset", k, "b", "2"),
			// a: 0 matches any version; b: 1 ≠ 2 kept silently; c: equal; zz: absent.
			r(2, "exhdelwithver", k, "a", "0", "b", "1", "c", "1", "zz", "0"),
			r([]any{nil, "2", nil, "1"}, "exhmget", k, "a", "b", "c", "d"),
			r(0, "exhdelwithver", k, "b", "-2"), // a negative version never matches
			r(1, "exhdelwithver", k, "b", "2", "b", "2"),
			r(1, "exhdelwithver", k, "d", "1"),
		)
		e.wantExists(k, false, "EXHDELWITHVER of the last field deletes the key")
	}},
	{"exhdelwithver/absent-key-parses-nothing", func(e *env) {
		k := e.key("k")
		e.want(0, "exhdelwithver", k, "f", "abc")
		e.wantExists(k, false, "nothing to delete")
	}},
	{"exhdelwithver/bad-version-stops-midway", func(e *env) {
		k := e.key("k")
		e.rows(
			r("OK", "exhmset", k, "a", "1", "b", "1", "c", "1"),
			r(errSyntax, "exhdelwithver", k, "a", "0", "b", "x", "c", "0"),
			// Pairs before the bad one were applied, pairs after it were not.
			r([]any{nil, "1", "1"}, "exhmget", k, "a", "b", "c"),
		)
		k2 := e.key("k2")
		e.rows(
			r(1, "exhset", k2, "a", "1"),
			r(errSyntax, "exhdelwithver", k2, "a", "0", "z", "x"),
			r(0, "exhlen", k2),
		)
		e.wantExists(k2, e.module, "an EXHDELWITHVER error after removing the last field leaves an empty key on the module only (D2)")
	}},
	{"exhdelwithver/expired-field-not-counted", func(e *env) {
		k := e.key("k")
		e.atomic(
			r(1, "exhset", k, "a", "1"),
			r(1, "exhset", k, "b", "2", "px", "0"),
			r(1, "exhdelwithver", k, "b", "0", "a", "1"),
		)
		e.wantExists(k, false, "both fields are gone")
	}},
}
