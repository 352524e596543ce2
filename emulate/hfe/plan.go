package hfe

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/grammar"
)

// A plan is how the hash-field-expiration backend carries out one TairHash command: a reply known
// without asking the server (arity and other errors the module reports before looking at the key),
// one native command, or an operation of the backend's script.
type plan struct {
	err    error    // reply at once
	rename any      // a native command (a string) taking the command's own arguments, key included
	multi  [][]any  // native commands run together (MULTI/EXEC); the first one's reply is the module's
	op     string   // script operation
	argv   []string // its arguments
	getall bool     // EXHGETALL: native HGETALL on a client, reshaped if it answers a map
	answer any      // a reply known without the server, when not nil
}

// Module error replies.
func errReply(msg string) error { return exhash.NewError(msg) }

func expireTimeError(cmd string) error { return errReply(fmt.Sprintf("ERR "+grammar.ExpireTime, cmd)) }

var errSyntaxReply = runner.SyntaxError

// script runs op; failAfterType reports the module's error text (a grammar constant) once the
// script has checked the key's type.
func script(op string, argv ...string) plan { return plan{op: op, argv: argv} }
func failAfterType(text string) plan        { return script("fail", "ERR "+text) }
func renamed(cmd string) plan               { return plan{rename: sameArgs[cmd]} }

// sameArgs names the native command that takes a TairHash command's arguments unchanged and
// replies as the module does. Do sends the caller's own arguments under the new name, held as an
// interface value here, so that the reads the backend sends most convert and allocate nothing.
var sameArgs = map[string]any{
	"exhget": "hget", "exhexists": "hexists", "exhstrlen": "hstrlen", "exhmget": "hmget",
	"exhkeys": "hkeys", "exhvals": "hvals", "exhsetnx": "hsetnx",
}

func refuse(err error) plan { return plan{err: err} }

// planFor parses a command (name in a[0], then the key and the rest as strings) the way the module
// does, in the module's order of checks.
func planFor(a []string) plan {
	cmd := a[0]
	switch cmd {
	case "exhset":
		return planSet(a)
	case "exhsetnx":
		if len(a) != 4 {
			return refuse(runner.ArityError(cmd))
		}
		return script("setnx", a[2], a[3])
	case "exhmset":
		if len(a) < 2 || len(a)%2 != 0 {
			return refuse(runner.ArityError(cmd))
		}
		return script("mset", a[2:]...)
	case "exhmsetwithopts":
		return planMSetWithOpts(a)
	case "exhincrby", "exhincrbyfloat":
		return planIncr(a)
	case "exhpexpire", "exhexpire", "exhpexpireat", "exhexpireat":
		return planExpire(a)
	case "exhsetver":
		if len(a) != 4 {
			return refuse(runner.ArityError(cmd))
		}
		if !isInt64(a[3]) || a[3][0] == '-' || a[3] == "0" {
			return refuse(errSyntaxReply)
		}
		return script("setver", a[2], a[3])
	case "exhdel":
		if len(a) < 3 {
			return refuse(runner.ArityError(cmd))
		}
		return script("del", a[2:]...)
	case "exhdelwithver":
		return planDelWithVer(a)
	case "exhlen":
		if len(a) < 2 || len(a) > 3 {
			return refuse(runner.ArityError(cmd))
		}
		if len(a) == 3 && !strings.EqualFold(a[2], "noexp") {
			return refuse(errSyntaxReply)
		}
		return script("len")
	case "exhscan":
		return planScan(a)
	case "exhexpireinfo":
		if len(a) != 1 {
			return refuse(runner.ArityError(cmd))
		}
		return plan{}
	}
	return planFieldRead(a)
}

