-- TairHash on native hash-field expiration: shared definitions.
--
-- The same text runs as a function library (FUNCTION LOAD once, then FCALL: the definitions below
-- are made once, not on every call) or, where functions are not available, as an EVAL script. Either
-- way each call goes through dispatch (5_main.lua) with
--
-- keys = {K, version companion V, Lua-backend TTL companion T}
-- args = {db, op, command name, versions ('1' tracked, '0' not), op arguments...}
--
-- K is a plain hash; Redis expires its fields. V holds the versions that are not 1 (absent means 1),
-- each version field expiring together with its data field. T only exists for keys written by the
-- Lua backend before the server had hash-field expiration; the first touch converts such a key.
--
-- A field with deadline d (Unix ms, expired when now >= d) is stored with expiry time d - 1 because
-- Redis considers a field expired only when now > its expiry time.
--
-- Versions and integers are canonical decimal strings: Lua numbers are doubles and int64 needs 64
-- bits. The clock and int64 helpers (now_ms, is_i64, i64_cmp, i64_add, ver_inc, int_reply) are the
-- Lua backend's too: emulate/internal/luapart/shared.lua, put in front of this file.

-- The current call's keys and arguments, set by dispatch.
local K, V, T, DB, OP, CMD, VERSIONS

-- The module's error texts (E_STALE, E_SYNTAX, …) are put before this file by the Go side.
local CORRUPT = E_CORRUPT_VERSION .. ': field %q of %s holds %q, not a version'

-- Largest expiry time Redis accepts for a hash field (HFE_MAX_ABS_TIME_MSEC).
local MAXE = 70368744177663
local SAFE = MAXE - 4102444800000 -- MAXE minus 2100-01-01 in Unix ms

local function fail(msg)
  return redis.error_reply(msg)
end

local function badexpire()
  return fail(string.format(E_EXPIRE_TIME, CMD))
end

-- DROPPED is set when the call left a tombstone (see drop); dispatch then tells the watcher.
local DROPPED

-- The user's key deadline is K's own expiry (emulate/hfe/keys.go); V and T must not outlive it.
-- VNEW is set when a write may have created V, which then lacks that expiry: a field's first
-- version other than 1 (version 2 by an increment, or one given explicitly). dispatch then gives
-- V K's expiry (1 call; 2 when there is one).
local VNEW
local function share_key_expiry()
  local e = redis.call('pexpiretime', K)
  if e >= 0 then redis.call('pexpireat', V, e) end
end

local function publish(field)
  redis.call('publish', 'tairhash@' .. DB .. '@' .. K .. '__:expired', field)
end

-- ---------------------------------------------------------------- fields, versions, TTLs

local function exists(f)
  return redis.call('hexists', K, f) == 1
end

-- live reports whether K holds a field that has not expired. EXISTS and HLEN cannot tell: a
-- script never sees Redis reclaim expired fields, and Valkey 9 reclaims them only by its active
-- expiry, so a key whose fields all expired stays (and counts them) until then. HRANDFIELD misses
-- live fields among expired ones on Valkey; HSCAN skips expired ones on both servers.
local function live()
  if redis.call('exists', K) == 0 then return false end
  local cursor = '0'
  repeat
    local page = redis.call('hscan', K, cursor, 'count', 100)
    if #page[2] > 0 then return true end
    cursor = page[1]
  until cursor == '0'
  return false
end

-- checkver returns v, the stored version of field f, after checking it is one: a version
-- companion changed by hand may hold anything, and arithmetic on it would fail half-way through a
-- write. The error ends the script before anything is written (callers check before writing).
local function checkver(f, v)
  if not is_i64(v) then
    error({ err = string.format(CORRUPT, f, V, v) })
  end
  return v
end

local function getver(f)
  if not VERSIONS then return '1' end
  local v = redis.call('hget', V, f)
  if not v then return '1' end
  return checkver(f, v)
end

-- expiry returns the stored expiry time of a live field, or -1 when it has none.
local function expiry(f)
  return redis.call('hpexpiretime', K, 'fields', 1, f)[1]
end

-- staleVer checks a VER or GT precondition against a present field's version cur; stale reads
-- the version of field f first.
local function staleVer(cur, vmode, vval)
  if vmode == 'ver' and vval ~= '0' then
    return cur ~= vval
  end
  if vmode == 'gt' then
    return i64_cmp(vval, cur) <= 0
  end
  return false
end

local function stale(f, vmode, vval)
  if vmode ~= 'ver' and vmode ~= 'gt' then return false end
  return staleVer(getver(f), vmode, vval)
end

