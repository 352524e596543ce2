package conformance

// §8 key lifecycle: which commands create a key, which delete it with its last field, and the
// empty keys the module leaves behind (D2, D4) that this project's backends never leave.

var lifecycleScenarios = []scenario{
	{"lifecycle/commands-that-create-no-key", func(e *env) {
		k := e.key("k")
		for _, x := range []row{
			r(-1, "exhset", k, "f", "v", "xx"),
			r(0, "exhsetver", k, "f", "1"),
			r(0, "exhpexpire", k, "f", "1000"),
			r(0, "exhexpire", k, "f", "1"),
			r(0, "exhpexpireat", k, "f", "1"),
			r(0, "exhexpireat", k, "f", "1"),
			r(0, "exhpersist", k, "f"),
			r(0, "exhdel", k, "f"),
			r(0, "exhdelwithver", k, "f", "1"),
			r(nil, "exhget", k, "f"),
			r(nil, "exhgetwithver", k, "f"),
			r([]any{nil}, "exhmget", k, "f"),
			r([]any{nil}, "exhmgetwithver", k, "f"),
			r(0, "exhexists", k, "f"),
			r(0, "exhstrlen", k, "f"),
			r(-2, "exhttl", k, "f"),
			r(-2, "exhpttl", k, "f"),
			r(-1, "exhver", k, "f"),
			r(0, "exhlen", k),
			r(0, "exhlen", k, "noexp"),
			r([]any{}, "exhkeys", k),
			r([]any{}, "exhvals", k),
			r([]any{}, "exhgetall", k),
			r([]any{}, "exhgetallwithver", k),
			r([]any{"0", []any{}}, "exhscan", k, "0"),
		} {
			e.want(x.want, x.args...)
			e.wantExists(k, false, showCommand(x.args[:1])+" on an absent key")
		}
	}},
	{"lifecycle/commands-that-create-the-key", func(e *env) {
		for i, x := range []row{
			r(1, "exhset", "K", "f", "v"),
			r(1, "exhsetnx", "K", "f", "v"),
			r("OK", "exhmset", "K", "f", "v"),
			r("OK", "exhmsetwithopts", "K", "f", "v", "0", "100"),
			r(1, "exhincrby", "K", "f", "1"),
			r("1", "exhincrbyfloat", "K", "f", "1"),
		} {
			k := e.key(string(rune('a' + i)))
			args := append([]any{x.args[0], k}, x.args[2:]...)
			e.want(x.want, args...)
			e.wantExists(k, true, showCommand(x.args[:1])+" creates the key")
			e.want(1, "exhlen", k)
		}
	}},
	{"lifecycle/last-field-removed-by-self-check", func(e *env) {
		// Each command meets the key's only field expired, removes it and deletes the key.
		for i, x := range []row{
			r(nil, "exhget", "K", "f"),
			r([]any{nil}, "exhmget", "K", "f"),
			r([]any{nil}, "exhmgetwithver", "K", "f"),
			r(0, "exhexists", "K", "f"),
			r(0, "exhstrlen", "K", "f"),
			r(-3, "exhttl", "K", "f"),
			r(-3, "exhpttl", "K", "f"),
			r(-2, "exhver", "K", "f"),
			r(0, "exhsetver", "K", "f", "5"),
			r(0, "exhpexpire", "K", "f", "100000"),
			r(0, "exhexpire", "K", "f", "100"),
			r(0, "exhpexpireat", "K", "f", "1"),
			r(0, "exhexpireat", "K", "f", "1"),
			r(0, "exhdel", "K", "f"),
			r(0, "exhdelwithver", "K", "f", "0"),
			r([]any{"0", []any{}}, "exhscan", "K", "0"),
		} {
			k := e.key(string(rune('a' + i)))
			args := append([]any{x.args[0], k}, x.args[2:]...)
			e.rows(
				r(1, "exhset", k, "f", "v", "px", "0"),
				r(x.want, args...),
			)
			e.wantExists(k, false, showCommand(x.args[:1])+" removed the expired last field")
		}
	}},
	{"lifecycle/write-sweep-recreates", func(e *env) {
		// A write on a key whose only field expired removes it (the key goes) and then
		// writes a fresh key.
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "old", "v", "px", "0"),
			r(1, "exhset", k, "new", "v"),
			r(1, "exhlen", k),
			r([]any{"new"}, "exhkeys", k),
		)
	}},
	{"lifecycle/native-del-then-recreate", func(e *env) {
		// DEL (or UNLINK) of the key takes every field with it: a new field of the same name
		// starts over with version 1, no TTL and no expiry notification pending.
		k := e.key("k")
		sub := e.subscribe(k)
		e.rows(
			r(1, "exhset", k, "f", "v", "abs", "9", "px", "100000"),
			r(1, "exhset", k, "g", "v", "abs", "9"),
		)
		e.native("del", k)
		e.rows(
			r(1, "exhset", k, "f", "w"),
			r([]any{"w", 1}, "exhgetwithver", k, "f"),
			r(-1, "exhpttl", k, "f"),
			r(nil, "exhget", k, "g"),
			r(1, "exhlen", k),
			r(triples("f", "w", 1), "exhgetallwithver", k),
		)
		e.want(1, "exhset", k, "h", "v", "px", "100000")
		e.native("unlink", k)
		e.rows(
			r(1, "exhsetnx", k, "h", "x"),
			r([]any{"x", 0}, "exhgetwithver", k, "h"),
			r(-1, "exhpttl", k, "h"),
		)
		sub.expectNothingBefore(k)
	}},
	{"lifecycle/empty-keys", func(e *env) {
		// Every way the module leaves a key with no fields; this project's backends must not.
		k := e.key
		e.want("OK", "exhmset", k("mset"))
		e.want("OK", "exhmsetwithopts", k("msetopts"))
		e.want(errSyntax, "exhmsetwithopts", k("msetopts-fail"), "f", "v", "0", "1", "g", "v", "0", "x")
		e.want(errOverflow, "exhincrby", k("incr"), "f", "10", "max", "5")
		e.want(errOverflow, "exhincrbyfloat", k("incrfloat"), "f", "10", "max", "5")
		e.rows(
			r(1, "exhset", k("delwithver"), "f", "v"),
			r(errSyntax, "exhdelwithver", k("delwithver"), "f", "0", "g", "x"),
		)
		for _, cmd := range []string{"exhkeys", "exhvals", "exhgetall", "exhgetallwithver", "exhgetwithver", "exhpersist"} {
			args := []any{cmd, k(cmd)}
			if cmd == "exhgetwithver" || cmd == "exhpersist" {
				args = append(args, "f")
			}
			e.atomic(r(1, "exhset", k(cmd), "f", "v", "px", "0"), r(anyOf{[]any{}, nil, 0}, args...))
		}
		for _, name := range []string{"mset", "msetopts", "msetopts-fail", "incr", "incrfloat", "delwithver",
			"exhkeys", "exhvals", "exhgetall", "exhgetallwithver", "exhgetwithver", "exhpersist"} {
			e.wantExists(k(name), e.module, "empty key left by "+name+": module only (D2)")
			e.want(0, "exhlen", k(name))
		}
	}},
	{"lifecycle/empty-key-behaviour", func(e *env) {
		e.onlyOnModule("only the module has empty keys (D2)")
		k := e.key("k")
		e.want("OK", "exhmset", k)
		if got := e.native("type", k); got != "tairhash-" {
			e.t.Errorf("TYPE of an empty key = %s, want tairhash-", show(got))
		}
		e.rows(
			r(0, "exhlen", k),
			r([]any{}, "exhkeys", k),
			r([]any{}, "exhgetall", k),
		)
		e.wantExists(k, true, "reads that do not delete emptied keys")
		// The key exists, so a field sentinel, not the key's; and the command deletes it.
		e.want(-3, "exhttl", k, "f")
		e.wantExists(k, false, "K-del of an empty key")
		e.want("OK", "exhmset", k)
		e.want(nil, "exhget", k, "x")
		e.wantExists(k, false, "EXHGET deletes an empty key")
	}},
}
