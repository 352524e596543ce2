// Package luapart holds the server-side Lua both emulations share: the helpers defined once
// (shared.lua), which each backend puts in front of its own Lua, and what of that text is sent.
package luapart

import (
	_ "embed" // Helpers
	"strings"
)

// Helpers is shared.lua: the server clock read once per call and int64 arithmetic on canonical
// decimal strings, under the same names for both backends.
//
//go:embed shared.lua
var Helpers string

// Strip drops comment lines and indentation: EVAL sends (and the server hashes) the whole text
// on every call, and a library's digest names it.
func Strip(src string) string {
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
