package conformance

// §3.21 EXHKEYS, EXHVALS, EXHGETALL, EXHGETALLWITHVER.

var walkCommands = []string{"exhkeys", "exhvals", "exhgetall", "exhgetallwithver"}

var walkScenarios = []scenario{
	{"walk/contents", func(e *env) {
		k := e.key("k")
		for _, cmd := range walkCommands {
			e.want([]any{}, cmd, k)
		}
		e.rows(
			r("OK", "exhmset", k, "a", "1", "b", "2", "c", ""),
			r(0, "exhset", k, "b", "3"),
			r(unordered("a", "b", "c"), "exhkeys", k),
			r(unordered("1", "3", ""), "exhvals", k),
			r(pairs("a", "1", "b", "3", "c", ""), "exhgetall", k),
			r(triples("a", "1", 1, "b", "3", 2, "c", "", 1), "exhgetallwithver", k),
		)
	}},
	{"walk/expired-fields-omitted-and-removed", func(e *env) {
		for _, cmd := range walkCommands {
			k := e.key(cmd)
			want := map[string]any{
				"exhkeys":          []any{"a"},
				"exhvals":          []any{"1"},
				"exhgetall":        []any{"a", "1"},
				"exhgetallwithver": []any{"a", "1", 1},
			}[cmd]
			e.atomic(
				r("OK", "exhmset", k, "a", "1", "b", "2", "c", "3"),
				r(1, "exhpexpire", k, "b", "0"),
				r(1, "exhpexpire", k, "c", "0"),
				r(want, cmd, k),
				r(1, "exhlen", k), // the walk removed them
			)
		}
	}},
	{"walk/last-field-expired", func(e *env) {
		for _, cmd := range walkCommands {
			k := e.key(cmd)
			e.atomic(
				r(1, "exhset", k, "f", "v", "px", "0"),
				r([]any{}, cmd, k),
			)
			e.wantExists(k, e.module, cmd+" emptying a key leaves it on the module only (D4)")
		}
	}},
}
