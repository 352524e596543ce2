package bench

import (
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
)

// luaBackend is the Lua emulation for database db (the index goes into its notification channels).
func luaBackend(db int) exhash.Backend { return emulate.NewLua(emulate.LuaDatabase(db)) }