-- ttl turns a TTL request into what to apply. mode is '' (remove the TTL), 'keep', 'rel' (val ms
-- from now) or 'at' (val = deadline in Unix ms). Returns the kind ('none', 'keep', 'rel', 'at',
-- 'gone' when the field expires at once, or nil when Redis cannot store the deadline) and the
-- value to give HPEXPIRE or HPEXPIREAT.
local function ttl(mode, val)
  if mode == 'rel' then
    local ms = tonumber(val)
    if ms <= 1 then return 'gone' end
    -- Below SAFE no clock before the year 2100 can take the deadline past MAXE: no TIME call.
    if ms > SAFE and (ms > MAXE or now_ms() + ms - 1 > MAXE) then return nil end
    return 'rel', ms - 1
  elseif mode == 'at' then
    local e = tonumber(val) - 1
    if e > MAXE then return nil end
    if e <= now_ms() then return 'gone' end
    return 'at', e
  elseif mode == 'keep' then
    return 'keep'
  end
  return 'none'
end

-- keep resolves 'keep' for a field about to be rewritten: its current expiry, if any.
local function keep(kind, n, f, present)
  if kind ~= 'keep' then return kind, n end
  if present then
    local e = expiry(f)
    if e >= 0 then return 'at', e end
  end
  return 'none'
end

-- expire gives field f of key k the expiry kind/n (after a write that cleared it).
local function expire(k, f, kind, n)
  if kind == 'rel' then
    redis.call('hpexpire', k, n, 'fields', 1, f)
  elseif kind == 'at' then
    redis.call('hpexpireat', k, n, 'fields', 1, f)
  end
end

-- HSETEX (Redis 8, Valkey 9) writes a field with its expiry in one command; Redis 7.4 has
-- none. Whether the server has it is found once per library load (every call for EVAL).
local HSETEX
local function hasHSetEx()
  if HSETEX == nil then
    local r = redis.pcall('hsetex')
    HSETEX = not (type(r) == 'table' and r.err and r.err:lower():find('unknown', 1, true))
  end
  return HSETEX
end

-- hsetex runs HSETEX through fn (redis.call or redis.pcall) on field f of key k with value v and the
-- expiry kind/n ('none' clears an expiry), only if f exists when fxx. The arguments are spelled out
-- for each shape: a table of them for unpack cost a write some 3,000 machine instructions.
local function hsetex(fn, k, fxx, kind, n, f, v)
  local unit = kind == 'rel' and 'PX' or kind == 'at' and 'PXAT'
  if not fxx then return fn('hsetex', k, unit, n, 'FIELDS', 1, f, v) end -- setx: rel or at
  if unit then return fn('hsetex', k, 'FXX', unit, n, 'FIELDS', 1, f, v) end
  if kind == 'keep' then return fn('hsetex', k, 'FXX', 'KEEPTTL', 'FIELDS', 1, f, v) end
  return fn('hsetex', k, 'FXX', 'FIELDS', 1, f, v)
end

-- setx writes field f of key k with value v and the expiry kind/n, replacing any expiry.
local function setx(k, f, v, kind, n)
  if (kind == 'rel' or kind == 'at') and hasHSetEx() then
    hsetex(redis.call, k, false, kind, n, f, v)
    return
  end
  redis.call('hset', k, f, v)
  expire(k, f, kind, n)
end

-- putver stores version ver of field f, expiring like the data field. New fields of version 1
-- need no write: their version field cannot exist.
local function putver(f, ver, kind, n, new)
  if not VERSIONS then return end
  if ver == '1' then
    if not new then redis.call('hdel', V, f) end
    return
  end
  if ver == '2' then VNEW = true end
  setx(V, f, ver, kind, n)
end

-- write stores value v of field f with its version and expiry.
local function write(f, v, ver, kind, n, new)
  setx(K, f, v, kind, n)
  putver(f, ver, kind, n, new)
end

-- Tombstones. Redis cannot hold a field whose deadline has passed (HPEXPIREAT in the past deletes
-- it), yet the module keeps such a field until something looks at it: the key stays present, and
-- the expiry is published only when the field is removed, not when DEL takes the whole key. So a
-- field written with a deadline already passed leaves K (and V) at once and its name goes to T,
-- the sorted set the Lua backend used for deadlines, with a negative score:
--   ALONE (-1): K had no other field; until the next touch the key counts as present.
--   BESIDE (-2): K still had live fields; if K is gone at the next touch (DEL, or Redis expired
--     the rest), the tombstone is a leftover and is dropped silently.
-- The next scripted command on K (or the HFE watcher, told on DUE) publishes the expiry and
-- removes the tombstone. Lua-backend deadlines are Unix ms, never negative.
local ALONE, BESIDE = -1, -2
local TOMBSTONE_TTL = 60000 -- ms

