package testserver

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a running server, or a cluster of them, started by this package.
type Server struct {
	// Name is the kind: "redis7", "valkey8", "redis8", "valkey9", "cluster" or "cluster8".
	Name string
	// Addr is host:port of the server (the first node of a cluster).
	Addr string
	// Addrs lists host:port of every node (just Addr for a standalone server).
	Addrs []string
	// Version is the server's own version from INFO server ("7.0.15"; valkey_version for Valkey).
	Version string
	// Dir is the data folder (of the first node): AOF and RDB files go there.
	Dir string

	nodes  []*node
	shared bool
}

// launch starts a server of the given kind with its data under dir.
func launch(kind, dir string, extra []string) (*Server, error) {
	bin, err := locate(kind)
	if err != nil {
		return nil, err
	}
	var nodes []*node
	if kind == KindCluster || kind == KindCluster8 {
		nodes, err = startCluster(bin, dir, extra)
	} else {
		var n *node
		n, err = startNode(kind, bin, dir, func() []string { return extra })
		nodes = []*node{n}
	}
	if err != nil {
		return nil, err
	}
	s := &Server{Name: kind, Addr: nodes[0].addr(), Dir: nodes[0].dir, nodes: nodes}
	for _, n := range nodes {
		s.Addrs = append(s.Addrs, n.addr())
	}
	if s.Version, err = serverVersion(s.Addr); err != nil {
		killNodes(nodes)
		return nil, fmt.Errorf("testserver: %s on %s: INFO server: %w", kind, s.Addr, err)
	}
	return s, nil
}

// startNode starts one server on a free port, retrying on a new port when another process took
// the chosen one first. args is called for each attempt (a cluster node picks its bus port there).
func startNode(name string, bin binaries, dir string, args func() []string) (*node, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var port int
		if port, err = freePort(); err != nil {
			return nil, err
		}
		var n *node
		if n, err = newNode(name, bin, port, dir, args()...); err != nil {
			return nil, err
		}
		if err = n.start(); err == nil {
			return n, nil
		}
		if !strings.Contains(err.Error(), "already in use") {
			break
		}
	}
	return nil, err
}

func killNodes(nodes []*node) {
	for _, n := range nodes {
		if n != nil {
			n.kill()
		}
	}
}

// serverVersion reads the version from INFO server. Valkey also reports a redis_version for
// compatibility (7.2.4); its own version is valkey_version.
func serverVersion(addr string) (string, error) {
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	info, err := c.Info(ctx, "server").Result()
	if err != nil {
		return "", err
	}
	fields := map[string]string{}
	for _, line := range strings.Split(info, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			fields[k] = v
		}
	}
	if v := fields["valkey_version"]; v != "" {
		return v, nil
	}
	if v := fields["redis_version"]; v != "" {
		return v, nil
	}
	return "", fmt.Errorf("no version in %q", info)
}

// Options returns go-redis options for the server (the first node of a cluster), to build a
// client with other settings; Client is the usual way.
func (s *Server) Options() *redis.Options {
	return &redis.Options{Addr: s.Addr}
}

// ClusterOptions returns go-redis cluster options listing every node.
func (s *Server) ClusterOptions() *redis.ClusterOptions {
	return &redis.ClusterOptions{Addrs: append([]string(nil), s.Addrs...)}
}

// IsCluster reports whether the server is a cluster.
func (s *Server) IsCluster() bool { return s.Name == KindCluster || s.Name == KindCluster8 }

// Client returns a new go-redis client for the server, closed when the test ends: a
// *redis.ClusterClient for the cluster, a *redis.Client otherwise.
func (s *Server) Client(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	s.watch(tb)
	var c redis.UniversalClient
	if s.IsCluster() {
		c = redis.NewClusterClient(s.ClusterOptions())
	} else {
		c = redis.NewClient(s.Options())
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

var (
	prefixSeq    atomic.Int64
	unsafeInName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)
)

// Prefix returns a key prefix unique to this call within the test binary, made of a counter and
// the end of the test's name ("t12-TestScan.empty-"). It holds no braces, so it never sets a hash
// tag; servers are shared, so every key a test uses should start with it.
func (s *Server) Prefix(tb testing.TB) string {
	tb.Helper()
	s.watch(tb)
	name := unsafeInName.ReplaceAllString(strings.ReplaceAll(tb.Name(), "/", "."), "_")
	if len(name) > 32 {
		name = name[len(name)-32:]
	}
	return fmt.Sprintf("t%d-%s-", prefixSeq.Add(1), name)
}

// Log returns everything the server (every node of a cluster) has logged so far.
func (s *Server) Log() string {
	parts := make([]string, len(s.nodes))
	for i, n := range s.nodes {
		parts[i] = n.tail(0, 0)
	}
	return strings.Join(parts, "\n")
}

// Restart stops the server gracefully (or finds it killed) and starts it again on the same
// port, folder and arguments, so AOF and RDB files are loaded again. Dedicated servers only.
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	if s.shared {
		tb.Fatalf("testserver: Restart of the shared %s server; use testserver.Start for a dedicated one", s.Name)
	}
	s.Stop()
	for _, n := range s.nodes {
		if err := n.start(); err != nil {
			tb.Fatalf("%v", err)
		}
	}
	if s.IsCluster() {
		if err := waitClusterOK(s.Addrs); err != nil {
			tb.Fatalf("testserver: cluster after restart: %v\n%s", err, s.Log())
		}
	}
}

// Stop ends a dedicated server gracefully (SIGTERM: an AOF is flushed). It is a no-op when the
// server is not running. Restart brings it back.
func (s *Server) Stop() {
	s.mustBeDedicated("Stop")
	for _, n := range s.nodes {
		n.stop()
	}
}

// Kill ends a dedicated server at once with SIGKILL, as a crash would. Restart brings it back.
func (s *Server) Kill() {
	s.mustBeDedicated("Kill")
	killNodes(s.nodes)
}

func (s *Server) mustBeDedicated(op string) {
	if s.shared {
		panic(fmt.Sprintf("testserver: %s of the shared %s server; use testserver.Start for a dedicated one", op, s.Name))
	}
}

// watched holds the (test, server) pairs whose failure prints the server's log.
var watched sync.Map

type watchKey struct {
	tb testing.TB
	s  *Server
}

// watch makes a failure of tb print the server's log lines written while tb ran.
func (s *Server) watch(tb testing.TB) {
	key := watchKey{tb, s}
	if _, loaded := watched.LoadOrStore(key, true); loaded {
		return
	}
	offsets := make([]int64, len(s.nodes))
	for i, n := range s.nodes {
		offsets[i] = n.logSize()
	}
	tb.Cleanup(func() {
		watched.Delete(key)
		if tb.Failed() {
			for i, n := range s.nodes {
				if n.logSize() > offsets[i] {
					tb.Logf("%s", n.tail(offsets[i], 40))
				}
			}
		}
	})
}
