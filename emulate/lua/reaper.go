package lua

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/companion"
	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/emulate/lua/scripts"
)

// Reaper is the active expiry of the Lua emulation: it removes the due fields of keys nobody
// reads, publishing tairhash@<db>@<key>__:expired for each, as the module's background expiry
// does. Without it a due field is removed by the next command on its key, and a key whose fields
// all expired is reclaimed by Redis itself scripts.KeyExpiryGrace after its last deadline, but
// silently (key-level expiry publishes no field names).
//
// Each tick walks the TTL companions (SCAN MATCH exh~t* TYPE zset) of every master from where the
// previous tick stopped and runs the reap script on each, so the work per tick is bounded by
// WithReaperKeysPerTick companions and WithReaperFieldsPerKey fields each, whatever the keyspace size.
// The notifications of a key are only published by the reaper when it reaches the key within the
// grace; on a keyspace a pass cannot cover within the grace, memory is still reclaimed but some
// fields expire unannounced. Several reapers on one database are harmless (each field is removed
// and announced once).
type Reaper struct {
	rdb      redis.UniversalClient
	db       int
	dbs      []int // WithReaperDatabases; empty: db only, on rdb
	interval time.Duration
	keys     int
	fields   int
	script   *redis.Script

	mu       sync.Mutex
	cursors  map[string]uint64             // by database and master address
	clients  map[int]redis.UniversalClient // made for WithReaperDatabases, closed by Close
	reapedDB map[int]int64                 // fields reaped, by database

	ticks, passes, visited, reaped atomic.Int64
	lastTick, maxTick, tickTotal   atomic.Int64 // nanoseconds
}

// ReaperOption configures NewReaper.
type ReaperOption func(*Reaper)

// WithReaperDatabase sets the database index named in the notification channels, as WithLuaDatabase does
// for the backend; the default is the client's own DB option (0 for a cluster).
func WithReaperDatabase(db int) ReaperOption { return func(r *Reaper) { r.db = db } }

// WithReaperDatabases makes one reaper walk several databases of a single-node client, in the order
// given, each tick visiting each of them (on a client of its own, made from rdb's options): so the
// expired notifications of several databases come in database order within a tick, as the module's
// timer sends them. It replaces WithReaperDatabase; Close releases the clients.
func WithReaperDatabases(dbs ...int) ReaperOption {
	return func(r *Reaper) { r.dbs = append([]int(nil), dbs...) }
}

// WithReaperInterval sets the pause between ticks (default 200 ms, well inside
// scripts.KeyExpiryGrace, so a small keyspace is always covered before Redis reclaims a key
// silently). A tick that stopped early because it met its limit is followed at once by the next.
func WithReaperInterval(d time.Duration) ReaperOption { return func(r *Reaper) { r.interval = d } }

// WithReaperKeysPerTick bounds the TTL companions one tick visits on each master (default 1000).
func WithReaperKeysPerTick(n int) ReaperOption { return func(r *Reaper) { r.keys = n } }

// WithReaperFieldsPerKey bounds the fields one visit removes from a key (default 1000); the rest are
// removed by the next pass or the next command on the key.
func WithReaperFieldsPerKey(n int) ReaperOption { return func(r *Reaper) { r.fields = n } }