-- drop removes a field whose deadline has passed as it is written and leaves its tombstone.
local function drop(f)
  redis.call('hdel', K, f)
  if VERSIONS then redis.call('hdel', V, f) end
  local score = ALONE
  if live() then score = BESIDE end
  redis.call('zadd', T, score, f)
  -- T holds only tombstones now (sweep converted any older layout first). Bound their life, so a
  -- key nobody touches again, with no watcher running, does not keep them forever; publishing
  -- them is the watcher's job within DueGrace. Nor do they outlive a deadline the user set on K.
  redis.call('pexpire', T, TOMBSTONE_TTL)
  local e = redis.call('pexpiretime', K)
  if e >= 0 then redis.call('pexpireat', T, e, 'lt') end
  DROPPED = true
end

-- ---------------------------------------------------------------- keys written by the Lua backend

-- sweep handles T before anything else looks at K: it publishes and clears tombstones, and
-- converts a key of the Lua backend's layout (deadlines move from T to the fields of K and V,
-- due fields are removed and published as the Lua backend would have done, the key-level expiry
-- the Lua backend kept on K and V is removed). It returns whether K counts as present (an ALONE
-- tombstone of a field nobody removed yet) and whether T held Lua-backend deadlines.
local function sweep()
  local alive = live()
  local present, lua = false, false
  local z = redis.call('zrange', T, 0, -1, 'withscores')
  for i = 1, #z, 2 do
    local f, d = z[i], tonumber(z[i + 1])
    if d == ALONE or d == BESIDE then
      if d == ALONE and not alive then present = true end
      if alive or d == ALONE then publish(f) end
    else
      lua = true
      local e = d - 1
      if e <= now_ms() then
        if redis.call('hdel', K, f) == 1 then publish(f) end
        redis.call('hdel', V, f)
      else
        if e > MAXE then e = MAXE end
        redis.call('hpexpireat', K, e, 'fields', 1, f)
        redis.call('hpexpireat', V, e, 'fields', 1, f)
      end
    end
  end
  redis.call('del', T)
  if lua then
    -- The Lua backend's own key-level expiry goes; a deadline the user set there (kept in a
    -- companion named after T, with K's expiry at it made odd) becomes K's and V's own.
    local X = 'exh~x' .. string.sub(T, 6)
    local d, e = tonumber(redis.call('get', X)), redis.call('pexpiretime', K)
    redis.call('del', X)
    if d and e >= 0 and d + 1 - d % 2 == e then
      redis.call('pexpireat', K, d)
      if VERSIONS then redis.call('pexpireat', V, d) end
    else
      redis.call('persist', K)
      if VERSIONS then redis.call('persist', V) end
    end
    if not VERSIONS then
      redis.call('del', V) -- nobody will read these versions
    end
  end
  return present, lua
end

-- watch is the watcher's operation on a key announced on the due channel. While K has fields it
-- sweeps (publishes the tombstones). When K is gone, BESIDE tombstones are leftovers and go
-- silently, and ALONE ones stay (the key counts as present until something looks at it, as on the
-- module until its background expirer passes) unless all is true: the watcher's second, later call.
-- Replies 1 when ALONE tombstones stay, else 0.
local function watch(all)
  local t = redis.call('type', K).ok
  if (t ~= 'hash' and t ~= 'none') or redis.call('exists', T) == 0 then return 0 end
  if (t == 'hash' and live()) or all then
    sweep()
    return 0
  end
  local waiting = 0
  local z = redis.call('zrange', T, 0, -1, 'withscores')
  for i = 1, #z, 2 do
    local d = tonumber(z[i + 1])
    if d == BESIDE then
      redis.call('zrem', T, z[i])
    elseif d == ALONE then
      waiting = 1
    end
  end
  return waiting
end

-- open checks K's type and sweeps T. It returns 'hash', 'none', or nil when K holds another type.
-- A key whose only fields were tombstones is 'hash' for this command (the module decides presence
-- at lookup, before its self-check removes the expired fields) and is gone afterwards; GHOST then
-- tells so. MIGRATED tells whether K was in the Lua backend's layout. dispatch resets both.
local MIGRATED, GHOST = false, false
local function open()
  local t = redis.call('type', K).ok
  if t ~= 'hash' and t ~= 'none' then return nil end
  if redis.call('exists', T) == 1 then
    local present
    present, MIGRATED = sweep()
    t = redis.call('type', K).ok
    if present then t, GHOST = 'hash', true end
  end
  return t
end

-- prepare is open, and drops a version companion left without its hash by DEL or a key-level
-- expiry of K: nothing in it is current.
local function prepare()
  local kt = open()
  if kt and VERSIONS and (kt == 'none' or GHOST) then redis.call('del', V) end
  return kt
end
