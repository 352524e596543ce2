package tair

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// The TairHash commands. They run on every backend (the module, hash-field expiration, Lua) and
// reply as tair-go read the module's replies. Integer arguments are sent as they are: seconds
// where the module takes seconds, milliseconds where it takes milliseconds.

// ExHSet sets a field: 1 if it was created, 0 if it was updated.
func (c tairCmdable) ExHSet(ctx context.Context, key, field, value string) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, "exhset", key, field, value)
	c.hash(ctx, cmd)
	return cmd
}

// ExHGet returns a field's value, redis.Nil when it is absent.
func (c tairCmdable) ExHGet(ctx context.Context, key, field string) *redis.StringCmd {
	cmd := redis.NewStringCmd(ctx, "exhget", key, field)
	c.hash(ctx, cmd)
	return cmd
}

// ExHSetArgs is ExHSet with options; -1 when XX or NX prevented the write.
func (c tairCmdable) ExHSetArgs(ctx context.Context, key, field, value string, arg *ExHSetArgs) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, append([]any{"exhset", key, field, value}, arg.GetArgs()...)...)
	c.hash(ctx, cmd)
	return cmd
}

// ExHSetNx sets a field that does not exist: 1 if it did so, 0 otherwise.
func (c tairCmdable) ExHSetNx(ctx context.Context, key, field, value string) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, "exhsetnx", key, field, value)
	c.hash(ctx, cmd)
	return cmd
}

// ExHMSet sets several fields ("OK").
func (c tairCmdable) ExHMSet(ctx context.Context, key string, fieldValue map[string]string) *redis.StatusCmd {
	args := make([]any, 0, 2+2*len(fieldValue))
	args = append(args, "exhmset", key)
	for f, v := range fieldValue {
		args = append(args, f, v)
	}
	cmd := redis.NewStatusCmd(ctx, args...)
	c.hash(ctx, cmd)
	return cmd
}

// ExHMSetWithOpts sets several fields, each with a version check and a TTL in seconds ("OK"). It
// fails as a whole if one version does not match. (tair-go built this command and never sent it.)
func (c tairCmdable) ExHMSetWithOpts(ctx context.Context, key string, arg ...*ExHMSetWithOptsArgs) *redis.StatusCmd {
	args := make([]any, 0, 2+4*len(arg))
	args = append(args, "exhmsetwithopts", key)
	for _, a := range arg {
		args = append(args, a.GetArgs()...)
	}
	cmd := redis.NewStatusCmd(ctx, args...)
	c.hash(ctx, cmd)
	return cmd
}

// ExHPExpire sets a field's TTL in milliseconds: true if the field exists.
func (c tairCmdable) ExHPExpire(ctx context.Context, key, field string, milliseconds int) *redis.BoolCmd {
	return c.expire(ctx, "exhpexpire", key, field, milliseconds)
}

// ExHPExpireAt expires a field at a Unix time in milliseconds.
func (c tairCmdable) ExHPExpireAt(ctx context.Context, key, field string, unixTime int) *redis.BoolCmd {
	return c.expire(ctx, "exhpexpireat", key, field, unixTime)
}

// ExHExpire sets a field's TTL in seconds.
func (c tairCmdable) ExHExpire(ctx context.Context, key, field string, seconds int) *redis.BoolCmd {
	return c.expire(ctx, "exhexpire", key, field, seconds)
}

// ExHExpireAt expires a field at a Unix time in seconds.
func (c tairCmdable) ExHExpireAt(ctx context.Context, key, field string, unixTime int) *redis.BoolCmd {
	return c.expire(ctx, "exhexpireat", key, field, unixTime)
}

func (c tairCmdable) expire(ctx context.Context, name, key, field string, n int) *redis.BoolCmd {
	cmd := redis.NewBoolCmd(ctx, name, key, field, n)
	c.hash(ctx, cmd)
	return cmd
}

// ExHPTTL returns a field's TTL in milliseconds: -1 without TTL, -2 when the key is absent, -3
// when the field is.
func (c tairCmdable) ExHPTTL(ctx context.Context, key, field string) *redis.IntCmd {
	return c.fieldInt(ctx, "exhpttl", key, field)
}

// ExHTTL returns a field's TTL in seconds, with ExHPTTL's negative values.
func (c tairCmdable) ExHTTL(ctx context.Context, key, field string) *redis.IntCmd {
	return c.fieldInt(ctx, "exhttl", key, field)
}

// ExHVer returns a field's version: -1 when the key is absent, -2 when the field is.
func (c tairCmdable) ExHVer(ctx context.Context, key, field string) *redis.IntCmd {
	return c.fieldInt(ctx, "exhver", key, field)
}

// ExHStrLen returns the length of a field's value, 0 when it is absent.
func (c tairCmdable) ExHStrLen(ctx context.Context, key, field string) *redis.IntCmd {
	return c.fieldInt(ctx, "exhstrlen", key, field)
}

func (c tairCmdable) fieldInt(ctx context.Context, name, key, field string) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, name, key, field)
	c.hash(ctx, cmd)
	return cmd
}

