-- EXHSET key field value [EX s|EXAT t|PX ms|PXAT t|KEEPTTL] [NX|XX] [VER v|ABS v|GT v]  (spec 3.1)
-- KEYS = {K, T, V}; ARGV = {db, field, value [, ttl kind, ttl ms, nx|xx, ver|abs|gt, version, late
-- error]}, the options as grammar.Op has them (encode.go)
-- Reply: 1 new field, 0 updated, -1 NX/XX not satisfied; errors: arity, WRONGTYPE, syntax, stale,
-- invalid expire time (D6).
-- Calls without NX/XX/VER/GT, nothing due, every field with a TTL: TIME, PEXPIRETIME,
-- ZCOUNT, HGET V, HSET K, [HSET V], ZADD, 3 PEXPIREAT = 9 (new field) or 10 (update).
local function main()
  local f, val, tk, ms, cond, vk, vv, late = unpack(ARGV, 2, 9) -- one call, where arg/opt make eight
  if cond == '' then cond = nil end
  begin_write(1)
  if late and late ~= '' then
    need_type(K, 'hash')
    fail(late)
  end
  local d = deadline(tk, ms)
  local keep = tk == 'k'
  if E0 == -2 then -- absent key: nothing to compare with
    if cond == 'xx' then return -1 end
    call('HSET', K, f, val)
    store_field(f, vk, vv, keep, d, true, false)
    return 1
  end
  local old, isnew
  if cond or vk == 'ver' or vk == 'gt' then
    local exists = call('HEXISTS', K, f) == 1
    old = stored_version(call('HGET', V, f))
    if exists then
      if cond == 'nx' then return -1 end
      if stale(vk, vv, old or '1') then fail(E_STALE) end
    elseif cond == 'xx' then
      return -1
    end
    call('HSET', K, f, val)
    isnew = not exists
  else
    old = stored_version(call('HGET', V, f)) -- read before K is written: type-checks V
    isnew = call('HSET', K, f, val) == 1
  end
  store_field(f, vk, vv, keep, d, isnew, old)
  return isnew and 1 or 0
end
return run(main)
