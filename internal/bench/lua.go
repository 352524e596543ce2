package bench

import (
	"sync"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/scripts"
)

// luaBackend is the Lua emulation for database db (the index goes into its notification channels).
func luaBackend(db int) exhash.Backend { return emulate.NewLua(emulate.LuaDatabase(db)) }

// luaBackends returns the Lua emulation for each database, made once per database: the proxy asks
// for the backend often, and making one hashes every script.
func luaBackends() func(db int) exhash.Backend {
	var mu sync.Mutex
	made := map[int]exhash.Backend{}
	return func(db int) exhash.Backend {
		mu.Lock()
		defer mu.Unlock()
		if made[db] == nil {
			made[db] = luaBackend(db)
		}
		return made[db]
	}
}

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
