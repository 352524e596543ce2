package bench

import (
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// luaBackend is the Lua emulation for database db (the index goes into its notification channels).
func luaBackend(db int) driver.Backend { return emulate.NewLua(emulate.WithLuaDatabase(db)) }
