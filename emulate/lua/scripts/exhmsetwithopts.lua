-- EXHMSETWITHOPTS key field value ver ttl-seconds [field value ver ttl-seconds ...]  (spec 3.4)
-- KEYS = {K, T, V}; ARGV = {db, field, value, ver, ttl, ...}
-- Reply: OK. Two passes: every tuple is validated against the versions before the call (ver is a
-- VER-style precondition, 0 = any), then all are applied: value set, version + 1 per occurrence
-- (new field: 1), deadline = now + ttl*1000 (0: expired at once, removed and announced before the
-- reply). Nothing is created on failure or with no tuples (the module leaves an empty key, D2).
-- Calls: TIME, PEXPIRETIME, ZCOUNT, one HEXISTS per tuple, HMGET V, HSET K, ZADD,
-- [HSET V] [HDEL V], then the key-level state is settled (HLEN, PEXPIRETIME, ZCARD, ZRANGE [, 3]).
--- requires begin_write int versions keyexp
local function main()
  if NARG % 4 ~= 0 then arity() end
  begin_write()
  if NARG == 0 then
    need_type(K, 'hash')
    return {ok = 'OK'}
  end
  local nt = NARG / 4
  local fields, exists, before = {}, {}, {}
  for i = 1, nt do fields[i] = arg(4 * i - 3) end
  if E0 ~= -2 then
    for i = 1, nt do
      local f = fields[i]
      if exists[f] == nil then exists[f] = call('HEXISTS', K, f) == 1 end
    end
    for i = 1, nt, CHUNK do
      local part = call('HMGET', V, unpack(fields, i, math.min(i + CHUNK - 1, nt)))
      for j = 1, #part do before[fields[i + j - 1]] = stored_version(part[j]) end
    end
  end
  local deadlines = {}
  for i = 1, nt do
    local f, ver, ttl = fields[i], arg(4 * i - 1), arg(4 * i)
    if not is_i64(ttl) or not is_i64(ver) or is_neg(ver) or is_neg(ttl) then fail(E_SYNTAX) end
    local n = tonumber(ttl)
    local d = NOW + n * 1000
    if d > MAX_DEADLINE then expire_time_error() end
    deadlines[i] = d
    if exists[f] and ver ~= '0' and ver ~= (before[f] or '1') then fail(E_STALE) end
  end
  -- apply
  local pairs_kv, scores, cur = {}, {}, {}
  for i = 1, nt do
    local f = fields[i]
    pairs_kv[#pairs_kv + 1] = f
    pairs_kv[#pairs_kv + 1] = arg(4 * i - 2)
    scores[#scores + 1] = itoa(deadlines[i])
    scores[#scores + 1] = f
    if cur[f] then cur[f] = ver_inc(cur[f])
    elseif exists[f] then cur[f] = ver_inc(before[f] or '1')
    else cur[f] = '1' end
  end
  chunked('HSET', K, pairs_kv)
  local wrote, had = put_versions(cur, before)
  chunked('ZADD', T, scores)
  settle(nil, wrote and not had)
  return {ok = 'OK'}
end
return run(main)
