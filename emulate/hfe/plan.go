package hfe

import (
	"fmt"
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

// script runs op ("fail" raises its argument once the script has checked the key's type).
func script(op string, argv ...string) plan { return plan{op: op, argv: argv} }
func renamed(cmd string) plan               { return plan{rename: sameArgs[cmd]} }

// sameArgs names the native command that takes a TairHash command's arguments unchanged and
// replies as the module does. Do sends the caller's own arguments under the new name, held as an
// interface value here, so that the reads the backend sends most convert and allocate nothing.
var sameArgs = map[string]any{
	"exhget": "hget", "exhexists": "hexists", "exhstrlen": "hstrlen", "exhmget": "hmget",
	"exhkeys": "hkeys", "exhvals": "hvals", "exhsetnx": "hsetnx",
}

func refuse(err error) plan { return plan{err: err} }

// ttlModes are the script's names of the TTL kinds; rel and at take a value in ms.
var ttlModes = [...]string{grammar.TTLNone: "", grammar.TTLKeep: "keep", grammar.TTLRel: "rel", grammar.TTLAt: "at"}

// ttlMode returns the script's TTL mode and value for op.
func ttlMode(op *grammar.Op) (string, string) {
	if op.TTL == grammar.TTLRel || op.TTL == grammar.TTLAt {
		return ttlModes[op.TTL], strconv.FormatInt(op.TTLMs, 10)
	}
	return ttlModes[op.TTL], ""
}

// planFor plans a command (name in a[0], then the key and the rest as strings), checked and
// normalised by package grammar.
func planFor(a []string) plan {
	if a[0] == "exhexpireinfo" {
		if len(a) != 1 {
			return refuse(runner.ArityError(a[0]))
		}
		return plan{}
	}
	op := grammar.Parse(a)
	switch {
	case op.Err != "":
		return refuse(errReply(op.Err))
	case op.Late != "" && op.Cmd != "exhdelwithver" && op.Cmd != "exhmsetwithopts":
		return script("fail", op.Late)
	}
	if _, ok := sameArgs[op.Cmd]; ok && op.Cmd != "exhsetnx" {
		return renamed(op.Cmd)
	}
	mode, ms := ttlMode(op)
	switch op.Cmd {
	case "exhset":
		if op.Cond == "" && op.Ver == "" {
			return script("put", op.Args[0], op.Args[1], mode, ms) // the common shape: see ops.put
		}
		return script("set", op.Args[0], op.Args[1], mode, ms, op.Cond, op.Ver, op.VerValue)
	case "exhincrby", "exhincrbyfloat":
		name := map[string]string{"exhincrby": "incr", "exhincrbyfloat": "incrf"}[op.Cmd]
		return script(name, op.Args[0], op.Args[1], mode, ms, op.Ver, op.VerValue, op.Min, op.Max)
	case "exhpexpire", "exhexpire", "exhpexpireat", "exhexpireat":
		if op.Ver == "" {
			return script("refresh", op.Args[0], mode, ms, "", "") // the common shape: see ops.expire
		}
		return script("expire", op.Args[0], mode, ms, op.Ver, op.VerValue)
	case "exhmsetwithopts":
		argv := []string{lateFlag(op)}
		for i := 0; i < len(op.Args); i += 4 {
			secs, _ := strconv.ParseInt(op.Args[i+3], 10, 64)
			argv = append(argv, op.Args[i], op.Args[i+1], op.Args[i+2], strconv.FormatInt(grammar.SecondsToMs(secs), 10))
		}
		return script("msetopts", argv...)
	case "exhdelwithver":
		return script("delwithver", append([]string{lateFlag(op)}, op.Args...)...)
	case "exhscan":
		argv := []string{"hscan", op.Cursor}
		if op.HasMatch {
			argv = append(argv, "match", op.Match)
		}
		count := op.Count
		if count == "" {
			count = "10"
		}
		return script("native", append(argv, "count", count)...)
	case "exhgetall":
		p := script("getall")
		p.getall = true
		return p
	case "exhttl", "exhpttl":
		return script("ttl", op.Args[0], map[string]string{"exhttl": "s", "exhpttl": "ms"}[op.Cmd])
	}
	// setnx, mset, setver, del, len, getwithver, ver, persist, mgetwithver, getallwithver
	return script(strings.TrimPrefix(op.Cmd, "exh"), op.Args...)
}

// lateFlag is the script's flag for a list of groups ended by a malformed one: "1" when the
// syntax error is raised after the groups, else "0".
func lateFlag(op *grammar.Op) string {
	if op.Late != "" {
		return "1"
	}
	return "0"
}
