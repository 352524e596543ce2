package grammar

import (
	"reflect"
	"strings"
	"testing"
)

// Which errors come before the key is looked at (Err) and which after its type check (Late)
// decides the reply on a key of another type (spec 3.1: WRONGTYPE before the syntax error), so
// every command's classes are pinned here; the conformance suite checks the replies themselves.
func TestParseErrorClasses(t *testing.T) {
	syntax, arity := "ERR "+Syntax, func(c string) string { return ArityError(c) }
	cases := []struct {
		args      string
		err, late string
	}{
		{"exhset k f", arity("exhset"), ""},
		{"exhset k f v ex", "", syntax},
		{"exhset k f v ex 1 px 1", "", syntax},
		{"exhset k f v nx xx", "", syntax},
		{"exhset k f v keepttl ex 1", "", syntax},
		{"exhset k f v ex -1", "", syntax},
		{"exhset k f v abs 0", "", syntax},
		{"exhset k f v ver 1 abs 2", "", syntax},
		{"exhset k f v min 1", "", syntax},
		{"EXHSET k f v KEEPTTL keepttl NX nx VER 0 ver 3", "", ""},
		{"exhincrby k f x ex bad", "", "ERR " + NotInteger},
		{"exhincrby k f 1 ex bad min x", "", syntax},
		{"exhincrby k f 1 min x max 1", "", "ERR " + MinMaxNotInt},
		{"exhincrby k f 1 min 2 max 1", "", "ERR " + MinOverMax},
		{"exhincrby k f 1 nx", "", syntax},
		{"exhincrbyfloat k f nan", "", "ERR " + NotFloat},
		{"exhincrbyfloat k f 1 min 1e99999", "", "ERR " + MinMaxNotFloat},
		{"exhincrbyfloat k f 1 min 0x10 max 15", "", "ERR " + MinOverMax},
		{"exhpexpire k f -1", syntax, ""},
		{"exhpexpire k f 1 ver", syntax, ""},
		{"exhpexpire k f 1 abs 0", syntax, ""},
		{"exhpexpire k f 1 ver 1 x", syntax, ""},
		{"exhpexpire k f 1 ver 1 x y", arity("exhpexpire"), ""},
		{"exhsetver k f 0", syntax, ""},
		{"exhlen k noexp", "", ""},
		{"exhlen k x", syntax, ""},
		{"exhlen k x y", arity("exhlen"), ""},
		{"exhscan k x", "", syntax},
		{"exhscan k 0 match", "", syntax},
		{"exhscan k 0 count x", "", syntax},
		{"exhmset k f", arity("exhmset"), ""},
		{"exhmsetwithopts k f v 0 x", "", syntax},
		{"exhdelwithver k f", arity("exhdelwithver"), ""},
		{"exhget k", arity("exhget"), ""},
		{"exhfoo k", "ERR unknown command 'exhfoo'", ""},
	}
	for _, c := range cases {
		op := Parse(strings.Fields(c.args))
		if op.Err != c.err || op.Late != c.late {
			t.Errorf("%s: Err %q Late %q, want %q %q", c.args, op.Err, op.Late, c.err, c.late)
		}
	}
}

// Options are normalised: kinds and canonical numbers, no option words left.
func TestParseNormalises(t *testing.T) {
	cases := []struct {
		args string
		want Op
	}{
		{"exhset k f v EX 2 xx gt 5", Op{Args: []string{"f", "v"}, TTL: TTLRel, TTLMs: 2000, Cond: "xx", Ver: "gt", VerValue: "5"}},
		{"exhset k f v pxat 0", Op{Args: []string{"f", "v"}, TTL: TTLAt, TTLMs: 1}},
		{"exhset k f v exat 9223372036854775807", Op{Args: []string{"f", "v"}, TTL: TTLAt, TTLMs: 9223372036854775807}},
		{"exhincrby k f 1 keepttl min -3 max 3", Op{Args: []string{"f", "1"}, TTL: TTLKeep, Min: "-3", Max: "3", HasMin: true, HasMax: true}},
		{"exhexpireat k f 3 ABS 7", Op{Args: []string{"f"}, TTL: TTLAt, TTLMs: 3000, Ver: "abs", VerValue: "7"}},
		{"exhscan k -1 count 0 match *", Op{Cursor: "18446744073709551615", Count: "1", Match: "*", HasMatch: true}},
		{"exhscan k +007 count -5", Op{Cursor: "7", Count: "1000000000"}},
		// groups before a malformed one are kept: the module checks or applies them first
		{"exhmsetwithopts k a 1 0 5 b 2 x 5 c 3 0 5", Op{Args: []string{"a", "1", "0", "5"}, Late: "ERR " + Syntax}},
		{"exhdelwithver k a 1 b 01", Op{Args: []string{"a", "1"}, Late: "ERR " + Syntax}},
	}
	for _, c := range cases {
		got := Parse(strings.Fields(c.args))
		c.want.Cmd, c.want.Key = strings.ToLower(strings.Fields(c.args)[0]), "k"
		if !reflect.DeepEqual(*got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.args, *got, c.want)
		}
	}
}