// NewReaper returns a reaper for the database rdb is connected to; Run starts it. rdb may be a
// single-node, failover, ring or cluster client (each master or shard is walked on its own).
func NewReaper(rdb redis.UniversalClient, opts ...ReaperOption) *Reaper {
	r := &Reaper{
		rdb: rdb, interval: 200 * time.Millisecond, keys: 1000, fields: 1000,
		script: redis.NewScript(scripts.ReapSource), cursors: map[string]uint64{},
		clients: map[int]redis.UniversalClient{}, reapedDB: map[int]int64{},
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
	// FieldsReapedByDB splits FieldsReaped by database; databases without any are left out.
	FieldsReapedByDB map[int]int64
	LastTick         time.Duration // how long the latest tick took
	MaxTick          time.Duration // the longest tick
	AvgTick          time.Duration // mean tick time
}

// Stats reports the work done so far; safe while Run runs.
func (r *Reaper) Stats() ReaperStats {
	st := ReaperStats{
		Ticks: r.ticks.Load(), Passes: r.passes.Load(),
		KeysVisited: r.visited.Load(), FieldsReaped: r.reaped.Load(),
		LastTick: time.Duration(r.lastTick.Load()), MaxTick: time.Duration(r.maxTick.Load()),
		FieldsReapedByDB: map[int]int64{},
	}
	if st.Ticks > 0 {
		st.AvgTick = time.Duration(r.tickTotal.Load() / st.Ticks)
	}
	r.mu.Lock()
	maps.Copy(st.FieldsReapedByDB, r.reapedDB)
	r.mu.Unlock()
	return st
}

// ExpireInfo is EXHEXPIREINFO's reply for a server whose fields this reaper expires: the module's
// layout, with the reaper's settings and figures. The module's loop is a tick; its DB detail lines
// count the fields the reaper removed (active) and none removed by commands (passive), which the
// emulation does not count.
func (r *Reaper) ExpireInfo() string {
	st := r.Stats()
	return expireStats{
		enabled: true, periodMs: r.interval.Milliseconds(), keysPerLoop: int64(r.keys), dbsPerLoop: len(r.databases()),
		lastMs: st.LastTick.Milliseconds(), maxMs: st.MaxTick.Milliseconds(), avgMs: st.AvgTick.Milliseconds(),
		activeExpiredFieldsByDB: st.FieldsReapedByDB,
	}.text()
}

// databases returns the databases the reaper walks, in order.
func (r *Reaper) databases() []int {
	if len(r.dbs) == 0 {
		return []int{r.db}
	}
	return r.dbs
}

// client returns the client for database db.
func (r *Reaper) client(db int) (redis.UniversalClient, error) {
	if len(r.dbs) == 0 {
		return r.rdb, nil
	}
	c, ok := r.rdb.(*redis.Client)
	if !ok {
		return nil, fmt.Errorf("emulate: reaper: WithReaperDatabases needs a single-node client, not %T", r.rdb)
	}
	if c.Options().DB == db {
		return c, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.clients[db] == nil {
		opts := *c.Options()
		opts.DB = db
		r.clients[db] = redis.NewClient(&opts)
	}
	return r.clients[db], nil
}

// Close releases the clients made for WithReaperDatabases (Run does when it returns); the reaper can
// still tick afterwards, making them again.
func (r *Reaper) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var errs []error
	for db, c := range r.clients {
		errs = append(errs, c.Close())
		delete(r.clients, db)
	}
	return errors.Join(errs...)
}

// Run ticks until ctx is done and then returns nil. A failing tick (a master down, a failover in
// progress) is retried at the next interval; Run returns only the context's end, or an error when
// the options are invalid.
func (r *Reaper) Run(ctx context.Context) error {
	if r.interval <= 0 || r.keys <= 0 || r.fields <= 0 {
		return fmt.Errorf("emulate: reaper: interval, keys per tick and fields per key must be positive")
	}
	defer r.Close()
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

// Tick does one bounded step on every master of every database, databases in order: it visits up
// to WithReaperKeysPerTick TTL companions on each, continuing the walk where the previous tick stopped,
// and reaps their due fields. more reports that some master stopped at its limit with keys left to
// visit in this pass.
func (r *Reaper) Tick(ctx context.Context) (more bool, err error) {
	r.ticks.Add(1)
	start := time.Now()
	defer r.timeTick(start)
	var errs []error
	for _, db := range r.databases() {
		rdb, cerr := r.client(db)
		if cerr != nil {
			return false, cerr
		}
		var mu sync.Mutex
		errs = append(errs, runner.ForEachMaster(ctx, rdb, func(ctx context.Context, node redis.UniversalClient) error {
			m, err := r.tickNode(ctx, db, node)
			mu.Lock()
			more = more || m
			mu.Unlock()
			return err
		}))
	}
	return more, errors.Join(errs...)
}

// timeTick records the duration of the tick that started at start.
func (r *Reaper) timeTick(start time.Time) {
	d := int64(time.Since(start))
	r.lastTick.Store(d)
	r.tickTotal.Add(d)
	for m := r.maxTick.Load(); d > m && !r.maxTick.CompareAndSwap(m, d); m = r.maxTick.Load() {
	}
}

// tickNode walks one master of database db from its saved cursor until it has seen r.keys
// companions or ended its pass, then runs the reap script on what it saw, in one pipeline.
func (r *Reaper) tickNode(ctx context.Context, db int, node redis.UniversalClient) (more bool, err error) {
	addr := "" // the one server
	if c, ok := node.(*redis.Client); ok {
		addr = c.Options().Addr
	}
	at := fmt.Sprint(db, "@", addr)
	r.mu.Lock()
	cursor := r.cursors[at]
	r.mu.Unlock()
	var found []string
	for len(found) < r.keys {
		var page []string
		page, cursor, err = node.ScanType(ctx, cursor, companion.CompanionPrefix+"t*", int64(r.keys), "zset").Result()
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
	r.cursors[at] = cursor
	r.mu.Unlock()
	return cursor != 0, r.reap(ctx, db, node, found)
}

// reap runs the reap script on the user keys of the TTL companions in found.
func (r *Reaper) reap(ctx context.Context, db int, node redis.UniversalClient, found []string) error {
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
		k, ok := companion.KeyOfTTLCompanion(t)
		if !ok {
			continue // a user key that merely looks like a companion
		}
		tk, vk, err := companion.CompanionKeys(k)
		if err != nil || tk != t {
			continue
		}
		cmds = append(cmds, r.script.EvalSha(ctx, pipe, []string{k, tk, vk}, db, r.fields))
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
		if n > 0 {
			r.mu.Lock()
			r.reapedDB[db] += n
			r.mu.Unlock()
		}
	}
	return first
}

// isWrongType reports a key that another program replaced by another type: not the reaper's
// to fix, and not a reason to stop the tick.
func isWrongType(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && strings.HasPrefix(re.Error(), "WRONGTYPE")
}
