package companion

import (
	"context"
	"errors"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Key-level commands (DEL, UNLINK, RENAME, RENAMENX, MOVE, COPY, EXISTS) on emulated keys. A key's
// fields, deadlines and versions live in the key and its companions (two, and a third while the
// user has set a key deadline, DeadlineKey), so a command that removes,
// renames or copies the key does the same to its companions in the same script: nothing is left
// behind, and a renamed key keeps its fields' TTLs and versions. Both emulations store companions
// under the same names (CompanionKeys), so both use these scripts. They are short and rare, and are
// always sent in full (EVAL): nothing depends on the server's script cache.

// delKeys: KEYS are (key, companions…) groups (withCompanions); ARGV[1] is "del" or "unlink".
// It counts the user keys removed, as DEL does.
const delKeys = `local n = 0
for i = 1, #KEYS, 4 do
  n = n + redis.call(ARGV[1], KEYS[i])
  redis.call(ARGV[1], KEYS[i+1], KEYS[i+2], KEYS[i+3])
end
return n`

// renameKey: KEYS are the source and destination groups; ARGV[1] is "rename" or "renamenx". The
// destination's old companions go with the value RENAME overwrites. RENAME keeps each key's
// expiry, so a key deadline the user set goes along.
const renameKey = `local nx = ARGV[1] == 'renamenx'
if redis.call('exists', KEYS[1]) == 0 then return redis.error_reply('ERR no such key') end
if KEYS[1] == KEYS[5] then
  if nx then return 0 end
  return redis.status_reply('OK')
end
if nx and redis.call('exists', KEYS[5]) == 1 then return 0 end
redis.call('rename', KEYS[1], KEYS[5])
redis.call('del', KEYS[6], KEYS[7], KEYS[8])
for i = 2, 4 do
  if redis.call('exists', KEYS[i]) == 1 then redis.call('rename', KEYS[i], KEYS[i+4]) end
end
if nx then return 1 end
return redis.status_reply('OK')`

// copyKey: KEYS are the source and destination groups; ARGV[1] is the target database ("" for
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
elseif redis.call('copy', KEYS[1], KEYS[5], unpack(opts)) == 0 then
  return 0
end
local stale = {}
for i = 2, 4 do
  if redis.call('exists', KEYS[i]) == 1 then
    redis.call('copy', KEYS[i], KEYS[i+4], unpack(force))
    if move then redis.call('del', KEYS[i]) end
  else
    stale[#stale+1] = KEYS[i+4]
  end
end
if #stale > 0 then
  if db ~= '' then redis.call('select', db) end
  redis.call('del', unpack(stale))
end
return 1`

// The listing commands (DBSIZE, KEYS, SCAN, RANDOMKEY, INFO keyspace) leave the companions out, as
// if the database held the user keys only. Each is one script, so what it reports is consistent.
// Redis keeps no count of keys by prefix, so DBSIZE and INFO keyspace walk the database's keys
// with SCAN inside the script: O(keys in the database), blocking the server about as long as KEYS *
// does (measured in docs/exhash-server.md: ~0.1 s per 100k keys for DBSIZE, twice that for INFO,
// which also asks each companion for its TTL). maxCountedKeys bounds that walk: on a
// larger database DBSIZE answers an error (it would rather say nothing than a wrong number) and
// INFO keeps the server's own figures, marked companions=uncounted.
// KEYS and SCAN cost what they cost anyway; a SCAN page may come back shorter than COUNT (or
// empty), which SCAN allows. RANDOMKEY retries when it draws a companion: a companion needs its
// key, so at least a third of the keys are user keys and 64 draws all but never all miss; if they
// do, the first user key a SCAN meets is the answer.

// maxCountedKeys is the largest database whose companions DBSIZE and INFO count.
const maxCountedKeys = 1_000_000

// luaIsCompanion is the Lua test for a companion key name.
const luaIsCompanion = `local function companion(k) return string.sub(k, 1, 4) == '` + CompanionPrefix + `' end
`

// luaCountCompanions counts the companions of the script's current database, and, when withTTL,
// those of them with a TTL (one PTTL each, which DBSIZE does without).
const luaCountCompanions = luaIsCompanion + `local function count(withTTL)
  local n, ttl, cursor = 0, 0, '0'
  repeat
    local page = redis.call('scan', cursor, 'match', '` + CompanionPrefix + `*', 'count', 10000)
    cursor = page[1]
    n = n + #page[2]
    if withTTL then
      for _, k in ipairs(page[2]) do
        if redis.call('pttl', k) >= 0 then ttl = ttl + 1 end
      end
    end
  until cursor == '0'
  return n, ttl
end
`

// dbSize: ARGV[1] is maxCountedKeys.
const dbSize = luaCountCompanions + `local all = redis.call('dbsize')
if all > tonumber(ARGV[1]) then
  return redis.error_reply('ERR exhash: DBSIZE counts the keys of databases of at most ' .. ARGV[1] ..
    ' keys only (this one has ' .. all .. ' with the companion keys): use SCAN')
end
local n = count(false)
return all - n`

// infoKeyspace: ARGV[1] is maxCountedKeys, the rest INFO's arguments. Each "dbN:keys=K,expires=E,…"
// line loses the database's companions.
const infoKeyspace = luaCountCompanions + `local info = redis.pcall('info', unpack(ARGV, 2))
if type(info) == 'table' then return info end
local limit = tonumber(ARGV[1])
local out = string.gsub(info, 'db(%d+):keys=(%d+),expires=(%d+)([^\r\n]*\r\n)', function(db, keys, expires, rest)
  keys, expires = tonumber(keys), tonumber(expires)
  if keys > limit then return nil end
  redis.call('select', db)
  local n, ttl = count(true)
  if keys == n then return '' end
  return 'db' .. db .. ':keys=' .. (keys - n) .. ',expires=' .. (expires - ttl) .. rest
end)
out = string.gsub(out, '(db%d+:keys=%d+,expires=%d+[^\r\n]*)', function(line)
  if tonumber(string.match(line, 'keys=(%d+)')) > limit then return line .. ',companions=uncounted' end
end)
return out`

// listKeys: KEYS with the companions left out; ARGV[1] is the pattern.
const listKeys = luaIsCompanion + `local out = {}
for _, k in ipairs(redis.call('keys', ARGV[1])) do
  if not companion(k) then out[#out+1] = k end
end
return out`

// scanKeys: SCAN with the companions left out of the page; ARGV are SCAN's arguments.
const scanKeys = luaIsCompanion + `local page = redis.pcall('scan', unpack(ARGV))
if page.err then return page end
local out = {}
for _, k in ipairs(page[2]) do
  if not companion(k) then out[#out+1] = k end
end
return {page[1], out}`

// randomKey: RANDOMKEY that never answers a companion.
const randomKey = luaIsCompanion + `for _ = 1, 64 do
  local k = redis.call('randomkey')
  if not k or not companion(k) then return k end
end
local cursor = '0'
repeat
  local page = redis.call('scan', cursor, 'count', 1000)
  cursor = page[1]
  for _, k in ipairs(page[2]) do
    if not companion(k) then return k end
  end
until cursor == '0'
return false`

// listingCommand runs one of the listing commands (above): DBSIZE, RANDOMKEY, KEYS, SCAN, INFO.
func listingCommand(ctx context.Context, c driver.Conn, name string, args []any) *redis.Cmd {
	argv := make([]any, 0, len(args))
	for _, a := range args[1:] {
		argv = append(argv, runner.ArgText(a))
	}
	switch name {
	case "dbsize", "randomkey":
		if len(argv) != 0 {
			return runner.NotSent(ctx, args, runner.ArityError(name))
		}
		if name == "dbsize" {
			return c.Eval(ctx, dbSize, nil, maxCountedKeys)
		}
		return c.Eval(ctx, randomKey, nil)
	case "keys":
		if len(argv) != 1 {
			return runner.NotSent(ctx, args, runner.ArityError(name))
		}
		return c.Eval(ctx, listKeys, nil, argv...)
	case "scan":
		if len(argv) == 0 {
			return runner.NotSent(ctx, args, runner.ArityError(name))
		}
		return c.Eval(ctx, scanKeys, nil, argv...)
	}
	return c.Eval(ctx, infoKeyspace, nil, append([]any{maxCountedKeys}, argv...)...) // info
}

// ExpiryCommands are Redis' key-level expiry commands. On a TairHash key they concern the
// deadline the user set on the key, not the fields' TTLs (spec 8.5).
var ExpiryCommands = map[string]bool{
	"expire": true, "pexpire": true, "expireat": true, "pexpireat": true, "persist": true,
	"ttl": true, "pttl": true, "expiretime": true, "pexpiretime": true,
}

// Command runs args when it is one of the key-level or listing commands (see above) and reports
// whether it was. args[0] is the lower-case command name. Every EXH* command of the emulations
// passes here first, so anything else is told apart by its name alone.
func Command(ctx context.Context, c driver.Conn, name string, args []any) (*redis.Cmd, bool) {
	if ExpiryCommands[name] {
		// A key the emulations cannot store is no TairHash key: Redis' own command serves it, as
		// it does a wrong argument count (for Redis' error text).
		if len(args) < 2 || errors.Is(CheckKey(runner.ArgText(args[1])), exhash.ErrUnslottableKey) {
			return c.Do(ctx, args...), true
		}
		return nil, false // each backend's own (emulate/lua/scripts/keyexpire.lua, emulate/hfe/keys.go)
	}
	switch name {
	case "del", "unlink", "exists", "rename", "renamenx", "move", "copy":
		return keyLevel(ctx, c, name, args), true
	case "dbsize", "randomkey", "keys", "scan", "info":
		return listingCommand(ctx, c, name, args), true
	}
	return nil, false
}

// keyLevel runs one of the key-level commands: the user keys named, with their companions.
func keyLevel(ctx context.Context, c driver.Conn, name string, args []any) *redis.Cmd {
	keys := make([]string, 0, len(args)-1)
	for _, a := range args[1:] {
		keys = append(keys, runner.ArgText(a))
	}
	// eval runs script over the keys named and their companions. A name the emulations cannot
	// store is no TairHash key: DEL and UNLINK take it alone (its group names it four times), and
	// the other commands naming one are Redis' own.
	eval := func(script string, named []string, argv ...any) *redis.Cmd {
		groups := make([]string, 0, 4*len(named))
		for _, k := range named {
			g, err := withCompanions(k)
			if errors.Is(err, exhash.ErrUnslottableKey) {
				if script != delKeys {
					return c.Do(ctx, args...)
				}
				g = []string{k, k, k, k}
			} else if err != nil {
				return runner.NotSent(ctx, args, err)
			}
			groups = append(groups, g...)
		}
		return c.Eval(ctx, script, groups, argv...)
	}
	switch name {
	case "exists": // the user keys only: a companion never exists without its key
		return c.Do(ctx, args...)
	case "del", "unlink":
		if len(keys) == 0 {
			return runner.NotSent(ctx, args, runner.ArityError(name))
		}
		return eval(delKeys, keys, name)
	case "rename", "renamenx":
		if len(keys) != 2 {
			return runner.NotSent(ctx, args, runner.ArityError(name))
		}
		return eval(renameKey, keys, name)
	case "move":
		if len(keys) != 2 {
			return runner.NotSent(ctx, args, runner.ArityError(name))
		}
		return eval(copyKey, []string{keys[0], keys[0]}, keys[1], "0", "move")
	}
	// copy source destination [DB index] [REPLACE]
	if len(keys) < 2 {
		return runner.NotSent(ctx, args, runner.ArityError(name))
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
			return runner.NotSent(ctx, args, runner.SyntaxError)
		}
	}
	return eval(copyKey, keys[:2], db, replace, "copy")
}

// withCompanions returns each key followed by its TTL, version and deadline companions.
func withCompanions(keys ...string) ([]string, error) {
	out := make([]string, 0, 4*len(keys))
	for _, k := range keys {
		ttl, ver, err := CompanionKeys(k)
		if err != nil {
			return nil, err
		}
		deadline, _ := DeadlineKey(k)
		out = append(out, k, ttl, ver, deadline)
	}
	return out, nil
}
