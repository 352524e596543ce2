package proxy

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/conformance"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// luaConfig is the server as cmd/exhash-server runs it by default: the Lua emulation, one backend per
// database, scripts loaded on the upstream.
func luaConfig(upstream string) Config {
	forDB, load := LuaBackends()
	return Config{Upstream: Upstream{Addr: upstream}, Backend: forDB, Load: load}
}

// The specification's scenarios, sent over the wire to the server (Native backend on the client's
// side, as for a server with the module), which answers them with the Lua emulation on Redis 7.0:
// over RESP3 and RESP2, on database 0 and on others (whose number goes into the notification channels).
// This is how the Native backend (plain EXH* commands) is tested in CI without a Tair server.
func TestConformanceThroughTheServer(t *testing.T) {
	up := redis7(t)
	addr, _ := startProxy(t, luaConfig(up.Addr))
	for _, tc := range []struct {
		name     string
		protocol int
		db       int
	}{{"resp3", 3, 0}, {"resp2", 2, 0}, {"resp3-db1", 3, 1}, {"resp2-db2", 2, 2}} {
		c := client(t, addr, func(o *redis.Options) { o.Protocol, o.DB = tc.protocol, tc.db })
		conformance.Run(t, conformance.Target{
			Name: "exhash-server/" + tc.name, Backend: exhash.Native{}, Client: c, DB: tc.db, Prefix: up.Prefix,
		})
	}
}

// The same in front of Valkey 8 (RESP3, database 0).
func TestConformanceThroughTheServerValkey(t *testing.T) {
	up := testserver.Valkey8(t)
	addr, _ := startProxy(t, luaConfig(up.Addr))
	conformance.Run(t, conformance.Target{
		Name: "exhash-server/valkey8", Backend: exhash.Native{}, Client: client(t, addr), Prefix: up.Prefix,
	})
}

// With the Native backend (cmd/exhash-server --backend native) in front of a server with the TairHash
// module ($TAIRHASH_ADDR), the scenarios see the module itself through the server: its replies, its
// notifications, its transactions.
func TestConformanceThroughTheServerToTheModule(t *testing.T) {
	upstream := moduleAddr(t)
	addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: upstream}})
	run := time.Now().UnixNano()
	var seq atomic.Int64
	cleaner := client(t, upstream)
	for _, protocol := range []int{3, 2} {
		c := client(t, addr, func(o *redis.Options) { o.Protocol = protocol })
		conformance.Run(t, conformance.Target{
			Name: "exhash-server-native/resp" + strconv.Itoa(protocol), Backend: exhash.Native{}, Client: c, Module: true,
			Prefix: func(tb testing.TB) string {
				prefix := fmt.Sprintf("exhash-server:%d:%d:", run, seq.Add(1))
				tb.Cleanup(func() {
					keys, _ := cleaner.Keys(context.Background(), prefix+"*").Result()
					if len(keys) > 0 {
						cleaner.Del(context.Background(), keys...)
					}
				})
				return prefix
			},
		})
	}
}
