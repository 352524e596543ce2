package conformance

import (
	"maps"
	"slices"
)

// §2 and §12: every key command against a key of another type answers WRONGTYPE and leaves the
// key's data, and its TTL, alone.

// wrongTypeCommands are valid TairHash commands on key "K" (replaced by the scenario's key).
var wrongTypeCommands = [][]any{
	{"exhset", "K", "f", "v"},
	{"exhset", "K", "f", "v", "ex", "100", "nx", "ver", "1"},
	{"exhsetnx", "K", "f", "v"},
	{"exhmset", "K", "f", "v"},
	{"exhmset", "K"},
	{"exhmsetwithopts", "K", "f", "v", "0", "100"},
	{"exhmsetwithopts", "K"},
	{"exhget", "K", "f"},
	{"exhgetwithver", "K", "f"},
	{"exhmget", "K", "f", "g"},
	{"exhmgetwithver", "K", "f", "g"},
	{"exhincrby", "K", "n", "1"},
	{"exhincrbyfloat", "K", "n", "1.5"},
	{"exhpexpire", "K", "f", "1000"},
	{"exhexpire", "K", "f", "1"},
	{"exhpexpireat", "K", "f", "1"},
	{"exhexpireat", "K", "f", "1", "abs", "1"},
	{"exhpersist", "K", "f"},
	{"exhttl", "K", "f"},
	{"exhpttl", "K", "f"},
	{"exhver", "K", "f"},
	{"exhsetver", "K", "f", "2"},
	{"exhdel", "K", "f"},
	{"exhdelwithver", "K", "f", "0"},
	{"exhlen", "K"},
	{"exhlen", "K", "noexp"},
	{"exhexists", "K", "f"},
	{"exhstrlen", "K", "f"},
	{"exhkeys", "K"},
	{"exhvals", "K"},
	{"exhgetall", "K"},
	{"exhgetallwithver", "K"},
	{"exhscan", "K", "0"},
	{"exhscan", "K", "0", "match", "*", "count", "10"},
	// WRONGTYPE comes before option and argument checks for these commands.
	{"exhset", "K", "f", "v", "nx", "xx"},
	{"exhincrby", "K", "n", "x"},
	{"exhincrbyfloat", "K", "n", "x", "foo"},
	{"exhscan", "K", "x"},
	{"exhscan", "K", "0", "foo"},
	{"exhdelwithver", "K", "f", "x"},
	{"exhmsetwithopts", "K", "f", "v", "x", "-1"},
}

// allWrongType sends every command to key and expects WRONGTYPE.
func (e *env) allWrongType(key string) {
	e.t.Helper()
	for _, c := range wrongTypeCommands {
		args := slices.Clone(c)
		args[1] = key
		e.want(errWrongType, args...)
	}
}

var wrongTypeScenarios = []scenario{
	{"wrongtype/string-key", func(e *env) {
		k := e.key("k")
		e.native("set", k, "data", "ex", "1000")
		e.allWrongType(k)
		if got := e.native("get", k); got != "data" {
			e.t.Errorf("GET after EXH* commands = %s, want \"data\"", show(got))
		}
		if ttl, _ := e.native("ttl", k).(int64); ttl < 900 {
			e.t.Errorf("TTL after EXH* commands = %d, want about 1000", ttl)
		}
	}},
	{"wrongtype/native-hash", func(e *env) {
		k := e.key("k")
		e.native("hset", k, "f", "v", "n", "1")
		if !e.module {
			// Our backends store a TairHash key as a plain hash, so they adopt one: its fields
			// read as persistent fields of version 1 (a documented difference from the module).
			e.rows(
				r("v", "exhget", k, "f"),
				r(int64(1), "exhver", k, "n"),
				r(int64(-1), "exhttl", k, "f"),
			)
			return
		}
		e.allWrongType(k)
		got, err := e.target.Client.HGetAll(e.ctx, k).Result()
		if err != nil {
			e.t.Fatalf("HGETALL: %v", err)
		}
		if want := map[string]string{"f": "v", "n": "1"}; !maps.Equal(got, want) {
			e.t.Errorf("HGETALL after EXH* commands = %v, want %v", got, want)
		}
		if ttl := e.native("ttl", k); ttl != int64(-1) {
			e.t.Errorf("TTL after EXH* commands = %s, want -1", show(ttl))
		}
	}},
	{"wrongtype/other-types", func(e *env) {
		l, z := e.key("list"), e.key("zset")
		e.native("rpush", l, "a")
		e.native("zadd", z, "1", "a")
		for _, k := range []string{l, z} {
			e.rows(
				r(errWrongType, "exhset", k, "f", "v"),
				r(errWrongType, "exhget", k, "f"),
				r(errWrongType, "exhkeys", k),
			)
		}
		if n := e.native("llen", l); n != int64(1) {
			e.t.Errorf("LLEN = %s, want 1", show(n))
		}
	}},
}
