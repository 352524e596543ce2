-- EXHPEXPIRE key field ms | EXHEXPIRE key field s | EXHPEXPIREAT key field unix-ms |
-- EXHEXPIREAT key field unix-s, each [VER v|ABS v|GT v]  (spec 3.11)
-- KEYS = {K, T, V}; ARGV = {db, field, ttl kind, ttl ms [, ver|abs|gt, version]} (encode.go)
-- Reply: 1 when the TTL was set (version: ABS/GT v, else + 1), 0 for an absent key or field.
-- Time 0 or a past absolute time expires the field at once (removed and announced before the
-- reply, which is still 1). Times whose deadline exceeds 2^53-1 ms fail (D6).
-- Calls, nothing due, every field with a TTL: TIME, PEXPIRETIME, ZCOUNT, HEXISTS, HGET V,
-- [HSET V], ZADD, 3 PEXPIREAT = 9 or 10.
local function main()
  local f, vk, vv = arg(1), opt(4), opt(5)
  NOW = now_ms()
  local d = deadline(arg(2), arg(3))
  begin_write(1)
  if E0 == -2 then return 0 end
  if call('HEXISTS', K, f) == 0 then return 0 end -- type-checks K
  local old = stored_version(call('HGET', V, f))
  if stale(vk, vv, old or '1') then fail(E_STALE) end
  local ver = (vk == 'abs' or vk == 'gt') and vv or ver_inc(old or '1')
  local vnew = put_version(f, old, ver)
  local gained = call('ZADD', T, itoa(d), f) == 1
  ttl_added(d, false, gained, vnew)
  return 1
end
return run(main)
