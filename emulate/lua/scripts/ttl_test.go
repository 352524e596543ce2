package scripts

import (
	"fmt"
	"testing"
)

// Spec 3.11: the EXHPEXPIRE family.
func TestExhpexpireFamily(t *testing.T) {
	at := nowMs()/1000 + 100
	scenario(t,
		s("exhpexpire k f 100", ":0"),
		s("exhset k f v", ":1"),
		s("exhpexpire k g 100", ":0"),
		s("exhpexpire k f 50000", ":1"),
		s("exhver k f", ":2"),
		s("exhpttl k f", ":49000..50000"),
		s("exhexpire k f 100", ":1"),
		s("exhttl k f", ":99..100"),
		s(fmt.Sprintf("exhexpireat k f %d", at), ":1"),
		s("exhttl k f", ":98..100"),
		s(fmt.Sprintf("exhpexpireat k f %d ver 4", at*1000+500), ":1"),
		s("exhttl k f", ":99..101"),
		s("exhver k f", ":5"),
		s("exhexpire k f 100 ver 4", "-ERR update version is stale"),
		s("exhexpire k f 100 ver 0", ":1"),
		s("exhexpire k f 100 gt 6", "-ERR update version is stale"),
		s("exhexpire k f 100 GT 7", ":1"),
		s("exhexpire k f 100 abs 3", ":1"),
		s("exhver k f", ":3"),
		s("exhget k f", `"v"`),
		s("exhexpire k f", "-ERR wrong number of arguments for 'exhexpire' command"),
		s("exhpexpireat k f 1 ver 1 x y", "-ERR wrong number of arguments for 'exhpexpireat' command"),
		s("exhexpire k f 1 ver 1 x", "-ERR syntax error"),
		s("exhexpire k f 1 ver", "-ERR syntax error"),
		s("exhexpire k f 1 nx 1", "-ERR syntax error"),
		s("exhexpire k f -1", "-ERR syntax error"),
		s("exhexpire k f 1x", "-ERR syntax error"),
		s("exhexpire k f 1 abs 0", "-ERR syntax error"),
		s("exhexpire k f 1 ver -1", "-ERR syntax error"),
		s("raw set str x", "+OK"),
		s("exhexpire str f -1", "-ERR syntax error"), // syntax before type
		s("exhexpire str f 1", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhpexpire k f 0", ":1"), // expired at once, reply still 1
		s("exhget k f", "nil"),
		s("exhset k f v", ":1"),
		s("exhpexpireat k f 1000", ":1"),
		s("exhexists k f", ":0"),
	)
}

// D6: deadlines that overflow (or exceed 2^53-1 ms) are refused instead of silently misapplied.
func TestExpireTimeOverflow(t *testing.T) {
	scenario(t,
		s("exhset k f v", ":1"),
		e("exhset k f v ex 9223372036854775807", "-ERR invalid expire time in 'exhset' command"),
		e("exhset k f v px 9007199254740991", "-ERR invalid expire time in 'exhset' command"),
		e("exhset k f v exat 9007199254740992", "-ERR invalid expire time in 'exhset' command"),
		e("exhset k f v pxat 9007199254740992", "-ERR invalid expire time in 'exhset' command"),
		e("exhset k f v pxat 9007199254740991", ":0"),
		e("exhpttl k f", ":9000000000000000..9007199254740991"),
		e("exhexpire k f 9223372036854775807", "-ERR invalid expire time in 'exhexpire' command"),
		e("exhpexpireat k f 9007199254740992", "-ERR invalid expire time in 'exhpexpireat' command"),
		e("exhincrby k n 1 exat 9223372036854775807", "-ERR invalid expire time in 'exhincrby' command"),
		e("exhincrbyfloat k n 1 ex 9223372036854775807", "-ERR invalid expire time in 'exhincrbyfloat' command"),
		e("exhmsetwithopts k f v 0 9223372036854775807", "-ERR invalid expire time in 'exhmsetwithopts' command"),
		e("exhver k f", ":2"),
		e("exhexists k n", ":0"),
	)
}

// Spec 3.12: EXHPERSIST.
func TestExhpersist(t *testing.T) {
	scenario(t,
		s("exhpersist k f", ":0"),
		s("exhset k f v", ":1"),
		s("exhpersist k f", ":0"),
		s("exhset k f v ex 100", ":0"),
		s("exhpersist k f", ":1"),
		s("exhttl k f", ":-1"),
		s("exhver k f", ":2"),
		s("exhpersist k f x", "-ERR wrong number of arguments for 'exhpersist' command"),
		s("raw set str x", "+OK"),
		s("exhpersist str f", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
	)
}

// Spec 3.13: EXHTTL/EXHPTTL sentinels and rounding.
func TestExhttl(t *testing.T) {
	scenario(t,
		s("exhttl k f", ":-2"),
		s("exhpttl k f", ":-2"),
		s("exhset k f v", ":1"),
		s("exhttl k g", ":-3"),
		s("exhpttl k g", ":-3"),
		s("exhttl k f", ":-1"),
		s("exhset k f v px 1400", ":0"),
		s("exhttl k f", ":1"),
		s("exhset k f v px 1600", ":0"),
		s("exhttl k f", ":2"),
		s("exhset k f v px 400", ":0"),
		s("exhttl k f", ":0"),
		s("exhget k f", `"v"`),
		s("exhttl k", "-ERR wrong number of arguments for 'exhttl' command"),
		s("exhpttl k f g", "-ERR wrong number of arguments for 'exhpttl' command"),
	)
}

// Spec 3.14, 3.15: EXHVER and EXHSETVER.
func TestExhverExhsetver(t *testing.T) {
	scenario(t,
		s("exhver k f", ":-1"),
		s("exhsetver k f 5", ":0"),
		s("raw exists k", ":0"),
		s("exhset k f v", ":1"),
		s("exhver k g", ":-2"),
		s("exhsetver k g 5", ":0"),
		s("exhsetver k f 5", ":1"),
		s("exhver k f", ":5"),
		s("exhsetver k f 2", ":1"), // may lower it
		s("exhver k f", ":2"),
		s("exhsetver k f 1", ":1"),
		s("exhver k f", ":1"),
		s("exhsetver k f 0", "-ERR syntax error"),
		s("exhsetver k f -3", "-ERR syntax error"),
		s("exhsetver k f x", "-ERR syntax error"),
		d("exhsetver k f 9223372036854775807", ":1", ":1"),
		d("exhver k f", ":9223372036854775807", `"9223372036854775807"`),
		s("exhsetver k f", "-ERR wrong number of arguments for 'exhsetver' command"),
		s("exhver k f x", "-ERR wrong number of arguments for 'exhver' command"),
		s("raw set str x", "+OK"),
		s("exhsetver str f x", "-ERR syntax error"), // syntax before type
		s("exhsetver str f 1", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhver str f", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhset k g v ex 100", ":1"),
		s("exhsetver k g 7", ":1"),
		s("exhttl k g", ":99..100"),
	)
}
