package conformance

// §3.10 EXHINCRBYFLOAT: formatting, errors, bounds, versions and TTL effects. Increment grammar
// is in grammar.go.

// e300 is how the module prints 1e300: the exact value of the nearest x87 long double, as a
// 301-digit integer (native HINCRBYFLOAT of Redis 7.0 prints the same).
const e300 = "1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849" +
	"1520837504971903503725086142748359035925561846729839130962605207486462873271356418436532940842" +
	"5510760601678972665293237003055138294762099454029477278188962060617926761162709741065056718738" +
	"6105690089424915104006144"

var floatScenarios = []scenario{
	{"exhincrbyfloat/formatting", func(e *env) {
		k := e.key("k")
		e.rows(
			r("1.5", "exhincrbyfloat", k, "a", "1.5"),
			r("0.1", "exhincrbyfloat", k, "b", "0.1"),
			r("0.3", "exhincrbyfloat", k, "b", "0.2"),
			r("1000", "exhincrbyfloat", k, "c", "1e3"),
			r("1.6", "exhincrbyfloat", k, "d", "1.6"),
			r("0", "exhincrbyfloat", k, "d", "-1.6"),
			r("0", "exhincrbyfloat", k, "e", "1e-18"),
			r("0.00000000000000002", "exhincrbyfloat", k, "f", "2.5e-17"),
			r("-0.00000000000000001", "exhincrbyfloat", k, "g", "-1e-17"),
			r("1.23456789012345679", "exhincrbyfloat", k, "h", "1.23456789012345678901234567"),
			r("100000000000000000000", "exhincrbyfloat", k, "i", "1e20"),
			r(e300, "exhincrbyfloat", k, "j", "1e300"),
			r("0", "exhincrbyfloat", k, "z", "-0"),
			r("1000", "exhget", k, "c"), // stored as formatted
			r([]any{"0.3", 2}, "exhgetwithver", k, "b"),
		)
	}},
	{"exhincrbyfloat/stored-value", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "empty", ""),
			r("1.5", "exhincrbyfloat", k, "empty", "1.5"), // the empty string counts as 0
			r(1, "exhset", k, "int", "7"),
			r("7.25", "exhincrbyfloat", k, "int", "0.25"),
			r(1, "exhset", k, "hex", "0x10"),
			r("17", "exhincrbyfloat", k, "hex", "1"),
		)
		for _, v := range []string{"abc", " 1", "1 ", "nan", "1e5000"} {
			e.rows(
				r(anyOf{0, 1}, "exhset", k, "bad", v),
				r(errNotFloat, "exhincrbyfloat", k, "bad", "1"),
				r(errNotFloat, "exhincrbyfloat", k, "bad", "1", "ver", "999"), // before the version
				r(v, "exhget", k, "bad"),
			)
		}
		e.rows(
			r(1, "exhset", k, "inf", "inf"),
			r(errOverflow, "exhincrbyfloat", k, "inf", "1"),
			r(1, "exhset", k, "huge", "1e308"),
			r(errOverflow, "exhincrbyfloat", k, "huge", "inf"),
			r("1e308", "exhget", k, "huge"),
		)
	}},
	{"exhincrbyfloat/min-max", func(e *env) {
		k := e.key("k")
		e.rows(
			r("5", "exhincrbyfloat", k, "x", "5", "min", "5", "max", "5"),
			r(errOverflow, "exhincrbyfloat", k, "x", "0.5", "max", "5.4"),
			r(errOverflow, "exhincrbyfloat", k, "x", "-0.5", "min", "4.6"),
			r("4.5", "exhincrbyfloat", k, "x", "-0.5", "min", "-inf", "max", "inf"),
			r(errOverflow, "exhincrbyfloat", k, "x", "1", "min", "inf"),
			r(errMinMaxFloat, "exhincrbyfloat", k, "x", "1", "min", "nan"),
			r(errMinMaxFloat, "exhincrbyfloat", k, "x", "1", "max", "abc"),
			r(errMinOverMax, "exhincrbyfloat", k, "x", "1", "min", "2", "max", "1.5"),
			r([]any{"4.5", 2}, "exhgetwithver", k, "x"),
		)
		k2 := e.key("k2")
		e.want(errOverflow, "exhincrbyfloat", k2, "n", "10", "max", "5")
		e.wantExists(k2, e.module, "a bound failure on an absent key leaves an empty key on the module only (D2)")
	}},
	{"exhincrbyfloat/check-order", func(e *env) {
		k := e.key("k")
		e.rows(
			r(errNotFloat, "exhincrbyfloat", k, "f", "x", "foo"),
			r(errNotFloat, "exhincrbyfloat", k, "f", "x", "min", "2", "max", "1"),
			r(errSyntax, "exhincrbyfloat", k, "f", "1", "min", "x", "px", "-1"),
			r(errMinMaxFloat, "exhincrbyfloat", k, "f", "1", "min", "2", "max", "x"),
			r(errSyntax, "exhincrbyfloat", k, "f", "1", "xx"),
			r(errSyntax, "exhincrbyfloat", k, "f", "1", "abs", "1", "gt", "1"),
		)
		e.wantExists(k, false, "errors before the key is created")
		e.rows(
			r(1, "exhset", k, "f", "5"),
			r(errStale, "exhincrbyfloat", k, "f", "100", "ver", "9", "max", "10"),
		)
	}},
	{"exhincrbyfloat/versions-and-ttl", func(e *env) {
		k := e.key("k")
		e.rows(
			r("1", "exhincrbyfloat", k, "x", "1", "ver", "99", "px", "100000"),
			r(1, "exhver", k, "x"),
			r(ttlNear(100000), "exhpttl", k, "x"),
			r("2", "exhincrbyfloat", k, "x", "1", "keepttl", "ver", "1"),
			r(ttlNear(100000), "exhpttl", k, "x"),
			r(2, "exhver", k, "x"),
			r("3", "exhincrbyfloat", k, "x", "1", "abs", "50", "exat", "0"),
			r(nil, "exhget", k, "x"),
			r("1", "exhincrbyfloat", k, "y", "1", "ex", "100"),
			r("2", "exhincrbyfloat", k, "y", "1", "gt", "5"),
			r(-1, "exhpttl", k, "y"), // no TTL option removes the TTL
			r(5, "exhver", k, "y"),
			r(errStale, "exhincrbyfloat", k, "y", "1", "gt", "5"),
		)
	}},
}
