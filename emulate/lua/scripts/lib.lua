-- lib.lua: prelude shared by the TairHash emulation scripts (docs/architecture.md).
--
-- Storage of a user key K:
--   KEYS[1] = K  hash  field -> value
--   KEYS[2] = T  zset  field -> absolute deadline in Unix ms (only fields that have a TTL)
--   KEYS[3] = V  hash  field -> version as canonical decimal (only fields whose version is not 1)
-- ARGV[1] is the database index (used in notification channels only); ARGV[2..] are the command's
-- operands, checked and normalised in Go (package grammar) and laid out by position without
-- option words (Args in encode.go; each body's header gives its layout): the scripts never parse
-- the module's grammar. CMD, the lower-case command name, is defined by the Go package in front
-- of the prelude; each body ends with `return run(main)`.
--
-- Invariants kept by every script:
--   * T and V members are fields of K; K never exists without fields, and then T and V do not exist.
--   * While every field has a TTL, K, T and V carry one PEXPIREAT between max(latest deadline, now) +
--     GRACE and that + SLACK (see key_expiry), always even; otherwise none of them expires. Write
--     scripts trust K's own expiry as the record of that state.
--   * Unless the user set a key deadline (EXPIRE on K): then K, T, V and a fourth companion X
--     (holding the deadline) all expire at it, made odd, whatever the fields' TTLs (part userdl).
--   * TIME is read once (NOW); a field whose deadline is <= NOW is due: no reply shows it. Before
--     answering, every script removes due fields, at most DUE_LIMIT of them plus those it names
--     (part begin), and publishes tairhash@<db>@<key>__:expired (message: the field) for each;
--     due fields left over are hidden and removed by later commands or the reaper. A field the
--     command itself writes with a deadline <= NOW stays stored, as in the module, until the next
--     command or the reaper removes and announces it (so a DEL before that announces nothing).
-- Versions and int64 arguments stay canonical decimal strings, for the i64 helpers and the clock
-- (now_ms) that both backends share (emulate/internal/luapart/shared.lua, put in front of this
-- prelude). Deadlines stay below 2^53 (D6).
--
-- The prelude is loaded once with the function library (library.go), so every helper is made once
-- per load, not per call; the parts below are headed `-- part <name>:` and only use earlier parts.

-- part runtime:
-- The functions of redis, string and math used most, as locals (a global is looked up by name on
-- every use). A function library cannot read them while it is loaded: open_runtime
-- sets them when a call starts (batch in library.go, the reaper's script).
local call, lower, sfmt, mmin, mmax, mfloor
local function open_runtime()
  call, lower, sfmt = redis.call, string.lower, string.format
  mmin, mmax, mfloor = math.min, math.max, math.floor
end

-- part span:
-- Key-level expiry arithmetic.
local MAX_DEADLINE = 9007199254740991 -- 2^53 - 1: larger deadlines are not exact as zset scores
-- GRACE (ms) keeps a fully expired key alive after its latest deadline so that the reaper (or any
-- access) still removes the last fields itself and publishes their expired notifications; Redis'
-- own key expiry, which publishes nothing, is only the fallback that reclaims memory.
local GRACE = 2000
-- SLACK (ms) lets the key-level expiry run ahead of the latest deadline, so that refreshing a
-- field's TTL does not rewrite the three keys' expiry on every write (see key_expiry).
local SLACK = 60000

-- key_expiry returns the bounds of the key-level expiry for latest deadline d at time now: lo =
-- d + GRACE is the earliest allowed, hi = lo + min(SLACK, time left / 8) the one written when lo
-- is not met.
local function key_expiry(d, now)
  d = mmax(d, now) -- a field written already due stays until looked at, like the module's
  local lo = mmin(d + GRACE, MAX_DEADLINE)
  local hi = mmin(lo + mmax(0, mmin(SLACK, mfloor((d - now) / 8))), MAX_DEADLINE)
  return lo, hi + hi % 2 -- even: an odd key-level expiry is a user's key deadline (part userdl)
end

-- part userdl:
-- A key deadline set by the user (EXPIRE and its family on K, keyexpire.lua; spec 8.5) is kept in a
-- fourth companion X, a string holding the deadline (Unix ms), and K, T, V and X all expire at that
-- deadline made odd (1 ms later when it is even). The expiries the scripts set themselves are even
-- (key_expiry), so a script that read K's expiry knows without another call that the user set no
-- deadline unless that expiry is odd; only then does it read X. While the user's deadline stands,
-- the scripts keep it: they never move or remove K's expiry, and give T and V the same one.

-- deadline_key returns X's name: T's, with the companion letter x instead of t (emulate/internal/companion/naming.go).
local function deadline_key() return 'exh~x' .. string.sub(KEYS[2], 6) end

-- odd returns the key-level expiry that stands for user deadline d.
local function odd(d) return d + 1 - d % 2 end

-- user_deadline returns the deadline the user set on K, given e, K's PEXPIRETIME, or nil. Calls:
-- none for an even or negative e, else 1.
local function user_deadline(e)
  if e < 0 or e % 2 == 0 then return nil end
  local d = tonumber(redis.call('GET', deadline_key()))
  if d and odd(d) == e then return d end
  return nil
end

-- keep_user_deadline gives T and V, which a write may just have created, K's expiry e (2 calls).
-- Deadlines go to redis.call as decimal text: a number would do, but Redis 7.0 writes numbers out
-- with a slower formatter than string.format.
local function keep_user_deadline(e)
  local s = sfmt('%d', e)
  call('PEXPIREAT', KEYS[2], s)
  call('PEXPIREAT', KEYS[3], s)
end

-- part follow:
-- The key-level expiry of K, T and V (KEYS).

-- expire_all gives K, T and V the key-level expiry e (Unix ms).
local function expire_all(e)
  local s = sfmt('%d', e)
  call('PEXPIREAT', KEYS[1], s)
  call('PEXPIREAT', KEYS[2], s)
  call('PEXPIREAT', KEYS[3], s)
end

-- latest returns the latest deadline in T (1 call).
local function latest()
  return tonumber(redis.call('ZRANGE', KEYS[2], '-1', '-1', 'WITHSCORES')[2])
end

-- follow_deadline keeps the key-level expiry e0 of a key whose fields all have a TTL (e0 >= 0)
-- right after a field got deadline d (> now). vnew: V may have been created by the command, so
-- without e0. Calls in the common case (e0 already covers d): none.
local function follow_deadline(e0, d, now, vnew)
  if user_deadline(e0) then return keep_user_deadline(e0) end
  local lo, hi = key_expiry(d, now)
  if e0 < lo then return expire_all(hi) end
  if e0 > hi then -- d is much earlier than e0: the field may have held the latest deadline
    local llo, lhi = key_expiry(latest(), now)
    if e0 > lhi or e0 < llo then return expire_all(lhi) end
  end
  if vnew then call('PEXPIREAT', KEYS[3], sfmt('%d', e0)) end
end

-- part core:
-- The running command's keys, database and operand count. bind sets them from KEYS and ARGV: once
-- at the start of a script (scripts.go), once per operation in the library.
local K, T, V, DB, NARG

-- The error texts (E_STALE, E_OVERFLOW, ...) are defined in front of this part by scripts.go,
-- from package grammar.

local NOW -- server time in Unix ms, read once by begin/begin_write
local E0  -- K's PEXPIRETIME when a write script began (-2 absent, -1 none); see begin_write

local function bind()
  K, T, V, DB, NARG = KEYS[1], KEYS[2], KEYS[3], ARGV[1], #ARGV - 1
  NOW, E0 = nil, nil
end

local function arg(i) return ARGV[i + 1] end
-- opt returns an optional operand, nil when absent or empty (Args leaves out trailing empty ones).
local function opt(i)
  local v = ARGV[i + 1]
  if v == '' then return nil end
  return v
end
local function itoa(n) return sfmt('%d', n) end
-- fail raises an error reply: an E_ constant, or a text Go sent (an Op's Late error).
local function fail(msg) error({exh = msg}) end

-- run calls main and turns failures into the module's error replies: fail() messages verbatim,
-- a server error raised by redis.call (e.g. WRONGTYPE) as its own text.
local function run(main)
  local ok, res = pcall(main)
  if ok then return res end
  if type(res) == 'table' and res.exh then return {err = res.exh} end
  if type(res) == 'table' and type(res.err) == 'string' then res = res.err end
  res = tostring(res)
  if res:find('^WRONGTYPE') then return {err = E_WRONGTYPE} end
  if res:find('^[A-Z]+ ') then return {err = res} end
  return {err = 'ERR ' .. res}
end

-- part types:
-- need_type fails with WRONGTYPE unless key is absent or of type want (1 call).
local function need_type(key, want)
  local t = call('TYPE', key).ok
  if t ~= 'none' and t ~= want then fail(E_WRONGTYPE) end
end

-- part chunked:
-- chunked calls cmd key list... in batches (Lua's unpack limit) and sums the integer replies.
local CHUNK = 4000
local function chunked(cmd, key, list)
  local sum, n = 0, #list
  for i = 1, n, CHUNK do
    sum = sum + call(cmd, key, unpack(list, i, math.min(i + CHUNK - 1, n)))
  end
  return sum
end

-- part begin:
-- DUE_LIMIT bounds the due fields one command removes beyond those it names (see begin): each
-- costs an HDEL and a PUBLISH plus its share of a ZREM and an HDEL of V, about 4 us on Redis 7.0,
-- so a command spends at most about 4 ms on them; it is the reaper's default per visit too
-- (emulate.WithReaperFieldsPerKey), so a command never blocks the server longer than a reaper
-- visit. Due fields left over stay hidden from every reply (BACKLOG) until later commands or the
-- reaper remove them.
local DUE_LIMIT = 1000

local function publish_expired(f)
  call('PUBLISH', 'tairhash@' .. DB .. '@' .. K .. '__:expired', f)
end

-- expire_fields removes the given members of T (their deadlines passed): each one still in K is
-- deleted and announced; T and V lose them; when K is left empty the companions are deleted.
-- Returns the number of fields removed from K and whether K is gone.
-- Calls: 2 TYPE + one HDEL (and PUBLISH) per field + ZREM + HDEL + EXISTS [+ DEL].
local function expire_fields(fields)
  need_type(K, 'hash')
  need_type(V, 'hash')
  local removed = 0
  for i = 1, #fields do
    if call('HDEL', K, fields[i]) == 1 then
      publish_expired(fields[i])
      removed = removed + 1
    end
  end
  chunked('ZREM', T, fields)
  chunked('HDEL', V, fields)
  local gone = call('EXISTS', K) == 0
  if gone then call('DEL', T, V, deadline_key()) end
  return removed, gone
end

-- BACKLOG is true when begin left due fields in K (more than DUE_LIMIT were due). Commands then
-- hide them: the fields they name are removed first (begin), whole-key replies skip the rest
-- (live_len, hide_due).
local BACKLOG = false

-- due_among returns the due fields among list[first], list[first + step], ... (up to the end; one
-- entry only when step is nil), by ZMSCORE (one call per CHUNK fields).
local function due_among(list, first, step)
  local names = {}
  for i = first, step and #list or first, step or 1 do names[#names + 1] = list[i] end
  local due = {}
  for i = 1, #names, CHUNK do
    local s = call('ZMSCORE', T, unpack(names, i, math.min(i + CHUNK - 1, #names)))
    for j = 1, #s do
      if s[j] and tonumber(s[j]) <= NOW then due[#due + 1] = names[i + j - 1] end
    end
  end
  return due
end

-- remove_due removes up to DUE_LIMIT due fields, earliest first, and, when more were due (BACKLOG),
-- the due ones among the fields the command names: module arguments first, first + step, ... (only
-- first when step is nil; none when first is nil). So a command sees its own fields as they are
-- (a due one absent: a write restarts its version at 1) and the work is bounded by DUE_LIMIT plus
-- the command's own size. Returns the number of fields removed and whether K is gone.
-- Calls when nothing is due: ZCOUNT, which also type-checks T and costs less than a
-- ZRANGEBYSCORE that finds nothing.
local function remove_due(first, step)
  BACKLOG = false
  local n = call('ZCOUNT', T, '-inf', CLOCK_TEXT)
  if n == 0 then return 0, false end
  local due
  if n <= DUE_LIMIT then
    due = call('ZRANGEBYSCORE', T, '-inf', CLOCK_TEXT)
  else
    BACKLOG = true
    due = call('ZRANGEBYSCORE', T, '-inf', CLOCK_TEXT, 'LIMIT', '0', itoa(DUE_LIMIT))
  end
  local removed, gone = expire_fields(due)
  if BACKLOG and gone then BACKLOG = false end
  if BACKLOG and first then
    local named = due_among(ARGV, first + 1, step)
    if #named > 0 then
      local more
      more, gone = expire_fields(named)
      removed = removed + more
      if gone then BACKLOG = false end
    end
  end
  return removed, gone
end

-- live_len returns the number of live fields of K: HLEN, less the due fields left (1 or 2 calls).
local function live_len()
  local n = call('HLEN', K)
  if BACKLOG then n = n - call('ZCOUNT', T, '-inf', CLOCK_TEXT) end
  return n
end

-- hide_due returns the flat field/value list kv without the due fields left (kv itself when there
-- are none).
local function hide_due(kv)
  if not BACKLOG or #kv == 0 then return kv end
  local due = due_among(kv, 1, 2)
  if #due == 0 then return kv end
  local hidden = {}
  for i = 1, #due do hidden[due[i]] = true end
  local out = {}
  for i = 1, #kv, 2 do
    if not hidden[kv[i]] then
      out[#out + 1] = kv[i]
      out[#out + 1] = kv[i + 1]
    end
  end
  return out
end

-- begin reads NOW and removes due fields (remove_due: first and step name the command's fields):
-- 2 calls (TIME, ZCOUNT) when nothing is due. HELD is true when begin removed fields, so the key
-- existed when the command looked it up: a command that then finds its field gone answers "no
-- field", not "no key" (spec 1.4, self-check).
local HELD = false
local function begin(first, step)
  NOW = NOW or now_ms()
  HELD = remove_due(first, step) > 0
end
-- key_held reports whether K existed when the command began.
local function key_held() return HELD or call('EXISTS', K) == 1 end

-- part begin_write:
-- begin_write is begin for scripts that may create fields or change TTLs: it also records K's
-- key-level expiry in E0 (3 calls: TIME, PEXPIRETIME, ZCOUNT). When K is absent, companions
-- left behind by a raw DEL/RENAME of K are dropped instead (EXISTS [+ TYPE x2 + DEL]), so a key
-- created now never inherits stale TTLs, versions or expiry.
local function begin_write(first, step)
  NOW = NOW or now_ms()
  BACKLOG = false
  E0 = call('PEXPIRETIME', K)
  if E0 == -2 then
    local X = deadline_key()
    if call('EXISTS', T, V, X) > 0 then
      need_type(T, 'zset')
      need_type(V, 'hash')
      call('DEL', T, V, X)
    end
    return
  end
  local _, gone = remove_due(first, step)
  if gone then E0 = -2 end
end

-- part version:
-- stored_version returns v, an entry of V (false when absent), after checking it is a version. A
-- version companion changed by hand may hold anything; arithmetic on it would fail half-way through
-- a write, so writes check what they read before writing anything.
local function stored_version(v)
  if v and not is_i64(v) then
    fail(sfmt('%s %s: %q is not a version', E_CORRUPT_VERSION, V, v))
  end
  return v
end

-- version_reply is int_reply for v, an entry of V (or '1'), after checking it is a version when it
-- is not plain digits short enough to be a number.
local function version_reply(v)
  if #v > 15 or not v:find('^%-?%d+$') then stored_version(v) end
  return int_reply(v)
end

-- put_version stores ver as f's version given old, f's entry in V before (string or false).
-- Returns true when V may have been created by this call (it then lacks K's expiry).
local function put_version(f, old, ver)
  if ver == '1' then
    if old then call('HDEL', V, f) end
    return false
  end
  if ver == old then return false end
  call('HSET', V, f, ver)
  return not old
end

-- stale reports whether option vk/vv rejects an existing field at version cur (spec 4).
local function stale(vk, vv, cur)
  if vk == 'ver' then return vv ~= '0' and vv ~= cur end
  if vk == 'gt' then return i64_cmp(vv, cur) <= 0 end
  return false
end

-- part versions:
-- put_versions stores the versions of several fields at once: cur maps field -> new version,
-- before maps field -> its V entry before the command (absent: version 1). Version 1 is kept as
-- no entry. Returns whether V was written to and whether any field had an entry before.
local function put_versions(cur, before)
  local set, del, had = {}, {}, false
  for f, ver in pairs(cur) do
    local old = before[f] or false
    if old then had = true end
    if ver == '1' then
      if old then del[#del + 1] = f end
    elseif ver ~= old then
      set[#set + 1] = f
      set[#set + 1] = ver
    end
  end
  if #set > 0 then chunked('HSET', V, set) end
  if #del > 0 then chunked('HDEL', V, del) end
  return #set > 0, had
end

-- part deadline:
local function expire_time_error() fail(sfmt(E_EXPIRE_TIME, CMD)) end

-- deadline returns the absolute deadline (Unix ms) of a TTL operand, kind 'r' (ms from now) or
-- 'a' (Unix ms; a time of 0 is sent as 1, due at once), or nil for any other kind. Fails with the
-- D6 error when the deadline cannot be represented.
local function deadline(kind, ms)
  if kind ~= 'r' and kind ~= 'a' then return nil end
  local d = tonumber(ms)
  if kind == 'r' then d = NOW + d end
  if d > MAX_DEADLINE then expire_time_error() end
  return d
end

-- part keyexp:
local function persist_all()
  call('PERSIST', K)
  call('PERSIST', T)
  call('PERSIST', V)
end

-- ttl_added keeps the key-level expiry right after field f got deadline d (> NOW), given E0.
-- isnew: f was created by this command; gained: f had no TTL before; vnew: V may be new.
-- Calls in the common case (every field has a TTL, the expiry already covers d): none.
local function ttl_added(d, isnew, gained, vnew)
  if E0 >= 0 then -- every field had a TTL and E0 covers the latest deadline
    follow_deadline(E0, d, NOW, vnew)
  elseif E0 == -2 then -- K was created by this command, with f alone
    local _, hi = key_expiry(d, NOW)
    expire_all(hi)
  elseif gained and not isnew then -- f may have been the last field without a TTL
    if call('HLEN', K) == call('ZCARD', T) then
      local _, lhi = key_expiry(latest(), NOW)
      expire_all(lhi)
    end
  end
end

-- persistent_added drops the key-level expiry after a field without TTL appeared (0 or 3 calls).
local function persistent_added()
  if E0 < 0 then return end
  if user_deadline(E0) then return keep_user_deadline(E0) end
  persist_all()
end

-- fix_v gives a V created by this command the key-level expiry K already has (0 or 1 call).
local function fix_v(vnew)
  if vnew and E0 >= 0 then call('PEXPIREAT', V, itoa(E0)) end
end

-- settle re-derives the key-level state after arbitrary changes: companions deleted with an empty
-- K, else an expiry within key_expiry(latest deadline) when every field has a TTL, else none.
-- n is K's field count if known. Calls: HLEN, ZCARD, PEXPIRETIME [, ZRANGE] [, 3 writes].
local function settle(n, vnew)
  n = n or call('HLEN', K)
  if n == 0 then
    call('DEL', T, V, deadline_key())
    return
  end
  local cur = call('PEXPIRETIME', K)
  if user_deadline(cur) then return keep_user_deadline(cur) end
  if call('ZCARD', T) == n then
    local lo, hi = key_expiry(latest(), NOW)
    if cur < lo or cur > hi then expire_all(hi) elseif vnew then call('PEXPIREAT', V, itoa(cur)) end
  elseif cur >= 0 then
    persist_all()
  end
end

-- part store:
-- current returns f's value and V entry (false when absent), type-checking K and V before
-- anything is written; begin_write must have run.
local function current(f)
  if E0 == -2 then return false, false end
  local value = call('HGET', K, f)
  return value, stored_version(call('HGET', V, f))
end
-- store_field finishes EXHSET/EXHINCRBY/EXHINCRBYFLOAT after f's value was written: version and
-- TTL per the TTL-effect table of spec 3.1 (version option vk vv, keep for KEEPTTL, d the deadline
-- or nil), then the key-level expiry. old: f's V entry before; isnew: f did not exist.
local function store_field(f, vk, vv, keep, d, isnew, old)
  local ver
  if vk == 'abs' or vk == 'gt' then ver = vv
  elseif isnew then ver = '1'
  else ver = ver_inc(old or '1') end
  local vnew = put_version(f, old, ver)
  if d then
    local gained = call('ZADD', T, itoa(d), f) == 1
    ttl_added(d, isnew, gained, vnew)
  elseif keep then
    if isnew then persistent_added() else fix_v(vnew) end
  elseif isnew or call('ZREM', T, f) == 1 then
    persistent_added()
  else
    fix_v(vnew)
  end
end

