// Command exhash-migrate converts the keys that the Lua emulation backend wrote into the layout of
// the hash-field-expiration backend, after the server was upgraded to Redis 7.4 or later. It runs
// online, converts each key atomically, can be interrupted and resumed (-state), and can be run
// again at any time (a converted key is skipped).
//
// Usage:
//
//	exhash-migrate -addr 127.0.0.1:6379 [-db 0] [-state migrate.json]
//	exhash-migrate -cluster -addr 10.0.0.1:7000,10.0.0.2:7000 [-state migrate.json]
//
// Credentials come from REDIS_USERNAME and REDIS_PASSWORD. Switch the clients to the HFE backend
// first (tairhash.Open picks it once the server has hash-field expiration; until the migration
// has finished give it emulate.WithLuaKeys): clients still on the Lua backend keep writing the
// old layout, which a later run converts again.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash"
	"github.com/tairhash-go/tairhash/emulate"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stderr))
}

// run is the program; it returns the exit status (0 done, 1 failed or interrupted, 2 usage).
func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("exhash-migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		addrs      = fs.String("addr", "127.0.0.1:6379", "server address, or comma-separated cluster seed nodes")
		cluster    = fs.Bool("cluster", false, "the servers form a Redis cluster")
		db         = fs.Int("db", 0, "database index (not for a cluster)")
		statePath  = fs.String("state", "", "file recording progress; an interrupted run resumes from it")
		count      = fs.Int64("count", 1000, "SCAN COUNT per batch")
		noVersions = fs.Bool("without-versions", false, "for clients using emulate.WithoutVersions: drop the versions instead of converting them")
	)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "exhash-migrate: unexpected arguments %q\n", fs.Args())
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	rdb := connect(strings.Split(*addrs, ","), *cluster, *db)
	defer rdb.Close()

	if err := requireHFE(ctx, rdb); err != nil {
		log.Error("exhash-migrate: cannot migrate", "err", err)
		return 1
	}
	st, err := loadState(*statePath)
	if err != nil {
		log.Error("exhash-migrate: state file", "err", err)
		return 1
	}
	if st.complete() {
		log.Info("exhash-migrate: the state file records a finished run; remove it to scan again", "state", *statePath)
		return 0
	}
	stats, err := emulate.MigrateLuaToHFE(ctx, rdb, emulate.MigrateOptions{
		Cursors:         st.cursors(),
		Finished:        st.finished(),
		Checkpoint:      st.checkpoint,
		Count:           *count,
		DB:              *db,
		WithoutVersions: *noVersions,
		Logger:          log,
	})
	log.Info("exhash-migrate: totals", "scanned", stats.Scanned, "migrated", stats.Migrated,
		"skipped", stats.Skipped, "invalid", stats.Invalid)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			log.Warn("exhash-migrate: interrupted; run again to resume", "state", *statePath)
		} else {
			log.Error("exhash-migrate: failed", "err", err)
		}
		return 1
	}
	if err := st.finish(); err != nil {
		log.Error("exhash-migrate: state file", "err", err)
		return 1
	}
	return 0
}

func connect(addrs []string, cluster bool, db int) redis.UniversalClient {
	user, pass := os.Getenv("REDIS_USERNAME"), os.Getenv("REDIS_PASSWORD")
	if cluster {
		return redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, Username: user, Password: pass})
	}
	return redis.NewClient(&redis.Options{Addr: addrs[0], DB: db, Username: user, Password: pass})
}

// requireHFE checks that every master has hash-field expiration.
func requireHFE(ctx context.Context, rdb redis.UniversalClient) error {
	d, err := tairhash.Detect(ctx, rdb)
	if err != nil {
		return err
	}
	for _, n := range d.Nodes {
		if !n.HFE {
			return fmt.Errorf("server %s has no hash-field expiration (needs Redis 7.4 or later, or Valkey 9)", n.Addr)
		}
	}
	return nil
}
