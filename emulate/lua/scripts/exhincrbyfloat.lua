-- EXHINCRBYFLOAT key field increment [EX s|EXAT t|PX ms|PXAT t|KEEPTTL] [VER v|ABS v|GT v]
--   [MIN x] [MAX x]  (spec 3.10)
-- KEYS = {K, T, V}; ARGV = {db, field, increment, options...}
-- Reply: the new value as a bulk string. The sum is computed by the server's HINCRBYFLOAT on the
-- field itself (80-bit long double and the module's formatting); it is undone when the result
-- breaks MIN/MAX. Lua only checks the grammar (for the module's check order) and compares the
-- bounds in double precision. The empty string counts as 0, as in the module.
-- Calls, existing field, nothing due: TIME, PEXPIRETIME, ZCOUNT, HGET K, HGET V,
-- HINCRBYFLOAT, [HSET V], then as EXHSET.
--- requires begin_write opts store

-- ld_syntax reports whether s has the form C strtold reads completely (spec 1.2): decimal or hex
-- float, optional sign, inf/infinity; no whitespace, no nan. The server rechecks the range.
-- A NUL ends the string, as for the C parser.
local function ld_syntax(s)
  local z = s:find('\0', 1, true)
  if z then s = s:sub(1, z - 1) end
  if s == '' then return true end
  local b = lower(s):gsub('^[+-]', '', 1)
  if b == 'inf' or b == 'infinity' then return true end
  local m, e
  if b:sub(1, 2) == '0x' then
    m, e = b:match('^0x(%x*%.?%x*)(.*)$')
    if not m or not m:find('%x') then return false end
    return e == '' or e:find('^p[+-]?%d+$') ~= nil
  end
  m, e = b:match('^(%d*%.?%d*)(.*)$')
  if not m or not m:find('%d') then return false end
  return e == '' or e:find('^e[+-]?%d+$') ~= nil
end

-- ld_in_range approximates the long double range check of a bound that passed ld_syntax: false
-- when the value overflows (> ~1.19e4932) or underflows to zero (< ~1.82e-4951).
local function ld_in_range(s)
  local z = s:find('\0', 1, true)
  if z then s = s:sub(1, z - 1) end
  local b = lower(s):gsub('^[+-]', '', 1)
  if b == '' or b:sub(1, 1) == 'i' then return true end
  local hex = b:sub(1, 2) == '0x'
  local m, e
  if hex then m, e = b:match('^0x([%x%.]*)p?([+-]?%d*)$')
  else m, e = b:match('^([%d%.]*)e?([+-]?%d*)$') end
  local point = m:find('.', 1, true) or (#m + 1)
  local digits = m:gsub('%.', '')
  local k = digits:find('[^0]')
  if not k then return true end -- zero
  local exp = tonumber(e) or 0
  if hex then -- leading bit exponent
    local lead = tonumber(digits:sub(k, k), 16)
    local bits = lead >= 8 and 3 or lead >= 4 and 2 or lead >= 2 and 1 or 0
    local x = 4 * (point - 1 - k) + bits + exp
    return x < 16384 and x > -16446
  end
  local x = point - 1 - k + exp -- decimal exponent of the leading digit
  local lead = tonumber(digits:sub(k, k + 15) .. string.rep('0', 16 - #digits:sub(k, k + 15)))
  if x > 4932 or (x == 4932 and lead > 1189731495357231) then return false end
  if x < -4951 or (x == -4951 and lead < 1822599765941237) then return false end
  return true
end

local function bound(s)
  local z = s:find('\0', 1, true)
  if z then s = s:sub(1, z - 1) end
  if s == '' then return 0 end
  return tonumber(s)
end

local function main()
  if NARG < 2 then arity() end
  local f, incr = arg(1), arg(2)
  local o, perr = parse_opts(3, false, true)
  begin_write()
  local cur, old = current(f)
  if not ld_syntax(incr) then fail(E_NOT_FLOAT) end
  if perr then fail(perr) end
  local d = o.ttl and deadline(o.ttl, o.ttlv)
  for _, s in ipairs({o.min or '', o.max or ''}) do
    if not ld_syntax(s) or not ld_in_range(s) then
      fail(E_MINMAX_NOT_FLOAT)
    end
  end
  local min, max = o.min and bound(o.min), o.max and bound(o.max)
  if min and max and max < min then fail(E_MIN_OVER_MAX) end
  if cur then
    -- out of long double range (e.g. "1e5000") is "not a float" too, and comes before VER
    if not ld_syntax(cur) or not ld_in_range(cur) then fail(E_NOT_FLOAT) end
    if stale(o.vk, o.vv, old or '1') then fail(E_STALE) end
  end
  if cur == '' then call('HSET', K, f, '0') end
  local res = redis.pcall('HINCRBYFLOAT', K, f, incr == '' and '0' or incr)
  local msg
  if type(res) == 'table' then
    msg = res.err:find('not a valid float') and E_NOT_FLOAT or
      res.err:find('not a float') and E_NOT_FLOAT or E_OVERFLOW
  else
    local x = tonumber(res)
    if (min and x < min) or (max and x > max) then msg = E_OVERFLOW end
  end
  if msg then -- undo: nothing may change on failure
    if cur then call('HSET', K, f, cur) elseif type(res) ~= 'table' then call('HDEL', K, f) end
    fail(msg)
  end
  store_field(f, o, d, not cur, old)
  return res
end
return run(main)
