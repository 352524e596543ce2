package conformance

// §3.1 EXHSET (replies, option rules, check order, NX/XX, VER/ABS/GT) and §4 versions.
// EXHSET's TTL effects are in set_ttl.go.

var setScenarios = []scenario{
	{"exhset/create-then-update", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v1"),
			r([]any{"v1", 1}, "exhgetwithver", k, "f"),
			r(0, "exhset", k, "f", "v2"),
			r([]any{"v2", 2}, "exhgetwithver", k, "f"),
			r(0, "exhset", k, "f", "v2"),
			r(3, "exhver", k, "f"),
		)
	}},
	{"exhset/option-conflicts", func(e *env) {
		k := e.key("k")
		e.want(1, "exhset", k, "f", "orig", "px", "100000")
		ttls := []string{"ex", "px", "exat", "pxat"}
		var bad [][]any
		for _, a := range ttls {
			for _, b := range ttls {
				bad = append(bad, []any{a, "100", b, "100"})
			}
			bad = append(bad, []any{a, "100", "keepttl"}, []any{"keepttl", a, "100"})
			bad = append(bad, []any{a, "-1"}, []any{a, "x"})
		}
		bad = append(bad,
			[]any{"nx", "xx"}, []any{"xx", "nx"},
			[]any{"ver", "1", "abs", "1"}, []any{"abs", "1", "ver", "1"},
			[]any{"ver", "1", "gt", "2"}, []any{"gt", "2", "ver", "1"},
			[]any{"abs", "1", "gt", "2"}, []any{"gt", "2", "abs", "1"},
			[]any{"abs", "0"}, []any{"gt", "0"},
			[]any{"ver", "-1"}, []any{"abs", "-1"}, []any{"gt", "-1"},
		)
		for _, opts := range bad {
			e.want(errSyntax, append([]any{"exhset", k, "f", "new"}, opts...)...)
		}
		e.rows(
			r([]any{"orig", 1}, "exhgetwithver", k, "f"),
			r(inRange(90000, 100000), "exhpttl", k, "f"),
		)
	}},
	{"exhset/option-repeats", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "nx", "nx"),
			r(0, "exhset", k, "f", "v", "xx", "xx"),
			r(0, "exhset", k, "f", "v", "keepttl", "keepttl"),
			r(3, "exhver", k, "f"),
			// VER, ABS and GT may repeat: the last value counts.
			r(0, "exhset", k, "f", "v", "ver", "1", "ver", "3"),
			r(errStale, "exhset", k, "f", "v", "ver", "4", "ver", "9"),
			r(0, "exhset", k, "f", "v", "abs", "50", "abs", "7"),
			r(7, "exhver", k, "f"),
			r(0, "exhset", k, "f", "v", "gt", "100", "gt", "8"),
			r(8, "exhver", k, "f"),
		)
	}},
	{"exhset/nx-xx", func(e *env) {
		k := e.key("k")
		e.rows(
			r(-1, "exhset", k, "f", "v", "xx"),
			r(1, "exhset", k, "f", "v1", "nx", "px", "100000"),
			r(-1, "exhset", k, "f", "v2", "nx"),
			r(-1, "exhset", k, "f", "v2", "nx", "ver", "99"), // NX is decided before VER
			r([]any{"v1", 1}, "exhgetwithver", k, "f"),
			r(inRange(90000, 100000), "exhpttl", k, "f"),
			r(-1, "exhset", k, "g", "v", "xx"),
			r(-1, "exhset", k, "g", "v", "xx", "ver", "99"),
			r(nil, "exhget", k, "g"),
			r(0, "exhset", k, "f", "v3", "xx"),
			r([]any{"v3", 2}, "exhgetwithver", k, "f"),
			r(errStale, "exhset", k, "f", "v4", "xx", "ver", "99"),
		)
	}},
	{"exhset/xx-on-absent-key-creates-nothing", func(e *env) {
		k := e.key("k")
		e.want(-1, "exhset", k, "f", "v", "xx")
		e.wantExists(k, false, "EXHSET XX on an absent key")
	}},
	{"exhset/check-order", func(e *env) {
		k := e.key("k")
		// Option syntax is checked before NX/XX and before the key is created.
		e.rows(
			r(errSyntax, "exhset", k, "f", "v", "xx", "foo"),
			r(errSyntax, "exhset", k, "f", "v", "xx", "ex", "-1"),
			r(errSyntax, "exhset", k, "f", "v", "nx", "abs", "0"),
		)
		e.wantExists(k, false, "syntax errors create nothing")
	}},
	{"exhset/ver", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v1", "ver", "99"), // absent field: VER is not checked
			r(1, "exhver", k, "f"),
			r(errStale, "exhset", k, "f", "v2", "ver", "2"),
			r(0, "exhset", k, "f", "v2", "ver", "1"),
			r(0, "exhset", k, "f", "v3", "ver", "0"), // 0 matches anything
			r([]any{"v3", 3}, "exhgetwithver", k, "f"),
		)
	}},
	{"exhset/abs", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v1", "abs", "10"),
			r(10, "exhver", k, "f"),
			r(0, "exhset", k, "f", "v2", "abs", "3"), // may lower the version
			r([]any{"v2", 3}, "exhgetwithver", k, "f"),
			r(0, "exhset", k, "f", "v3"),
			r(4, "exhver", k, "f"),
		)
	}},
	{"exhset/gt", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v1", "gt", "10"),
			r(10, "exhver", k, "f"),
			r(errStale, "exhset", k, "f", "v2", "gt", "10"),
			r(errStale, "exhset", k, "f", "v2", "gt", "9"),
			r(0, "exhset", k, "f", "v2", "gt", "11"),
			r([]any{"v2", 11}, "exhgetwithver", k, "f"),
		)
	}},
	{"exhset/stale-changes-nothing", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "orig", "abs", "5", "px", "100000"),
			r(errStale, "exhset", k, "f", "new", "ver", "4"),
			r(errStale, "exhset", k, "f", "new", "gt", "5", "keepttl"),
			r(errStale, "exhset", k, "f", "new", "ver", "6", "ex", "1"),
			r([]any{"orig", 5}, "exhgetwithver", k, "f"),
			r(inRange(90000, 100000), "exhpttl", k, "f"),
		)
	}},
	{"versions/wrap-around", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "abs", "9223372036854775807"),
			r(0, "exhset", k, "f", "v"),
			r(int64(-9223372036854775808), "exhver", k, "f"),
			r([]any{"v", int64(-9223372036854775808)}, "exhgetwithver", k, "f"),
			r(errStale, "exhset", k, "f", "v", "ver", "1"),
			r(errSyntax, "exhset", k, "f", "v", "ver", "-9223372036854775808"),
			r(0, "exhset", k, "f", "v", "ver", "0"),
			r(int64(-9223372036854775807), "exhver", k, "f"),
			r(0, "exhset", k, "f", "v", "gt", "1"), // any GT beats a negative version
			r(1, "exhver", k, "f"),
			r(1, "exhset", k, "g", "v", "abs", "9223372036854775807"),
			r(0, "exhset", k, "g", "v", "abs", "2"),
			r(2, "exhver", k, "g"),
		)
	}},
	{"versions/setnx-version-zero", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhsetnx", k, "f", "v"),
			r(0, "exhver", k, "f"),
			r([]any{"v", 0}, "exhgetwithver", k, "f"),
			r(errStale, "exhset", k, "f", "w", "ver", "1"),
			r(0, "exhset", k, "f", "w", "ver", "0"),
			r(1, "exhver", k, "f"),
			r(1, "exhsetnx", k, "g", "v"),
			r(0, "exhset", k, "g", "w", "gt", "1"),
			r(1, "exhver", k, "g"),
			r(1, "exhsetnx", k, "h", "v"),
			r(0, "exhset", k, "h", "w"),
			r(1, "exhver", k, "h"),
		)
	}},
	{"versions/deleted-field-starts-over", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "abs", "40"),
			r(1, "exhset", k, "keep", "v"),
			r(1, "exhdel", k, "f"),
			r(1, "exhset", k, "f", "v"),
			r(1, "exhver", k, "f"),
		)
	}},
}
