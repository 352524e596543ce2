package exhash

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Key-level commands. On the module they are Redis' own; on the emulations a key's field deadlines
// and versions live in companion keys, and these commands carry the companions along in the same
// atomic call, so nothing is left behind and a renamed, moved or copied key keeps its fields' TTLs
// and versions. Use them instead of go-redis' Del, Rename, … on TairHash keys. On a cluster the
// keys of one call must share a slot, as Redis requires.
//
// Their names end in Key(s) so that they do not clash with go-redis' methods on a Pipeliner.

// DelKeys removes keys with all their fields, like DEL, and returns how many existed.
func (cs Commands) DelKeys(ctx context.Context, keys ...string) *IntCmd {
	return keysCommand(ctx, cs, "del", keys)
}

// UnlinkKeys is DelKeys with UNLINK: the server reclaims the memory in the background.
func (cs Commands) UnlinkKeys(ctx context.Context, keys ...string) *IntCmd {
	return keysCommand(ctx, cs, "unlink", keys)
}

// ExistsKeys returns how many of keys exist, like EXISTS (a key named twice counts twice).
func (cs Commands) ExistsKeys(ctx context.Context, keys ...string) *IntCmd {
	return keysCommand(ctx, cs, "exists", keys)
}

func keysCommand(ctx context.Context, cs Commands, name string, keys []string) *IntCmd {
	args := make([]any, 0, 1+len(keys))
	args = append(args, name)
	for _, k := range keys {
		args = append(args, k)
	}
	if len(keys) == 0 {
		return refused[int64](cs, args, invalid(ErrArity, name, "no keys"))
	}
	return send(ctx, cs, decodeInt, args...)
}

// RenameKey renames src to dst, like RENAME: dst is overwritten, and the fields keep their values,
// versions and TTLs. It fails with "ERR no such key" when src does not exist.
func (cs Commands) RenameKey(ctx context.Context, src, dst string) *StatusCmd {
	return send(ctx, cs, decodeStatus, "rename", src, dst)
}

// RenameKeyNX renames src to dst only if dst does not exist, like RENAMENX, and reports whether it did.
func (cs Commands) RenameKeyNX(ctx context.Context, src, dst string) *BoolCmd {
	return send(ctx, cs, decodeBool, "renamenx", src, dst)
}

// MoveKey moves key to database db, like MOVE, and reports whether it did (false when db already has
// the key, or this one does not). Not on a cluster, which has one database.
func (cs Commands) MoveKey(ctx context.Context, key string, db int) *BoolCmd {
	return send(ctx, cs, decodeBool, "move", key, strconv.Itoa(db))
}

// CopyKey copies src to dst, like COPY, in database db (db < 0: the current one), replacing dst if
// replace is set, and reports whether it copied.
func (cs Commands) CopyKey(ctx context.Context, src, dst string, db int, replace bool) *BoolCmd {
	args := []any{"copy", src, dst}
	if db >= 0 {
		args = append(args, "db", strconv.Itoa(db))
	}
	if replace {
		args = append(args, "replace")
	}
	return send(ctx, cs, decodeBool, args...)
}

// Key-level expiry. A key deadline set with ExpireKey and its family ends the key with all its
// fields at that instant, whatever the fields' own TTLs (a field TTL never extends it, and one
// that runs out first removes only its field); writes to the key keep it, as Redis keeps a hash's
// TTL on HSET; PersistKey removes it. TTLKey and its family report that deadline only: a key whose
// fields have TTLs but that has no deadline of its own reports "persistent", as on the module. On
// the module these are Redis' own commands; on the emulations they carry the deadline to the
// companion keys (docs/semantics.md §8.5).

// ExpireCondition makes a key-level expiry command conditional (Redis 7.0 and later). NX cannot be
// combined with another condition, nor GT with LT.
type ExpireCondition string

const (
	// ExpireNX sets the deadline only when the key has none.
	ExpireNX ExpireCondition = "NX"
	// ExpireXX sets the deadline only when the key has one.
	ExpireXX ExpireCondition = "XX"
	// ExpireGT sets the deadline only when it is later than the current one (none counts as
	// infinitely late, so GT never sets a first deadline).
	ExpireGT ExpireCondition = "GT"
	// ExpireLT sets the deadline only when it is earlier than the current one, or there is none.
	ExpireLT ExpireCondition = "LT"
)

