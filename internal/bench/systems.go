package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/proxy"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// A systemDef is one column of the table: a way to hold sessions, and the server it runs on.
type systemDef struct {
	name    string
	about   string // one line for the legend
	kind    string // testserver kind
	module  bool   // needs the TairHash module loaded
	proxy   bool   // clients talk to exhash-server in front of the server
	expires bool   // fields expire: reclamation is measured
	floor   bool   // a floor (floor.go): its throughput is all it tells; no memory figure
	// reclaimOnly: the system differs from another only by a background job that matters when
	// fields are due (a reaper), so only reclamation is measured.
	reclaimOnly bool
	// open returns the store and, when the system needs one, a background job (reaper or cleaner)
	// that runs on admin until its context ends.
	open func(ctx context.Context, work, admin *redis.Client) (store, func(context.Context) error, error)
}

// Names of the systems, in table order.
const (
	sysModule      = "module"
	sysLua         = "lua"
	sysLuaOne      = "lua-percmd"
	sysLuaVK       = "lua-valkey8"
	sysLuaReap     = "lua+reaper"
	sysLuaVKRp     = "lua-valkey8+reaper"
	sysHFE         = "hfe"
	sysHFELean     = "hfe-nover"
	sysServer      = "server"
	sysLuaFloor    = "lua-floor"
	sysLuaFloorMin = "lua-floor-min"
	sysHFEFloor    = "hfe-floor"
	sysHFEFloorMin = "hfe-floor-min"
	sysHSet        = "hset"
	sysStrings     = "strings"
	sysZSet        = "hash+zset"
	refFallback    = sysHSet // reference column when the module is not there
)

func systemDefs() []systemDef {
	return []systemDef{
		{name: sysModule, kind: testserver.KindRedis7, module: true, expires: true,
			about: "TairHash module on Redis 7.0: EXH* commands (exhash.Native)",
			open:  plain(func(rdb *redis.Client) store { return newExhStore(rdb, exhash.Native{}) })},
		{name: sysLua, kind: testserver.KindRedis7, expires: true,
			about: "Lua emulation (emulate.NewLua) on Redis 7.0, no reaper",
			open:  openLua},
		{name: sysLuaOne, kind: testserver.KindRedis7, expires: true,
			about: "lua with emulate.WithLuaOneCallPerCommand: one script call per command (the path before batching)",
			open: func(_ context.Context, work, _ *redis.Client) (store, func(context.Context) error, error) {
				return newExhStore(work, emulate.NewLua(emulate.WithLuaOneCallPerCommand())), nil, nil
			}},
		{name: sysLuaVK, kind: testserver.KindValkey8, expires: true,
			about: "Lua emulation (emulate.NewLua) on Valkey 8, no reaper",
			open:  openLua},
		{name: sysLuaReap, kind: testserver.KindRedis7, expires: true, reclaimOnly: true,
			about: "lua with emulate.NewReaper(…).Run (default settings) running in process: reclamation only",
			open:  openLuaReaper},
		{name: sysLuaVKRp, kind: testserver.KindValkey8, expires: true, reclaimOnly: true,
			about: "lua-valkey8 with emulate.NewReaper(…).Run running in process: reclamation only",
			open:  openLuaReaper},
		{name: sysHFE, kind: testserver.KindRedis8, expires: true,
			about: "hash-field expiration backend (emulate.NewHFE) on Redis 8",
			open:  openLoaded(func() driver.Backend { return emulate.NewHFE() })},
		{name: sysHFELean, kind: testserver.KindRedis8, expires: true,
			about: "emulate.NewHFE(emulate.WithoutVersions()) on Redis 8",
			open:  openLoaded(func() driver.Backend { return emulate.NewHFE(emulate.WithoutVersions()) })},
		{name: sysServer, kind: testserver.KindRedis7, proxy: true,
			about: "exhash-server (internal/proxy, in process, Lua backend) in front of Redis 7.0; client sends EXH*",
			open:  openServer},
		{name: sysLuaFloor, kind: testserver.KindRedis7, floor: true,
			about: "floor (floor.go): the Lua backend's server calls with no logic, one function call per pipeline",
			open:  openFloor(sysLuaFloor)},
		{name: sysLuaFloorMin, kind: testserver.KindRedis7, floor: true,
			about: "floor: the fewest calls the Lua layout allows (versions as offsets, reads as plain commands)",
			open:  openFloor(sysLuaFloorMin)},
		{name: sysHFEFloor, kind: testserver.KindRedis8, floor: true,
			about: "floor: the HFE backend's server calls with no logic, one function call per pipeline",
			open:  openFloor(sysHFEFloor)},
		{name: sysHFEFloorMin, kind: testserver.KindRedis8, floor: true,
			about: "floor: an HFE login in three calls (value, version offset, its expiry)",
			open:  openFloor(sysHFEFloorMin)},
		{name: sysHSet, kind: testserver.KindRedis7,
			about: "baseline: plain HSET/HGET/HGETALL/HDEL, no TTL (the ceiling)",
			open:  plain(func(*redis.Client) store { return hsetStore{} })},
		{name: sysStrings, kind: testserver.KindRedis7, expires: true,
			about: "baseline: a string key per device (SET … EX) + a per-user set index (SORT … GET to list)",
			open:  plain(func(*redis.Client) store { return stringStore{} })},
		{name: sysZSet, kind: testserver.KindRedis7, expires: true,
			about: "baseline: hash per user + one sorted set of deadlines + a polling cleaner (100 ms)",
			open: func(_ context.Context, _, admin *redis.Client) (store, func(context.Context) error, error) {
				return zsetStore{}, func(ctx context.Context) error { return runCleaner(ctx, admin) }, nil
			}},
	}
}

