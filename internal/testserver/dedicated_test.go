package testserver_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// A dedicated server keeps its port and data across Restart (graceful) and Kill + Restart.
func TestStartRestartKeepsAOF(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis7, testserver.KindValkey8, testserver.KindRedis8} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := testserver.Start(t, kind, "--appendonly", "yes", "--appendfsync", "always")
			c := s.Client(t)
			if got, err := c.ConfigGet(ctx, "appendonly").Result(); err != nil || got["appendonly"] != "yes" {
				t.Fatalf("CONFIG GET appendonly = %v, %v; the extra argument did not apply", got, err)
			}
			if err := c.Set(ctx, "k", "before restart", 0).Err(); err != nil {
				t.Fatalf("SET: %v", err)
			}
			addr := s.Addr
			s.Restart(t)
			if s.Addr != addr {
				t.Fatalf("Addr changed from %s to %s", addr, s.Addr)
			}
			if got, err := c.Get(ctx, "k").Result(); err != nil || got != "before restart" {
				t.Fatalf("GET after Restart = %q, %v", got, err)
			}

			if err := c.Set(ctx, "k", "before kill", 0).Err(); err != nil {
				t.Fatalf("SET: %v", err)
			}
			s.Kill()
			refused(t, s.Addr)
			s.Restart(t)
			if got, err := c.Get(ctx, "k").Result(); err != nil || got != "before kill" {
				t.Fatalf("GET after Kill and Restart = %q, %v (appendfsync always keeps it)", got, err)
			}

			s.Stop()
			refused(t, s.Addr)
			if entries, err := os.ReadDir(s.Dir); err != nil || len(entries) == 0 {
				t.Fatalf("data folder %s: %v, %v", s.Dir, entries, err)
			}
		})
	}
}

// A dedicated cluster comes back with all slots after a restart of its nodes.
func TestStartClusterRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testserver.Start(t, testserver.KindCluster)
	c := s.Client(t).(*redis.ClusterClient)
	if err := c.Set(ctx, "{a}k", "v", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	// Persist the key in an RDB on its master; the restart loads it again.
	if err := c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error { return m.Save(ctx).Err() }); err != nil {
		t.Fatalf("SAVE: %v", err)
	}
	s.Restart(t)
	if got, err := c.Get(ctx, "{a}k").Result(); err != nil || got != "v" {
		t.Fatalf("GET after Restart = %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "nodes.conf")); err != nil {
		t.Fatalf("the first node's cluster config: %v", err)
	}
}

// refused checks that nothing listens on addr any more.
func refused(t *testing.T, addr string) {
	t.Helper()
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Fatalf("%s still accepts connections", addr)
	}
}
