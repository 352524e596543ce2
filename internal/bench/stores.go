package bench

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// sessionTTL is the lifetime of a session token in the throughput phases: long enough that
// nothing expires while they run.
const sessionTTL = time.Hour

// A store holds sessions one way: through a backend of this library or with plain Redis commands
// (a baseline). Each method queues the commands of one logical operation on a pipeline; user is a
// user id, dev a device name (a field of the user's key).
type store interface {
	pipeline(rdb *redis.Client) redis.Pipeliner                            // a new pipeline for this store's commands
	login(ctx context.Context, p redis.Pipeliner, user, dev, token string) // new token, TTL sessionTTL
	validate(ctx context.Context, p redis.Pipeliner, user, dev string)     // read the token
	refresh(ctx context.Context, p redis.Pipeliner, user, dev string)      // sliding TTL: sessionTTL again
	list(ctx context.Context, p redis.Pipeliner, user string)              // every device and token
	logout(ctx context.Context, p redis.Pipeliner, user, dev string)
	expireAt(ctx context.Context, p redis.Pipeliner, user, dev string, at time.Time)
}

// exhStore is the library's typed client on some backend: one EXH* command per operation.
type exhStore struct {
	c   *exhash.Client
	set *exhash.ExHSetArgs
}

func newExhStore(rdb redis.UniversalClient, be driver.Backend) store {
	return exhStore{c: exhash.NewClient(rdb, exhash.WithBackend(be)), set: exhash.ExHSetArgs{}.New().Ex(sessionTTL)}
}

func userKey(user string) string { return "s:" + user }

// pipeline is the typed client's own, so that the backend acts around Exec (the Lua backend
// reloads scripts a fresh server does not have yet).
func (s exhStore) pipeline(*redis.Client) redis.Pipeliner { return s.c.Pipeline() }

// on returns the typed commands of a pipeline made by pipeline.
func (s exhStore) on(p redis.Pipeliner) exhash.Cmdable { return p.(exhash.Pipeliner) }

func (s exhStore) login(ctx context.Context, p redis.Pipeliner, user, dev, token string) {
	s.on(p).ExHSetArgs(ctx, userKey(user), dev, token, s.set)
}
func (s exhStore) validate(ctx context.Context, p redis.Pipeliner, user, dev string) {
	s.on(p).ExHGet(ctx, userKey(user), dev)
}
func (s exhStore) refresh(ctx context.Context, p redis.Pipeliner, user, dev string) {
	s.on(p).ExHPExpire(ctx, userKey(user), dev, sessionTTL)
}
func (s exhStore) list(ctx context.Context, p redis.Pipeliner, user string) {
	s.on(p).ExHGetAll(ctx, userKey(user))
}
func (s exhStore) logout(ctx context.Context, p redis.Pipeliner, user, dev string) {
	s.on(p).ExHDel(ctx, userKey(user), dev)
}
func (s exhStore) loginNow(ctx context.Context, user, dev, token string) error {
	return s.c.ExHSetArgs(ctx, userKey(user), dev, token, s.set).Err()
}
func (s exhStore) validateNow(ctx context.Context, user, dev string) error {
	if err := s.c.ExHGet(ctx, userKey(user), dev).Err(); !errors.Is(err, redis.Nil) {
		return err
	}
	return nil
}
func (s exhStore) expireAt(ctx context.Context, p redis.Pipeliner, user, dev string, at time.Time) {
	s.on(p).ExHPExpireAt(ctx, userKey(user), dev, at)
}

// plainPipeline is the go-redis pipeline of the baselines.
type plainPipeline struct{}

func (plainPipeline) pipeline(rdb *redis.Client) redis.Pipeliner { return rdb.Pipeline() }

// hsetStore is the ceiling: a plain hash per user, no TTL at all (refresh sends nothing).
type hsetStore struct{ plainPipeline }

func (hsetStore) login(ctx context.Context, p redis.Pipeliner, user, dev, token string) {
	p.HSet(ctx, userKey(user), dev, token)
}
func (hsetStore) validate(ctx context.Context, p redis.Pipeliner, user, dev string) {
	p.HGet(ctx, userKey(user), dev)
}
func (hsetStore) refresh(context.Context, redis.Pipeliner, string, string) {}
func (hsetStore) list(ctx context.Context, p redis.Pipeliner, user string) {
	p.HGetAll(ctx, userKey(user))
}
func (hsetStore) logout(ctx context.Context, p redis.Pipeliner, user, dev string) {
	p.HDel(ctx, userKey(user), dev)
}
func (hsetStore) expireAt(context.Context, redis.Pipeliner, string, string, time.Time) {}

