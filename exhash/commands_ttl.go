package exhash

import (
	"context"
	"strings"
	"time"
)

// The EXHPEXPIRE family replies true when the TTL was set and false when the key or field does not
// exist. Without a version option a successful call increases the field's version by one.

// ExHPExpire expires the field after ttl (positive; millisecond resolution, a remainder is rounded
// up).
func (cs Commands) ExHPExpire(ctx context.Context, key, field string, ttl time.Duration) *BoolCmd {
	return cs.ExHPExpireArgs(ctx, key, field, ttl, nil)
}

// ExHPExpireArgs is ExHPExpire with a version option.
func (cs Commands) ExHPExpireArgs(ctx context.Context, key, field string, ttl time.Duration, a *ExHExpireArgs) *BoolCmd {
	ms, err := millis("EXHPEXPIRE", "TTL", ttl)
	return cs.expire(ctx, "exhpexpire", key, field, ms, err, a)
}

// ExHExpire expires the field after ttl, a positive whole number of seconds (use ExHPExpire for
// sub-second precision).
func (cs Commands) ExHExpire(ctx context.Context, key, field string, ttl time.Duration) *BoolCmd {
	return cs.ExHExpireArgs(ctx, key, field, ttl, nil)
}

// ExHExpireArgs is ExHExpire with a version option.
func (cs Commands) ExHExpireArgs(ctx context.Context, key, field string, ttl time.Duration, a *ExHExpireArgs) *BoolCmd {
	s, err := seconds("EXHEXPIRE", "TTL", ttl)
	return cs.expire(ctx, "exhexpire", key, field, s, err, a)
}

// ExHPExpireAt expires the field at t (millisecond resolution, rounded up; a past t expires it at
// once).
func (cs Commands) ExHPExpireAt(ctx context.Context, key, field string, t time.Time) *BoolCmd {
	return cs.ExHPExpireAtArgs(ctx, key, field, t, nil)
}

// ExHPExpireAtArgs is ExHPExpireAt with a version option.
func (cs Commands) ExHPExpireAtArgs(ctx context.Context, key, field string, t time.Time, a *ExHExpireArgs) *BoolCmd {
	ms, err := unixMillis("EXHPEXPIREAT", "time", t)
	return cs.expire(ctx, "exhpexpireat", key, field, ms, err, a)
}

// ExHExpireAt expires the field at t, a whole Unix second (use ExHPExpireAt otherwise; a past t
// expires it at once).
func (cs Commands) ExHExpireAt(ctx context.Context, key, field string, t time.Time) *BoolCmd {
	return cs.ExHExpireAtArgs(ctx, key, field, t, nil)
}

// ExHExpireAtArgs is ExHExpireAt with a version option.
func (cs Commands) ExHExpireAtArgs(ctx context.Context, key, field string, t time.Time, a *ExHExpireArgs) *BoolCmd {
	s, err := unixSeconds("EXHEXPIREAT", "time", t)
	return cs.expire(ctx, "exhexpireat", key, field, s, err, a)
}

func (cs Commands) expire(ctx context.Context, name, key, field string, n int64, err error, a *ExHExpireArgs) *BoolCmd {
	args := []any{name, key, field}
	if err != nil {
		return refused[bool](cs, args, err)
	}
	if args, err = a.appendTo(strings.ToUpper(name), append(args, itoa(n))); err != nil {
		return refused[bool](cs, args, err)
	}
	return send(ctx, cs, decodeBool, args...)
}

// ExHPersist removes the field's TTL; it reports whether there was one to remove.
func (cs Commands) ExHPersist(ctx context.Context, key, field string) *BoolCmd {
	return send(ctx, cs, decodeBool, "exhpersist", key, field)
}

// ExHTTL returns the field's remaining TTL in whole seconds (the module rounds half up, so a field
// with under 500 ms left reports 0 while still readable), or why there is none.
func (cs Commands) ExHTTL(ctx context.Context, key, field string) *TTLCmd {
	return send(ctx, cs, decodeTTL(time.Second), "exhttl", key, field)
}

// ExHPTTL returns the field's remaining TTL in milliseconds, or why there is none.
func (cs Commands) ExHPTTL(ctx context.Context, key, field string) *TTLCmd {
	return send(ctx, cs, decodeTTL(time.Millisecond), "exhpttl", key, field)
}

// ExHVer returns the field's version, or whether the key or the field is missing.
func (cs Commands) ExHVer(ctx context.Context, key, field string) *VersionCmd {
	return send(ctx, cs, decodeVersion, "exhver", key, field)
}

// ExHSetVer sets the field's version to version (≥ 1; it may be lower than the current one). Reply:
// false when the key or field does not exist.
func (cs Commands) ExHSetVer(ctx context.Context, key, field string, version int64) *BoolCmd {
	args := []any{"exhsetver", key, field}
	if version < 1 {
		return refused[bool](cs, args, invalid(ErrSyntax, "EXHSETVER", "version must be at least 1, got %d", version))
	}
	return send(ctx, cs, decodeBool, append(args, itoa(version))...)
}
