package testserver

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// sharedServer is one kind's server shared by the whole test binary, started on first use.
type sharedServer struct {
	once sync.Once
	srv  *Server
	err  error // a failed start is not retried: every test that wants the server reports it
}

var sharedServers = map[string]*sharedServer{
	KindRedis7:   {},
	KindValkey8:  {},
	KindRedis8:   {},
	KindValkey9:  {},
	KindCluster:  {},
	KindCluster8: {},
}

func (sh *sharedServer) get(kind string) (*Server, error) {
	sh.once.Do(func() {
		dir, err := root()
		if err != nil {
			sh.err = err
			return
		}
		sh.srv, sh.err = launch(kind, filepath.Join(dir, kind), nil)
		if sh.srv != nil {
			sh.srv.shared = true
		}
	})
	return sh.srv, sh.err
}

func shared(tb testing.TB, kind string) *Server {
	tb.Helper()
	s, err := sharedServers[kind].get(kind)
	if err != nil {
		fail(tb, err)
	}
	s.watch(tb)
	return s
}

// sharedKinds starts the missing servers of the given kinds concurrently, then returns them in
// order.
func sharedKinds(tb testing.TB, kinds ...string) []*Server {
	tb.Helper()
	var wg sync.WaitGroup
	for _, kind := range kinds {
		wg.Go(func() { _, _ = sharedServers[kind].get(kind) })
	}
	wg.Wait()
	servers := make([]*Server, len(kinds))
	for i, kind := range kinds {
		servers[i] = shared(tb, kind)
	}
	return servers
}

// Redis7 returns the Redis 7.0 server shared by the test binary.
func Redis7(tb testing.TB) *Server {
	tb.Helper()
	return shared(tb, KindRedis7)
}

// Valkey8 returns the Valkey 8 server shared by the test binary.
func Valkey8(tb testing.TB) *Server {
	tb.Helper()
	return shared(tb, KindValkey8)
}

// Redis8 returns the Redis 8 server shared by the test binary (it has hash-field expiration).
func Redis8(tb testing.TB) *Server {
	tb.Helper()
	return shared(tb, KindRedis8)
}

// Valkey9 returns the Valkey 9 server shared by the test binary (it has hash-field expiration,
// with Valkey's rules: see docs/hfe.md).
func Valkey9(tb testing.TB) *Server {
	tb.Helper()
	return shared(tb, KindValkey9)
}

// Cluster returns the three-master Redis 7.0 cluster shared by the test binary; all 16384
// slots are served when it is returned.
func Cluster(tb testing.TB) *Server {
	tb.Helper()
	return shared(tb, KindCluster)
}

// Cluster8 returns the three-master Redis 8 cluster shared by the test binary (hash-field
// expiration on every master); all 16384 slots are served when it is returned.
func Cluster8(tb testing.TB) *Server {
	tb.Helper()
	return shared(tb, KindCluster8)
}

// Standalone returns the shared redis7, valkey8 and redis8 servers, in that order.
func Standalone(tb testing.TB) []*Server {
	tb.Helper()
	return sharedKinds(tb, KindRedis7, KindValkey8, KindRedis8)
}

// All returns the shared redis7, valkey8, redis8 servers and the cluster, in that order.
func All(tb testing.TB) []*Server {
	tb.Helper()
	return sharedKinds(tb, KindRedis7, KindValkey8, KindRedis8, KindCluster)
}

// Start starts a server of the given kind for this test alone, with extra server arguments
// ("--appendonly", "yes") that override the defaults. It is killed when the test ends. Use it
// for tests that change configuration, flush, restart or kill the server.
func Start(tb testing.TB, kind string, extraArgs ...string) *Server {
	tb.Helper()
	if _, err := locate(kind); err != nil {
		fail(tb, err)
	}
	s, err := launch(kind, tb.TempDir(), extraArgs)
	if err != nil {
		fail(tb, err)
	}
	tb.Cleanup(func() { killNodes(s.nodes) })
	s.watch(tb)
	return s
}

// Main runs the tests and then stops every server the binary started and removes their
// folders. Use it as the body of a package's TestMain:
//
//	func TestMain(m *testing.M) { testserver.Main(m) }
//
// Without it the servers still die with the test binary; only their folders in the temporary
// folder stay until a later test binary removes them.
func Main(m *testing.M) {
	code := m.Run()
	killAll()
	removeRoot()
	os.Exit(code)
}
