package scripts

import (
	"fmt"
	"testing"
	"time"
)

func nowMs() int64 { return time.Now().UnixMilli() }

// Spec 3.1, option rules and check order.
func TestExhsetOptionRules(t *testing.T) {
	scenario(t,
		s("exhset k f v nx", ":1"),
		s("exhset k f v nx nx", ":-1"),
		s("exhset k f v NX xx", "-ERR syntax error"),
		s("exhset k f v xx NX", "-ERR syntax error"),
		s("exhset k f v xx xx", ":0"),
		s("exhset k f v ex 10 px 10", "-ERR syntax error"),
		s("exhset k f v ex 10 ex 10", "-ERR syntax error"),
		s("exhset k f v exat 10 pxat 10", "-ERR syntax error"),
		s("exhset k f v pxat 10 px 10", "-ERR syntax error"),
		s("exhset k f v keepttl ex 10", "-ERR syntax error"),
		s("exhset k f v Ex 10 KeepTtl", "-ERR syntax error"),
		s("exhset k f v keepttl KEEPTTL", ":0"),
		s("exhset k f v ver 3 abs 2", "-ERR syntax error"),
		s("exhset k f v gt 3 ver 2", "-ERR syntax error"),
		s("exhset k f v abs 3 gt 4", "-ERR syntax error"),
		s("exhset k f v abs 7 ABS 5", ":0"),
		s("exhver k f", ":5"),
		s("exhset k f v ver 9 ver 5", ":0"),
		s("exhver k f", ":6"),
		s("exhset k f v ex", "-ERR syntax error"),
		s("exhset k f v ver", "-ERR syntax error"),
		s("exhset k f v nx gt", "-ERR syntax error"),
		s("exhset k f v foo", "-ERR syntax error"),
		s("exhset k f v ex -1", "-ERR syntax error"),
		s("exhset k f v ex abc", "-ERR syntax error"),
		s("exhset k f v px 007", "-ERR syntax error"),
		s("exhset k f v px +5", "-ERR syntax error"),
		s("exhset k f v px -0", "-ERR syntax error"),
		s("exhset k f v px 1.5", "-ERR syntax error"),
		s("exhset k f v px 9223372036854775808", "-ERR syntax error"),
		s("exhset k f v ver -1", "-ERR syntax error"),
		s("exhset k f v abs 0", "-ERR syntax error"),
		s("exhset k f v gt 0", "-ERR syntax error"),
		s("exhset k f v ver 01", "-ERR syntax error"),
		s("exhset k f v ver 0", ":0"),
		s("exhver k f", ":7"),
		s("exhget k f", `"v"`),
		s("raw set str x", "+OK"),
		s("exhset str f v foo", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhset str f v", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhset k f", "-ERR wrong number of arguments for 'exhset' command"),
	)
}

// Spec 3.1, outcomes; spec 4, versions of EXHSET.
func TestExhsetOutcomes(t *testing.T) {
	scenario(t,
		s("exhset k f v xx", ":-1"),
		s("raw exists k", ":0"),
		s("exhset k f v ver 5", ":1"), // VER is not checked on a new field
		s("exhver k f", ":1"),
		s("exhset k f v2 ver 5", "-ERR update version is stale"),
		s("exhget k f", `"v"`),
		s("exhset k f v2 ver 1", ":0"),
		s("exhver k f", ":2"),
		s("exhset k g v xx", ":-1"),
		s("exhexists k g", ":0"),
		s("exhset k f v3 nx ver 99", ":-1"), // NX before VER
		s("exhget k f", `"v2"`),
		s("exhset k f v3 gt 2", "-ERR update version is stale"),
		s("exhset k f v3 gt 3", ":0"),
		s("exhver k f", ":3"),
		s("exhset k f v4 abs 2", ":0"),
		s("exhver k f", ":2"),
		s("exhset k g v gt 40", ":1"),
		s("exhver k g", ":40"),
		s("exhset k h v abs 9", ":1"),
		s("exhver k h", ":9"),
		s("exhset k h v", ":0"),
		s("exhver k h", ":10"),
		s("exhset k h v abs 1", ":0"),
		s("exhver k h", ":1"),
		s("exhgetall k", "[…"),
		s("exhlen k", ":3"),
	)
}

// Spec 3.1, TTL effect table (also 5.1).
func TestExhsetTTLEffect(t *testing.T) {
	at := nowMs()/1000 + 100
	scenario(t,
		s("exhset k f v ex 100", ":1"),
		s("exhttl k f", ":99..100"),
		s("exhset k f v", ":0"),
		s("exhttl k f", ":-1"), // no option removes the TTL
		s("exhset k f v px 50000", ":0"),
		s("exhpttl k f", ":49000..50000"),
		s("exhset k f v keepttl", ":0"),
		s("exhpttl k f", ":49000..50000"),
		s("exhset k g v keepttl", ":1"),
		s("exhttl k g", ":-1"),
		s(fmt.Sprintf("exhset k g v exat %d", at), ":0"),
		s("exhttl k g", ":98..100"),
		s(fmt.Sprintf("exhset k g v pxat %d", at*1000+500), ":0"),
		s("exhttl k g", ":99..101"),
		s("exhset k g v ex 0", ":0"),
		s("exhget k g", "nil"),
		s("exhset k g v px 0", ":1"),
		s("exhexists k g", ":0"),
		s("exhset k g v exat 0", ":1"),
		s("exhttl k g", ":-3"),
		s("exhset k g v pxat 0", ":1"),
		s("exhset k g v pxat 1000", ":1"), // past: expired at once
		s("exhget k g", "nil"),
		s("exhset k g v exat 1000", ":1"),
		s("exhget k g", "nil"),
		s("exhlen k", ":1"),
		s("exhget k f", `"v"`),
	)
}

