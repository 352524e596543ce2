package conformance

// §1.2 argument grammar: int64, long double and keywords. Cursor grammar is in scan.go.

// badInt64 are spellings the module rejects wherever it wants an int64.
var badInt64 = []string{
	"+5", "007", "-0", "1.5", " 5", "5 ", "", "abc", "5abc", "0x10",
	"9223372036854775808", "-9223372036854775809",
}

var grammarScenarios = []scenario{
	{"grammar/int64-rejected", func(e *env) {
		k := e.key("k")
		for _, bad := range badInt64 {
			e.rows(
				r(errSyntax, "exhset", k, "f", "v", "ex", bad),
				r(errSyntax, "exhset", k, "f", "v", "pxat", bad),
				r(errSyntax, "exhset", k, "f", "v", "ver", bad),
				r(errSyntax, "exhset", k, "f", "v", "abs", bad),
				r(errNotInt, "exhincrby", k, "f", bad),
				r(errMinMaxInt, "exhincrby", k, "f", "1", "max", bad),
				r(errSyntax, "exhpexpire", k, "f", bad),
				r(errSyntax, "exhsetver", k, "f", bad),
			)
		}
		e.wantExists(k, false, "no command succeeded")
	}},
	{"grammar/int64-accepted", func(e *env) {
		k := e.key("k")
		e.rows(
			r(int64(9223372036854775807), "exhincrby", k, "max", "9223372036854775807"),
			r(int64(-9223372036854775808), "exhincrby", k, "min", "-9223372036854775808"),
			r(0, "exhincrby", k, "zero", "0"),
			r(1, "exhset", k, "f", "v", "ver", "0"),
			r(0, "exhset", k, "f", "v", "px", "9999999999"),
			r(1, "exhver", k, "max"),
		)
	}},
	{"grammar/float-accepted", func(e *env) {
		k := e.key("k")
		for i, c := range []struct{ in, out string }{
			{"1e3", "1000"}, {"0x10", "16"}, {"0x1p4", "16"}, {"+1.5", "1.5"}, {".5", "0.5"},
			{"-.5e1", "-5"}, {"", "0"}, {"1E-2", "0.01"}, {"-0", "0"},
		} {
			e.want(c.out, "exhincrbyfloat", k, "f"+string(rune('a'+i)), c.in)
		}
	}},
	{"grammar/float-rejected", func(e *env) {
		k := e.key("k")
		for _, bad := range []string{" 1", "1 ", "nan", "NaN", "-nan", "1e5000", "1e-5000", "abc", "1.5x", "0x"} {
			e.rows(
				r(errNotFloat, "exhincrbyfloat", k, "f", bad),
				r(errMinMaxFloat, "exhincrbyfloat", k, "f", "1", "min", bad),
			)
		}
		e.wantExists(k, false, "no command succeeded")
	}},
	{"grammar/float-infinite-increment", func(e *env) {
		k := e.key("k")
		for _, inf := range []string{"inf", "-Infinity", "+INF"} {
			e.want(errOverflow, "exhincrbyfloat", k, "f", inf)
		}
		e.want(nil, "exhget", k, "f")
	}},
	{"grammar/keywords-any-case", func(e *env) {
		k, k2 := e.key("k"), e.key("k2")
		e.rows(
			r(1, "exhset", k, "f", "v", "Ex", "100", "nX"),
			r(0, "exhset", k, "f", "w", "KeepTtl", "xX", "vEr", "1"),
			r(inRange(90, 100), "exhttl", k, "f"),
			r(1, "exhlen", k, "NoExP"),
			r(0, "exhset", k, "f", "x", "pX", "100000", "aBs", "7"),
			r(7, "exhver", k, "f"),
			r(5, "exhincrby", k, "n", "5", "mIn", "1", "MaX", "10"),
			r("1.5", "exhincrbyfloat", k, "x", "1.5", "MiN", "1", "mAx", "2", "KEEPttl"),
			r([]any{"0", []any{"n", "5"}}, "exhscan", k, "0", "mAtCh", "n", "CoUnT", "100"),
			r(1, "exhset", k2, "g", "1", "PXAT", "0", "Gt", "8"),
			r(nil, "exhget", k2, "g"),
		)
	}},
	{"grammar/missing-option-value", func(e *env) {
		k := e.key("k")
		for _, opt := range []string{"ex", "px", "exat", "pxat", "ver", "abs", "gt"} {
			e.want(errSyntax, "exhset", k, "f", "v", opt)
			e.want(errSyntax, "exhset", k, "f", "v", "nx", opt)
		}
		e.rows(
			r(errSyntax, "exhincrby", k, "f", "1", "ex"),
			r(errSyntax, "exhincrby", k, "f", "1", "min"),
			r(errSyntax, "exhincrbyfloat", k, "f", "1", "max"),
			r(errSyntax, "exhpexpire", k, "f", "1", "ver"),
			r(errSyntax, "exhscan", k, "0", "match"),
			r(errSyntax, "exhscan", k, "0", "count"),
		)
		e.wantExists(k, false, "no command succeeded")
	}},
	{"grammar/unknown-token", func(e *env) {
		k := e.key("k")
		e.rows(
			r(errSyntax, "exhset", k, "f", "v", "foo"),
			r(errSyntax, "exhset", k, "f", "v", "ex", "1", "1"),
			r(errSyntax, "exhset", k, "f", "v", "min", "1"),
			r(errSyntax, "exhincrby", k, "f", "1", "nx"),
			r(errSyntax, "exhincrby", k, "f", "1", "xx"),
			r(errSyntax, "exhincrbyfloat", k, "f", "1", "nx"),
			r(errSyntax, "exhincrbyfloat", k, "f", "1", "foo"),
			r(errSyntax, "exhpexpire", k, "f", "1", "nx", "1"),
			r(errSyntax, "exhpexpire", k, "f", "1", "keepttl"),
		)
		e.wantExists(k, false, "no command succeeded")
	}},
}
