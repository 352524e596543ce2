package exhash

import (
	"context"
	"math"
	"strconv"
)

// ExHSet writes field = value, creating the key if needed; the field's TTL is removed and its
// version becomes 1 (new field) or current+1. Reply: SetCreated or SetUpdated.
func (cs Commands) ExHSet(ctx context.Context, key, field, value string) *SetCmd {
	return send(ctx, cs, decodeSet, "exhset", key, field, value)
}

// ExHSetArgs is ExHSet with options (TTL, NX/XX, VER/ABS/GT, KEEPTTL). Reply: SetCreated,
// SetUpdated, or SetNotApplied when NX/XX was not satisfied; a failed VER/GT precondition is
// ErrStaleVersion.
func (cs Commands) ExHSetArgs(ctx context.Context, key, field, value string, a *ExHSetArgs) *SetCmd {
	args, err := a.appendTo([]any{"exhset", key, field, value})
	if err != nil {
		return refused[SetResult](cs, args, err)
	}
	return send(ctx, cs, decodeSet, args...)
}

// ExHSetNx writes field = value only if the field does not exist (it then has version 0 and no TTL).
// Reply: whether it was written.
func (cs Commands) ExHSetNx(ctx context.Context, key, field, value string) *BoolCmd {
	return send(ctx, cs, decodeBool, "exhsetnx", key, field, value)
}

// ExHMSet writes several fields; new fields get version 1 and no TTL, existing ones keep their TTL
// and get current+1. An empty map is refused (the module would create an empty key).
func (cs Commands) ExHMSet(ctx context.Context, key string, fieldValue map[string]string) *StatusCmd {
	args := make([]any, 0, 2+2*len(fieldValue))
	args = append(args, "exhmset", key)
	if len(fieldValue) == 0 {
		return refused[Status](cs, args, invalid(nil, "EXHMSET", "no fields to set"))
	}
	for f, v := range fieldValue {
		args = append(args, f, v)
	}
	return send(ctx, cs, decodeStatus, args...)
}

// ExHMSetWithOpts writes several fields, each with a TTL and a VER-style precondition. It is all or
// nothing: if any precondition fails the command fails with ErrStaleVersion and writes nothing.
func (cs Commands) ExHMSetWithOpts(ctx context.Context, key string, tuples ...*ExHMSetWithOptsArgs) *StatusCmd {
	args := make([]any, 0, 2+4*len(tuples))
	args = append(args, "exhmsetwithopts", key)
	if len(tuples) == 0 {
		return refused[Status](cs, args, invalid(nil, "EXHMSETWITHOPTS", "no fields to set"))
	}
	for _, t := range tuples {
		var err error
		if args, err = t.appendTo(args); err != nil {
			return refused[Status](cs, args, err)
		}
	}
	return send(ctx, cs, decodeStatus, args...)
}

// ExHIncrBy adds incr to the field's integer value (an absent field counts as 0) and returns the new
// value. The field's TTL is removed; use ExHIncrByArgs with KeepTTL to keep it.
func (cs Commands) ExHIncrBy(ctx context.Context, key, field string, incr int64) *IntCmd {
	return send(ctx, cs, decodeInt, "exhincrby", key, field, itoa(incr))
}

// ExHIncrByArgs is ExHIncrBy with options (TTL, KEEPTTL, VER/ABS/GT, MIN/MAX).
func (cs Commands) ExHIncrByArgs(ctx context.Context, key, field string, incr int64, a *ExHIncrArgs) *IntCmd {
	args, err := a.appendTo("EXHINCRBY", []any{"exhincrby", key, field, itoa(incr)})
	if err != nil {
		return refused[int64](cs, args, err)
	}
	return send(ctx, cs, decodeInt, args...)
}

// ExHIncrByFloat adds incr to the field's numeric value and returns the new value. The field's TTL is
// removed; use ExHIncrByFloatArgs with KeepTTL to keep it. NaN and ±Inf are refused.
func (cs Commands) ExHIncrByFloat(ctx context.Context, key, field string, incr float64) *FloatCmd {
	return cs.ExHIncrByFloatArgs(ctx, key, field, incr, nil)
}

// ExHIncrByFloatArgs is ExHIncrByFloat with options (TTL, KEEPTTL, VER/ABS/GT, MIN/MAX).
func (cs Commands) ExHIncrByFloatArgs(ctx context.Context, key, field string, incr float64, a *ExHIncrArgs) *FloatCmd {
	const cmd = "EXHINCRBYFLOAT"
	args := []any{"exhincrbyfloat", key, field}
	switch {
	case math.IsNaN(incr):
		return refused[Float](cs, args, invalid(ErrNotFloat, cmd, "increment is NaN"))
	case math.IsInf(incr, 0):
		return refused[Float](cs, args, invalid(ErrOverflow, cmd, "increment is infinite"))
	}
	args, err := a.appendTo(cmd, append(args, strconv.FormatFloat(incr, 'g', -1, 64)))
	if err != nil {
		return refused[Float](cs, args, err)
	}
	return send(ctx, cs, decodeFloat, args...)
}

// ExHDel removes fields and returns how many live fields it removed.
func (cs Commands) ExHDel(ctx context.Context, key string, fields ...string) *IntCmd {
	args := make([]any, 0, 2+len(fields))
	args = append(args, "exhdel", key)
	if len(fields) == 0 {
		return refused[int64](cs, args, invalid(ErrArity, "EXHDEL", "no fields"))
	}
	for _, f := range fields {
		args = append(args, f)
	}
	return send(ctx, cs, decodeInt, args...)
}

// ExHDelWithVer removes each field whose version equals the given one (0: any version) and returns
// how many it removed; fields with another version are kept without error.
func (cs Commands) ExHDelWithVer(ctx context.Context, key string, fieldVersions ...FieldVersion) *IntCmd {
	const cmd = "EXHDELWITHVER"
	args := make([]any, 0, 2+2*len(fieldVersions))
	args = append(args, "exhdelwithver", key)
	if len(fieldVersions) == 0 {
		return refused[int64](cs, args, invalid(ErrArity, cmd, "no fields"))
	}
	for _, fv := range fieldVersions {
		if fv.Version < 0 {
			return refused[int64](cs, args, invalid(nil, cmd, "version of field %q must not be negative, got %d", fv.Field, fv.Version))
		}
		args = append(args, fv.Field, itoa(fv.Version))
	}
	return send(ctx, cs, decodeInt, args...)
}