// Spec 4: versions wrap from int64 max to min; version 0 and negative versions behave as stated.
// Versions of 16+ digits come back from the scripts as bulk strings (package documentation).
func TestVersionWrap(t *testing.T) {
	scenario(t,
		s("exhset k f v abs 9223372036854775807", ":1"),
		d("exhver k f", ":9223372036854775807", `"9223372036854775807"`),
		s("exhset k f v gt 9223372036854775807", "-ERR update version is stale"),
		s("exhset k f v ver 9223372036854775807", ":0"),
		d("exhver k f", ":-9223372036854775808", `"-9223372036854775808"`),
		d("exhgetwithver k f", `["v", :-9223372036854775808]`, `["v", "-9223372036854775808"]`),
		s("exhset k f v ver 1", "-ERR update version is stale"),
		s("exhset k f v ver 0", ":0"),
		d("exhver k f", ":-9223372036854775807", `"-9223372036854775807"`),
		s("exhset k f v gt 1", ":0"), // any GT beats a negative version
		s("exhver k f", ":1"),
		s("exhset k f v abs 999999999999999", ":0"),
		s("exhset k f v", ":0"),
		d("exhver k f", ":1000000000000000", `"1000000000000000"`),
		s("exhset k f v abs 99999999999999", ":0"),
		s("exhset k f v", ":0"),
		s("exhver k f", ":100000000000000"),
	)
}

// Spec 3.2 and D7: version 0, no TTL, only VER 0 passes; the target is self-checked.
func TestExhsetnx(t *testing.T) {
	scenario(t,
		s("exhsetnx k f v", ":1"),
		s("exhsetnx k f w", ":0"),
		s("exhget k f", `"v"`),
		s("exhver k f", ":0"),
		s("exhttl k f", ":-1"),
		s("exhset k f v ver 1", "-ERR update version is stale"),
		s("exhset k f v ver 0", ":0"),
		s("exhver k f", ":1"),
		s("exhsetnx k f", "-ERR wrong number of arguments for 'exhsetnx' command"),
		s("exhsetnx k f v x", "-ERR wrong number of arguments for 'exhsetnx' command"),
		s("raw set str x", "+OK"),
		s("exhsetnx str f v", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		// D7: an expired target does not block EXHSETNX (module: only if the 3-field sweep reaches it)
		e("exhset k g v px 10", ":1"),
		e("sleep 30ms", ""),
		e("exhsetnx k g w", ":1"),
		e("exhget k g", `"w"`),
		e("exhver k g", ":0"),
	)
}

// Spec 3.3: EXHMSET keeps TTLs, bumps versions per occurrence; no pairs creates nothing (D2).
func TestExhmset(t *testing.T) {
	scenario(t,
		s("exhmset k", "+OK"),
		d("raw exists k", ":1", ":0"),
		s("exhmset k a 1 b 2", "+OK"),
		s("exhset k a 1 ex 100", ":0"),
		s("exhmset k a 3 c 4 a 5", "+OK"),
		s("exhget k a", `"5"`),
		s("exhver k a", ":4"),
		s("exhver k c", ":1"),
		s("exhttl k a", ":99..100"),
		s("exhmset k a", "-ERR wrong number of arguments for 'exhmset' command"),
		s("exhmset k a 1 b", "-ERR wrong number of arguments for 'exhmset' command"),
		s("exhsetnx k z v", ":1"),
		s("exhmset k z w", "+OK"),
		s("exhver k z", ":1"),
		s("exhlen k", ":4"),
		s("raw set str x", "+OK"),
		s("exhmset str a 1", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhmset str", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
	)
}

// Spec 3.4: two passes, ver only checked, ttl always replaced, 0 expires at once.
func TestExhmsetwithopts(t *testing.T) {
	scenario(t,
		s("exhmsetwithopts k", "+OK"),
		d("raw exists k", ":1", ":0"),
		s("exhmsetwithopts k a 1 0 100 b 2 7 200", "+OK"),
		s("exhver k a", ":1"),
		s("exhver k b", ":1"), // ver is never assigned
		s("exhttl k a", ":99..100"),
		s("exhttl k b", ":199..200"),
		s("exhmsetwithopts k a x 2 100", "-ERR update version is stale"),
		s("exhmsetwithopts k a x 1 100 b y 5 100", "-ERR update version is stale"),
		s("exhget k a", `"1"`), // nothing applied
		s("exhmsetwithopts k a x 1 50 a y 1 60", "+OK"),
		s("exhget k a", `"y"`),
		s("exhver k a", ":3"),
		s("exhttl k a", ":59..60"),
		s("exhmsetwithopts k a x 1 1x", "-ERR syntax error"),
		s("exhmsetwithopts k a x 1x 1", "-ERR syntax error"),
		s("exhmsetwithopts k a x -1 1", "-ERR syntax error"),
		s("exhmsetwithopts k a x 1 -1", "-ERR syntax error"),
		s("exhmsetwithopts k a x 1 1 b", "-ERR wrong number of arguments for 'exhmsetwithopts' command"),
		s("exhmsetwithopts k b x 0 0", "+OK"), // 0 = expire now
		s("exhget k b", "nil"),
		s("exhmsetwithopts nk a x 3 10", "+OK"), // ver of an absent field is not checked
		s("exhver nk a", ":1"),
		s("exhmsetwithopts k2 a x 1 1x", "-ERR syntax error"),
		d("raw exists k2", ":1", ":0"), // the module leaves an empty key (D2)
		s("raw set str x", "+OK"),
		s("exhmsetwithopts str a x 1 1x", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
	)
}
