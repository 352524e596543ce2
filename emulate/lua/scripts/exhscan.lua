-- EXHSCAN key cursor [MATCH pattern] [COUNT count]  (spec 3.22)
-- KEYS = {K, T, V}; ARGV = {db, cursor, options...}
-- Reply: {next cursor (bulk), {field, value, ...}}; for an absent key {+0, {}} (status cursor).
-- Iteration is the server's HSCAN (same cursor grammar, same MATCH, COUNT counted in fields +
-- values); COUNT 0 becomes 1 and a negative COUNT returns the whole hash.
-- Calls: TIME, ZCOUNT, HSCAN [, EXISTS when the page is empty and final] = 3.
-- cursor parses s as C strtoul does (spec 1.2: "", +0, 00 and negative values wrapped modulo 2^64
-- are accepted) and returns the cursor in canonical decimal, or nil when s is not one. Servers
-- differ in what HSCAN itself accepts (Valkey refuses negative cursors), so HSCAN gets the result.
--- requires begin int
local function cursor(s)
  if s == '' then return '0' end
  local sign, digits = s:match('^([+-]?)(%d+)$')
  if not digits then return nil end
  digits = digits:gsub('^0+', '')
  if #digits > 20 then return nil end
  local n = #digits
  local hi, lo = 0, tonumber(digits) or 0
  if n > 10 then hi, lo = tonumber(digits:sub(1, n - 10)), tonumber(digits:sub(n - 9)) end
  if hi > 1844674407 or (hi == 1844674407 and lo > 3709551615) then return nil end
  if sign == '-' and (hi > 0 or lo > 0) then -- 2^64 - n
    hi, lo = 1844674407 - hi, 3709551616 - lo
    if lo < 0 then hi, lo = hi - 1, lo + 10000000000 end
  end
  if hi == 0 then return itoa(lo) end
  return sfmt('%d%010d', hi, lo)
end

local function main()
  if NARG < 1 or NARG > 5 then arity() end
  begin()
  local cur = cursor(arg(1))
  local perr = not cur
  local match, count
  local i = 2
  while not perr and i <= NARG do
    local w = lower(arg(i))
    if i == NARG or (w ~= 'match' and w ~= 'count') then
      perr = true
    elseif w == 'match' then
      match = arg(i + 1)
    elseif not is_i64(arg(i + 1)) then
      perr = true
    else
      count = arg(i + 1)
    end
    i = i + 2
  end
  if perr then
    need_type(K, 'hash')
    fail(E_SYNTAX)
  end
  local args = {'HSCAN', K, cur}
  if match then
    args[#args + 1] = 'MATCH'
    args[#args + 1] = match
  end
  if count then
    args[#args + 1] = 'COUNT'
    if count == '0' then count = '1' elseif is_neg(count) then count = '1000000000' end
    args[#args + 1] = count
  end
  local page = call(unpack(args))
  if page[1] == '0' and #page[2] == 0 and not key_held() then
    return {{ok = '0'}, {}}
  end
  return page
end
return run(main)
