package conformance

import "strings"

// Behaviour of the real module that this project's backends deliberately do not share (§2 key
// type, §3.18 EXHLEN counting expired fields, §3.22 MATCH leaving non-matching expired fields,
// §3.23 EXHEXPIREINFO, §8.3 COPY). Checked so the specification stays true to the module.

var moduleOnlyScenarios = []scenario{
	{"module/key-type", func(e *env) {
		e.onlyOnModule("emulated keys are native hashes")
		k := e.key("k")
		e.want(1, "exhset", k, "f", "v")
		if got := e.native("type", k); got != "tairhash-" {
			e.t.Errorf("TYPE = %s, want \"tairhash-\"", show(got))
		}
		if got := e.native("copy", k, e.key("copy")); got != Err("ERR not supported for this module key") {
			e.t.Errorf("COPY = %s", show(got))
		}
		if got := e.native("hget", k, "f"); got != errWrongType {
			e.t.Errorf("HGET = %s, want WRONGTYPE", show(got))
		}
		if got := e.native("get", k); got != errWrongType {
			e.t.Errorf("GET = %s, want WRONGTYPE", show(got))
		}
	}},
	{"module/exhlen-counts-unremoved-expired-fields", func(e *env) {
		e.onlyOnModule("this project's backends count live fields only")
		k := e.key("k")
		e.atomic(
			r("OK", "exhmset", k, "a", "1", "b", "2"),
			r(1, "exhpexpire", k, "b", "0"),
			r(2, "exhlen", k),
			r(2, "exhlen", k), // EXHLEN never removes anything
			r(1, "exhlen", k, "noexp"),
			r("1", "exhget", k, "a"), // naming another field removes nothing either
			r(2, "exhlen", k),
			r(nil, "exhget", k, "b"),
			r(1, "exhlen", k),
		)
	}},
	{"module/scan-match-keeps-non-matching-expired", func(e *env) {
		e.onlyOnModule("this project's backends remove every due field on access")
		k := e.key("k")
		e.atomic(
			r("OK", "exhmset", k, "a", "1", "b", "2", "c", "3"),
			r(1, "exhpexpire", k, "b", "0"),
			r(1, "exhpexpire", k, "c", "0"),
			r([]any{"0", []any{}}, "exhscan", k, "0", "match", "b", "count", "100"),
			r(2, "exhlen", k),
		)
	}},
	{"module/exhexpireinfo", func(e *env) {
		e.onlyOnModule("statistics of the module's expirer")
		got, _ := e.do("exhexpireinfo").(string)
		for _, want := range []string{"# Active expire statistics", "tair_hash_active_expire_period:1000", "tair_hash_passive_expire_keys_per_loop:3"} {
			if !strings.Contains(got, want) {
				e.t.Errorf("EXHEXPIREINFO lacks %q:\n%s", want, got)
			}
		}
		e.want(errArity("exhexpireinfo"), "exhexpireinfo", "x")
	}},
}
