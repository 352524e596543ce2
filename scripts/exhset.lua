-- EXHSET key field value [EX s|EXAT t|PX ms|PXAT t|KEEPTTL] [NX|XX] [VER v|ABS v|GT v]  (spec 3.1)
-- KEYS = {K, T, V}; ARGV = {db, field, value, options...}
-- Reply: 1 new field, 0 updated, -1 NX/XX not satisfied; errors: arity, WRONGTYPE, syntax, stale,
-- invalid expire time (D6).
-- Calls without NX/XX/VER/GT, nothing due, every field with a TTL: TIME, PEXPIRETIME,
-- ZRANGEBYSCORE, HGET V, HSET K, [HSET V], ZADD, 3 PEXPIREAT = 9 (new field) or 10 (update).
--- requires begin_write opts store deadline
--- fast requires quickstore
-- The common writes: EX or PX (up to 9 digits) with at most XX and one of VER or ABS (positive),
-- in any order, on a key whose fields all have a TTL (so it has a key-level expiry) and
-- none is due. Anything else, and a stale VER, falls through to the full script.
local unit, ttl, xx, vk, vv
local i = 4
while i <= #ARGV do
  local w, v = string.lower(ARGV[i]), ARGV[i + 1]
  if (w == 'ex' or w == 'px') and not unit and v and quick_pos(v, 9) then
    unit, ttl, i = w, v, i + 2
  elseif (w == 'ver' or w == 'abs') and not vk and v and quick_pos(v, 19) then
    vk, vv, i = w, v, i + 2
  elseif w == 'xx' and not xx then
    xx, i = true, i + 1
  else
    unit = nil
    break
  end
end
if unit then
  local f = ARGV[2]
  local now = now_ms()
  local e0 = redis.call('PEXPIRETIME', KEYS[1])
  FAST_E0 = e0
  local common = e0 >= 0 and nothing_due(now)
  local old = common and redis.pcall('HGET', KEYS[3], f) -- V's entry or false; a table: not a hash
  local ok = common and type(old) ~= 'table'
  local nextv = ok and vk ~= 'abs' and quick_next(old)
  ok = ok and (vk == 'abs' or nextv ~= nil)
  if ok and (xx or vk == 'ver') then
    local exists = redis.pcall('HEXISTS', KEYS[1], f)
    if exists == 0 and xx then return -1 end
    ok = exists == 0 or (exists == 1 and (vk ~= 'ver' or vv == (old or '1')))
  end
  local added = ok and redis.pcall('HSET', KEYS[1], f, ARGV[3])
  if type(added) == 'number' then -- written: from here on nothing can fail
    local ver = vk == 'abs' and vv or (added == 1 and '1' or nextv)
    quick_store(now, e0, f, now + tonumber(ttl) * (unit == 'ex' and 1000 or 1), old, ver)
    return added
  end
end
--- end fast
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
