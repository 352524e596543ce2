package proxy

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/scripts"
)

// LuaBackends returns what Config needs to answer EXH* commands with the Lua emulation: the
// backend for each database (Config.Backend; the index goes into the expiry notification channels,
// which Lua cannot learn by itself), made once per database because making one hashes every
// script and the server asks for it often; and the loader of every script into the upstream's
// cache (Config.Load).
func LuaBackends() (forDB func(db int) driver.Backend, load func(context.Context, redis.UniversalClient) error) {
	var mu sync.Mutex
	made := map[int]driver.Backend{}
	forDB = func(db int) driver.Backend {
		mu.Lock()
		defer mu.Unlock()
		if made[db] == nil {
			made[db] = emulate.NewLua(emulate.WithLuaDatabase(db))
		}
		return made[db]
	}
	var sources []string
	for _, name := range scripts.Commands() {
		src, _ := scripts.Source(name)
		sources = append(sources, src)
	}
	return forDB, ScriptLoader(sources...)
}
