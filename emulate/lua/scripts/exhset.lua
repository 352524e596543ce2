-- EXHSET key field value [EX s|EXAT t|PX ms|PXAT t|KEEPTTL] [NX|XX] [VER v|ABS v|GT v]  (spec 3.1)
-- KEYS = {K, T, V}; ARGV = {db, field, value, options...}
-- Reply: 1 new field, 0 updated, -1 NX/XX not satisfied; errors: arity, WRONGTYPE, syntax, stale,
-- invalid expire time (D6).
-- Calls without NX/XX/VER/GT, nothing due, every field with a TTL: TIME, PEXPIRETIME,
-- ZCOUNT, HGET V, HSET K, [HSET V], ZADD, 3 PEXPIREAT = 9 (new field) or 10 (update).
--- requires begin_write opts store deadline
local function main()
  if NARG < 2 then arity() end
  local f, val = arg(1), arg(2)
  local o, perr = parse_opts(3, true, false)
  begin_write()
  if perr then
    need_type(K, 'hash')
    fail(perr)
  end
  local d = o.ttl and deadline(o.ttl, o.ttlv)
  if E0 == -2 then -- absent key: nothing to compare with
    if o.xx then return -1 end
    call('HSET', K, f, val)
    store_field(f, o, d, true, false)
    return 1
  end
  local old, isnew
  if o.nx or o.xx or o.vk == 'ver' or o.vk == 'gt' then
    local exists = call('HEXISTS', K, f) == 1
    old = stored_version(call('HGET', V, f))
    if exists then
      if o.nx then return -1 end
      if stale(o.vk, o.vv, old or '1') then fail(E_STALE) end
    elseif o.xx then
      return -1
    end
    call('HSET', K, f, val)
    isnew = not exists
  else
    old = stored_version(call('HGET', V, f)) -- read before K is written: type-checks V
    isnew = call('HSET', K, f, val) == 1
  end
  store_field(f, o, d, isnew, old)
  return isnew and 1 or 0
end
return run(main)
