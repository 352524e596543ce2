package emulate_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/internal/conformance"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// The specification's scenarios against the Lua backend on every stock server: Redis 7.0, Valkey
// 8, Redis 8 (Lua forced although it has hash-field expiration) and the three-master cluster, over
// RESP3 (go-redis' default), plus Redis 7.0 over RESP2; each also with WithLuaOneCallPerCommand.
func TestLuaConformance(t *testing.T) {
	for _, srv := range testserver.All(t) {
		conformance.Run(t, conformance.Target{
			Name:    "lua/" + srv.Name,
			Backend: emulate.NewLua(),
			Client:  srv.Client(t),
			Prefix:  srv.Prefix,
		})
		conformance.Run(t, conformance.Target{
			Name:    "lua-percmd/" + srv.Name,
			Backend: emulate.NewLua(emulate.WithLuaOneCallPerCommand()),
			Client:  srv.Client(t),
			Prefix:  srv.Prefix,
		})
	}
	r7 := testserver.Redis7(t)
	resp2 := redis.NewClient(&redis.Options{Addr: r7.Addr, Protocol: 2})
	t.Cleanup(func() { _ = resp2.Close() })
	conformance.Run(t, conformance.Target{
		Name:    "lua/redis7-resp2",
		Backend: emulate.NewLua(),
		Client:  resp2,
		Prefix:  r7.Prefix,
	})
}
