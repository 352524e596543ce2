package bench

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
)

// The floors are not emulations: they answer whether a faster one could exist. Each runs, for every
// operation, the server commands an emulation needs (no checks, no options, no key-level expiry,
// no replies worth reading), with a pipeline's operations joined into one function call as the
// backends batch them, and a client that does nothing but join. No design that makes the same
// calls can beat its floor: the gap from a floor to its backend is what logic and client code cost,
// and the gap from a floor to the module is the wall of the calls themselves.
//
//   - lua-floor: the calls the Lua backend makes today (emulate/lua/scripts: a login is
//     PEXPIRETIME, ZCOUNT, HGET of the version, HSET of the value, HSET of the version, ZADD);
//   - lua-floor-min: the fewest calls the Lua layout allows: versions kept as offsets (one HINCRBY),
//     no key-level expiry read, and reads sent as plain commands (HGET plus ZSCORE of the deadline,
//     one TIME per pipeline) instead of a function;
//   - hfe-floor: the calls the HFE backend makes today for a login (EXISTS of the old TTL
//     companion, HGET of the version, HSETEX of the value, HSETEX of the version); its reads are
//     native already;
//   - hfe-floor-min: a login in three calls (HSETEX of the value, HINCRBY of a version offset and
//     HPEXPIREAT of it).
type floorDesign struct {
	library string // FUNCTION LOAD text; one function, floorFunction
	reads   reads
}

// reads is how a floor reads.
type reads int

const (
	readsCalled reads = iota // function calls, as the Lua backend's reads
	readsPlain               // HGET and ZSCORE of the deadline (HGETALL and ZRANGE), one TIME per pipeline
	readsHFE                 // HGET (HGETALL): the server hides expired fields itself
)

const floorFunction = "exhash_floor"

// floorLibrary is the function library of a floor: op codes w (login), r (validate), l (list),
// x (refresh), d (logout), each followed by its arguments; keys K, T, V per operation. The bodies
// of the operations are the calls, in the backend's order.
func floorLibrary(write, refresh string) string {
	return `#!lua name=exhash_floor
local function floor(keys, args)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local d = string.format('%d', now + 3600000)
  local out, p = {}, 1
  for i = 1, #keys / 3 do
    local K, T, V = keys[3 * i - 2], keys[3 * i - 1], keys[3 * i]
    local op = args[p]
    if op == 'w' then
      local f, v = args[p + 1], args[p + 2]
      p = p + 3
` + write + `
    elseif op == 'x' then
      local f = args[p + 1]
      p = p + 2
` + refresh + `
    elseif op == 'r' then
      redis.call('ZCOUNT', T, '-inf', now)
      out[i] = redis.call('HGET', K, args[p + 1])
      p = p + 2
    elseif op == 'l' then
      redis.call('ZCOUNT', T, '-inf', now)
      out[i] = redis.call('HGETALL', K)
      p = p + 1
    else
      local f = args[p + 1]
      p = p + 2
      redis.call('ZCOUNT', T, '-inf', now)
      redis.call('HLEN', K)
      redis.call('HDEL', V, f)
      out[i] = redis.call('HDEL', K, f)
      redis.call('ZREM', T, f)
      redis.call('ZCARD', T)
      redis.call('PEXPIRETIME', K)
    end
  end
  return out
end
redis.register_function('` + floorFunction + `', floor)
`
}

var floorDesigns = map[string]floorDesign{
	sysLuaFloor: {library: floorLibrary(`
      redis.call('PEXPIRETIME', K)
      redis.call('ZCOUNT', T, '-inf', now)
      redis.call('HGET', V, f)
      out[i] = redis.call('HSET', K, f, v)
      redis.call('HSET', V, f, '2')
      redis.call('ZADD', T, d, f)`, `
      redis.call('PEXPIRETIME', K)
      redis.call('ZCOUNT', T, '-inf', now)
      out[i] = redis.call('HEXISTS', K, f)
      redis.call('HGET', V, f)
      redis.call('HSET', V, f, '2')
      redis.call('ZADD', T, d, f)`)},
	sysLuaFloorMin: {reads: readsPlain, library: floorLibrary(`
      redis.call('ZCOUNT', T, '-inf', now)
      redis.call('HINCRBY', V, f, 1)
      out[i] = redis.call('HSET', K, f, v)
      redis.call('ZADD', T, d, f)`, `
      redis.call('ZCOUNT', T, '-inf', now)
      out[i] = redis.call('HEXISTS', K, f)
      redis.call('HINCRBY', V, f, 1)
      redis.call('ZADD', T, d, f)`)},
	sysHFEFloor: {reads: readsHFE, library: floorLibrary(`
      redis.call('EXISTS', T)
      redis.call('HGET', V, f)
      out[i] = redis.call('HSETEX', K, 'PXAT', d, 'FIELDS', 1, f, v)
      redis.call('HSETEX', V, 'PXAT', d, 'FIELDS', 1, f, '2')`, `
      redis.call('EXISTS', T)
      redis.call('HGET', V, f)
      out[i] = redis.call('HPEXPIREAT', K, d, 'FIELDS', 1, f)
      redis.call('HSETEX', V, 'PXAT', d, 'FIELDS', 1, f, '2')`)},
	sysHFEFloorMin: {reads: readsHFE, library: floorLibrary(`
      out[i] = redis.call('HSETEX', K, 'PXAT', d, 'FIELDS', 1, f, v)
      redis.call('HINCRBY', V, f, 1)
      redis.call('HPEXPIREAT', V, d, 'FIELDS', 1, f)`, `
      out[i] = redis.call('HPEXPIREAT', K, d, 'FIELDS', 1, f)
      redis.call('HINCRBY', V, f, 1)
      redis.call('HPEXPIREAT', V, d, 'FIELDS', 1, f)`)},
}

