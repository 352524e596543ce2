-- EXHINCRBYFLOAT key field increment [EX s|EXAT t|PX ms|PXAT t|KEEPTTL] [VER v|ABS v|GT v]
--   [MIN x] [MAX x]  (spec 3.10)
-- KEYS = {K, T, V}; ARGV = {db, field, increment [, ttl kind, ttl ms, ver|abs|gt, version, min,
-- max, late error]} (encode.go; the bounds as doubles, min <= max)
-- Reply: the new value as a bulk string. The sum is computed by the server's HINCRBYFLOAT on the
-- field itself (80-bit long double and the module's formatting); it is undone when the result
-- breaks MIN/MAX, compared in double precision. The empty string counts as 0, as in the module.
-- Calls, existing field, nothing due: TIME, PEXPIRETIME, ZCOUNT, HGET K, HGET V,
-- HINCRBYFLOAT, [HSET V], then as EXHSET.

-- ld_syntax reports whether a stored value s has the form C strtold reads completely (spec 1.2):
-- decimal or hex float, optional sign, inf/infinity; no whitespace, no nan. A NUL ends the
-- string, as for the C parser. (Arguments are checked in Go, grammar.Parse; stored values here.)
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

-- ld_in_range approximates the long double range check of a value that passed ld_syntax: false
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

local function main()
  local f, incr = arg(1), arg(2)
  local tk, vk, vv, late = opt(3), opt(5), opt(6), opt(9)
  local min, max = tonumber(opt(7)), tonumber(opt(8))
  begin_write(1)
  local cur, old = current(f)
  if late then fail(late) end
  local d = deadline(tk, arg(4))
  if cur then
    -- out of long double range (e.g. "1e5000") is "not a float" too, and comes before VER
    if not ld_syntax(cur) or not ld_in_range(cur) then fail(E_NOT_FLOAT) end
    if stale(vk, vv, old or '1') then fail(E_STALE) end
  end
  if cur == '' then call('HSET', K, f, '0') end
  local res = redis.pcall('HINCRBYFLOAT', K, f, incr)
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
  store_field(f, vk, vv, tk == 'k', d, not cur, old)
  return res
end
return run(main)
