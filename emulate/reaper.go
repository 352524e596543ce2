package emulate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/scripts"
)

// Reaper is the active expiry of the Lua emulation: it removes the due fields of keys nobody
// reads, publishing tairhash@<db>@<key>__:expired for each, as the module's background expiry
// does. Without it a due field is removed by the next command on its key, and a key whose fields
// all expired is reclaimed by Redis itself scripts.KeyExpiryGrace after its last deadline, but
// silently (key-level expiry publishes no field names).
//
// Each tick walks the TTL companions (SCAN MATCH exh~t* TYPE zset) of every master from where the
// previous tick stopped and runs the reap script on each, so the work per tick is bounded by
// ReaperKeysPerTick companions and ReaperFieldsPerKey fields each, whatever the keyspace size.
// The notifications of a key are only published by the reaper when it reaches the key within the
// grace; on a keyspace a pass cannot cover within the grace, memory is still reclaimed but some
// fields expire unannounced. Several reapers on one database are harmless (each field is removed
// and announced once).
type Reaper struct {
	rdb      redis.UniversalClient
	db       int
	interval time.Duration
	keys     int
	fields   int
	script   *redis.Script

	mu      sync.Mutex
	cursors map[string]uint64 // by master address

	ticks, passes, visited, reaped atomic.Int64
}

// ReaperOption configures NewReaper.
type ReaperOption func(*Reaper)

// ReaperDatabase sets the database index named in the notification channels, as LuaDatabase does
// for the backend; the default is the client's own DB option (0 for a cluster).
func ReaperDatabase(db int) ReaperOption { return func(r *Reaper) { r.db = db } }

// ReaperInterval sets the pause between ticks (default 200 ms, well inside
// scripts.KeyExpiryGrace, so a small keyspace is always covered before Redis reclaims a key
// silently). A tick that stopped early because it met its limit is followed at once by the next.
func ReaperInterval(d time.Duration) ReaperOption { return func(r *Reaper) { r.interval = d } }

// ReaperKeysPerTick bounds the TTL companions one tick visits on each master (default 1000).
func ReaperKeysPerTick(n int) ReaperOption { return func(r *Reaper) { r.keys = n } }

// ReaperFieldsPerKey bounds the fields one visit removes from a key (default 1000); the rest are
// removed by the next pass or the next command on the key.
func ReaperFieldsPerKey(n int) ReaperOption { return func(r *Reaper) { r.fields = n } }

// NewReaper returns a reaper for the database rdb is connected to; Run starts it. rdb may be a
// single-node, failover, ring or cluster client (each master or shard is walked on its own).
func NewReaper(rdb redis.UniversalClient, opts ...ReaperOption) *Reaper {
	r := &Reaper{
		rdb: rdb, interval: 200 * time.Millisecond, keys: 1000, fields: 1000,
		script: redis.NewScript(scripts.ReapSource), cursors: map[string]uint64{},
	}
	if c, ok := rdb.(*redis.Client); ok {
		r.db = c.Options().DB
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// ReaperStats counts a reaper's work since it was made.
type ReaperStats struct {
	Ticks        int64 // ticks run
	Passes       int64 // complete walks of one master's keyspace
	KeysVisited  int64 // TTL companions the reap script ran on
	FieldsReaped int64 // due fields removed and announced
}

// Stats reports the work done so far; safe while Run runs.
func (r *Reaper) Stats() ReaperStats {
	return ReaperStats{
		Ticks: r.ticks.Load(), Passes: r.passes.Load(),
		KeysVisited: r.visited.Load(), FieldsReaped: r.reaped.Load(),
	}
}

// Run ticks until ctx is done and then returns nil. A failing tick (a master down, a failover in
// progress) is retried at the next interval; Run returns only the context's end, or an error when
// the options are invalid.
func (r *Reaper) Run(ctx context.Context) error {
	if r.interval <= 0 || r.keys <= 0 || r.fields <= 0 {
		return fmt.Errorf("emulate: reaper: interval, keys per tick and fields per key must be positive")
	}
	for {
		more, _ := r.Tick(ctx)
		wait := r.interval
		if more {
			wait = 0
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// Tick does one bounded step on every master: it visits up to ReaperKeysPerTick TTL companions,
// continuing the walk where the previous tick stopped, and reaps their due fields. more reports
// that some master stopped at its limit with keys left to visit in this pass.
func (r *Reaper) Tick(ctx context.Context) (more bool, err error) {
	r.ticks.Add(1)
	var mu sync.Mutex
	err = forEachMaster(ctx, r.rdb, func(ctx context.Context, node redis.UniversalClient) error {
		m, err := r.tickNode(ctx, node)
		mu.Lock()
		more = more || m
		mu.Unlock()
		return err
	})
	return more, err
}

// tickNode walks one master from its saved cursor until it has seen r.keys companions or ended
// its pass, then runs the reap script on what it saw, in one pipeline.
func (r *Reaper) tickNode(ctx context.Context, node redis.UniversalClient) (more bool, err error) {
	addr := "" // the one server
	if c, ok := node.(*redis.Client); ok {
		addr = c.Options().Addr
	}
	r.mu.Lock()
	cursor := r.cursors[addr]
	r.mu.Unlock()
	var found []string
	for len(found) < r.keys {
		var page []string
		page, cursor, err = node.ScanType(ctx, cursor, CompanionPrefix+"t*", int64(r.keys), "zset").Result()
		if err != nil {
			return false, err
		}
		found = append(found, page...)
		if cursor == 0 {
			r.passes.Add(1)
			break
		}
	}
	r.mu.Lock()
	r.cursors[addr] = cursor
	r.mu.Unlock()
	return cursor != 0, r.reap(ctx, node, found)
}

// reap runs the reap script on the user keys of the TTL companions in found.
func (r *Reaper) reap(ctx context.Context, node redis.UniversalClient, found []string) error {
	if len(found) == 0 {
		return nil
	}
	// Load once per batch so that the pipeline can use EVALSHA even after a SCRIPT FLUSH.
	if err := r.script.Load(ctx, node).Err(); err != nil {
		return err
	}
	pipe := node.Pipeline()
	var cmds []*redis.Cmd
	for _, t := range found {
		k, ok := KeyOfTTLCompanion(t)
		if !ok {
			continue // a user key that merely looks like a companion
		}
		tk, vk, err := CompanionKeys(k)
		if err != nil || tk != t {
			continue
		}
		cmds = append(cmds, r.script.EvalSha(ctx, pipe, []string{k, tk, vk}, r.db, r.fields))
	}
	_, _ = pipe.Exec(ctx)
	var first error
	for _, c := range cmds {
		n, err := c.Int64()
		if err != nil {
			if first == nil && !isWrongType(err) {
				first = err
			}
			continue
		}
		r.visited.Add(1)
		r.reaped.Add(n)
	}
	return first
}

// isWrongType reports a key that another program replaced by another type: not the reaper's
// to fix, and not a reason to stop the tick.
func isWrongType(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && strings.HasPrefix(re.Error(), "WRONGTYPE")
}
