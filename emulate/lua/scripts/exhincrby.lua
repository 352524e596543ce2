-- EXHINCRBY key field increment [EX s|EXAT t|PX ms|PXAT t|KEEPTTL] [VER v|ABS v|GT v]
--   [MIN n] [MAX n]  (spec 3.9)
-- KEYS = {K, T, V}; ARGV = {db, field, increment [, ttl kind, ttl ms, ver|abs|gt, version, min,
-- max, late error]} (encode.go; the bounds canonical, min <= max)
-- Reply: the new value (integer; a decimal bulk string when it has 16 or more digits). int64
-- arithmetic is exact (decimal strings); MIN/MAX bound the result only. TTL and version effects
-- are EXHSET's. Nothing is written when a check fails (the module may leave an empty key, D2).
-- Calls, existing field, nothing due: TIME, PEXPIRETIME, ZCOUNT, HGET K, HGET V, HSET K,
-- [HSET V], then as EXHSET (ZREM, or ZADD + key-level expiry).
local function main()
  local f, incr = arg(1), arg(2)
  local tk, vk, vv, min, max, late = opt(3), opt(5), opt(6), opt(7), opt(8), opt(9)
  begin_write(1)
  local cur, old = current(f)
  if late then fail(late) end
  local d = deadline(tk, arg(4))
  if cur then
    if not is_i64(cur) then fail(E_NOT_INTEGER) end
    if stale(vk, vv, old or '1') then fail(E_STALE) end
  end
  local res = i64_add(cur or '0', incr)
  if not res or (min and i64_cmp(res, min) < 0) or (max and i64_cmp(res, max) > 0) then
    fail(E_OVERFLOW)
  end
  call('HSET', K, f, res)
  store_field(f, vk, vv, tk == 'k', d, not cur, old)
  return int_reply(res)
end
return run(main)
