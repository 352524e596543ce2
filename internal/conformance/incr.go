package conformance

// §3.9 EXHINCRBY: replies, stored form, versions, TTL effects, MIN/MAX, overflow, check order.

var incrScenarios = []scenario{
	{"exhincrby/create-and-add", func(e *env) {
		k := e.key("k")
		e.rows(
			r(5, "exhincrby", k, "n", "5"),
			r([]any{"5", 1}, "exhgetwithver", k, "n"),
			r(-3, "exhincrby", k, "n", "-8"),
			r([]any{"-3", 2}, "exhgetwithver", k, "n"),
			r(1, "exhset", k, "s", "0"),
			r(10, "exhincrby", k, "s", "10"),
			r("10", "exhget", k, "s"),
			r(1, "exhset", k, "m", "-9223372036854775808"),
			r(-1, "exhincrby", k, "m", "9223372036854775807"),
		)
	}},
	{"exhincrby/versions", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhincrby", k, "n", "1", "ver", "99"), // new field: VER not checked
			r(1, "exhver", k, "n"),
			r(errStale, "exhincrby", k, "n", "1", "ver", "2"),
			r(2, "exhincrby", k, "n", "1", "ver", "1"),
			r(3, "exhincrby", k, "n", "1", "ver", "0"),
			r(3, "exhver", k, "n"),
			r(4, "exhincrby", k, "n", "1", "abs", "20"),
			r(20, "exhver", k, "n"),
			r(errStale, "exhincrby", k, "n", "1", "gt", "20"),
			r(5, "exhincrby", k, "n", "1", "gt", "21"),
			r([]any{"5", 21}, "exhgetwithver", k, "n"),
			r(7, "exhincrby", k, "g", "7", "gt", "30"),
			r(30, "exhver", k, "g"),
			r(8, "exhincrby", k, "a", "8", "abs", "40"),
			r(40, "exhver", k, "a"),
		)
	}},
	{"exhincrby/ttl-effects", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhincrby", k, "n", "1", "px", "100000"),
			r(ttlNear(100000), "exhpttl", k, "n"),
			r(2, "exhincrby", k, "n", "1", "keepttl"),
			r(ttlNear(100000), "exhpttl", k, "n"),
			r(3, "exhincrby", k, "n", "1", "ex", "200"),
			r(ttlNear(200000), "exhpttl", k, "n"),
			r(4, "exhincrby", k, "n", "1"), // no TTL option removes the TTL
			r(-1, "exhpttl", k, "n"),
			r(1, "exhincrby", k, "m", "1", "keepttl"),
			r(-1, "exhpttl", k, "m"),
		)
		for _, opt := range []string{"ex", "px", "exat", "pxat"} {
			kz := e.key("zero-" + opt)
			e.rows(
				r(5, "exhincrby", kz, "n", "5", opt, "0"), // the new value is returned, but it is dead
				r(nil, "exhget", kz, "n"),
			)
		}
	}},
	{"exhincrby/stored-value-not-integer", func(e *env) {
		k := e.key("k")
		for _, v := range []string{"abc", " 12", "12 ", "12.0", "0012", "", "+1", "1e3", "9223372036854775808"} {
			e.rows(
				r(anyOf{0, 1}, "exhset", k, "f", v),
				r(errNotInt, "exhincrby", k, "f", "1"),
				r(errNotInt, "exhincrby", k, "f", "1", "ver", "999"), // checked before the version
				r(v, "exhget", k, "f"),
			)
		}
	}},
	{"exhincrby/min-max", func(e *env) {
		k := e.key("k")
		e.rows(
			r(5, "exhincrby", k, "n", "5", "min", "0", "max", "10"),
			r(10, "exhincrby", k, "n", "5", "min", "10", "max", "10"), // MIN = MAX allowed
			r(errOverflow, "exhincrby", k, "n", "1", "max", "10"),
			r(errOverflow, "exhincrby", k, "n", "-11", "min", "0"),
			r(-1, "exhincrby", k, "n", "-11", "min", "-1"),
			r(errOverflow, "exhincrby", k, "n", "0", "min", "0"), // bounds apply to the result
			r([]any{"-1", 3}, "exhgetwithver", k, "n"),
			r(1, "exhset", k, "big", "100"),
			r(40, "exhincrby", k, "big", "-60", "max", "50"),                      // the stored value may be out of bounds
			r(errOverflow, "exhincrby", k, "big", "1", "max", "100", "max", "40"), // last MAX wins
			r(41, "exhincrby", k, "big", "1", "max", "40", "max", "100"),
		)
	}},
	{"exhincrby/overflow", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "n", "9223372036854775807"),
			r(errOverflow, "exhincrby", k, "n", "1"),
			r(1, "exhset", k, "m", "-9223372036854775808"),
			r(errOverflow, "exhincrby", k, "m", "-1"),
			r([]any{"9223372036854775807", 1}, "exhgetwithver", k, "n"),
			r([]any{"-9223372036854775808", 1}, "exhgetwithver", k, "m"),
		)
	}},
	{"exhincrby/failed-new-field-is-discarded", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "keep", "1"),
			r(errOverflow, "exhincrby", k, "n", "10", "max", "5"),
			r(nil, "exhget", k, "n"),
			r(1, "exhlen", k),
		)
		k2 := e.key("k2")
		e.want(errOverflow, "exhincrby", k2, "n", "10", "max", "5")
		e.wantExists(k2, e.module, "a bound failure on an absent key leaves an empty key on the module only (D2)")
	}},
	{"exhincrby/check-order", func(e *env) {
		k := e.key("k")
		e.rows(
			r(errNotInt, "exhincrby", k, "f", "x", "foo"),                  // increment before options
			r(errNotInt, "exhincrby", k, "f", "x", "min", "5", "max", "4"), // increment before MIN/MAX
			r(errSyntax, "exhincrby", k, "f", "1", "min", "x", "ex", "-1"), // TTL value before MIN/MAX
			r(errSyntax, "exhincrby", k, "f", "1", "max", "x", "abs", "0"), // version value before MIN/MAX
			r(errMinMaxInt, "exhincrby", k, "f", "1", "min", "5", "max", "x"),
			r(errMinMaxInt, "exhincrby", k, "f", "1", "min", "1.5"),
			r(errMinOverMax, "exhincrby", k, "f", "1", "min", "5", "max", "4"),
			r(errSyntax, "exhincrby", k, "f", "1", "nx"),
			r(errSyntax, "exhincrby", k, "f", "1", "ex", "1", "px", "1"),
			r(errSyntax, "exhincrby", k, "f", "1", "keepttl", "ex", "1"),
			r(errSyntax, "exhincrby", k, "f", "1", "ver", "1", "gt", "2"),
		)
		e.wantExists(k, false, "errors before the key is created")
		e.rows(
			r(1, "exhset", k, "f", "5"),
			r(errStale, "exhincrby", k, "f", "100", "ver", "9", "max", "10"), // version before bounds
			r([]any{"5", 1}, "exhgetwithver", k, "f"),
		)
	}},
}
