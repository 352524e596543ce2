package exhash

import (
	"context"
	"time"
)

// Cmdable is the set of typed TairHash commands. Client, Commands (from Client.On) and Pipeliner
// implement it, so code written against Cmdable runs directly, in a pipeline or in a transaction.
type Cmdable interface {
	ExHSet(ctx context.Context, key, field, value string) *SetCmd
	ExHSetArgs(ctx context.Context, key, field, value string, a *ExHSetArgs) *SetCmd
	ExHSetNx(ctx context.Context, key, field, value string) *BoolCmd
	ExHMSet(ctx context.Context, key string, fieldValue map[string]string) *StatusCmd
	ExHMSetWithOpts(ctx context.Context, key string, tuples ...*ExHMSetWithOptsArgs) *StatusCmd
	ExHIncrBy(ctx context.Context, key, field string, incr int64) *IntCmd
	ExHIncrByArgs(ctx context.Context, key, field string, incr int64, a *ExHIncrArgs) *IntCmd
	ExHIncrByFloat(ctx context.Context, key, field string, incr float64) *FloatCmd
	ExHIncrByFloatArgs(ctx context.Context, key, field string, incr float64, a *ExHIncrArgs) *FloatCmd
	ExHDel(ctx context.Context, key string, fields ...string) *IntCmd
	ExHDelWithVer(ctx context.Context, key string, fieldVersions ...FieldVersion) *IntCmd

	ExHGet(ctx context.Context, key, field string) *StringCmd
	ExHGetWithVer(ctx context.Context, key, field string) *ValueVersionCmd
	ExHMGet(ctx context.Context, key string, fields ...string) *OptionalStringSliceCmd
	ExHMGetWithVer(ctx context.Context, key string, fields ...string) *ValueVersionSliceCmd
	ExHLen(ctx context.Context, key string) *IntCmd
	ExHLenNoExp(ctx context.Context, key string) *IntCmd
	ExHExists(ctx context.Context, key, field string) *BoolCmd
	ExHStrLen(ctx context.Context, key, field string) *IntCmd
	ExHKeys(ctx context.Context, key string) *StringSliceCmd
	ExHVals(ctx context.Context, key string) *StringSliceCmd
	ExHGetAll(ctx context.Context, key string) *StringMapCmd
	ExHGetAllWithVer(ctx context.Context, key string) *ValueVersionMapCmd
	ExHScan(ctx context.Context, key string, cursor uint64) *ScanCmd
	ExHScanArgs(ctx context.Context, key string, cursor uint64, a *ExHScanArgs) *ScanCmd

	ExHPExpire(ctx context.Context, key, field string, ttl time.Duration) *BoolCmd
	ExHPExpireArgs(ctx context.Context, key, field string, ttl time.Duration, a *ExHExpireArgs) *BoolCmd
	ExHExpire(ctx context.Context, key, field string, ttl time.Duration) *BoolCmd
	ExHExpireArgs(ctx context.Context, key, field string, ttl time.Duration, a *ExHExpireArgs) *BoolCmd
	ExHPExpireAt(ctx context.Context, key, field string, t time.Time) *BoolCmd
	ExHPExpireAtArgs(ctx context.Context, key, field string, t time.Time, a *ExHExpireArgs) *BoolCmd
	ExHExpireAt(ctx context.Context, key, field string, t time.Time) *BoolCmd
	ExHExpireAtArgs(ctx context.Context, key, field string, t time.Time, a *ExHExpireArgs) *BoolCmd
	ExHPersist(ctx context.Context, key, field string) *BoolCmd
	ExHTTL(ctx context.Context, key, field string) *TTLCmd
	ExHPTTL(ctx context.Context, key, field string) *TTLCmd
	ExHVer(ctx context.Context, key, field string) *VersionCmd
	ExHSetVer(ctx context.Context, key, field string, version int64) *BoolCmd

	DelKeys(ctx context.Context, keys ...string) *IntCmd
	UnlinkKeys(ctx context.Context, keys ...string) *IntCmd
	ExistsKeys(ctx context.Context, keys ...string) *IntCmd
	RenameKey(ctx context.Context, src, dst string) *StatusCmd
	RenameKeyNX(ctx context.Context, src, dst string) *BoolCmd
	MoveKey(ctx context.Context, key string, db int) *BoolCmd
	CopyKey(ctx context.Context, src, dst string, db int, replace bool) *BoolCmd
	ExpireKey(ctx context.Context, key string, ttl time.Duration, when ...ExpireCondition) *BoolCmd
	PExpireKey(ctx context.Context, key string, ttl time.Duration, when ...ExpireCondition) *BoolCmd
	ExpireAtKey(ctx context.Context, key string, t time.Time, when ...ExpireCondition) *BoolCmd
	PExpireAtKey(ctx context.Context, key string, t time.Time, when ...ExpireCondition) *BoolCmd
	PersistKey(ctx context.Context, key string) *BoolCmd
	TTLKey(ctx context.Context, key string) *TTLCmd
	PTTLKey(ctx context.Context, key string) *TTLCmd
	ExpireTimeKey(ctx context.Context, key string) *ExpireTimeCmd
	PExpireTimeKey(ctx context.Context, key string) *ExpireTimeCmd
}

var (
	_ Cmdable   = Commands{}
	_ Cmdable   = (*Client)(nil)
	_ Pipeliner = (*pipeline)(nil)
)
