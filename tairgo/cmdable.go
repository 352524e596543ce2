package tair

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// TairCmdable is the set of Tair commands that TairClient, TairClusterClient and TairPipeline
// have. tair-go declared an interface of this name whose signatures differed from its own methods'
// (ExHIncrByFloat took an int, ExHMSetWithOpts values, …), so no client of it implemented it; this
// one lists the methods as they are.
type TairCmdable interface {
	TairHashCmdable
	TairStringCmdable
	TairZsetCmdable
}

// TairHashCmdable is the TairHash part of TairCmdable.
type TairHashCmdable interface {
	ExHSet(ctx context.Context, key, field, value string) *redis.IntCmd
	ExHGet(ctx context.Context, key, field string) *redis.StringCmd
	ExHSetArgs(ctx context.Context, key, field, value string, arg *ExHSetArgs) *redis.IntCmd
	ExHSetNx(ctx context.Context, key, field, value string) *redis.IntCmd
	ExHMSet(ctx context.Context, key string, fieldValue map[string]string) *redis.StatusCmd
	ExHMSetWithOpts(ctx context.Context, key string, arg ...*ExHMSetWithOptsArgs) *redis.StatusCmd
	ExHPExpire(ctx context.Context, key, field string, milliseconds int) *redis.BoolCmd
	ExHPExpireAt(ctx context.Context, key, field string, unixTime int) *redis.BoolCmd
	ExHExpire(ctx context.Context, key, field string, seconds int) *redis.BoolCmd
	ExHExpireAt(ctx context.Context, key, field string, unixTime int) *redis.BoolCmd
	ExHPTTL(ctx context.Context, key, field string) *redis.IntCmd
	ExHTTL(ctx context.Context, key, field string) *redis.IntCmd
	ExHVer(ctx context.Context, key, field string) *redis.IntCmd
	ExHSetVer(ctx context.Context, key, field string, version int) *redis.BoolCmd
	ExHIncrBy(ctx context.Context, key, field string, value int) *redis.IntCmd
	ExHIncrByArgs(ctx context.Context, key, field string, value int, arg *ExHIncrArgs) *redis.IntCmd
	ExHIncrByFloat(ctx context.Context, key, field string, value float64) *redis.StringCmd
	ExHIncrByFloatArgs(ctx context.Context, key, field string, value float64, arg *ExHIncrArgs) *redis.StringCmd
	ExHGetWithVer(ctx context.Context, key, field string) *redis.SliceCmd
	ExHMGet(ctx context.Context, key string, field ...string) *redis.StringSliceCmd
	ExHMGetWithVer(ctx context.Context, key string, field ...string) *redis.SliceCmd
	ExHDel(ctx context.Context, key string, field ...string) *redis.IntCmd
	ExHLen(ctx context.Context, key string) *redis.IntCmd
	ExHExists(ctx context.Context, key, field string) *redis.BoolCmd
	ExHStrLen(ctx context.Context, key, field string) *redis.IntCmd
	ExHKeys(ctx context.Context, key string) *redis.StringSliceCmd
	ExHVals(ctx context.Context, key string) *redis.StringSliceCmd
	ExHGetAll(ctx context.Context, key string) *redis.MapStringStringCmd
	ExHScan(ctx context.Context, key string, cursor string) *redis.SliceCmd
}

// TairStringCmdable is the TairString part of TairCmdable.
type TairStringCmdable interface{}

// TairZsetCmdable is the TairZset part of TairCmdable.
type TairZsetCmdable interface{}

var (
	_ TairCmdable     = (*TairClient)(nil)
	_ TairCmdable     = (*TairClusterClient)(nil)
	_ TairCmdable     = TairPipeline{}
	_ TairCmdable     = pipeliner{}
	_ redis.Pipeliner = pipeliner{}
	_ redis.Cmdable   = (*TairClient)(nil)
	_ redis.Cmdable   = (*TairClusterClient)(nil)
)