// stringStore is what per-field TTL replaces: one string key per device (SET … EX) and a set per
// user indexing the devices, kept alive as long as its newest token. Listing a user's sessions is
// one SORT … BY nosort GET # GET tok:<user>:* (members whose token expired come back nil).
type stringStore struct{ plainPipeline }

func tokenKey(user, dev string) string { return "tok:" + user + ":" + dev }
func indexKey(user string) string      { return "devs:" + user }

func (stringStore) login(ctx context.Context, p redis.Pipeliner, user, dev, token string) {
	p.Set(ctx, tokenKey(user, dev), token, sessionTTL)
	p.SAdd(ctx, indexKey(user), dev)
	p.Expire(ctx, indexKey(user), sessionTTL)
}
func (stringStore) validate(ctx context.Context, p redis.Pipeliner, user, dev string) {
	p.Get(ctx, tokenKey(user, dev))
}
func (stringStore) refresh(ctx context.Context, p redis.Pipeliner, user, dev string) {
	p.Expire(ctx, tokenKey(user, dev), sessionTTL)
	p.Expire(ctx, indexKey(user), sessionTTL)
}
func (stringStore) list(ctx context.Context, p redis.Pipeliner, user string) {
	p.Sort(ctx, indexKey(user), &redis.Sort{By: "nosort", Get: []string{"#", "tok:" + user + ":*"}})
}
func (stringStore) logout(ctx context.Context, p redis.Pipeliner, user, dev string) {
	p.Del(ctx, tokenKey(user, dev))
	p.SRem(ctx, indexKey(user), dev)
}
func (stringStore) expireAt(ctx context.Context, p redis.Pipeliner, user, dev string, at time.Time) {
	p.PExpireAt(ctx, tokenKey(user, dev), at)
	p.PExpireAt(ctx, indexKey(user), at)
}

// zsetStore is the do-it-yourself pattern: a hash per user, one sorted set of deadlines
// ("user|device" → Unix ms, on the client's clock) and a cleaner polling it (runCleaner).
// Reads do not look at the deadline: a token stays readable until the cleaner removes it.
type zsetStore struct{ plainPipeline }

const deadlinesKey = "sess:deadlines"

func member(user, dev string) string { return user + "|" + dev }

func deadline(d time.Duration) float64 { return float64(time.Now().Add(d).UnixMilli()) }

func (zsetStore) login(ctx context.Context, p redis.Pipeliner, user, dev, token string) {
	p.HSet(ctx, userKey(user), dev, token)
	p.ZAdd(ctx, deadlinesKey, redis.Z{Score: deadline(sessionTTL), Member: member(user, dev)})
}
func (zsetStore) validate(ctx context.Context, p redis.Pipeliner, user, dev string) {
	p.HGet(ctx, userKey(user), dev)
}
func (zsetStore) refresh(ctx context.Context, p redis.Pipeliner, user, dev string) {
	p.ZAddXX(ctx, deadlinesKey, redis.Z{Score: deadline(sessionTTL), Member: member(user, dev)})
}
func (zsetStore) list(ctx context.Context, p redis.Pipeliner, user string) {
	p.HGetAll(ctx, userKey(user))
}
func (zsetStore) logout(ctx context.Context, p redis.Pipeliner, user, dev string) {
	p.HDel(ctx, userKey(user), dev)
	p.ZRem(ctx, deadlinesKey, member(user, dev))
}
func (zsetStore) expireAt(ctx context.Context, p redis.Pipeliner, user, dev string, at time.Time) {
	p.ZAdd(ctx, deadlinesKey, redis.Z{Score: float64(at.UnixMilli()), Member: member(user, dev)})
}

// cleanerBatch and cleanerPeriod shape the polling cleaner of zsetStore.
const (
	cleanerBatch  = 1000
	cleanerPeriod = 100 * time.Millisecond
)

// runCleaner removes due sessions of zsetStore until ctx ends: every cleanerPeriod it takes up to
// cleanerBatch due members and deletes them from the hashes and the sorted set, repeating while
// full batches come back. (Like most hand-written cleaners it races with a concurrent refresh;
// being exact needs a script.)
func runCleaner(ctx context.Context, rdb *redis.Client) error {
	t := time.NewTicker(cleanerPeriod)
	defer t.Stop()
	for {
		for {
			now := strconv.FormatInt(time.Now().UnixMilli(), 10)
			due, err := rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: deadlinesKey, ByScore: true, Start: "-inf", Stop: now, Count: cleanerBatch}).Result()
			if err != nil {
				return err
			}
			if len(due) > 0 {
				p := rdb.Pipeline()
				for _, m := range due {
					user, dev, _ := strings.Cut(m, "|")
					p.HDel(ctx, userKey(user), dev)
				}
				p.ZRem(ctx, deadlinesKey, toAny(due)...)
				if _, err := p.Exec(ctx); err != nil {
					return err
				}
			}
			if len(due) < cleanerBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
