package conformance

// §3.5 EXHGET, §3.6 EXHGETWITHVER, §3.7 EXHMGET, §3.8 EXHMGETWITHVER, §3.19 EXHEXISTS,
// §3.20 EXHSTRLEN.

var readScenarios = []scenario{
	{"exhget", func(e *env) {
		k := e.key("k")
		e.rows(
			r(nil, "exhget", k, "f"),
			r(1, "exhset", k, "f", "v"),
			r("v", "exhget", k, "f"),
			r(nil, "exhget", k, "F"), // field names are case-sensitive
			r(nil, "exhget", k, "g"),
		)
	}},
	{"exhgetwithver", func(e *env) {
		k := e.key("k")
		e.rows(
			r(nil, "exhgetwithver", k, "f"),
			r(1, "exhset", k, "f", "v", "abs", "12"),
			r([]any{"v", 12}, "exhgetwithver", k, "f"),
			r(nil, "exhgetwithver", k, "g"),
		)
	}},
	{"exhmget", func(e *env) {
		k := e.key("k")
		e.rows(
			r([]any{nil, nil, nil}, "exhmget", k, "a", "b", "a"),
			r("OK", "exhmset", k, "a", "1", "c", "3"),
			r([]any{"1", nil, "3", "1"}, "exhmget", k, "a", "b", "c", "a"),
			r([]any{nil}, "exhmget", k, "zz"),
		)
	}},
	{"exhmgetwithver", func(e *env) {
		k := e.key("k")
		e.rows(
			r([]any{nil, nil}, "exhmgetwithver", k, "a", "b"),
			r("OK", "exhmset", k, "a", "1", "c", "3"),
			r(0, "exhset", k, "c", "4"),
			r([]any{[]any{"1", 1}, nil, []any{"4", 2}, []any{"1", 1}}, "exhmgetwithver", k, "a", "b", "c", "a"),
		)
	}},
	{"exhexists", func(e *env) {
		k := e.key("k")
		e.rows(
			r(0, "exhexists", k, "f"),
			r(1, "exhset", k, "f", ""),
			r(1, "exhexists", k, "f"),
			r(0, "exhexists", k, "g"),
		)
	}},
	{"exhstrlen", func(e *env) {
		k := e.key("k")
		e.rows(
			r(0, "exhstrlen", k, "f"),
			r("OK", "exhmset", k, "f", "hello", "e", "", "b", "\x00\xff\xfe"),
			r(5, "exhstrlen", k, "f"),
			r(0, "exhstrlen", k, "e"),
			r(3, "exhstrlen", k, "b"),
			r(0, "exhstrlen", k, "zz"),
		)
	}},
	{"reads/expired-field-is-absent", func(e *env) {
		// A persistent field keeps the key; the expired one must be invisible to every read.
		// Atomic so the module's background expirer cannot remove it first.
		k := e.key("k")
		e.atomic(
			r(1, "exhset", k, "live", "v"),
			r(1, "exhset", k, "f", "v", "abs", "5", "px", "0"),
			r(nil, "exhgetwithver", k, "f"),
		)
		for _, x := range []row{
			r(nil, "exhget", k, "f"),
			r([]any{nil, "v"}, "exhmget", k, "f", "live"),
			r([]any{nil, []any{"v", 1}}, "exhmgetwithver", k, "f", "live"),
			r(0, "exhexists", k, "f"),
			r(0, "exhstrlen", k, "f"),
			r(-3, "exhttl", k, "f"),
			r(-3, "exhpttl", k, "f"),
			r(-2, "exhver", k, "f"),
		} {
			e.atomic(r(1, "exhset", k, "f", "v", "abs", "5", "px", "0"), x)
		}
		e.rows(
			r(1, "exhlen", k),
			r([]any{"live"}, "exhkeys", k),
		)
	}},
}
