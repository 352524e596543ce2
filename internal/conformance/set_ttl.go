package conformance

import "strconv"

// §3.1 TTL-effect table, §5.1 (effect of each command on an existing field's TTL) and §5.2
// (units, 0, past and negative times, key-level TTL). Rows for the EXHPEXPIRE family and
// EXHPERSIST are in expire.go, for EXHINCRBY(FLOAT) in incr.go and float.go.

// slack is how much a TTL may have run down between setting and reading it on a loaded machine.
const slack = 5000

// ttlNear matches an EXHPTTL reply of about ms milliseconds.
func ttlNear(ms int64) between { return inRange(ms-slack, ms) }

var setTTLScenarios = []scenario{
	{"ttl/exhset-without-option-removes", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "100000"),
			r(0, "exhset", k, "f", "w"),
			r(-1, "exhpttl", k, "f"),
			r(-1, "exhttl", k, "f"),
		)
	}},
	{"ttl/exhset-keepttl", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "100000"),
			r(0, "exhset", k, "f", "w", "keepttl"),
			r(ttlNear(100000), "exhpttl", k, "f"),
			r("w", "exhget", k, "f"),
			r(1, "exhset", k, "g", "v", "keepttl"), // a new field gets no TTL
			r(-1, "exhpttl", k, "g"),
		)
	}},
	{"ttl/exhset-relative", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "ex", "100"),
			r(ttlNear(100000), "exhpttl", k, "f"),
			r(inRange(95, 100), "exhttl", k, "f"),
			r(1, "exhset", k, "g", "v", "px", "100000"),
			r(ttlNear(100000), "exhpttl", k, "g"),
			r(0, "exhset", k, "g", "v", "ex", "200"), // replaced on an existing field
			r(ttlNear(200000), "exhpttl", k, "g"),
		)
	}},
	{"ttl/exhset-absolute", func(e *env) {
		k := e.key("k")
		now := e.nowMs()
		atS := now/1000 + 200
		atMs := now + 300000
		e.rows(
			r(1, "exhset", k, "f", "v", "exat", strconv.FormatInt(atS, 10)),
			r(inRange(atS*1000-now-slack, atS*1000-now), "exhpttl", k, "f"),
			r(1, "exhset", k, "g", "v", "pxat", strconv.FormatInt(atMs, 10)),
			r(inRange(atMs-now-slack, atMs-now), "exhpttl", k, "g"),
		)
	}},
	{"ttl/exhset-zero-expires-at-once", func(e *env) {
		for _, opt := range []string{"ex", "px", "exat", "pxat"} {
			k := e.key(opt)
			e.rows(
				r(1, "exhset", k, "f", "v", opt, "0"),
				r(nil, "exhget", k, "f"),
				r(1, "exhset", k, "f", "v"),
				r(0, "exhset", k, "f", "w", opt, "0"), // existing field: reply 0, then gone
				r(nil, "exhget", k, "f"),
			)
			e.wantExists(k, false, "the expired last field was removed by EXHGET")
		}
	}},
	{"ttl/exhset-past-absolute-expires", func(e *env) {
		k := e.key("k")
		now := e.nowMs()
		e.rows(
			r(1, "exhset", k, "f", "v", "exat", strconv.FormatInt(now/1000-10, 10)),
			r(-3, "exhpttl", k, "f"),
			r(1, "exhset", k, "f", "v", "pxat", strconv.FormatInt(now-1000, 10)),
			r(nil, "exhget", k, "f"),
		)
	}},
	{"ttl/exhset-expired-field-counts-as-absent", func(e *env) {
		// A single-field key: the module's write-path sweep removes the field without
		// crashing (D1 needs a second field).
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "abs", "9", "px", "0"),
			r(1, "exhset", k, "f", "w"),
			r([]any{"w", 1}, "exhgetwithver", k, "f"),
			r(-1, "exhpttl", k, "f"),
			r(0, "exhset", k, "f", "v", "px", "0"),
			r(-1, "exhset", k, "f", "w", "xx"),
			r(1, "exhset", k, "f", "v", "px", "0"),
			r(1, "exhset", k, "f", "w", "nx"),
			r(0, "exhset", k, "f", "v", "abs", "9", "px", "0"),
			r(1, "exhset", k, "f", "w", "gt", "2"), // no stale check against the dead version
			r(2, "exhver", k, "f"),
		)
	}},
	{"ttl/exhsetnx-leaves-ttl", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "100000"),
			r(0, "exhsetnx", k, "f", "w"),
			r(ttlNear(100000), "exhpttl", k, "f"),
			r([]any{"v", 1}, "exhgetwithver", k, "f"),
			r(1, "exhsetnx", k, "g", "w"),
			r(-1, "exhpttl", k, "g"),
		)
	}},
	{"ttl/exhmset-keeps", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "100000"),
			r("OK", "exhmset", k, "f", "w", "g", "x"),
			r(ttlNear(100000), "exhpttl", k, "f"),
			r(-1, "exhpttl", k, "g"),
		)
	}},
	{"ttl/exhmsetwithopts-replaces", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "100000"),
			r(1, "exhset", k, "g", "v"),
			r("OK", "exhmsetwithopts", k, "f", "w", "0", "200", "g", "w", "0", "300"),
			r(ttlNear(200000), "exhpttl", k, "f"),
			r(ttlNear(300000), "exhpttl", k, "g"),
		)
	}},
	{"ttl/exhsetver-keeps", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "100000"),
			r(1, "exhsetver", k, "f", "7"),
			r(ttlNear(100000), "exhpttl", k, "f"),
		)
	}},
	{"ttl/failed-commands-leave-ttl", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v", "px", "100000"),
			r(-1, "exhset", k, "f", "w", "nx", "ex", "1"),
			r(errStale, "exhset", k, "f", "w", "ver", "9", "ex", "1"),
			r(errSyntax, "exhset", k, "f", "w", "ex", "-1"),
			r(errNotInt, "exhincrby", k, "f", "1", "ex", "1"),
			r(errNotFloat, "exhincrbyfloat", k, "f", "1", "ex", "1"),
			r(errStale, "exhmsetwithopts", k, "f", "w", "9", "1"),
			r(errStale, "exhpexpire", k, "f", "1", "ver", "9"),
			r(errStale, "exhexpireat", k, "f", "1", "gt", "1"),
			r(ttlNear(100000), "exhpttl", k, "f"),
			r([]any{"v", 1}, "exhgetwithver", k, "f"),
		)
	}},
	{"ttl/negative-times-rejected", func(e *env) {
		k := e.key("k")
		e.want(1, "exhset", k, "f", "1", "px", "100000")
		for _, opt := range []string{"ex", "px", "exat", "pxat"} {
			e.rows(
				r(errSyntax, "exhset", k, "f", "v", opt, "-1"),
				r(errSyntax, "exhincrby", k, "f", "1", opt, "-1"),
				r(errSyntax, "exhincrbyfloat", k, "f", "1", opt, "-1"),
			)
		}
		for _, cmd := range []string{"exhexpire", "exhpexpire", "exhexpireat", "exhpexpireat"} {
			e.want(errSyntax, cmd, k, "f", "-1")
		}
		e.want(errSyntax, "exhmsetwithopts", k, "f", "v", "0", "-1")
		e.rows(
			r(ttlNear(100000), "exhpttl", k, "f"),
			r([]any{"1", 1}, "exhgetwithver", k, "f"),
		)
	}},
	{"ttl/key-level-ttl-is-independent", func(e *env) {
		k := e.key("k")
		e.rows(
			r(1, "exhset", k, "f", "v"),
			r(1, "exhset", k, "g", "v", "px", "100000"),
		)
		if e.native("expire", k, "50") != int64(1) {
			e.t.Fatal("EXPIRE on the key failed")
		}
		e.rows(
			r(-1, "exhpttl", k, "f"),
			r(ttlNear(100000), "exhpttl", k, "g"),
		)
	}},
}
