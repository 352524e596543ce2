-- shared.lua: the helpers both emulations' server-side Lua calls by these names, defined once.
-- Each backend puts this text after the error constants and before its own prelude
-- (emulate/lua/scripts/lib.lua, emulate/hfe/1_prelude.lua), so it uses neither's state.

-- part clock:
-- now_ms returns the server's time in Unix ms, read once per call: the Lua backend clears CLOCK
-- once per script or batch, the HFE backend once per command. CLOCK_TEXT is the same as decimal
-- text, made once too (string.format costs about as much as a redis.call that finds nothing).
local CLOCK, CLOCK_TEXT

-- read_clock reads the server's time now, in Unix ms (1 call); most code wants now_ms.
local function read_clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function now_ms()
  if not CLOCK then
    CLOCK = read_clock()
    CLOCK_TEXT = string.format('%d', CLOCK)
  end
  return CLOCK
end

-- part batch:
-- operand_count reads the operand count a batch gives each command: decimal text, read by its byte
-- when it has one digit (tonumber runs strtod: some 1,500 machine instructions, half of what a
-- redis.call that finds nothing costs), or a number a single call put there itself.
local function operand_count(c)
  if type(c) == 'number' then return c end
  if #c == 1 then return c:byte() - 48 end
  return tonumber(c)
end

-- part int:
-- Lua numbers are doubles: versions and int64 operands stay canonical decimal strings and are
-- compared and added exactly here. A string of fewer than 16 characters is below 10^15 in
-- magnitude, exact as a number, which the fast paths use.

-- is_i64 reports whether s is a canonical int64: 0, or an optional '-' and digits without a
-- leading zero, within range (the module's integer grammar, spec 1.2).
local function is_i64(s)
  if s == '0' then return true end
  local d = s
  if s:byte(1) == 45 then d = s:sub(2) end
  local n = #d
  if n == 0 or n > 19 or not d:find('^[1-9]%d*$') then return false end
  if n < 19 then return true end
  local hi, lo = tonumber(d:sub(1, 10)), tonumber(d:sub(11))
  return hi < 9223372036 or (hi == 9223372036 and lo <= ((d == s) and 854775807 or 854775808))
end

-- A canonical value is split into hi*1e9 + lo with 0 <= lo < 1e9, both exact in doubles.
local B9 = 1000000000

local function i64_split(s)
  local neg = s:byte(1) == 45
  local d = neg and s:sub(2) or s
  local n = #d
  local hi, lo = 0, tonumber(d)
  if n > 9 then hi, lo = tonumber(d:sub(1, n - 9)), tonumber(d:sub(n - 8)) end
  if neg then
    if lo == 0 then hi = -hi else hi, lo = -hi - 1, B9 - lo end
  end
  return hi, lo
end

local function i64_join(hi, lo)
  local sign = ''
  if hi < 0 then
    sign = '-'
    if lo == 0 then hi = -hi else hi, lo = -hi - 1, B9 - lo end
  end
  if hi == 0 then return sign .. string.format('%d', lo) end
  return sign .. string.format('%d%09d', hi, lo)
end

-- i64_cmp returns -1, 0 or 1 as canonical a is less than, equal to or greater than b.
local function i64_cmp(a, b)
  if a == b then return 0 end
  local ah, al = i64_split(a)
  local bh, bl = i64_split(b)
  if ah ~= bh then return ah < bh and -1 or 1 end
  if al == bl then return 0 end
  return al < bl and -1 or 1
end

-- i64_add returns a + b, or nil when the sum leaves the int64 range.
local function i64_add(a, b)
  if #a < 16 and #b < 16 then return string.format('%d', tonumber(a) + tonumber(b)) end
  local ah, al = i64_split(a)
  local bh, bl = i64_split(b)
  local h, l = ah + bh, al + bl
  if l >= B9 then h, l = h + 1, l - B9 end
  if h > 9223372036 or (h == 9223372036 and l > 854775807) or
     h < -9223372037 or (h == -9223372037 and l < 145224192) then
    return nil
  end
  return i64_join(h, l)
end

-- ver_inc returns version s + 1; int64 max wraps to int64 min as in the module (spec 4).
local function ver_inc(s)
  if #s < 16 then return string.format('%d', tonumber(s) + 1) end
  if s == '9223372036854775807' then return '-9223372036854775808' end
  return i64_add(s, '1')
end

-- int_reply is the reply form of canonical s: a number while exact, else the decimal string
-- (the Go side turns those back into integers; runner.ExactIntegers).
local function int_reply(s)
  if #s < 16 then return tonumber(s) end
  return s
end
