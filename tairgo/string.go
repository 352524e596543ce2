package tair

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// The TairString commands are sent as they are: only Tair knows them. On a server without them
// (stock Redis, Valkey) each returns the server's "ERR unknown command" error. No backend of this
// library emulates them.

// Cas sets key to newVal if its value is oldVal: 1 if it did, 0 if the value differed, -1 if the
// key is absent. Tair only.
func (c tairCmdable) Cas(ctx context.Context, key string, oldVal, newVal interface{}) *redis.IntCmd {
	return c.CasArgs(ctx, key, oldVal, newVal, nil)
}

// CasArgs is Cas with options (a nil a is none). Tair only.
func (c tairCmdable) CasArgs(ctx context.Context, key string, oldVal, newVal interface{}, a *CasArgs) *redis.IntCmd {
	return c.intCmd(ctx, append([]any{"cas", key, oldVal, newVal}, a.GetArgs()...)...)
}

// Cad deletes key if its value is value. Tair only.
func (c tairCmdable) Cad(ctx context.Context, key string, value interface{}) *redis.IntCmd {
	return c.intCmd(ctx, "cad", key, value)
}

// ExSet sets a TairString ("OK"). Tair only.
func (c tairCmdable) ExSet(ctx context.Context, key string, value interface{}) *redis.StatusCmd {
	return c.ExSetArgs(ctx, key, value, nil)
}

// ExSetArgs is ExSet with options (a nil a is none). Tair only.
func (c tairCmdable) ExSetArgs(ctx context.Context, key string, value interface{}, a *ExSetArgs) *redis.StatusCmd {
	return c.statusCmd(ctx, append([]any{"exset", key, value}, a.GetArgs()...)...)
}

// ExSetWithVersion is ExSet with options that returns the new version. Tair only.
func (c tairCmdable) ExSetWithVersion(ctx context.Context, key string, value interface{}, exSetParam ExSetArgs) *redis.IntCmd {
	return c.intCmd(ctx, append([]any{"exset", key, value, "withversion"}, exSetParam.GetArgs()...)...)
}

// ExSetVer sets a TairString's version (EXSETVER; tair-go sent EXSET). Tair only.
func (c tairCmdable) ExSetVer(ctx context.Context, key string, version int64) *redis.IntCmd {
	return c.intCmd(ctx, "exsetver", key, version)
}

// ExGet returns [value, version]. Tair only.
func (c tairCmdable) ExGet(ctx context.Context, key string) *redis.SliceCmd {
	return c.sliceCmd(ctx, "exget", key)
}

// ExGetWithFlags returns [value, version, flags]. Tair only.
func (c tairCmdable) ExGetWithFlags(ctx context.Context, key string) *redis.SliceCmd {
	return c.sliceCmd(ctx, "exget", key, "withflags")
}

// ExIncrBy adds incr to a TairString's integer. Tair only.
func (c tairCmdable) ExIncrBy(ctx context.Context, key string, incr int64) *redis.IntCmd {
	return c.intCmd(ctx, "exincrby", key, incr)
}

// ExIncrByArgs is ExIncrBy with options (a nil a is none). Tair only.
func (c tairCmdable) ExIncrByArgs(ctx context.Context, key string, incr int64, a *ExIncrByArgs) *redis.IntCmd {
	args := []any{"exincrby", key, incr}
	if a != nil {
		args = append(args, a.GetArgs()...)
	}
	return c.intCmd(ctx, args...)
}

// ExIncrByWithVersion is ExIncrByArgs returning [value, version] (it sends WITHVERSION, which
// tair-go left out). Tair only.
func (c tairCmdable) ExIncrByWithVersion(ctx context.Context, key string, incr int64, param ExIncrByArgs) *redis.SliceCmd {
	return c.sliceCmd(ctx, append([]any{"exincrby", key, incr}, append(param.GetArgs(), "withversion")...)...)
}

// ExIncrByFloat adds incr to a TairString's number. Tair only.
func (c tairCmdable) ExIncrByFloat(ctx context.Context, key string, incr float64) *redis.FloatCmd {
	return c.ExIncrByFloatArgs(ctx, key, incr, nil)
}

// ExIncrByFloatArgs is ExIncrByFloat with options (a nil a is none). Tair only.
func (c tairCmdable) ExIncrByFloatArgs(ctx context.Context, key string, incr float64, a *ExIncrByArgs) *redis.FloatCmd {
	args := []any{"exincrbyfloat", key, incr}
	if a != nil {
		args = append(args, a.GetArgs()...)
	}
	cmd := redis.NewFloatCmd(ctx, args...)
	c.send(ctx, cmd)
	return cmd
}

// ExCas sets newVal if the version is version: [result, value, version]. Tair only.
func (c tairCmdable) ExCas(ctx context.Context, key string, newVal interface{}, version int64) *redis.SliceCmd {
	return c.sliceCmd(ctx, "excas", key, newVal, version)
}

// ExCad deletes key if its version is version. Tair only.
func (c tairCmdable) ExCad(ctx context.Context, key string, version int) *redis.IntCmd {
	return c.intCmd(ctx, "excad", key, version)
}

// ExAppend appends value; nxxx is "nx" or "xx", verAbs "ver" or "abs". Tair only.
func (c tairCmdable) ExAppend(ctx context.Context, key string, value interface{}, nxxx, verAbs string, version int64) *redis.IntCmd {
	return c.intCmd(ctx, "exappend", key, value, nxxx, verAbs, version)
}

// ExPreAppend prepends value (EXPREPEND), with ExAppend's options. Tair only.
func (c tairCmdable) ExPreAppend(ctx context.Context, key string, value interface{}, nxxx, verAbs string, version int) *redis.IntCmd {
	return c.intCmd(ctx, "exprepend", key, value, nxxx, verAbs, version)
}

// ExGae gets the value and sets the expiry: expxwithat is "ex", "px", "exat" or "pxat"; a relative
// time follows the rule of ExHSetArgs.Ex and Px, an absolute one is sent as its integer. Tair only.
func (c tairCmdable) ExGae(ctx context.Context, key string, expxwithat string, time time.Duration) *redis.SliceCmd {
	var a arg
	var t ttl
	args := []any{"exgae", key}
	switch strings.ToLower(expxwithat) {
	case EX:
		a.mark(EX)
		t.ex = time
		args = a.appendTTL(args, t)
	case PX:
		a.mark(PX)
		t.px = time
		args = a.appendTTL(args, t)
	default:
		args = append(args, expxwithat, int64(time))
	}
	return c.sliceCmd(ctx, args...)
}

func (c tairCmdable) intCmd(ctx context.Context, args ...any) *redis.IntCmd {
	cmd := redis.NewIntCmd(ctx, args...)
	c.send(ctx, cmd)
	return cmd
}

func (c tairCmdable) statusCmd(ctx context.Context, args ...any) *redis.StatusCmd {
	cmd := redis.NewStatusCmd(ctx, args...)
	c.send(ctx, cmd)
	return cmd
}

func (c tairCmdable) sliceCmd(ctx context.Context, args ...any) *redis.SliceCmd {
	cmd := redis.NewSliceCmd(ctx, args...)
	c.send(ctx, cmd)
	return cmd
}

func (c tairCmdable) stringCmd(ctx context.Context, args ...any) *redis.StringCmd {
	cmd := redis.NewStringCmd(ctx, args...)
	c.send(ctx, cmd)
	return cmd
}

func (c tairCmdable) stringSliceCmd(ctx context.Context, args ...any) *redis.StringSliceCmd {
	cmd := redis.NewStringSliceCmd(ctx, args...)
	c.send(ctx, cmd)
	return cmd
}