// planFieldRead covers the reads of named fields and whole keys.
func planFieldRead(a []string) plan {
	cmd := a[0]
	one := func(n int) bool { return len(a) == n }
	switch cmd {
	case "exhget", "exhexists", "exhstrlen":
		if !one(3) {
			return refuse(runner.ArityError(cmd))
		}
		return renamed(cmd)
	case "exhgetwithver":
		if !one(3) {
			return refuse(runner.ArityError(cmd))
		}
		p := script("getwithver", a[2])
		return p
	case "exhttl", "exhpttl":
		if !one(3) {
			return refuse(runner.ArityError(cmd))
		}
		unit := "ms"
		if cmd == "exhttl" {
			unit = "s"
		}
		return script("ttl", a[2], unit)
	case "exhver":
		if !one(3) {
			return refuse(runner.ArityError(cmd))
		}
		p := script("ver", a[2])
		return p
	case "exhpersist":
		if !one(3) {
			return refuse(runner.ArityError(cmd))
		}
		return script("persist", a[2])
	case "exhmget":
		if len(a) < 3 {
			return refuse(runner.ArityError(cmd))
		}
		return renamed(cmd)
	case "exhmgetwithver":
		if len(a) < 3 {
			return refuse(runner.ArityError(cmd))
		}
		p := script("mgetwithver", a[2:]...)
		return p
	case "exhkeys", "exhvals":
		if !one(2) {
			return refuse(runner.ArityError(cmd))
		}
		return renamed(cmd)
	case "exhgetall":
		if !one(2) {
			return refuse(runner.ArityError(cmd))
		}
		p := script("getall")
		p.getall = true
		return p
	case "exhgetallwithver":
		if !one(2) {
			return refuse(runner.ArityError(cmd))
		}
		p := script("getallwithver")
		return p
	}
	return refuse(errReply("ERR unknown command '" + cmd + "'"))
}

// ttlArgs are the TTL and version options of EXHSET, EXHINCRBY and EXHINCRBYFLOAT.
type ttlArgs struct {
	ttlKw, ttlVal string // ex, px, exat, pxat
	keep          bool
	verKw, verVal string // ver, abs, gt
}

// option reads one TTL or version option at a[i]; it reports how many arguments it took (0: not
// such an option) or a syntax error.
func (t *ttlArgs) option(a []string, i int) (int, bool) {
	switch kw := strings.ToLower(a[i]); kw {
	case "ex", "px", "exat", "pxat":
		if i+1 >= len(a) || t.ttlKw != "" || t.keep {
			return 0, false
		}
		t.ttlKw, t.ttlVal = kw, a[i+1]
		return 2, true
	case "keepttl":
		if t.ttlKw != "" {
			return 0, false
		}
		t.keep = true
		return 1, true
	case "ver", "abs", "gt":
		if i+1 >= len(a) || (t.verKw != "" && t.verKw != kw) {
			return 0, false
		}
		t.verKw, t.verVal = kw, a[i+1]
		return 2, true
	}
	return 0, true
}

// valuesOK checks the TTL value (int64 ≥ 0) and the version value (int64 ≥ 0, ≥ 1 for ABS/GT).
func (t *ttlArgs) valuesOK() bool {
	if t.ttlKw != "" && !isNonNegInt64(t.ttlVal) {
		return false
	}
	return t.verKw == "" || versionOK(t.verKw, t.verVal)
}

func versionOK(kw, v string) bool {
	return isNonNegInt64(v) && !(v == "0" && kw != "ver")
}

// mode returns the script's TTL mode and value: ” (remove), keep, rel ms, or at deadline-ms.
// Zero means "expire at once" (deadline 1); values whose milliseconds overflow int64 stay huge,
// and the script refuses deadlines Redis cannot store.
func (t *ttlArgs) mode() (string, string) {
	switch {
	case t.keep:
		return "keep", ""
	case t.ttlKw == "":
		return "", ""
	}
	return timeMode(t.ttlKw, t.ttlVal)
}

