package conformance

// §9 MULTI/EXEC: every TairHash command queues, even with a wrong argument count; errors are
// elements of the EXEC reply and the other commands still run.

var multiExecScenarios = []scenario{
	{"multi/errors-are-elements", func(e *env) {
		k := e.key("k")
		e.atomic(
			r(1, "exhset", k, "a", "1"),
			r(errSyntax, "exhset", k, "a", "2", "foo"),
			r(errArity("exhset"), "exhset", k, "a"),
			r(errStale, "exhset", k, "a", "3", "ver", "9"),
			r(errNotInt, "exhincrby", k, "a", "x"),
			r(2, "exhincrby", k, "a", "1"),
			r([]any{"2", 2}, "exhgetwithver", k, "a"),
		)
		e.want([]any{"2", 2}, "exhgetwithver", k, "a")
	}},
	{"multi/sees-its-own-writes", func(e *env) {
		k := e.key("k")
		e.atomic(
			r("OK", "exhmset", k, "a", "1", "b", "2"),
			r(1, "exhpexpire", k, "a", "100000"),
			r(1, "exhdel", k, "b"),
			r(1, "exhlen", k),
			r(ttlNear(100000), "exhpttl", k, "a"),
			r([]any{"1", 2}, "exhgetwithver", k, "a"),
		)
	}},
}