// openFloor installs the floor's library and returns its store.
func openFloor(name string) func(context.Context, *redis.Client, *redis.Client) (store, func(context.Context) error, error) {
	return func(ctx context.Context, work, _ *redis.Client) (store, func(context.Context) error, error) {
		d := floorDesigns[name]
		if err := work.FunctionLoadReplace(ctx, d.library).Err(); err != nil {
			return nil, nil, err
		}
		return floorStore{d}, nil, nil
	}
}

// floorStore queues operations on a floorPipe.
type floorStore struct{ d floorDesign }

// floorPipe collects the operations of one pipeline and sends them, at Exec, as one function call
// (plus the native reads, in the pipeline beside it).
type floorPipe struct {
	redis.Pipeliner
	keys []string
	args []any
	time bool // a TIME is queued for the native reads
}

func (floorStore) pipeline(rdb *redis.Client) redis.Pipeliner {
	return &floorPipe{Pipeliner: rdb.Pipeline()}
}

func (p *floorPipe) op(user string, args ...any) {
	k := userKey(user)
	ttl, ver, _ := emulate.CompanionKeys(k)
	p.keys = append(p.keys, k, ttl, ver)
	p.args = append(p.args, args...)
}

// Exec queues the joined call behind the native reads and sends the pipeline.
func (p *floorPipe) Exec(ctx context.Context) ([]redis.Cmder, error) {
	if len(p.keys) > 0 {
		call := append([]any{"fcall", floorFunction, len(p.keys)}, toAny(p.keys)...)
		p.Pipeliner.Do(ctx, append(call, p.args...)...)
	}
	return p.Pipeliner.Exec(ctx)
}

func (floorStore) login(_ context.Context, p redis.Pipeliner, user, dev, token string) {
	p.(*floorPipe).op(user, "w", dev, token)
}
func (floorStore) refresh(_ context.Context, p redis.Pipeliner, user, dev string) {
	p.(*floorPipe).op(user, "x", dev)
}
func (floorStore) logout(_ context.Context, p redis.Pipeliner, user, dev string) {
	p.(*floorPipe).op(user, "d", dev)
}

func (s floorStore) validate(ctx context.Context, p redis.Pipeliner, user, dev string) {
	fp, k := p.(*floorPipe), userKey(user)
	switch s.d.reads {
	case readsCalled:
		fp.op(user, "r", dev)
	case readsPlain:
		ttl, _, _ := emulate.CompanionKeys(k)
		fp.clock(ctx)
		fp.HGet(ctx, k, dev)
		fp.ZScore(ctx, ttl, dev)
	case readsHFE:
		fp.HGet(ctx, k, dev)
	}
}

func (s floorStore) list(ctx context.Context, p redis.Pipeliner, user string) {
	fp, k := p.(*floorPipe), userKey(user)
	switch s.d.reads {
	case readsCalled:
		fp.op(user, "l")
	case readsPlain:
		ttl, _, _ := emulate.CompanionKeys(k)
		fp.clock(ctx)
		fp.HGetAll(ctx, k)
		fp.ZRangeWithScores(ctx, ttl, 0, -1)
	case readsHFE:
		fp.HGetAll(ctx, k)
	}
}

// clock queues the pipeline's one TIME: a native read compares deadlines with the server's clock.
func (p *floorPipe) clock(ctx context.Context) {
	if !p.time {
		p.Time(ctx)
		p.time = true
	}
}

// expireAt is not needed: floors measure throughput only, not reclamation.
func (floorStore) expireAt(context.Context, redis.Pipeliner, string, string, time.Time) {}
