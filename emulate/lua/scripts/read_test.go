package scripts

import "testing"

// Spec 3.5–3.8, 3.19, 3.20: single and multiple reads.
func TestReads(t *testing.T) {
	scenario(t,
		s("exhmget k a b", "[nil, nil]"),
		s("exhmgetwithver k a b", "[nil, nil]"),
		s("exhgetwithver k a", "nil"),
		s("exhexists k a", ":0"),
		s("exhstrlen k a", ":0"),
		s("exhset k a 1", ":1"),
		s("exhset k b 22 abs 4", ":1"),
		sa(":1", "exhset", "k", "e", ""),
		s("exhmget k a x b a", `["1", nil, "22", "1"]`),
		s("exhmgetwithver k b x a", `[["22", :4], nil, ["1", :1]]`),
		s("exhgetwithver k b", `["22", :4]`),
		s("exhexists k b", ":1"),
		s("exhstrlen k b", ":2"),
		s("exhstrlen k e", ":0"),
		s("exhexists k e", ":1"),
		s("exhget k", "-ERR wrong number of arguments for 'exhget' command"),
		s("exhget k a b", "-ERR wrong number of arguments for 'exhget' command"),
		s("exhgetwithver k", "-ERR wrong number of arguments for 'exhgetwithver' command"),
		s("exhmget k", "-ERR wrong number of arguments for 'exhmget' command"),
		s("exhmgetwithver k", "-ERR wrong number of arguments for 'exhmgetwithver' command"),
		s("exhexists k", "-ERR wrong number of arguments for 'exhexists' command"),
		s("exhstrlen k a b", "-ERR wrong number of arguments for 'exhstrlen' command"),
		s("raw set str x", "+OK"),
		s("exhget str a", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhmget str a", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhmgetwithver str a", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhgetwithver str a", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhexists str a", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhstrlen str a", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
	)
}

// Spec 3.21: whole-key reads (order is the server's; single-field keys keep the test exact).
func TestWholeKeyReads(t *testing.T) {
	scenario(t,
		s("exhkeys k", "[]"),
		s("exhvals k", "[]"),
		s("exhgetall k", "[]"),
		s("exhgetallwithver k", "[]"),
		s("exhset k a 1 abs 3", ":1"),
		s("exhkeys k", `["a"]`),
		s("exhvals k", `["1"]`),
		s("exhgetall k", `["a", "1"]`),
		s("exhgetallwithver k", `["a", "1", :3]`),
		s("exhset k b 2 px 20", ":1"),
		s("sleep 40ms", ""),
		s("exhgetallwithver k", `["a", "1", :3]`),
		s("exhkeys k x", "-ERR wrong number of arguments for 'exhkeys' command"),
		s("exhvals k x", "-ERR wrong number of arguments for 'exhvals' command"),
		s("exhgetall k x", "-ERR wrong number of arguments for 'exhgetall' command"),
		s("exhgetallwithver k x", "-ERR wrong number of arguments for 'exhgetallwithver' command"),
		s("raw set str x", "+OK"),
		s("exhkeys str", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhgetallwithver str", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
	)
}

// Spec 3.18: EXHLEN. Due fields are removed first, so the plain form counts live fields only.
func TestExhlen(t *testing.T) {
	scenario(t,
		s("exhlen k", ":0"),
		s("exhlen k noexp", ":0"),
		s("exhset k a 1", ":1"),
		s("exhset k b 1 px 600000", ":1"), // a TTL no loaded machine outlasts before the next step
		s("exhlen k", ":2"),
		s("exhpexpire k b 20", ":1"),
		s("sleep 40ms", ""),
		d("exhlen k", ":2", ":1"),
		s("exhlen k NoExp", ":1"),
		s("exhlen k foo", "-ERR syntax error"),
		s("exhlen k noexp x", "-ERR wrong number of arguments for 'exhlen' command"),
		s("raw set str x", "+OK"),
		s("exhlen str foo", "-ERR syntax error"),
		s("exhlen str", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
	)
}

// Spec 3.16, 3.17: EXHDEL and EXHDELWITHVER.
func TestDeletes(t *testing.T) {
	scenario(t,
		s("exhdel k a", ":0"),
		s("exhmset k a 1 b 2 c 3 d 4", "+OK"),
		s("exhdel k a a x", ":1"),
		s("exhdel k", "-ERR wrong number of arguments for 'exhdel' command"),
		s("exhset k b 2", ":0"),
		s("exhdelwithver k b 1 c 1", ":1"),
		s("exhexists k b", ":1"),
		s("exhdelwithver k b 2 d 0 x 0", ":2"),
		s("raw exists k", ":0"),
		s("exhlen k", ":0"),
		s("exhdelwithver nk f abc", ":0"),
		s("exhmset k c 1", "+OK"),
		s("exhdelwithver k c", "-ERR wrong number of arguments for 'exhdelwithver' command"),
		s("exhdelwithver k c 1 d", "-ERR wrong number of arguments for 'exhdelwithver' command"),
		s("exhdelwithver k c -1", ":0"),
		s("exhdelwithver k c 1 z x", "-ERR syntax error"),
		d("raw exists k", ":1", ":0"), // the module keeps the emptied key (D2)
		s("exhmset k a 1 b 2", "+OK"),
		s("exhdelwithver k a 1 b x", "-ERR syntax error"),
		s("exhkeys k", `["b"]`),
		s("exhdel k b", ":1"),
		s("raw exists k", ":0"),
		s("raw set str x", "+OK"),
		s("exhdel str a", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
		s("exhdelwithver str a x", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
	)
}

// Spec 3.17 with wrapped versions: a negative stored version matches its own value.
func TestDelwithverNegative(t *testing.T) {
	scenario(t,
		s("exhset k f v abs 9223372036854775807", ":1"),
		s("exhset k f v", ":0"),
		s("exhdelwithver k f -9223372036854775807", ":0"),
		s("exhdelwithver k f -9223372036854775808", ":1"),
		s("raw exists k", ":0"),
	)
}

// Spec 3.22: EXHSCAN.
func TestExhscan(t *testing.T) {
	scenario(t,
		s("exhscan k 0", "[+0, []]"),
		s("exhscan k 0 match * count 10", "[+0, []]"),
		s("exhset k a 1", ":1"),
		s("exhscan k 0", `["0", ["a", "1"]]`),
		s("exhscan k 0 MATCH b*", `["0", []]`),
		s("exhscan k 0 MATCH A", `["0", []]`),
		d("exhscan k 0 match a count 1", `["1", ["a", "1"]]`, `["0", ["a", "1"]]`),
		d("exhscan k 0 count 0", `["2", []]`, `["0", ["a", "1"]]`),
		s("exhscan k 0 count -1", `["0", ["a", "1"]]`),
		s("exhscan k 0 count 1 count 2 match x", "-ERR wrong number of arguments for 'exhscan' command"),
		s("exhscan k", "-ERR wrong number of arguments for 'exhscan' command"),
		s("exhscan k 0 foo 1", "-ERR syntax error"),
		s("exhscan k 0 count", "-ERR syntax error"),
		s("exhscan k 0 count x", "-ERR syntax error"),
		s("exhscan k 0 count 1.0", "-ERR syntax error"),
		s("exhscan k x", "-ERR syntax error"),
		s("exhscan k 18446744073709551616", "-ERR syntax error"),
		d("exhscan k 18446744073709551615", `["0", []]`, `["0", ["a", "1"]]`),
		d("exhscan k -1", `["0", []]`, `["0", ["a", "1"]]`),
		s("exhscan k +0", `["0", ["a", "1"]]`),
		s("exhscan k 00", `["0", ["a", "1"]]`),
		sa(`["0", ["a", "1"]]`, "exhscan", "k", ""),
		sa("-ERR syntax error", "exhscan", "k", " 0"),
		s("raw set str x", "+OK"),
		s("exhscan str x", "-WRONGTYPE Operation against a key holding the wrong kind of value"),
	)
}
