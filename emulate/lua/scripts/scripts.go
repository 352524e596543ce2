package scripts

import (
	"embed"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tairhash-go/tairhash/internal/grammar"
)

//go:embed *.lua
var files embed.FS

// bodies maps each emulated command to the file holding its body; families share a file and
// branch on CMD.
var bodies = map[string]string{
	"exhset":           "exhset.lua",
	"exhsetnx":         "exhsetnx.lua",
	"exhmset":          "exhmset.lua",
	"exhmsetwithopts":  "exhmsetwithopts.lua",
	"exhincrby":        "exhincrby.lua",
	"exhincrbyfloat":   "exhincrbyfloat.lua",
	"exhget":           "exhget.lua",
	"exhgetwithver":    "exhgetwithver.lua",
	"exhmget":          "exhmget.lua",
	"exhmgetwithver":   "exhmgetwithver.lua",
	"exhpexpire":       "exhpexpire.lua",
	"exhexpire":        "exhpexpire.lua",
	"exhpexpireat":     "exhpexpire.lua",
	"exhexpireat":      "exhpexpire.lua",
	"exhpersist":       "exhpersist.lua",
	"exhttl":           "exhttl.lua",
	"exhpttl":          "exhttl.lua",
	"exhver":           "exhver.lua",
	"exhsetver":        "exhsetver.lua",
	"exhdel":           "exhdel.lua",
	"exhdelwithver":    "exhdelwithver.lua",
	"exhlen":           "exhlen.lua",
	"exhexists":        "exhexists.lua",
	"exhstrlen":        "exhexists.lua",
	"exhkeys":          "exhgetall.lua",
	"exhvals":          "exhgetall.lua",
	"exhgetall":        "exhgetall.lua",
	"exhgetallwithver": "exhgetallwithver.lua",
	"exhscan":          "exhscan.lua",
	// Redis' key-level expiry commands, for TairHash keys (spec 8.5).
	"expire":      "keyexpire.lua",
	"pexpire":     "keyexpire.lua",
	"expireat":    "keyexpire.lua",
	"pexpireat":   "keyexpire.lua",
	"persist":     "keyexpire.lua",
	"ttl":         "keyexpire.lua",
	"pttl":        "keyexpire.lua",
	"expiretime":  "keyexpire.lua",
	"pexpiretime": "keyexpire.lua",
}

var sources = build()

// KeyExpiryGrace is how long after its latest field deadline a key whose fields all have a TTL
// stays before Redis expires it (with its companions) on its own. Until then the reaper or any
// command removes the due fields itself and publishes their expired notifications, so a reaper
// must visit due keys more often than this. It is the GRACE constant of lib.lua.
var KeyExpiryGrace = time.Duration(preludeConst("GRACE")) * time.Millisecond

// ReapSource is the script that removes up to ARGV[2] due fields of one key, earliest deadline
// first, publishing their expired notifications and deleting the companions when the key is left
// empty. KEYS = {K, ttl companion, version companion}, ARGV = {db, limit}; it replies the number
// of fields removed.
var ReapSource = compose("reap", "reap.lua")

// Source returns the complete Lua source (shared prelude and command body) of the script that
// emulates the TairHash command (lower case, e.g. "exhset"), and whether there is one.
//
// Calling convention: KEYS = {K, ttl companion, version companion}, ARGV = {db, the module's
// arguments after the key, exactly as a client sent them}. The reply has the module's shape, with
// one exception forced by Lua's double-precision numbers: an integer reply that may exceed 2^53
// (a version, EXHINCRBY's result) is returned as a decimal bulk string when it has 16 or more
// digits. See Commands for the replies concerned.
func Source(command string) (string, bool) {
	src, ok := sources[command]
	return src, ok
}

// Commands lists, sorted, the command names that have a script.
func Commands() []string {
	names := make([]string, 0, len(sources))
	for name := range sources {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func build() map[string]string {
	m := make(map[string]string, len(bodies))
	for name, file := range bodies {
		m[name] = compose(name, file)
	}
	return m
}

// section is a named part of the prelude (lib.lua) and the sections it needs.
type section struct {
	name     string
	requires []string
	text     string
}

var (
	sectionLine  = regexp.MustCompile(`^--- section (\S+)(?: requires (.+))?$`)
	requiresLine = regexp.MustCompile(`(?m)^--- requires (.+)$`)
	prelude      = withErrorTexts(parseSections(mustRead("lib.lua")))
)

// withErrorTexts puts the error texts of package grammar at the head of the core section, as
// Lua constants (E_SYNTAX, E_ARITY, …): the scripts' replies use the texts exhash matches.
func withErrorTexts(secs []section) []section {
	for i := range secs {
		if secs[i].name == "core" {
			head, rest, _ := strings.Cut(secs[i].text, "\n") // the section line stays first
			secs[i].text = head + "\n" + grammar.LuaConstants() + rest
			return secs
		}
	}
	panic("scripts: lib.lua has no core section")
}

// parseSections cuts lib.lua at its `--- section` lines; the text before the first one (the
// file's header comment) is dropped. A section may only require sections defined before it.
func parseSections(lib string) []section {
	var out []section
	known := map[string]bool{}
	for _, line := range strings.SplitAfter(lib, "\n") {
		if m := sectionLine.FindStringSubmatch(strings.TrimRight(line, "\n")); m != nil {
			sec := section{name: m[1], requires: strings.Fields(m[2])}
			for _, r := range sec.requires {
				if !known[r] {
					panic("scripts: lib.lua section " + sec.name + " requires " + r + ", not defined before it")
				}
			}
			known[sec.name] = true
			out = append(out, sec)
		}
		if len(out) > 0 {
			out[len(out)-1].text += line
		}
	}
	return out
}

// compose puts the command name, the prelude sections the body requires (core always) and the
// body together. Each helper of the prelude is a closure made on every call of a script, so a
// script takes only the sections it needs; the function library (Library) makes them once.
func compose(name, file string) string {
	body := mustRead(file)
	var want []string
	if m := requiresLine.FindStringSubmatch(body); m != nil {
		want = strings.Fields(m[1])
	}
	need := closure(file, append([]string{"core"}, want...))
	var b strings.Builder
	b.WriteString("local CMD = '" + name + "'\n")
	for _, sec := range prelude {
		if need[sec.name] {
			b.WriteString(sec.text)
		}
	}
	b.WriteString("bind()\n")
	b.WriteString(body)
	return b.String()
}

// closure returns the named prelude sections and every section they require.
func closure(file string, want []string) map[string]bool {
	need := map[string]bool{}
	for len(want) > 0 {
		r := want[len(want)-1]
		want = want[:len(want)-1]
		if need[r] {
			continue
		}
		need[r] = true
		found := false
		for _, sec := range prelude {
			if sec.name == r {
				want = append(want, sec.requires...)
				found = true
			}
		}
		if !found {
			panic("scripts: " + file + " requires unknown section " + r)
		}
	}
	return need
}

func mustRead(file string) string {
	data, err := files.ReadFile(file)
	if err != nil {
		panic("scripts: " + err.Error()) // embedded at build time: cannot happen for listed files
	}
	return string(data)
}

// preludeConst returns the integer value of `local <name> = <n>` in lib.lua.
func preludeConst(name string) int {
	m := regexp.MustCompile(`(?m)^local ` + name + ` = (\d+)`).FindStringSubmatch(mustRead("lib.lua"))
	if m == nil {
		panic("scripts: lib.lua defines no " + name)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