func plain(f func(*redis.Client) store) func(context.Context, *redis.Client, *redis.Client) (store, func(context.Context) error, error) {
	return func(_ context.Context, work, _ *redis.Client) (store, func(context.Context) error, error) {
		return f(work), nil, nil
	}
}

// loader is a backend that installs code on the server (emulate.HFE: its function library). Until
// it has, commands queued in pipelines carry the whole script text.
type loader interface {
	Load(ctx context.Context, rdb redis.UniversalClient) error
}

// openLoaded opens a backend after installing its code, as an application does once at start.
func openLoaded(newBackend func() driver.Backend) func(context.Context, *redis.Client, *redis.Client) (store, func(context.Context) error, error) {
	return func(ctx context.Context, work, _ *redis.Client) (store, func(context.Context) error, error) {
		be := newBackend()
		if l, ok := be.(loader); ok {
			if err := l.Load(ctx, work); err != nil {
				return nil, nil, fmt.Errorf("%s: Load: %w", be.Name(), err)
			}
		}
		return newExhStore(work, be), nil, nil
	}
}

// system is a systemDef running: its own fresh server, clients, background job.
type system struct {
	def     systemDef
	srv     *testserver.Server // nil for a module server given by address
	addr    string             // the Redis server (not the proxy)
	version string
	shared  bool // a server others use: memory and reclamation figures are not clean
	work    *redis.Client
	admin   *redis.Client
	st      store
	stop    func() // ends the background job, the proxy and the clients (not the server)
	hasJob  bool   // a background job (reaper, cleaner) runs in this process
	bgErr   chan error
}

// workTimeout bounds one pipeline's round trip in the measurements.
const workTimeout = time.Minute

// unavailable explains why a system could not start; the run goes on without it.
type unavailable struct{ reason string }

func (u *unavailable) Error() string { return u.reason }

// startSystem starts a fresh server for def and opens the system on it. A missing server binary or
// module gives an *unavailable error.
func startSystem(ctx context.Context, tb testing.TB, cfg *Config, def systemDef) (s *system, err error) {
	s = &system{def: def}
	if def.module && cfg.ModulePath == "" && cfg.ModuleAddr == "" {
		return nil, &unavailable{"no TairHash module: set TAIRHASH_MODULE (path of the .so) or TAIRHASH_ADDR"}
	}
	if def.module && cfg.ModulePath == "" {
		s.addr, s.shared = cfg.ModuleAddr, true
	} else {
		var extra []string
		if def.module {
			extra = []string{"--loadmodule", cfg.ModulePath}
		}
		if s.srv, err = startServer(tb, def.kind, extra...); err != nil {
			return nil, err
		}
		s.addr = s.srv.Addr
	}
	s.admin = redis.NewClient(&redis.Options{Addr: s.addr, DB: s.db(), MaxRetries: -1})
	if s.version, err = serverVersion(ctx, s.admin); err != nil {
		s.admin.Close()
		return nil, err
	}
	closers := []func(){func() { s.admin.Close() }}
	workAddr := s.addr
	if def.proxy {
		addr, closeProxy, err := startProxy(s.addr)
		if err != nil {
			s.admin.Close()
			return nil, err
		}
		workAddr = addr
		closers = append(closers, closeProxy)
	}
	// A pipeline of 16 EXHGETALL of 10k-field keys through a script can take seconds behind other
	// connections' pipelines: go-redis's 3 s default would fail the system, not measure it.
	s.work = redis.NewClient(&redis.Options{Addr: workAddr, DB: s.db(), PoolSize: max(cfg.Conns, cfg.Singles), MaxRetries: -1,
		ReadTimeout: workTimeout, WriteTimeout: workTimeout})
	closers = append(closers, func() { s.work.Close() })
	st, bg, err := def.open(ctx, s.work, s.admin)
	if err != nil {
		runAll(closers)
		return nil, err
	}
	s.st = st
	bgCtx, cancel := context.WithCancel(ctx)
	s.bgErr = make(chan error, 1)
	if bg != nil {
		s.hasJob = true
		go func() { s.bgErr <- bg(bgCtx) }()
	} else {
		s.bgErr <- nil
	}
	s.stop = func() {
		cancel()
		runAll(closers)
	}
	return s, nil
}