// timeMode converts a validated time argument of unit kw (ex, px, exat, pxat) to the script's
// TTL mode.
func timeMode(kw, val string) (string, string) {
	n, _ := strconv.ParseInt(val, 10, 64)
	if n == 0 {
		return "at", "1"
	}
	if kw == "ex" || kw == "exat" {
		if n > math.MaxInt64/1000 {
			n = math.MaxInt64
		} else {
			n *= 1000
		}
	}
	if kw == "ex" || kw == "px" {
		return "rel", strconv.FormatInt(n, 10)
	}
	return "at", strconv.FormatInt(n, 10)
}

// planSet parses EXHSET key field value [EX|EXAT|PX|PXAT t | KEEPTTL] [NX|XX] [VER|ABS|GT v].
func planSet(a []string) plan {
	if len(a) < 4 {
		return refuse(runner.ArityError(a[0]))
	}
	var t ttlArgs
	cond := ""
	for i := 4; i < len(a); {
		switch kw := strings.ToLower(a[i]); kw {
		case "nx", "xx":
			if cond != "" && cond != kw {
				return failAfterType(grammar.Syntax)
			}
			cond = kw
			i++
			continue
		}
		n, ok := t.option(a, i)
		if !ok || n == 0 {
			return failAfterType(grammar.Syntax)
		}
		i += n
	}
	if !t.valuesOK() {
		return failAfterType(grammar.Syntax)
	}
	mode, val := t.mode()
	if cond == "" && t.verKw == "" {
		return script("put", a[2], a[3], mode, val) // the common shape: see ops.put
	}
	return script("set", a[2], a[3], mode, val, cond, t.verKw, t.verVal)
}

