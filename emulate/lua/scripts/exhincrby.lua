-- EXHINCRBY key field increment [EX s|EXAT t|PX ms|PXAT t|KEEPTTL] [VER v|ABS v|GT v]
--   [MIN n] [MAX n]  (spec 3.9)
-- KEYS = {K, T, V}; ARGV = {db, field, increment, options...}
-- Reply: the new value (integer; a decimal bulk string when it has 16 or more digits). int64
-- arithmetic is exact (decimal strings); MIN/MAX bound the result only. TTL and version effects
-- are EXHSET's. Nothing is written when a check fails (the module may leave an empty key, D2).
-- Calls, existing field, nothing due: TIME, PEXPIRETIME, ZCOUNT, HGET K, HGET V, HSET K,
-- [HSET V], then as EXHSET (ZREM, or ZADD + key-level expiry).
--- requires begin_write opts store
local function main()
  if NARG < 2 then arity() end
  local f, incr = arg(1), arg(2)
  local o, perr = parse_opts(3, false, true)
  begin_write()
  local cur, old = current(f)
  if not is_i64(incr) then fail(E_NOT_INTEGER) end
  if perr then fail(perr) end
  local d = o.ttl and deadline(o.ttl, o.ttlv)
  if (o.min and not is_i64(o.min)) or (o.max and not is_i64(o.max)) then
    fail(E_MINMAX_NOT_INT)
  end
  if o.min and o.max and i64_cmp(o.max, o.min) < 0 then fail(E_MIN_OVER_MAX) end
  if cur then
    if not is_i64(cur) then fail(E_NOT_INTEGER) end
    if stale(o.vk, o.vv, old or '1') then fail(E_STALE) end
  end
  local res = i64_add(cur or '0', incr)
  if not res or (o.min and i64_cmp(res, o.min) < 0) or (o.max and i64_cmp(res, o.max) > 0) then
    fail(E_OVERFLOW)
  end
  call('HSET', K, f, res)
  store_field(f, o, d, not cur, old)
  return int_reply(res)
end
return run(main)
