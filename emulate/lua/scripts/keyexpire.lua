-- Redis' key-level expiry commands on a TairHash key (spec 8.5), not module commands:
--   EXPIRE key s | PEXPIRE key ms | EXPIREAT key unix-s | PEXPIREAT key unix-ms, each [NX|XX|GT|LT]
--   PERSIST key | TTL key | PTTL key | EXPIRETIME key | PEXPIRETIME key
-- KEYS = {K, T, V}; ARGV = {db, the command's arguments after the key}
-- Replies are Redis' own. They concern the deadline the user set on the key (part userdl of
-- the prelude), never the expiry the scripts keep on a key whose fields all have a TTL: TTL
-- answers -1 for such a key, as the module does. A key of another type, or an absent one, gets
-- Redis' command itself; so do wrong argument counts, for Redis' error text.
-- Calls: TTL family 3 (5 with a deadline: GET of X, and TIME for TTL/PTTL); EXPIRE family about 10; PERSIST about 10.
local TTLS = {ttl = true, pttl = true, expiretime = true, pexpiretime = true}

-- remaining answers the TTL family for user deadline d (Redis' roundings). The time left counts
-- from the clock read here (read_clock), not the call's (now_ms, read once per batch): Redis 7.0's
-- EXPIRE and PEXPIRE count from the moment they run, which in a batch is later than that clock, and
-- a TTL read from it would exceed the one just set.
local function remaining(d)
  local ms = d
  if CMD == 'ttl' or CMD == 'pttl' then ms = math.max(d - read_clock(), 0) end
  if CMD == 'pttl' or CMD == 'pexpiretime' then return ms end
  return math.floor((ms + 500) / 1000)
end

-- set_deadline makes d (Unix ms) the user's deadline: X holds it, and K, T, V and X expire at it,
-- made odd.
local function set_deadline(X, d)
  local e = itoa(odd(d))
  call('SET', X, itoa(d), 'PXAT', e)
  call('PEXPIREAT', K, e)
  call('PEXPIREAT', T, e)
  call('PEXPIREAT', V, e)
end

-- expire runs the EXPIRE family. Redis itself parses the arguments and applies NX, XX, GT and LT:
-- the command runs on X made to carry the user's deadline d exactly (or none), and X's expiry
-- afterwards is the new deadline.
local function expire(d, e)
  local X = deadline_key()
  if d then call('PEXPIREAT', X, itoa(d)) else call('SET', X, '') end
  local function restore()
    if d then call('PEXPIREAT', X, itoa(e)) else call('DEL', X) end
  end
  local r = redis.pcall(CMD, X, unpack(ARGV, 2))
  if type(r) ~= 'number' or r == 0 then
    restore()
    return r
  end
  local when = call('PEXPIRETIME', X)
  if when == -2 then -- the time has passed: the key goes now, as Redis deletes it
    call('DEL', K, T, V)
    return 1
  end
  if when > MAX_DEADLINE then
    restore()
    expire_time_error()
  end
  set_deadline(X, when)
  return 1
end

-- persist removes the user's deadline; the key-level expiry goes back to the one the scripts keep
-- (key_expiry when every field has a TTL, none otherwise).
local function persist()
  call('DEL', deadline_key())
  local n = call('HLEN', K)
  if n > 0 and call('ZCARD', T) == n then
    local _, hi = key_expiry(latest(), now_ms())
    expire_all(hi)
  else
    persist_all()
  end
  return 1
end

local function main()
  local t = call('TYPE', K).ok
  if t ~= 'hash' or (NARG ~= 0 and (TTLS[CMD] or CMD == 'persist')) then
    return call(CMD, K, unpack(ARGV, 2))
  end
  local e = call('PEXPIRETIME', K)
  local d = user_deadline(e)
  if TTLS[CMD] then
    if not d then return -1 end
    return remaining(d)
  end
  if CMD == 'persist' then
    if not d then return 0 end
    return persist()
  end
  return expire(d, e)
end
return run(main)
