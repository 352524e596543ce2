package exhash

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Native is the backend for Tair and any Redis with the TairHash module: it sends the EXH* command
// unchanged. It is the thinnest backend and the reference the others are tested against.
type Native struct{}

// Name reports "tairhash".
func (Native) Name() string { return "tairhash" }

// Do sends args as they are.
func (Native) Do(ctx context.Context, c driver.Conn, args ...any) *redis.Cmd {
	return c.Do(ctx, args...)
}
