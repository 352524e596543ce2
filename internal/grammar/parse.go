package grammar

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Op is one TairHash command checked against the module's grammar and normalised: option words
// are gone, numbers are canonical, and what remains is what a backend needs to carry it out. Both
// emulations run Ops; neither parses the module's arguments itself.
//
// The module reports some argument errors only after it has looked at the key (the key's type
// first: WRONGTYPE wins over a syntax error on a key of another type), so a grammar error is one
// of two kinds. Err is the reply before the key is looked at; Late is raised by the backend once
// the key's type was checked (for EXHDELWITHVER and EXHMSETWITHOPTS: after the groups in Args,
// which stop before the malformed one, were checked or applied, as the module does them in turn).
type Op struct {
	Cmd  string // lower-case command name
	Key  string
	Err  string // the reply without touching the key (wire text, "ERR …"), or ""
	Late string // the error raised after the type check (wire text), or ""

	// Args are the operands in the command's order, options removed:
	//   EXHSET, EXHSETNX: field value; EXHINCRBY, EXHINCRBYFLOAT: field increment (EXHINCRBYFLOAT's
	//   "" as "0"); EXHMSET: field value …; EXHMSETWITHOPTS: field value ver ttl-seconds … (both
	//   canonical); EXHDELWITHVER: field version …; EXHSETVER: field version; the EXHPEXPIRE
	//   family and other single-field commands: field; EXHDEL, EXHMGET…: fields; EXHSCAN, EXHLEN
	//   and the whole-key reads: none.
	Args []string

	TTL   TTLKind // EXHSET, EXHINCRBY*, the EXHPEXPIRE family
	TTLMs int64   // TTLRel: ms from now; TTLAt: Unix ms (1 for a time of 0: due at once)

	Cond string // EXHSET: "nx", "xx" or ""

	Ver      string // "ver", "abs", "gt" or "": EXHSET, EXHINCRBY*, the EXHPEXPIRE family
	VerValue string // canonical int64 ≥ 0 (≥ 1 for abs and gt)

	// EXHINCRBY*: the bounds, canonical int64 for EXHINCRBY, the text given (with "" as "0") for
	// EXHINCRBYFLOAT; HasMin/HasMax tell whether they were given.
	Min, Max       string
	HasMin, HasMax bool

	// EXHSCAN: the cursor in canonical decimal (strtoul's reading, spec 3.22), the pattern, and
	// COUNT normalised for HSCAN ("" when not given; 0 becomes 1 and a negative count, the whole
	// hash, 1000000000).
	Cursor   string
	Match    string
	HasMatch bool
	Count    string
}

// TTLKind is what a command does to a field's TTL.
type TTLKind uint8

// TTL kinds.
const (
	TTLNone TTLKind = iota // no TTL option: an existing TTL is removed (spec 3.1, TTL table)
	TTLKeep                // KEEPTTL
	TTLRel                 // TTLMs from now
	TTLAt                  // at Unix ms TTLMs
)

// arity bounds the arguments after the command name (key included) of each command; even
// (odd) asks for an even (odd) count, step > 1 for a count of min + k·step.
var arity = map[string]struct{ min, max, step int }{
	"exhset": {3, -1, 1}, "exhsetnx": {3, 3, 1}, "exhmset": {1, -1, 2}, "exhmsetwithopts": {1, -1, 4},
	"exhincrby": {3, -1, 1}, "exhincrbyfloat": {3, -1, 1},
	"exhpexpire": {3, 6, 1}, "exhexpire": {3, 6, 1}, "exhpexpireat": {3, 6, 1}, "exhexpireat": {3, 6, 1},
	"exhsetver": {3, 3, 1}, "exhdel": {2, -1, 1}, "exhdelwithver": {3, -1, 2}, "exhlen": {1, 2, 1},
	"exhscan": {2, 6, 1}, "exhget": {2, 2, 1}, "exhexists": {2, 2, 1}, "exhstrlen": {2, 2, 1},
	"exhgetwithver": {2, 2, 1}, "exhttl": {2, 2, 1}, "exhpttl": {2, 2, 1}, "exhver": {2, 2, 1},
	"exhpersist": {2, 2, 1}, "exhmget": {2, -1, 1}, "exhmgetwithver": {2, -1, 1},
	"exhkeys": {1, 1, 1}, "exhvals": {1, 1, 1}, "exhgetall": {1, 1, 1}, "exhgetallwithver": {1, 1, 1},
}

// Known reports whether name (lower case) is a TairHash command that Parse reads.
func Known(name string) bool {
	_, ok := arity[name]
	return ok
}

