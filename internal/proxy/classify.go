package proxy

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
)

// exhCommands are the TairHash commands (§3 of the specification). They are answered through the
// backend; every other command, including an unknown exh… name, goes to the upstream as it came, so its
// reply is the upstream's own ("ERR unknown command …"), as on a server with the module.
var exhCommands = map[string]bool{
	"exhset": true, "exhsetnx": true, "exhmset": true, "exhmsetwithopts": true,
	"exhget": true, "exhgetwithver": true, "exhmget": true, "exhmgetwithver": true,
	"exhincrby": true, "exhincrbyfloat": true,
	"exhpexpire": true, "exhexpire": true, "exhpexpireat": true, "exhexpireat": true,
	"exhpersist": true, "exhttl": true, "exhpttl": true, "exhver": true, "exhsetver": true,
	"exhdel": true, "exhdelwithver": true, "exhlen": true, "exhexists": true, "exhstrlen": true,
	"exhkeys": true, "exhvals": true, "exhgetall": true, "exhgetallwithver": true,
	"exhscan": true, "exhexpireinfo": true, "exhdelrepl": true,
}

// keyCommands are the plain commands that, on an emulation (Config.KeyCommands), go through the
// backend: those that remove, rename, move or copy a key carry its companion keys along, those
// that list or count keys leave the companions out, and the key-level expiry commands concern the
// deadline a user set on the key, not the fields' TTLs (see emulate's key commands). A Tair program
// sees the module's behaviour. One that names a companion key itself goes on as a plain command
// (refused unless --allow-companion-keys).
var keyCommands = map[string]bool{
	"del": true, "unlink": true, "rename": true, "renamenx": true, "move": true, "copy": true,
	"dbsize": true, "keys": true, "scan": true, "randomkey": true, "info": true,
	"expire": true, "pexpire": true, "expireat": true, "pexpireat": true, "persist": true,
	"ttl": true, "pttl": true, "expiretime": true, "pexpiretime": true,
}

// viaBackend reports whether a key command goes through the backend: INFO only when its reply has
// the keyspace section, which costs a walk of the keys (see emulate), so INFO of other sections
// stays as cheap as it is.
func viaBackend(name string, args [][]byte) bool {
	if name != "info" || len(args) == 1 {
		return true
	}
	for _, a := range args[1:] {
		switch strings.ToLower(string(a)) {
		case "keyspace", "default", "all", "everything":
			return true
		}
	}
	return false
}

// subscribeCommands answer with one confirmation per channel (a push in RESP3) instead of one reply.
var subscribeCommands = map[string]bool{
	"subscribe": true, "psubscribe": true, "ssubscribe": true,
	"unsubscribe": true, "punsubscribe": true, "sunsubscribe": true,
}

// messageKinds are the pub/sub frames the upstream sends on its own, not as a reply to a command.
var messageKinds = map[string]bool{"message": true, "pmessage": true, "smessage": true}

// refusal returns why the server cannot carry a command, or "" if it can. The server keeps one reply
// per command in order; commands that break that rule, or that would hand the client the upstream's
// internals, are refused with an error that names them.
func refusal(name string, args [][]byte) string {
	switch name {
	case "monitor":
		return "exhash-server does not carry MONITOR: it streams the upstream's traffic, including the " +
			"scripts EXH* commands become; run MONITOR against the upstream itself"
	case "sync", "psync", "replconf":
		return "exhash-server does not carry " + strings.ToUpper(name) +
			": replicas must connect to the upstream itself"
	case "client":
		if len(args) >= 3 && strings.EqualFold(string(args[1]), "reply") &&
			!strings.EqualFold(string(args[2]), "on") {
			return "exhash-server does not carry CLIENT REPLY OFF|SKIP: it relies on one reply per " +
				"command to keep answers in order"
		}
	}
	return ""
}

// companionRefusal answers a plain command that names a companion key of the Lua emulation. Those
// keys hold the fields' deadlines and versions; written by anything but the emulation's scripts they
// would make EXH* commands on the key misbehave. The text starts with exhash.ErrReservedKey's.
var companionRefusal = exhash.ErrReservedKey.Error() + ": the emulation's companion keys are changed by EXH* commands " +
	"only (exhash-server --allow-companion-keys lets plain commands use them, for repairs)"

// namesCompanionKey reports whether a plain command has an argument starting with the companion
// prefix. The server does not know where every command keeps its keys, so it looks at all arguments;
// AUTH and HELLO carry passwords, never keys.
func namesCompanionKey(name string, args [][]byte) bool {
	if name == "auth" || name == "hello" {
		return false
	}
	for _, a := range args[1:] {
		if bytes.HasPrefix(a, companionPrefix) {
			return true
		}
	}
	return false
}

var companionPrefix = []byte(emulate.CompanionPrefix)

// knownNames are the command names the server looks at, in lower case; every other command passes
// through without the server knowing its name.
var knownNames = func() map[string]string {
	m := map[string]string{}
	for _, set := range []map[string]bool{exhCommands, keyCommands, subscribeCommands} {
		for name := range set {
			m[name] = name
		}
	}
	for _, name := range []string{"select", "multi", "exec", "discard", "reset", "hello", "quit", "auth",
		"monitor", "sync", "psync", "replconf", "client", "function", "script"} {
		m[name] = name
	}
	return m
}()

// commandName returns the lower-case name of a command the server looks at, or "" for any other.
// It allocates nothing, as it runs for every command.
func commandName(arg []byte) string {
	var buf [32]byte
	if len(arg) > len(buf) {
		return ""
	}
	for i, c := range arg {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return knownNames[string(buf[:len(arg)])]
}

// selectArg returns the database SELECT asks for, or -1 if the argument is not a database index.
func selectArg(args [][]byte) int {
	if len(args) != 2 {
		return -1
	}
	n, err := strconv.Atoi(string(args[1]))
	if err != nil || n < 0 || string(args[1]) != strconv.Itoa(n) {
		return -1
	}
	return n
}

// helloArg returns the protocol version HELLO asks for, or 0 when it asks for none.
func helloArg(args [][]byte) int {
	if len(args) < 2 {
		return 0
	}
	n, err := strconv.Atoi(string(args[1]))
	if err != nil {
		return 0
	}
	return n
}
