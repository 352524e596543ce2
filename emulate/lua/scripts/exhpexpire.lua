-- EXHPEXPIRE key field ms | EXHEXPIRE key field s | EXHPEXPIREAT key field unix-ms |
-- EXHEXPIREAT key field unix-s, each [VER v|ABS v|GT v]  (spec 3.11)
-- KEYS = {K, T, V}; ARGV = {db, field, time [, VER|ABS|GT, v]}
-- Reply: 1 when the TTL was set (version: ABS/GT v, else + 1), 0 for an absent key or field.
-- Time 0 or a past absolute time expires the field at once (removed and announced before the
-- reply, which is still 1). Times whose deadline exceeds 2^53-1 ms fail (D6).
-- Calls, nothing due, every field with a TTL: TIME, PEXPIRETIME, ZCOUNT, HEXISTS, HGET V,
-- [HSET V], ZADD, 3 PEXPIREAT = 9 or 10.
--- requires begin_write int version keyexp
local units = {exhpexpire = 'px', exhexpire = 'ex', exhpexpireat = 'pxat', exhexpireat = 'exat'}
local function main()
  if NARG < 2 or NARG > 5 then arity() end
  local f, tv = arg(1), arg(2)
  if not is_i64(tv) or is_neg(tv) then fail(E_SYNTAX) end
  local vk, vv
  if NARG > 2 then
    if NARG ~= 4 then fail(E_SYNTAX) end
    vk, vv = lower(arg(3)), arg(4)
    if vk ~= 'ver' and vk ~= 'abs' and vk ~= 'gt' then fail(E_SYNTAX) end
    if not is_i64(vv) or is_neg(vv) or (vv == '0' and vk ~= 'ver') then fail(E_SYNTAX) end
  end
  NOW = now_ms()
  local d = deadline(units[CMD], tv)
  begin_write()
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
