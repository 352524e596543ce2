package proxy

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// ScriptLoader returns a Config.Load that makes sure the upstream's script cache holds every one of
// sources (a backend that sends scripts with EVALSHA inside pipelines needs them there). It asks
// SCRIPT EXISTS first, so a check that finds them all costs one round trip.
func ScriptLoader(sources ...string) func(context.Context, redis.UniversalClient) error {
	shas := make([]string, len(sources))
	for i, src := range sources {
		sum := sha1.Sum([]byte(src)) // the digest Redis names a script by
		shas[i] = hex.EncodeToString(sum[:])
	}
	return func(ctx context.Context, c redis.UniversalClient) error {
		if len(shas) == 0 {
			return nil
		}
		there, err := c.ScriptExists(ctx, shas...).Result()
		if err != nil {
			return fmt.Errorf("SCRIPT EXISTS: %w", err)
		}
		for i, ok := range there {
			if ok {
				continue
			}
			if err := c.ScriptLoad(ctx, sources[i]).Err(); err != nil {
				return fmt.Errorf("SCRIPT LOAD: %w", err)
			}
		}
		return nil
	}
}
