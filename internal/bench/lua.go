package bench

import (
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/scripts"
)

// luaBackend is the Lua emulation for database db (the index goes into its notification channels).
func luaBackend(db int) exhash.Backend { return emulate.NewLua(emulate.LuaDatabase(db)) }

// luaSources are the scripts of the Lua emulation, which the in-process exhash-server installs on
// its upstream before the first EXH* command (as cmd/exhash-server does).
func luaSources() []string {
	var out []string
	for _, name := range scripts.Commands() {
		src, _ := scripts.Source(name)
		out = append(out, src)
	}
	return out
}
