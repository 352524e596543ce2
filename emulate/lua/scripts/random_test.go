package scripts

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// versionEdges are the first sequence of TestBatchMatchesScripts: versions carried exactly (16
// digits and more, carries, int64 max and its wrap, version 0).
var versionEdges = [][]string{
	{"exhset", "k0", "a", "v", "ex", "100", "abs", "9223372036854775806"},
	{"exhset", "k0", "a", "v", "ex", "100"},
	{"exhset", "k0", "a", "v", "ex", "100"},
	{"exhpexpire", "k0", "a", "100000"},
	{"exhset", "k0", "b", "v", "px", "100000", "abs", "9007199254740993"}, // 2^53 + 1: not a double
	{"exhpexpire", "k0", "b", "100000"},
	{"exhset", "k0", "b", "v", "px", "100000", "xx", "ver", "9007199254740994"},
	{"exhset", "k0", "b", "v", "px", "100000", "ver", "9007199254740995"},
	{"exhset", "k0", "d", "v", "px", "100000", "abs", "9999999999999999"},
	{"exhset", "k0", "d", "v", "px", "100000"},
	{"exhset", "k0", "c", "v", "ex", "100", "abs", "99999999999999999"},
	{"exhset", "k0", "c", "v", "ex", "100"},
	{"exhgetallwithver", "k0"},
}

// deadlinesOf returns the deadlines stored for k's fields.
func deadlinesOf(tb testing.TB, tg *target, k string) []int64 {
	tb.Helper()
	t, _ := companions(k)
	if tg.raw(tb, "TYPE", t).str != "zset" {
		return nil
	}
	var out []int64
	for _, e := range pairs(tg.raw(tb, "ZRANGE", t, "0", "-1", "WITHSCORES").arr) {
		d, _ := strconv.ParseInt(e[1], 10, 64)
		out = append(out, d)
	}
	return out
}

// randomCommand returns a TairHash command on k and f, or a "raw" plain command on the key
// ("KEY") or one of its companions.
func randomCommand(rng *rand.Rand, k, f string) []string {
	ttl := []string{"ex", "EX", "px", "PX"}[rng.IntN(4)]
	n := strconv.Itoa(1 + rng.IntN(3600))
	if ttl == "px" || ttl == "PX" {
		n = strconv.Itoa(1 + rng.IntN(40)) // often due before the next steps
		if rng.IntN(3) == 0 {
			n = strconv.Itoa(100000 + rng.IntN(1000000))
		}
	}
	switch r := rng.IntN(121); {
	case r < 40:
		return []string{"exhset", k, f, "v" + strconv.Itoa(rng.IntN(9)), ttl, n}
	case r < 52:
		return []string{"exhget", k, f}
	case r < 62:
		return []string{[]string{"exhgetall", "exhkeys", "exhvals"}[rng.IntN(3)], k}
	case r < 67:
		return []string{"exhset", k, f, "plain"} // a field without TTL: no key-level expiry
	case r < 72:
		return []string{"exhset", k, f, "w", "ex", "100", "abs", strconv.Itoa(1 + rng.IntN(5))}
	case r < 77:
		return []string{"exhset", k, f, "x", ttl, n, "xx", "ver", strconv.Itoa(1 + rng.IntN(4))} // often stale
	case r < 80:
		return []string{"exhset", k, f, "y", "XX", ttl, n}
	case r < 83:
		return []string{"exhset", k, f, "z", "VER", strconv.Itoa(1 + rng.IntN(3)), ttl, n}
	case r < 88:
		return []string{"exhgetwithver", k, f}
	case r < 90:
		big := []string{"999999999999999999", "9999999999999999", "9223372036854775806", "4611686018427387903"}
		return []string{"exhset", k, f, "w", ttl, n, "abs", big[rng.IntN(len(big))]} // exact +1 next
	case r < 92:
		return []string{"exhsetnx", k, f, "z"} // version 0, no TTL
	case r < 94:
		return []string{"exhsetver", k, f, strconv.Itoa(1 + rng.IntN(3))} // may lower the version
	case r < 100:
		return []string{"exhdel", k, f}
	case r < 104:
		return []string{"exhgetallwithver", k}
	case r < 107:
		return []string{"exhset", k, f, "v", ttl, "0"}
	case r < 112:
		return []string{"exh" + map[string]string{"ex": "", "EX": "", "px": "p", "PX": "p"}[ttl] + "expire", k, f, n}
	case r < 113:
		return []string{"exhpexpire", k, f, n, "gt", "3"} // a version option: the full script
	case r < 114:
		return []string{"exhset", k, f, "v", "ex", "0100"} // not canonical: a syntax error
	case r < 116:
		return []string{"raw", "SET", "KEY", "s"} // the key of another type
	case r < 117:
		c := []string{"exh~t:{KEY}", "exh~v:{KEY}"}[rng.IntN(2)]
		return []string{"raw", "SET", c, "s"} // a companion of another type
	default:
		return []string{"raw", "DEL", "KEY", "exh~t:{KEY}", "exh~v:{KEY}"}
	}
}

// dump is the stored state of user key k: its type, fields and values, deadlines, versions and
// key-level expiries.
func dump(tb testing.TB, tg *target, k string) map[string]string {
	tb.Helper()
	t, v := companions(k)
	out := map[string]string{}
	for name, key := range map[string]string{"K": k, "T": t, "V": v} {
		typ := tg.raw(tb, "TYPE", key).str
		out[name+".type"] = typ
		out[name+".pexpiretime"] = strconv.FormatInt(tg.raw(tb, "PEXPIRETIME", key).n, 10)
		switch typ {
		case "hash":
			for _, e := range pairs(tg.raw(tb, "HGETALL", key).arr) {
				out[name+"."+e[0]] = e[1]
			}
		case "zset":
			for _, e := range pairs(tg.raw(tb, "ZRANGE", key, "0", "-1", "WITHSCORES").arr) {
				out[name+"."+e[0]] = e[1]
			}
		case "string":
			out[name+".value"] = tg.raw(tb, "GET", key).str
		}
	}
	return out
}

func pairs(flat []reply) [][2]string {
	var out [][2]string
	for i := 0; i+1 < len(flat); i += 2 {
		out = append(out, [2]string{flat[i].str, flat[i+1].str})
	}
	return out
}

// maxDrift is how far apart, in ms, two keys' deadlines and expiries may be at least: the clock
// moves between the two calls that wrote them.
const maxDrift = 50

// sameDump compares dumps, allowing deadlines and expiries (numbers of 12 digits or more) to
// differ by drift, the milliseconds between the calls that wrote them.
func sameDump(a, b map[string]string, drift int64) bool {
	if len(a) != len(b) {
		return false
	}
	for name, x := range a {
		y, ok := b[name]
		if !ok {
			return false
		}
		if x == y {
			continue
		}
		if !(strings.HasPrefix(name, "T.") || strings.HasSuffix(name, ".pexpiretime")) {
			return false
		}
		nx, ex := strconv.ParseInt(x, 10, 64)
		ny, ey := strconv.ParseInt(y, 10, 64)
		if ex != nil || ey != nil || nx < 1e11 || ny < 1e11 || max(nx-ny, ny-nx) > drift {
			return false
		}
	}
	return true
}
