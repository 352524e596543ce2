-- EXHTTL key field | EXHPTTL key field  (spec 3.13)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: -2 absent key, -3 absent field, -1 no TTL, else the time left: ms for EXHPTTL,
-- (ms + 500) / 1000 for EXHTTL. Calls: TIME, ZCOUNT, HEXISTS, ZSCORE (or EXISTS) = 4.
--- requires begin
local function main()
  if NARG ~= 1 then arity() end
  local f = arg(1)
  begin()
  if call('HEXISTS', K, f) == 0 then
    return key_held() and -3 or -2
  end
  local s = call('ZSCORE', T, f)
  if not s then return -1 end
  if not s:find('^%-?%d+$') then -- written by hand: +inf, or a fraction
    fail(sfmt('%s %s: %q is not a deadline', E_CORRUPT_DEADLINE, T, s))
  end
  local ms = tonumber(s) - NOW
  if CMD == 'exhttl' then return math.floor((ms + 500) / 1000) end
  return ms
end
return run(main)
