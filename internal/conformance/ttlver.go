package conformance

import "fmt"

// §3.13 EXHTTL/EXHPTTL, §3.14 EXHVER, §3.15 EXHSETVER.

var ttlVerScenarios = []scenario{
	{"exhttl/sentinels", func(e *env) {
		k := e.key("k")
		e.rows(
			r(-2, "exhttl", k, "f"),
			r(-2, "exhpttl", k, "f"),
			r(1, "exhset", k, "f", "v"),
			r(-3, "exhttl", k, "g"),
			r(-3, "exhpttl", k, "g"),
			r(-1, "exhttl", k, "f"),
			r(-1, "exhpttl", k, "f"),
		)
	}},
	{"exhttl/rounds-half-up", func(e *env) {
		k := e.key("k")
		// (ms+500)/1000: a field with at most 499 ms left reports 0 while it is still live
		// (an expired field would report -3).
		e.rows(
			r(1, "exhset", k, "short", "v", "px", "499"),
			r(anyOf{0, -3}, "exhttl", k, "short"),
		)
		e.want(1, "exhset", k, "f", "v", "px", "1700")
		pipe := e.target.Client.Pipeline()
		before := e.target.Backend.Do(e.ctx, pipe, "exhpttl", k, "f")
		secs := e.target.Backend.Do(e.ctx, pipe, "exhttl", k, "f")
		after := e.target.Backend.Do(e.ctx, pipe, "exhpttl", k, "f")
		if _, err := e.exec(pipe, false); err != nil {
			e.t.Fatalf("pipeline: %v", err)
		}
		hi, ok1 := before.Val().(int64)
		lo, ok2 := after.Val().(int64)
		s, ok3 := secs.Val().(int64)
		if !ok1 || !ok2 || !ok3 || lo < 0 {
			e.t.Fatalf("EXHPTTL, EXHTTL, EXHPTTL = %v, %v, %v", before.Val(), secs.Val(), after.Val())
		}
		if s < (lo+500)/1000 || s > (hi+500)/1000 {
			e.t.Errorf("EXHTTL = %d while EXHPTTL went from %d to %d: want (ms+500)/1000", s, hi, lo)
		}
	}},
	{"exhver/sentinels", func(e *env) {
		k := e.key("k")
		e.rows(
			r(-1, "exhver", k, "f"),
			r(1, "exhset", k, "f", "v"),
			r(-2, "exhver", k, "g"),
			r(1, "exhver", k, "f"),
			r(1, "exhset", k, "e", "v", "px", "100000"),
			r(1, "exhpexpire", k, "e", "0"),
			r(-2, "exhver", k, "e"),
		)
	}},
	{"exhsetver", func(e *env) {
		k := e.key("k")
		e.rows(
			r(0, "exhsetver", k, "f", "5"),
		)
		e.wantExists(k, false, "EXHSETVER does not create keys")
		e.rows(
			r(1, "exhset", k, "f", "v", "abs", "10", "px", "100000"),
			r(0, "exhsetver", k, "g", "5"),
			r(nil, "exhget", k, "g"),
			r(1, "exhsetver", k, "f", "3"), // may lower the version
			r([]any{"v", 3}, "exhgetwithver", k, "f"),
			r(ttlNear(100000), "exhpttl", k, "f"),
			r(1, "exhsetver", k, "f", "9223372036854775807"),
			r(int64(9223372036854775807), "exhver", k, "f"),
		)
		for _, bad := range []string{"0", "-1", "abc", "1.5", ""} {
			e.want(errSyntax, "exhsetver", k, "f", bad)
		}
		e.want(int64(9223372036854775807), "exhver", k, "f")
	}},
	{"exhsetver/expired-field", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "0"),
			r(0, "exhsetver", k, "f", "5"),
			r(-1, "exhver", k, "f"),
		)
		e.wantExists(k, false, "the expired last field was removed")
	}},
	{"exhsetver/check-order", func(e *env) {
		s := e.key("str")
		e.native("set", s, "x")
		for _, bad := range []string{"0", "-1", "x"} {
			e.want(errSyntax, "exhsetver", s, "f", bad) // the version before the type
		}
		e.want(errWrongType, "exhsetver", s, "f", "1")
		if got := e.native("get", s); got != "x" {
			e.t.Errorf("string key changed: %s", fmt.Sprint(got))
		}
	}},
}
