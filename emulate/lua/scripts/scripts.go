package scripts

import (
	"embed"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/tairhash-go/tairhash/emulate/internal/luapart"
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

// KeyExpiryGrace is how long after its latest field deadline a key whose fields all have a TTL
// stays before Redis expires it (with its companions) on its own. Until then the reaper or any
// command removes the due fields itself and publishes their expired notifications, so a reaper
// must visit due keys more often than this. It is the GRACE constant of lib.lua.
var KeyExpiryGrace = time.Duration(preludeConst("GRACE")) * time.Millisecond

// prelude is the helpers every body uses: the error texts of package grammar as Lua constants
// (E_SYNTAX, E_ARITY, …; the replies use the texts exhash matches), the helpers both backends
// share (luapart), then lib.lua.
var prelude = grammar.LuaConstants() + luapart.Helpers + mustRead("lib.lua")

// DueFieldsPerCommand bounds the due fields one command removes besides the fields it names
// (the DUE_LIMIT constant of lib.lua): a key with more due fields keeps the rest, hidden from
// every reply, for later commands and the reaper (docs/semantics.md, bounded removal).
var DueFieldsPerCommand = preludeConst("DUE_LIMIT")

// ReapSource is the script that removes up to ARGV[2] due fields of one key, earliest deadline
// first, publishing their expired notifications and deleting the companions when the key is left
// empty. KEYS = {K, ttl companion, version companion}, ARGV = {db, limit}; it replies the number
// of fields removed. It is the prelude and reap.lua only: the reaper runs it once per key, where
// the whole library (Library) would make every command's helpers on each call.
var ReapSource = luapart.Strip("local CMD = 'reap'\n" + prelude + "open_runtime()\nbind()\n" + mustRead("reap.lua"))

// Commands lists, sorted, the commands the library runs (see Library).
func Commands() []string {
	names := make([]string, 0, len(bodies))
	for name := range bodies {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
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
