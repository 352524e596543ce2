package reliability

import (
	"os"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// target is one backend on one server: what every suite runs on.
type target struct {
	name   string
	rdb    redis.UniversalClient
	be     driver.Backend
	prefix string // unique key prefix for the test (no braces)
}

func (tg target) client() *exhash.Client { return exhash.NewClient(tg.rdb, exhash.WithBackend(tg.be)) }

// targets returns the Lua emulation on Redis 7, Valkey 8 and the cluster, HFE on Redis 8, the
// Lua emulation forced on Redis 8 (database 1) and the module when TAIRHASH_ADDR is set.
func targets(t *testing.T) []target {
	t.Helper()
	var out []target
	for _, srv := range testserver.All(t) {
		var be driver.Backend = emulate.NewLua()
		name := srv.Name + "-lua"
		if srv.Name == testserver.KindRedis8 {
			be, name = emulate.NewHFE(), srv.Name+"-hfe"
		}
		out = append(out, target{name, srv.Client(t), be, srv.Prefix(t)})
	}
	r8 := testserver.Redis8(t)
	o := r8.Options()
	o.DB = 1
	forced := redis.NewClient(o)
	t.Cleanup(func() { _ = forced.Close() })
	out = append(out, target{"redis8-lua", forced, emulate.NewLua(emulate.WithLuaDatabase(1)), r8.Prefix(t)})
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		mod := redis.NewClient(&redis.Options{Addr: addr, DB: 3})
		t.Cleanup(func() { _ = mod.Close() })
		out = append(out, target{"module", mod, exhash.Native{}, r8.Prefix(t)})
	} else {
		t.Log("TAIRHASH_ADDR not set: the module is not a target")
	}
	return out
}