// ExHSetVer sets a field's version: true if the field exists.
func (c tairCmdable) ExHSetVer(ctx context.Context, key, field string, version int) *redis.BoolCmd {
	cmd := redis.NewBoolCmd(ctx, "exhsetver", key, field, version)
	c.hash(ctx, cmd)
	return cmd
}

// ExHIncrBy adds value to a field's integer and returns the result.
func (c tairCmdable) ExHIncrBy(ctx context.Context, key, field string, value int) *redis.IntCmd {
	return c.ExHIncrByArgs(ctx, key, field, value, nil)
}

// ExHIncrByArgs is ExHIncrBy with options (a nil arg is none).
func (c tairCmdable) ExHIncrByArgs(ctx context.Context, key, field string, value int, arg *ExHIncrArgs) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, incrArgs("exhincrby", key, field, value, arg)...)
	c.hash(ctx, cmd)
	return cmd
}

// ExHIncrByFloat adds value to a field's number and returns the result as the server writes it.
func (c tairCmdable) ExHIncrByFloat(ctx context.Context, key, field string, value float64) *redis.StringCmd {
	return c.ExHIncrByFloatArgs(ctx, key, field, value, nil)
}

// ExHIncrByFloatArgs is ExHIncrByFloat with options (a nil arg is none).
func (c tairCmdable) ExHIncrByFloatArgs(ctx context.Context, key, field string, value float64, arg *ExHIncrArgs) *redis.StringCmd {
	cmd := redis.NewStringCmd(ctx, incrArgs("exhincrbyfloat", key, field, value, arg)...)
	c.hash(ctx, cmd)
	return cmd
}

func incrArgs(name, key, field string, value any, arg *ExHIncrArgs) []any {
	args := []any{name, key, field, value}
	if arg != nil {
		args = append(args, arg.GetArgs()...)
	}
	return args
}

// ExHGetWithVer returns [value, version] of a field, redis.Nil when it is absent.
func (c tairCmdable) ExHGetWithVer(ctx context.Context, key, field string) *redis.SliceCmd {
	cmd := redis.NewSliceCmd(ctx, "exhgetwithver", key, field)
	c.hash(ctx, cmd)
	return cmd
}

// ExHMGet returns the values of fields, "" for an absent one.
func (c tairCmdable) ExHMGet(ctx context.Context, key string, field ...string) *redis.StringSliceCmd {
	cmd := redis.NewStringSliceCmd(ctx, keyFields("exhmget", key, field)...)
	c.hash(ctx, cmd)
	return cmd
}

// ExHMGetWithVer returns [value, version] for each field, nil for an absent one.
func (c tairCmdable) ExHMGetWithVer(ctx context.Context, key string, field ...string) *redis.SliceCmd {
	cmd := redis.NewSliceCmd(ctx, keyFields("exhmgetwithver", key, field)...)
	c.hash(ctx, cmd)
	return cmd
}

// ExHDel deletes fields and returns how many existed.
func (c tairCmdable) ExHDel(ctx context.Context, key string, field ...string) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, keyFields("exhdel", key, field)...)
	c.hash(ctx, cmd)
	return cmd
}

func keyFields(name, key string, fields []string) []any {
	args := make([]any, 0, 2+len(fields))
	args = append(args, name, key)
	for _, f := range fields {
		args = append(args, f)
	}
	return args
}

// ExHLen returns the number of fields (fields that expired but were not yet removed may count).
func (c tairCmdable) ExHLen(ctx context.Context, key string) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, "exhlen", key)
	c.hash(ctx, cmd)
	return cmd
}

// ExHExists reports whether a field exists.
func (c tairCmdable) ExHExists(ctx context.Context, key, field string) *redis.BoolCmd {
	cmd := redis.NewBoolCmd(ctx, "exhexists", key, field)
	c.hash(ctx, cmd)
	return cmd
}

// ExHKeys returns the field names.
func (c tairCmdable) ExHKeys(ctx context.Context, key string) *redis.StringSliceCmd {
	cmd := redis.NewStringSliceCmd(ctx, "exhkeys", key)
	c.hash(ctx, cmd)
	return cmd
}

// ExHVals returns the values.
func (c tairCmdable) ExHVals(ctx context.Context, key string) *redis.StringSliceCmd {
	cmd := redis.NewStringSliceCmd(ctx, "exhvals", key)
	c.hash(ctx, cmd)
	return cmd
}

// ExHGetAll returns the fields and their values (go-redis v9 calls tair-go's StringStringMapCmd
// MapStringStringCmd).
func (c tairCmdable) ExHGetAll(ctx context.Context, key string) *redis.MapStringStringCmd {
	cmd := redis.NewMapStringStringCmd(ctx, "exhgetall", key)
	c.hash(ctx, cmd)
	return cmd
}

// ExHScan returns one page: [next cursor, [field, value, ...]]; cursor "0" starts and ends a scan.
func (c tairCmdable) ExHScan(ctx context.Context, key string, cursor string) *redis.SliceCmd {
	cmd := redis.NewSliceCmd(ctx, "exhscan", key, cursor)
	c.hash(ctx, cmd)
	return cmd
}