var syntaxErr = "ERR " + Syntax

// ArityError returns the arity error's wire text for command cmd.
func ArityError(cmd string) string { return fmt.Sprintf("ERR "+Arity, cmd) }

// Parse reads one command, a[0] its name (any case) and a[1:] its arguments as a client sent
// them, in the module's order of checks.
func Parse(a []string) *Op {
	op := &Op{Cmd: strings.ToLower(a[0])}
	ar, ok := arity[op.Cmd]
	if !ok {
		op.Err = "ERR unknown command '" + a[0] + "'"
		return op
	}
	n := len(a) - 1
	if n < ar.min || (ar.max >= 0 && n > ar.max) || (n-ar.min)%ar.step != 0 {
		op.Err = ArityError(op.Cmd)
		return op
	}
	op.Key, op.Args = a[1], a[2:]
	switch op.Cmd {
	case "exhset":
		op.Args = a[2:4]
		op.Late = op.options(a[4:], true, false)
	case "exhincrby", "exhincrbyfloat":
		op.incr(a[2:])
	case "exhpexpire", "exhexpire", "exhpexpireat", "exhexpireat":
		op.expire(a[2:])
	case "exhmsetwithopts":
		op.Args, op.Late = prefixUntil(a[2:], 4, func(g []string) bool {
			return isNonNegInt64(g[3]) && isNonNegInt64(g[2])
		})
	case "exhdelwithver":
		op.Args, op.Late = prefixUntil(a[2:], 2, func(g []string) bool { return isInt64(g[1]) })
	case "exhsetver":
		if v := a[3]; !isNonNegInt64(v) || v == "0" {
			op.Err = syntaxErr
		}
	case "exhlen":
		if n == 2 && !strings.EqualFold(a[2], "noexp") {
			op.Err = syntaxErr
		}
		op.Args = nil
	case "exhscan":
		op.Args = nil
		op.Late = op.scan(a[2], a[3:])
	}
	return op
}

// prefixUntil returns the leading groups of args (size each) that pass ok, and the syntax error
// when a group does not.
func prefixUntil(args []string, size int, ok func([]string) bool) ([]string, string) {
	for i := 0; i < len(args); i += size {
		if !ok(args[i : i+size]) {
			return args[:i], syntaxErr
		}
	}
	return args, ""
}

// options reads the TTL, version and (nxxx) NX/XX or (minmax) MIN/MAX options of EXHSET and
// EXHINCRBY* (spec 3.1, 3.9). It returns the syntax error, or "".
func (op *Op) options(a []string, nxxx, minmax bool) string {
	ttlWord, ttlValue := "", ""
	for i := 0; i < len(a); i++ {
		w := strings.ToLower(a[i])
		hasValue := i+1 < len(a)
		switch {
		case w == "ex" || w == "px" || w == "exat" || w == "pxat":
			if ttlWord != "" || op.TTL == TTLKeep || !hasValue {
				return syntaxErr
			}
			ttlWord, ttlValue = w, a[i+1]
			i++
		case w == "keepttl":
			if ttlWord != "" {
				return syntaxErr
			}
			op.TTL = TTLKeep
		case nxxx && (w == "nx" || w == "xx"):
			if op.Cond != "" && op.Cond != w {
				return syntaxErr
			}
			op.Cond = w
		case w == "ver" || w == "abs" || w == "gt":
			if (op.Ver != "" && op.Ver != w) || !hasValue {
				return syntaxErr
			}
			op.Ver, op.VerValue = w, a[i+1]
			i++
		case minmax && (w == "min" || w == "max") && hasValue:
			if w == "min" {
				op.Min, op.HasMin = a[i+1], true
			} else {
				op.Max, op.HasMax = a[i+1], true
			}
			i++
		default:
			return syntaxErr
		}
	}
	if ttlWord != "" {
		if !isNonNegInt64(ttlValue) {
			return syntaxErr
		}
		op.TTL, op.TTLMs = timeIn(ttlWord, ttlValue)
	}
	if op.Ver != "" && !versionOK(op.Ver, op.VerValue) {
		return syntaxErr
	}
	return ""
}

// versionOK checks a version option's value: an int64 ≥ 0, ≥ 1 after ABS and GT.
func versionOK(kw, v string) bool {
	return isNonNegInt64(v) && !(v == "0" && kw != "ver")
}

