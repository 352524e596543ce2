package conformance

// §3.18 EXHLEN, with and without NOEXP.

var lenScenarios = []scenario{
	{"exhlen/counts", func(e *env) {
		k := e.key("k")
		e.rows(
			r(0, "exhlen", k),
			r(0, "exhlen", k, "noexp"),
			r("OK", "exhmset", k, "a", "1", "b", "2"),
			r(1, "exhset", k, "c", "3", "px", "100000"),
			r(3, "exhlen", k),
			r(3, "exhlen", k, "NOEXP"),
		)
	}},
	{"exhlen/syntax-before-type", func(e *env) {
		k, s := e.key("k"), e.key("str")
		e.native("set", s, "x")
		e.rows(
			r(errSyntax, "exhlen", k, "foo"),
			r(errSyntax, "exhlen", s, "foo"),
			r(errSyntax, "exhlen", s, ""),
			r(errWrongType, "exhlen", s, "noexp"),
			r(errWrongType, "exhlen", s),
		)
	}},
	{"exhlen/expired-fields", func(e *env) {
		// The module counts expired fields it has not removed yet (plain EXHLEN); this
		// project's backends remove due fields first and count live ones only. NOEXP counts
		// live fields on both. The fields expire through EXHPEXPIRE, which has no write-path
		// sweep: a second write on a key holding an expired field crashes the module (D1).
		k := e.key("k")
		e.atomic(
			r("OK", "exhmset", k, "a", "1", "b", "2", "c", "3"),
			r(1, "exhpexpire", k, "b", "0"),
			r(1, "exhpexpire", k, "c", "0"),
			r(e.pick(3, 1), "exhlen", k),
			r(1, "exhlen", k, "noexp"),
			r(e.pick(3, 1), "exhlen", k),
		)
	}},
}