// planIncr parses EXHINCRBY / EXHINCRBYFLOAT key field incr [TTL option] [VER|ABS|GT v] [MIN n]
// [MAX n].
func planIncr(a []string) plan {
	if len(a) < 4 {
		return refuse(runner.ArityError(a[0]))
	}
	float := a[0] == "exhincrbyfloat"
	incr := a[3]
	if float {
		if _, ok := parseLongDouble(incr); !ok {
			return failAfterType(grammar.NotFloat)
		}
		if incr == "" {
			incr = "0"
		}
	} else if !isInt64(incr) {
		return failAfterType(grammar.NotInteger)
	}
	var t ttlArgs
	var bounds [2]*string // min, max
	for i := 4; i < len(a); {
		switch kw := strings.ToLower(a[i]); kw {
		case "min", "max":
			if i+1 >= len(a) {
				return failAfterType(grammar.Syntax)
			}
			v := a[i+1]
			bounds[boolIndex(kw == "max")] = &v
			i += 2
			continue
		}
		n, ok := t.option(a, i)
		if !ok || n == 0 {
			return failAfterType(grammar.Syntax)
		}
		i += n
	}
	if !t.valuesOK() {
		return failAfterType(grammar.Syntax)
	}
	minMax := [2]string{}
	if float {
		var vals [2]*big.Float
		for i, b := range bounds {
			if b == nil {
				continue
			}
			v, ok := parseLongDouble(*b)
			if !ok {
				return failAfterType(grammar.MinMaxNotFloat)
			}
			vals[i], minMax[i] = v, *b
			if *b == "" {
				minMax[i] = "0"
			}
		}
		if vals[0] != nil && vals[1] != nil && vals[1].Cmp(vals[0]) < 0 {
			return failAfterType(grammar.MinOverMax)
		}
	} else {
		for i, b := range bounds {
			if b == nil {
				continue
			}
			if !isInt64(*b) {
				return failAfterType(grammar.MinMaxNotInt)
			}
			minMax[i] = *b
		}
		if bounds[0] != nil && bounds[1] != nil && mustInt(minMax[1]) < mustInt(minMax[0]) {
			return failAfterType(grammar.MinOverMax)
		}
	}
	mode, val := t.mode()
	op := "incr"
	if float {
		op = "incrf"
	}
	return script(op, a[2], incr, mode, val, t.verKw, t.verVal, minMax[0], minMax[1])
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mustInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// planExpire parses the EXHPEXPIRE family: key field time [VER|ABS|GT v]. Every argument error
// comes before the type check.
func planExpire(a []string) plan {
	if len(a) < 4 || len(a) > 7 {
		return refuse(runner.ArityError(a[0]))
	}
	if !isNonNegInt64(a[3]) {
		return refuse(errSyntaxReply)
	}
	verKw, verVal := "", ""
	switch len(a) {
	case 5, 7:
		return refuse(errSyntaxReply)
	case 6:
		verKw, verVal = strings.ToLower(a[4]), a[5]
		if verKw != "ver" && verKw != "abs" && verKw != "gt" || !versionOK(verKw, verVal) {
			return refuse(errSyntaxReply)
		}
	}
	unit := map[string]string{"exhpexpire": "px", "exhexpire": "ex", "exhpexpireat": "pxat", "exhexpireat": "exat"}[a[0]]
	mode, val := timeMode(unit, a[3])
	if verKw == "" {
		return script("refresh", a[2], mode, val, "", "") // the common shape: see ops.expire
	}
	return script("expire", a[2], mode, val, verKw, verVal)
}

// planMSetWithOpts parses EXHMSETWITHOPTS key field value ver ttl-seconds …. Tuples are checked
// left to right; the script still checks the tuples before a malformed one for stale versions.
func planMSetWithOpts(a []string) plan {
	if len(a) < 2 || (len(a)-2)%4 != 0 {
		return refuse(runner.ArityError(a[0]))
	}
	argv := []string{"0"}
	for i := 2; i < len(a); i += 4 {
		ver, ttl := a[i+2], a[i+3]
		if !isNonNegInt64(ttl) || !isNonNegInt64(ver) {
			argv[0] = "1"
			break
		}
		ms := "0"
		if n := mustInt(ttl); n > math.MaxInt64/1000 {
			ms = strconv.FormatInt(math.MaxInt64, 10)
		} else {
			ms = strconv.FormatInt(n*1000, 10)
		}
		argv = append(argv, a[i], a[i+1], ver, ms)
	}
	return script("msetopts", argv...)
}

// planDelWithVer parses EXHDELWITHVER key field version …; a version that is not an integer
// fails the command only after the pairs before it were applied (and not at all on an absent
// key).
func planDelWithVer(a []string) plan {
	if len(a) < 4 || len(a)%2 != 0 {
		return refuse(runner.ArityError(a[0]))
	}
	argv := []string{"0"}
	for i := 2; i < len(a); i += 2 {
		if !isInt64(a[i+1]) {
			argv[0] = "1"
			break
		}
		argv = append(argv, a[i], a[i+1])
	}
	return script("delwithver", argv...)
}

// planScan parses EXHSCAN key cursor [MATCH pattern] [COUNT count] into HSCAN. The module counts
// field and value as two elements towards COUNT, as HSCAN does; COUNT 0 (one bucket) becomes 1
// and a negative COUNT (the whole hash) a very large one.
func planScan(a []string) plan {
	if len(a) < 3 || len(a) > 7 {
		return refuse(runner.ArityError(a[0]))
	}
	cursor, ok := parseCursor(a[2])
	if !ok {
		return failAfterType(grammar.Syntax)
	}
	match, count := "", "10"
	hasMatch := false
	for i := 3; i < len(a); i += 2 {
		if i+1 >= len(a) {
			return failAfterType(grammar.Syntax)
		}
		switch strings.ToLower(a[i]) {
		case "match":
			match, hasMatch = a[i+1], true
		case "count":
			if !isInt64(a[i+1]) {
				return failAfterType(grammar.Syntax)
			}
			count = a[i+1]
		default:
			return failAfterType(grammar.Syntax)
		}
	}
	n := mustInt(count)
	switch {
	case n < 0:
		n = 1 << 30
	case n == 0:
		n = 1
	}
	argv := []string{"hscan", strconv.FormatUint(cursor, 10)}
	if hasMatch {
		argv = append(argv, "match", match)
	}
	return script("native", append(argv, "count", strconv.FormatInt(n, 10))...)
}
