package emulate

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// Key-level commands (DEL, UNLINK, RENAME, RENAMENX, MOVE, COPY, EXISTS) on emulated keys. A key's
// fields, deadlines and versions live in the key and its two companions, so a command that removes,
// renames or copies the key does the same to its companions in the same script: nothing is left
// behind, and a renamed key keeps its fields' TTLs and versions. Both emulations store companions
// under the same names (CompanionKeys), so both use these scripts. They are short and rare, and are
// always sent in full (EVAL): nothing depends on the server's script cache.

// delKeys: KEYS are (key, ttl companion, version companion) triples; ARGV[1] is "del" or "unlink".
// It counts the user keys removed, as DEL does.
const delKeys = `local n = 0
for i = 1, #KEYS, 3 do
  n = n + redis.call(ARGV[1], KEYS[i])
  redis.call(ARGV[1], KEYS[i+1], KEYS[i+2])
end
return n`

// renameKey: KEYS are the source and destination triples; ARGV[1] is "rename" or "renamenx". The
// destination's old companions go with the value RENAME overwrites.
const renameKey = `local nx = ARGV[1] == 'renamenx'
if redis.call('exists', KEYS[1]) == 0 then return redis.error_reply('ERR no such key') end
if KEYS[1] == KEYS[4] then
  if nx then return 0 end
  return redis.status_reply('OK')
end
if nx and redis.call('exists', KEYS[4]) == 1 then return 0 end
redis.call('rename', KEYS[1], KEYS[4])
redis.call('del', KEYS[5], KEYS[6])
for i = 2, 3 do
  if redis.call('exists', KEYS[i]) == 1 then redis.call('rename', KEYS[i], KEYS[i+3]) end
end
if nx then return 1 end
return redis.status_reply('OK')`

// copyKey: KEYS are the source and destination triples; ARGV[1] is the target database ("" for
// the same one), ARGV[2] "1" for REPLACE. MOVE is COPY to the same name in another database followed
// by DEL of the source, with ARGV[3] "move". After the key itself was copied, the destination's
// companions are the source's, or none: stale ones there are removed (SELECT inside a script
// changes only the script's database).
const copyKey = `local db, move = ARGV[1], ARGV[3] == 'move'
local opts = {}
if db ~= '' then opts = {'db', db} end
local force = {unpack(opts)}
force[#force+1] = 'replace'
if ARGV[2] == '1' then opts = force end
if move then
  if redis.call('move', KEYS[1], db) == 0 then return 0 end
elseif redis.call('copy', KEYS[1], KEYS[4], unpack(opts)) == 0 then
  return 0
end
local stale = {}
for i = 2, 3 do
  if redis.call('exists', KEYS[i]) == 1 then
    redis.call('copy', KEYS[i], KEYS[i+3], unpack(force))
    if move then redis.call('del', KEYS[i]) end
  else
    stale[#stale+1] = KEYS[i+3]
  end
end
if #stale > 0 then
  if db ~= '' then redis.call('select', db) end
  redis.call('del', unpack(stale))
end
return 1`

// keyCommand runs args when it is one of the key-level commands (see above) and reports whether it
// was. args[0] is the lower-case command name.
func keyCommand(ctx context.Context, c exhash.Conn, name string, args []any) (*redis.Cmd, bool) {
	switch name {
	case "del", "unlink", "exists", "rename", "renamenx", "move", "copy":
	default:
		return nil, false
	}
	keys := make([]string, 0, len(args)-1)
	for _, a := range args[1:] {
		keys = append(keys, argText(a))
	}
	switch name {
	case "exists": // the user keys only: a companion never exists without its key
		return c.Do(ctx, args...), true
	case "del", "unlink":
		if len(keys) == 0 {
			return notSent(ctx, args, arityError(name)), true
		}
		triples, err := withCompanions(keys...)
		if err != nil {
			return notSent(ctx, args, err), true
		}
		return c.Eval(ctx, delKeys, triples, name), true
	case "rename", "renamenx":
		if len(keys) != 2 {
			return notSent(ctx, args, arityError(name)), true
		}
		triples, err := withCompanions(keys...)
		if err != nil {
			return notSent(ctx, args, err), true
		}
		return c.Eval(ctx, renameKey, triples, name), true
	case "move":
		if len(keys) != 2 {
			return notSent(ctx, args, arityError(name)), true
		}
		triples, err := withCompanions(keys[0], keys[0])
		if err != nil {
			return notSent(ctx, args, err), true
		}
		return c.Eval(ctx, copyKey, triples, keys[1], "0", "move"), true
	}
	// copy source destination [DB index] [REPLACE]
	if len(keys) < 2 {
		return notSent(ctx, args, arityError(name)), true
	}
	db, replace := "", "0"
	for i := 2; i < len(keys); i++ {
		switch opt := strings.ToLower(keys[i]); {
		case opt == "replace":
			replace = "1"
		case opt == "db" && i+1 < len(keys):
			i++
			db = keys[i]
		default:
			return notSent(ctx, args, errSyntaxReply), true
		}
	}
	triples, err := withCompanions(keys[0], keys[1])
	if err != nil {
		return notSent(ctx, args, err), true
	}
	return c.Eval(ctx, copyKey, triples, db, replace, "copy"), true
}

// withCompanions returns each key followed by its TTL and version companions.
func withCompanions(keys ...string) ([]string, error) {
	out := make([]string, 0, 3*len(keys))
	for _, k := range keys {
		ttl, ver, err := CompanionKeys(k)
		if err != nil {
			return nil, err
		}
		out = append(out, k, ttl, ver)
	}
	return out, nil
}
