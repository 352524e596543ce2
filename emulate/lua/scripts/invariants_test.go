package scripts

import (
	"strconv"
	"testing"
)

// checkStorage verifies the storage invariants of docs/architecture.md for user key k (already
// prefixed) on an emulating target: no companions without K; companion members are fields of K;
// no stored version 1; while every field has a TTL, all three keys expire at the same time,
// between latest deadline + grace and max(that, now + grace) + slack (at most 2^53-1);
// otherwise none expires.
func checkStorage(tb testing.TB, tg *target, k string) {
	tb.Helper()
	t, v := companions(k)
	typ := func(key string) string { return tg.raw(tb, "TYPE", key).str }
	kt, tt, vt := typ(k), typ(t), typ(v)
	if kt != "hash" {
		if kt == "none" && (tt != "none" || vt != "none") {
			tb.Fatalf("%s: key %q is absent but companions remain (%s, %s)", tg.name, k, tt, vt)
		}
		return // absent, or another type that is not ours
	}
	if tt != "zset" && tt != "none" || vt != "hash" && vt != "none" {
		tb.Fatalf("%s: companions of %q have types %s, %s", tg.name, k, tt, vt)
	}
	fields := map[string]bool{}
	for _, f := range tg.raw(tb, "HKEYS", k).arr {
		fields[f.str] = true
	}
	if len(fields) == 0 {
		tb.Fatalf("%s: empty hash %q", tg.name, k)
	}
	zs := tg.raw(tb, "ZRANGE", t, "0", "-1", "WITHSCORES").arr
	latest := int64(-1)
	for i := 0; i < len(zs); i += 2 {
		if !fields[zs[i].str] {
			tb.Fatalf("%s: ttl companion of %q has %q, not a field", tg.name, k, zs[i].str)
		}
		d, err := strconv.ParseInt(zs[i+1].str, 10, 64)
		if err != nil {
			tb.Fatalf("%s: deadline %q of %q: %v", tg.name, zs[i+1].str, zs[i].str, err)
		}
		latest = max(latest, d)
	}
	vs := tg.raw(tb, "HGETALL", v).arr
	for i := 0; i < len(vs); i += 2 {
		if !fields[vs[i].str] {
			tb.Fatalf("%s: version companion of %q has %q, not a field", tg.name, k, vs[i].str)
		}
		if vs[i+1].str == "1" {
			tb.Fatalf("%s: version 1 of %q stored", tg.name, vs[i].str)
		}
	}
	lo, hi := int64(-1), int64(-1)
	if len(zs)/2 == len(fields) {
		lo = min(latest+KeyExpiryGrace.Milliseconds(), 1<<53-1)
		// A field written already due counts from the write's own time (key_expiry), which is
		// before the server's present.
		hi = min(max(lo, serverMs(tb, tg)+KeyExpiryGrace.Milliseconds())+int64(preludeConst("SLACK")), 1<<53-1)
		hi++ // rounded up to even: an odd key-level expiry is a user's key deadline (lib.lua, userdl)
	}
	var first int64 = -3
	for _, key := range []string{k, t, v} {
		got := tg.raw(tb, "PEXPIRETIME", key).n
		if got == -2 {
			continue // an absent companion
		}
		if first == -3 {
			first = got
		}
		if got < lo || got > hi || got != first || got >= 0 && got%2 != 0 {
			tb.Fatalf("%s: PEXPIRETIME %q = %d, want %d..%d, even, and the same on all (fields %d, with ttl %d)",
				tg.name, key, got, lo, hi, len(fields), len(zs)/2)
		}
	}
}