// timeIn converts a validated time of unit kw (ex, px, exat, pxat) to a TTL. Zero means "due at
// once" (Unix ms 1); milliseconds that overflow int64 saturate, and backends refuse deadlines
// they cannot store.
func timeIn(kw, val string) (TTLKind, int64) {
	n, _ := strconv.ParseInt(val, 10, 64)
	if n == 0 {
		return TTLAt, 1
	}
	if kw == "ex" || kw == "exat" {
		n = SecondsToMs(n)
	}
	if kw == "ex" || kw == "px" {
		return TTLRel, n
	}
	return TTLAt, n
}

// SecondsToMs converts s ≥ 0 seconds to ms, saturating at the largest int64.
func SecondsToMs(s int64) int64 {
	if s > math.MaxInt64/1000 {
		return math.MaxInt64
	}
	return s * 1000
}

// incr reads EXHINCRBY / EXHINCRBYFLOAT field increment [options] [MIN n] [MAX n]. Its errors all
// come after the type check, in this order: the increment, the options, the bounds.
func (op *Op) incr(a []string) {
	float := op.Cmd == "exhincrbyfloat"
	op.Args = a[:2]
	if float {
		if _, ok := parseLongDouble(a[1]); !ok {
			op.Late = "ERR " + NotFloat
			return
		}
		if a[1] == "" {
			op.Args = []string{a[0], "0"}
		}
	} else if !isInt64(a[1]) {
		op.Late = "ERR " + NotInteger
		return
	}
	if op.Late = op.options(a[2:], false, true); op.Late != "" {
		return
	}
	if float {
		op.Late = op.floatBounds()
	} else {
		op.Late = op.intBounds()
	}
}

func (op *Op) intBounds() string {
	if (op.HasMin && !isInt64(op.Min)) || (op.HasMax && !isInt64(op.Max)) {
		return "ERR " + MinMaxNotInt
	}
	if op.HasMin && op.HasMax {
		lo, _ := strconv.ParseInt(op.Min, 10, 64)
		hi, _ := strconv.ParseInt(op.Max, 10, 64)
		if hi < lo {
			return "ERR " + MinOverMax
		}
	}
	return ""
}

func (op *Op) floatBounds() string {
	lo, okLo := parseLongDouble(op.Min)
	hi, okHi := parseLongDouble(op.Max)
	if (op.HasMin && !okLo) || (op.HasMax && !okHi) {
		return "ERR " + MinMaxNotFloat
	}
	if op.HasMin && op.HasMax && hi.Cmp(lo) < 0 {
		return "ERR " + MinOverMax
	}
	if op.HasMin && op.Min == "" {
		op.Min = "0"
	}
	if op.HasMax && op.Max == "" {
		op.Max = "0"
	}
	return ""
}

// Float64 returns an EXHINCRBYFLOAT bound as the nearest float64 (±Inf beyond its range).
func Float64(s string) float64 {
	v, ok := parseLongDouble(s)
	if !ok {
		return math.NaN()
	}
	f, _ := v.Float64()
	return f
}

// expire reads the EXHPEXPIRE family: field time [VER|ABS|GT v]. Every error comes before the
// type check.
func (op *Op) expire(a []string) {
	op.Args = a[:1]
	if !isNonNegInt64(a[1]) || len(a) == 3 || len(a) == 5 {
		op.Err = syntaxErr
		return
	}
	unit := map[string]string{"exhpexpire": "px", "exhexpire": "ex", "exhpexpireat": "pxat", "exhexpireat": "exat"}[op.Cmd]
	op.TTL, op.TTLMs = timeIn(unit, a[1])
	if len(a) == 4 {
		op.Ver, op.VerValue = strings.ToLower(a[2]), a[3]
		if op.Ver != "ver" && op.Ver != "abs" && op.Ver != "gt" || !versionOK(op.Ver, op.VerValue) {
			op.Err = syntaxErr
		}
	}
}

// scan reads EXHSCAN's cursor [MATCH pattern] [COUNT count] (spec 3.22); it returns the syntax
// error, or "".
func (op *Op) scan(cursor string, a []string) string {
	c, ok := parseCursor(cursor)
	if !ok {
		return syntaxErr
	}
	op.Cursor = strconv.FormatUint(c, 10)
	for i := 0; i < len(a); i += 2 {
		if i+1 >= len(a) {
			return syntaxErr
		}
		switch strings.ToLower(a[i]) {
		case "match":
			op.Match, op.HasMatch = a[i+1], true
		case "count":
			if !isInt64(a[i+1]) {
				return syntaxErr
			}
			switch op.Count = a[i+1]; {
			case op.Count == "0":
				op.Count = "1"
			case op.Count[0] == '-':
				op.Count = "1000000000"
			}
		default:
			return syntaxErr
		}
	}
	return ""
}
