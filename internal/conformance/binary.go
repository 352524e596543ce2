package conformance

// §1.2: field names and values are binary-safe and case-sensitive; the empty string is a valid
// field and value. Keys too are arbitrary bytes.

var binaryScenarios = []scenario{
	{"binary/fields-and-values", func(e *env) {
		k := e.key("k")
		nul, bad, empty := "a\x00b", "\xff\xfe\xc3\x28", ""
		e.rows(
			r(1, "exhset", k, nul, "\x00"),
			r(1, "exhset", k, bad, bad),
			r(1, "exhset", k, empty, empty),
			r(1, "exhset", k, "F", "upper"),
			r(1, "exhset", k, "f", "lower"),
			r("\x00", "exhget", k, nul),
			r(nil, "exhget", k, "a"),
			r(bad, "exhget", k, bad),
			r("", "exhget", k, empty),
			r(1, "exhexists", k, empty),
			r([]any{"", 1}, "exhgetwithver", k, empty),
			r(4, "exhstrlen", k, bad),
			r(1, "exhstrlen", k, nul),
			r([]any{"\x00", "upper", "lower", ""}, "exhmget", k, nul, "F", "f", empty),
			r(unordered(nul, bad, empty, "F", "f"), "exhkeys", k),
			r(pairs(nul, "\x00", bad, bad, empty, empty, "F", "upper", "f", "lower"), "exhgetall", k),
			r(5, "exhlen", k),
		)
		e.wantScan(k, map[string]string{nul: "\x00", bad: bad, empty: empty, "F": "upper", "f": "lower"})
		e.wantScan(k, map[string]string{nul: "\x00"}, "match", "a?b")
		e.rows(
			r(1, "exhdel", k, empty),
			r(0, "exhexists", k, empty),
			r(4, "exhlen", k),
		)
	}},
	{"binary/numbers-in-binary-fields", func(e *env) {
		k := e.key("k")
		e.rows(
			r(3, "exhincrby", k, "\x00n", "3"),
			r("0.5", "exhincrbyfloat", k, "\xffx", "0.5"),
			r(1, "exhpexpire", k, "\x00n", "100000"),
			r(ttlNear(100000), "exhpttl", k, "\x00n"),
			r(1, "exhdelwithver", k, "\xffx", "1"),
		)
	}},
	{"binary/key-name", func(e *env) {
		k := e.key("k\x00\xff\xfe:key")
		e.rows(
			r(1, "exhset", k, "f", "v"),
			r("v", "exhget", k, "f"),
			r(nil, "exhget", e.key("k"), "f"),
			r(1, "exhdel", k, "f"),
		)
		e.wantExists(k, false, "the last field was deleted")
	}},
}
