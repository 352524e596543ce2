package proxy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/emulate/lua/scripts"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// LuaBackends returns what Config needs to answer EXH* commands with the Lua emulation: the
// backend for each database (Config.Backend; the index goes into the expiry notification channels,
// which Lua cannot learn by itself), made once per database because making one hashes every
// script and the server asks for it often; and the loader of every script, and of the function
// library that runs a client's consecutive EXH* commands in one call (see batch.go), into the
// upstream (Config.Load).
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
	sources := []string{scripts.BatchSource} // the library's script form, for upstreams without functions
	for _, name := range scripts.Commands() {
		src, _ := scripts.Source(name)
		sources = append(sources, src)
	}
	loadScripts := ScriptLoader(sources...)
	library, _ := scripts.Library()
	return forDB, func(ctx context.Context, c redis.UniversalClient) error {
		if err := loadScripts(ctx, c); err != nil {
			return err
		}
		return loadLibrary(ctx, c, library)
	}
}

// ErrNoFunctions is what a Config.Load returns when the upstream (or its user) refuses function
// libraries: the scripts are loaded, and the server sends every EXH* command on its own.
var ErrNoFunctions = errors.New("exhash-server: the upstream refuses FUNCTION LOAD; EXH* commands are not joined")

// loadLibrary loads a function library unless the upstream has it already (its name is its
// code's digest, so a library of that name is this one).
func loadLibrary(ctx context.Context, c redis.UniversalClient, text string) error {
	err := c.FunctionLoad(ctx, text).Err()
	switch {
	case err == nil, strings.Contains(err.Error(), "already exists"):
		return nil
	case strings.HasPrefix(err.Error(), "NOPERM"), strings.HasPrefix(strings.ToLower(err.Error()), "err unknown command"):
		return fmt.Errorf("%w: %v", ErrNoFunctions, err)
	}
	return fmt.Errorf("FUNCTION LOAD: %w", err)
}
