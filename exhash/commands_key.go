package exhash

import (
	"context"
	"strconv"
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