// db is the database the system uses: 0 on its own server, 9 on a shared module server so that
// DBSIZE counts only the harness's keys.
func (s *system) db() int {
	if s.shared {
		return 9
	}
	return 0
}

// close stops the background job, the proxy, the clients and the server.
func (s *system) close() error {
	s.stop()
	err := <-s.bgErr
	if s.srv != nil {
		s.srv.Stop()
	}
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// backgroundErr reports a failure of the background job so far (nil while it runs).
func (s *system) backgroundErr() error {
	select {
	case err := <-s.bgErr:
		s.bgErr <- err
		return err
	default:
		return nil
	}
}

func runAll(fns []func()) {
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// startServer starts a dedicated server, turning testserver's skip or failure into an error.
func startServer(tb testing.TB, kind string, extra ...string) (srv *testserver.Server, err error) {
	defer func() {
		if r := recover(); r != nil {
			stop, ok := r.(*Stop)
			if !ok {
				panic(r)
			}
			if stop.Skip {
				err = &unavailable{firstLine(stop.Msg)}
			} else {
				err = errors.New(stop.Msg)
			}
		}
	}()
	return testserver.Start(tb, kind, extra...), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// startProxy serves exhash-server's engine (Lua backend) in front of upstream on a loopback port.
func startProxy(upstream string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	forDB, load := proxy.LuaBackends()
	srv := proxy.New(proxy.Config{
		Upstream: proxy.Upstream{Addr: upstream},
		Backend:  forDB,
		Load:     load,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	done := make(chan struct{})
	go func() {
		_ = srv.Serve(ln)
		close(done)
	}()
	return ln.Addr().String(), func() { srv.Close(); <-done }, nil
}

// openLua opens the Lua emulation. Its fields are reclaimed by the server alone (the key's own
// expiry); a reaper, when the run has one, is a separate system (see reaperSystems).
func openLua(_ context.Context, work, _ *redis.Client) (store, func(context.Context) error, error) {
	return newExhStore(work, luaBackend(0)), nil, nil
}

// openLuaReaper opens the Lua emulation with its reaper as the background job.
func openLuaReaper(_ context.Context, work, admin *redis.Client) (store, func(context.Context) error, error) {
	return newExhStore(work, luaBackend(0)), emulate.NewReaper(admin).Run, nil
}

// openServer opens the protocol server's system: EXH* commands on the wire, the Lua emulation
// upstream.
func openServer(_ context.Context, work, _ *redis.Client) (store, func(context.Context) error, error) {
	return newExhStore(work, exhash.Native{}), nil, nil
}

// serverVersion is the server's version from INFO server (valkey_version for Valkey).
func serverVersion(ctx context.Context, rdb *redis.Client) (string, error) {
	info, err := infoFields(ctx, rdb, "server")
	if err != nil {
		return "", fmt.Errorf("INFO server: %w", err)
	}
	if v := info["valkey_version"]; v != "" {
		return "valkey " + v, nil
	}
	return "redis " + info["redis_version"], nil
}

// infoFields parses INFO section into name → value.
func infoFields(ctx context.Context, rdb *redis.Client, section string) (map[string]string, error) {
	text, err := rdb.Info(ctx, section).Result()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			out[k] = v
		}
	}
	return out, nil
}

// resolveModule finds the module's .so from a running server with it (MODULE LIST reports its
// path), so that the module too runs on a fresh server of its own. When that fails the running
// server is used as it is.
func (c *Config) resolveModule(ctx context.Context) {
	if c.ModulePath != "" || c.ModuleAddr == "" {
		return
	}
	rdb := redis.NewClient(&redis.Options{Addr: c.ModuleAddr, MaxRetries: -1})
	defer rdb.Close()
	mods, err := rdb.Do(ctx, "module", "list").Slice()
	if err != nil {
		return
	}
	for _, m := range mods {
		kv := map[string]string{}
		switch m := m.(type) {
		case []any:
			for i := 0; i+1 < len(m); i += 2 {
				kv[fmt.Sprint(m[i])] = fmt.Sprint(m[i+1])
			}
		case map[any]any:
			for k, v := range m {
				kv[fmt.Sprint(k)] = fmt.Sprint(v)
			}
		}
		if strings.HasPrefix(kv["name"], "tairhash") && kv["path"] != "" {
			if _, err := os.Stat(kv["path"]); err == nil {
				c.ModulePath = kv["path"]
			}
			return
		}
	}
}
