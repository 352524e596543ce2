// Package grammar holds what every layer that speaks the TairHash command grammar must agree on:
// the one parser of the module's commands (Parse), which both emulations run before sending
// anything, and the texts of the errors the module replies with. exhash's sentinels and the
// emulations' Go code are made from them, and both backends' Lua code receives them as constants
// (LuaConstants), so a text is written once.
//
// It imports nothing of the project, so that any package and any test can use it.
package grammar

import "strconv"

// Error texts as the module sends them, without the "ERR " prefix that most carry on the wire
// (WrongType is sent as it is). Texts with %s take the command's name in lower case.
const (
	Stale      = "update version is stale"
	Overflow   = "increment or decrement would overflow"
	NotInteger = "value is not an integer"
	// NotFloat is the module's text, "an float" (sic).
	NotFloat        = "value is not an float"
	MinMaxNotInt    = "min or max is specified, but value is not an integer"
	MinMaxNotFloat  = "min or max is specified, but value is not a float"
	MinOverMax      = "min value is bigger than max value"
	WrongType       = "WRONGTYPE Operation against a key holding the wrong kind of value"
	Syntax          = "syntax error"
	Arity           = "wrong number of arguments for '%s' command"
	ExpireTime      = "invalid expire time in '%s' command"
	CorruptVersion  = "corrupt version companion"
	CorruptDeadline = "corrupt deadline companion"
)

// Lua lists the texts the emulation's scripts use, by the name of the Lua constant that holds
// each, with the prefix they are sent with.
var Lua = []struct{ Name, Text string }{
	{"E_WRONGTYPE", WrongType},
	{"E_SYNTAX", "ERR " + Syntax},
	{"E_STALE", "ERR " + Stale},
	{"E_OVERFLOW", "ERR " + Overflow},
	{"E_NOT_INTEGER", "ERR " + NotInteger},
	{"E_NOT_FLOAT", "ERR " + NotFloat},
	{"E_MINMAX_NOT_INT", "ERR " + MinMaxNotInt},
	{"E_MINMAX_NOT_FLOAT", "ERR " + MinMaxNotFloat},
	{"E_MIN_OVER_MAX", "ERR " + MinOverMax},
	{"E_ARITY", "ERR " + Arity},
	{"E_EXPIRE_TIME", "ERR " + ExpireTime},
	{"E_CORRUPT_VERSION", "ERR " + CorruptVersion},
	{"E_CORRUPT_DEADLINE", "ERR " + CorruptDeadline},
}

// LuaConstants returns the texts of Lua as Lua code, one `local E_… = "…"` line each, for the
// head of a script's shared definitions.
func LuaConstants() string {
	var s string
	for _, e := range Lua {
		s += "local " + e.Name + " = " + strconv.Quote(e.Text) + "\n"
	}
	return s
}
