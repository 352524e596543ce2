package bench

// DEVELOPMENT STAND-IN for the reaper until emulate's lands. Never committed.

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/scripts"
)

func luaBackend(db int) exhash.Backend { return emulate.NewLua(emulate.LuaDatabase(db)) }

var reapScript = redis.NewScript(scripts.ReapSource)

func prepareLua(ctx context.Context, rdb *redis.Client) error {
	return reapScript.Load(ctx, rdb).Err()
}

func runReaper(ctx context.Context, rdb *redis.Client) error {
	for ctx.Err() == nil {
		var cursor uint64
		for {
			keys, next, err := rdb.Scan(ctx, cursor, emulate.CompanionPrefix+"t*", 1000).Result()
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			p := rdb.Pipeline()
			for _, t := range keys {
				k, _ := emulate.KeyOfTTLCompanion(t)
				tt, vv, _ := emulate.CompanionKeys(k)
				p.EvalSha(ctx, reapScript.Hash(), []string{k, tt, vv}, "0", 1000)
			}
			if _, err := p.Exec(ctx); err != nil && err != redis.Nil && ctx.Err() == nil {
				return fmt.Errorf("reap: %w", err)
			}
			cursor = next
			if cursor == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}
