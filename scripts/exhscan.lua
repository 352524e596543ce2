-- EXHSCAN key cursor [MATCH pattern] [COUNT count]  (spec 3.22)
-- KEYS = {K, T, V}; ARGV = {db, cursor, options...}
-- Reply: {next cursor (bulk), {field, value, ...}}; for an absent key {+0, {}} (status cursor).
-- Iteration is the server's HSCAN (same cursor grammar, same MATCH, COUNT counted in fields +
-- values); COUNT 0 becomes 1 and a negative COUNT returns the whole hash.
-- Calls: TIME, ZRANGEBYSCORE, HSCAN [, EXISTS when the page is empty and final] = 3.
local function cursor_ok(s) -- C strtoul of the whole string, unsigned 64-bit (spec 1.2)
  if s == '' then return true end
  local digits = s:match('^[+-]?(%d+)$')
  if not digits then return false end
  digits = digits:gsub('^0+', '')
  if #digits ~= 20 then return #digits < 20 end
  local hi, lo = tonumber(digits:sub(1, 10)), tonumber(digits:sub(11))
  return hi < 1844674407 or (hi == 1844674407 and lo <= 3709551615)
end

local function main()
  if NARG < 1 or NARG > 5 then arity() end
  begin()
  local cursor = arg(1)
  local perr = not cursor_ok(cursor)
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
  local args = {'HSCAN', K, cursor}
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
  if page[1] == '0' and #page[2] == 0 and call('EXISTS', K) == 0 then
    return {{ok = '0'}, {}}
  end
  return page
end
return run(main)