// ExpireKey gives key a deadline ttl from now, a positive whole number of seconds, like EXPIRE, and
// reports whether it was set (false: no key, or a condition not met).
func (cs Commands) ExpireKey(ctx context.Context, key string, ttl time.Duration, when ...ExpireCondition) *BoolCmd {
	s, err := seconds("EXPIRE", "TTL", ttl)
	return cs.expireKey(ctx, "expire", key, s, err, when)
}

// PExpireKey is ExpireKey with millisecond precision (PEXPIRE; a remainder is rounded up).
func (cs Commands) PExpireKey(ctx context.Context, key string, ttl time.Duration, when ...ExpireCondition) *BoolCmd {
	ms, err := millis("PEXPIRE", "TTL", ttl)
	return cs.expireKey(ctx, "pexpire", key, ms, err, when)
}

// ExpireAtKey gives key the deadline t, a whole Unix second, like EXPIREAT (a past t deletes the
// key).
func (cs Commands) ExpireAtKey(ctx context.Context, key string, t time.Time, when ...ExpireCondition) *BoolCmd {
	s, err := unixSeconds("EXPIREAT", "time", t)
	return cs.expireKey(ctx, "expireat", key, s, err, when)
}

// PExpireAtKey is ExpireAtKey with millisecond precision (PEXPIREAT; rounded up).
func (cs Commands) PExpireAtKey(ctx context.Context, key string, t time.Time, when ...ExpireCondition) *BoolCmd {
	ms, err := unixMillis("PEXPIREAT", "time", t)
	return cs.expireKey(ctx, "pexpireat", key, ms, err, when)
}

func (cs Commands) expireKey(ctx context.Context, name, key string, n int64, err error, when []ExpireCondition) *BoolCmd {
	args := []any{name, key, itoa(n)}
	if err != nil {
		return refused[bool](cs, args, err)
	}
	seen := map[ExpireCondition]bool{}
	for _, c := range when {
		switch c {
		case ExpireNX, ExpireXX, ExpireGT, ExpireLT:
		default:
			return refused[bool](cs, args, invalid(ErrSyntax, strings.ToUpper(name), "unknown condition %q", string(c)))
		}
		seen[c] = true
		args = append(args, string(c))
	}
	if seen[ExpireNX] && len(seen) > 1 || seen[ExpireGT] && seen[ExpireLT] {
		return refused[bool](cs, args, invalid(ErrSyntax, strings.ToUpper(name), "conditions %v cannot be combined", when))
	}
	return send(ctx, cs, decodeBool, args...)
}

// PersistKey removes key's deadline, like PERSIST, and reports whether there was one.
func (cs Commands) PersistKey(ctx context.Context, key string) *BoolCmd {
	return send(ctx, cs, decodeBool, "persist", key)
}

// TTLKey returns the time left until key's deadline in whole seconds (rounded half up), like TTL;
// Persistent when it has none, NoKey when it does not exist.
func (cs Commands) TTLKey(ctx context.Context, key string) *TTLCmd {
	return send(ctx, cs, decodeTTL(time.Second), "ttl", key)
}

// PTTLKey is TTLKey in milliseconds (PTTL).
func (cs Commands) PTTLKey(ctx context.Context, key string) *TTLCmd {
	return send(ctx, cs, decodeTTL(time.Millisecond), "pttl", key)
}

// ExpireTimeKey returns key's deadline as a whole Unix second (rounded half up), like EXPIRETIME.
func (cs Commands) ExpireTimeKey(ctx context.Context, key string) *ExpireTimeCmd {
	return send(ctx, cs, decodeExpireTime(time.Second), "expiretime", key)
}

// PExpireTimeKey returns key's deadline with millisecond precision, like PEXPIRETIME.
func (cs Commands) PExpireTimeKey(ctx context.Context, key string) *ExpireTimeCmd {
	return send(ctx, cs, decodeExpireTime(time.Millisecond), "pexpiretime", key)
}
