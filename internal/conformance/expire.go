package conformance

import "strconv"

// §3.11 EXHPEXPIRE, EXHEXPIRE, EXHPEXPIREAT, EXHEXPIREAT and §3.12 EXHPERSIST.

var expireCommands = []string{"exhexpire", "exhpexpire", "exhexpireat", "exhpexpireat"}

var expireScenarios = []scenario{
	{"exhpexpire/sets-deadline", func(e *env) {
		k := e.key("k")
		now := e.nowMs()
		atS := now/1000 + 200
		atMs := now + 300000
		e.rows(
			r(1, "exhset", k, "f", "v"),
			r(1, "exhexpire", k, "f", "100"),
			r(ttlNear(100000), "exhpttl", k, "f"),
			r(1, "exhpexpire", k, "f", "150000"),
			r(ttlNear(150000), "exhpttl", k, "f"),
			r(1, "exhexpireat", k, "f", strconv.FormatInt(atS, 10)),
			r(inRange(atS*1000-now-slack, atS*1000-now), "exhpttl", k, "f"),
			r(1, "exhpexpireat", k, "f", strconv.FormatInt(atMs, 10)),
			r(inRange(atMs-now-slack, atMs-now), "exhpttl", k, "f"),
			// Every successful call bumps the version; the value stays.
			r([]any{"v", 5}, "exhgetwithver", k, "f"),
		)
	}},
	{"exhpexpire/zero-and-past-expire-at-once", func(e *env) {
		past := strconv.FormatInt(e.nowMs()-1000, 10)
		cases := []struct{ cmd, at string }{
			{"exhexpire", "0"}, {"exhpexpire", "0"}, {"exhexpireat", "0"}, {"exhpexpireat", "0"},
			{"exhexpireat", "1"}, {"exhpexpireat", past},
		}
		for i, c := range cases {
			k := e.key(strconv.Itoa(i))
			e.rows(
				r(1, "exhset", k, "f", "v"),
				r(1, c.cmd, k, "f", c.at),
				r(nil, "exhget", k, "f"),
			)
			e.wantExists(k, false, "the expired last field was removed by EXHGET")
		}
	}},
	{"exhpexpire/absent", func(e *env) {
		k := e.key("k")
		for _, cmd := range expireCommands {
			e.want(0, cmd, k, "f", "100")
			e.wantExists(k, false, cmd+" on an absent key")
		}
		e.want(1, "exhset", k, "g", "v")
		for _, cmd := range expireCommands {
			e.want(0, cmd, k, "f", "100", "ver", "1")
		}
		e.want(nil, "exhget", k, "f")
	}},
	{"exhpexpire/versions", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v"),
			r(errStale, "exhpexpire", k, "f", "100000", "ver", "2"),
			r(-1, "exhpttl", k, "f"),
			r(1, "exhpexpire", k, "f", "100000", "ver", "1"),
			r(2, "exhver", k, "f"),
			r(1, "exhexpire", k, "f", "100", "ver", "0"),
			r(3, "exhver", k, "f"),
			r(1, "exhpexpireat", k, "f", strconv.FormatInt(e.nowMs()+100000, 10), "abs", "10"),
			r(10, "exhver", k, "f"),
			r(errStale, "exhexpireat", k, "f", strconv.FormatInt(e.nowMs()/1000+100, 10), "gt", "10"),
			r(1, "exhexpire", k, "f", "100", "gt", "11"),
			r([]any{"v", 11}, "exhgetwithver", k, "f"),
			r(1, "exhpexpire", k, "f", "100000", "abs", "3"),
			r(3, "exhver", k, "f"),
		)
	}},
	{"exhpexpire/check-order", func(e *env) {
		k, s := e.key("k"), e.key("str")
		e.native("set", s, "x")
		for _, cmd := range expireCommands {
			e.rows(
				// Time and options are checked before the key's type.
				r(errSyntax, cmd, s, "f", "-1"),
				r(errSyntax, cmd, s, "f", "x"),
				r(errSyntax, cmd, s, "f", "1", "foo", "1"),
				r(errSyntax, cmd, s, "f", "1", "ver"),
				r(errSyntax, cmd, s, "f", "1", "ver", "-1"),
				r(errSyntax, cmd, s, "f", "1", "abs", "0"),
				r(errSyntax, cmd, s, "f", "1", "gt", "x"),
				r(errSyntax, cmd, s, "f", "1", "ver", "1", "abs"),
				r(errSyntax, cmd, s, "f", "1", "keepttl"),
				r(errWrongType, cmd, s, "f", "1", "ver", "1"),
				r(errSyntax, cmd, k, "f", "1", "ver", "1", "gt"),
			)
		}
		e.wantExists(k, false, "nothing succeeded")
	}},
	{"exhpexpire/expired-field", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "0"),
			r(0, "exhpexpire", k, "f", "100000"),
			r(nil, "exhget", k, "f"),
		)
		e.wantExists(k, false, "the expired last field was removed")
	}},
	{"exhpersist", func(e *env) {
		k := e.key("k")
		e.rows(
			r(0, "exhpersist", k, "f"),
			r(1, "exhset", k, "f", "v", "abs", "4"),
			r(0, "exhpersist", k, "f"), // no TTL
			r(0, "exhpersist", k, "g"),
			r([]any{"v", 4}, "exhgetwithver", k, "f"),
		)
		e.rows(
			r(1, "exhset", k, "t", "v", "abs", "4", "px", "100000"),
			r(1, "exhpersist", k, "t"),
			r(-1, "exhpttl", k, "t"),
			r([]any{"v", 4}, "exhgetwithver", k, "t"), // version and value unchanged
			r(0, "exhpersist", k, "t"),
		)
	}},
	{"exhpersist/expired-field", func(e *env) {
		k := e.key("k")
		e.atomic(
			r(1, "exhset", k, "f", "v", "px", "0"),
			r(0, "exhpersist", k, "f"),
		)
		e.wantExists(k, e.module, "EXHPERSIST of the expired last field leaves an empty key on the module only (D2)")
		e.want(nil, "exhget", k, "f")
	}},
}
