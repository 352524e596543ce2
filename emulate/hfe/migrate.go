package hfe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/emulate/internal/companion"
)

// MigrateOptions configures MigrateLuaToHFE.
type MigrateOptions struct {
	// Cursors holds, per master address, the SCAN cursor to resume from (as reported through
	// Checkpoint by an interrupted run). Masters not listed start from 0.
	Cursors map[string]uint64
	// Finished lists masters (by address) whose scan an earlier run completed; they are skipped.
	Finished map[string]bool
	// Checkpoint, when set, is called after each SCAN batch of a master has been migrated, with
	// the cursor to resume from; done is true when that master has been scanned completely. An
	// error stops the migration.
	Checkpoint func(addr string, cursor uint64, done bool) error
	// Count is the SCAN COUNT hint per batch (default 1000).
	Count int64
	// DB is the database index the client uses; it names the expiry channel of fields that were
	// already due and are removed by the migration.
	DB int
	// WithoutVersions converts for a backend built WithoutVersions: the version companion is
	// deleted rather than converted.
	WithoutVersions bool
	// Logger receives one line per master (optional).
	Logger *slog.Logger
}

// MigrateStats counts what MigrateLuaToHFE did.
type MigrateStats struct {
	Scanned  int64 // TTL companions found
	Migrated int64 // keys converted by this run
	Skipped  int64 // companions gone or converted by someone else before the script ran
	Invalid  int64 // names that look like TTL companions but name no user key, or whose key is not a hash
}

// MigrateLuaToHFE converts the keys the Lua backend wrote into the layout of the HFE backend,
// online: the server must have hash-field expiration (Redis 7.4+), clients may keep running
// (they should already use the HFE backend, which converts any key it touches first).
//
// It SCANs every master (every node of a cluster, the server otherwise) for the Lua backend's TTL
// companions (sorted sets named exh~t…) and runs, for each, one script that converts that key
// atomically: every deadline of the sorted set becomes the expiry of the field and of its version
// field, fields already due are removed (and their expiry published), the sorted set is deleted
// and the key-level expiry the Lua backend kept on the key and its version companion is removed.
// Versions need no conversion: both backends keep versions other than 1 in the same companion.
//
// The run is idempotent (a converted key has no TTL companion any more) and resumable through
// Cursors and Checkpoint. SCAN may return a key twice or miss keys created during the run, so run
// it again until Scanned is 0 if Lua-backend clients were still writing.
func MigrateLuaToHFE(ctx context.Context, rdb redis.UniversalClient, opts MigrateOptions) (MigrateStats, error) {
	if opts.Count <= 0 {
		opts.Count = 1000
	}
	var (
		mu    sync.Mutex
		total MigrateStats
	)
	migrateNode := func(ctx context.Context, node *redis.Client) error {
		addr := node.Options().Addr
		if opts.Finished[addr] {
			return nil
		}
		st, err := migrateNode(ctx, rdb, node, addr, opts)
		mu.Lock()
		total.Scanned += st.Scanned
		total.Migrated += st.Migrated
		total.Skipped += st.Skipped
		total.Invalid += st.Invalid
		mu.Unlock()
		if opts.Logger != nil {
			opts.Logger.Info("exhash: lua-to-hfe migration of a master", "addr", addr,
				"scanned", st.Scanned, "migrated", st.Migrated, "skipped", st.Skipped, "invalid", st.Invalid, "err", err)
		}
		return err
	}
	var err error
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, migrateNode)
	case *redis.Client:
		err = migrateNode(ctx, c)
	case *redis.Ring:
		err = c.ForEachShard(ctx, migrateNode)
	default:
		err = fmt.Errorf("exhash: migrate: unsupported client type %T", rdb)
	}
	return total, err
}

// migrateNode scans one master and converts each key through rdb (so a cluster client follows
// redirections if slots move meanwhile).
func migrateNode(ctx context.Context, rdb redis.UniversalClient, node *redis.Client, addr string, opts MigrateOptions) (MigrateStats, error) {
	var st MigrateStats
	cursor := opts.Cursors[addr]
	flag := "1"
	if opts.WithoutVersions {
		flag = "0"
	}
	db := fmt.Sprint(opts.DB)
	for {
		names, next, err := node.ScanType(ctx, cursor, ttlCompanionPattern, opts.Count, "zset").Result()
		if err != nil {
			return st, fmt.Errorf("exhash: migrate: SCAN on %s: %w", addr, err)
		}
		for _, name := range names {
			st.Scanned++
			key, ok := companion.KeyOfTTLCompanion(name)
			if !ok {
				st.Invalid++
				continue
			}
			ttl, ver, err := companion.CompanionKeys(key)
			if err != nil || ttl != name {
				st.Invalid++
				continue
			}
			n, err := hfeScript.Run(ctx, rdb, []string{key, ver, ttl}, db, "migrate", "migrate", flag).Int64()
			if err != nil && strings.HasPrefix(err.Error(), "WRONGTYPE") {
				st.Invalid++ // the user key holds another type: nothing this backend can convert
				continue
			}
			if err != nil {
				return st, fmt.Errorf("exhash: migrate: key %q: %w", key, err)
			}
			if n == 1 {
				st.Migrated++
			} else {
				st.Skipped++
			}
		}
		cursor = next
		if opts.Checkpoint != nil {
			if err := opts.Checkpoint(addr, cursor, cursor == 0); err != nil {
				return st, errors.Join(errors.New("exhash: migrate: checkpoint"), err)
			}
		}
		if cursor == 0 {
			return st, nil
		}
	}
}

// ttlCompanionPattern matches every TTL companion name (SCAN MATCH): both forms of naming.go. The
// HFE backend's tombstones live in the same sorted sets, so a migration run sweeps them too.
const ttlCompanionPattern = companion.CompanionPrefix + "t*"
