-- EXHGET key field  (spec 3.5)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: the value, or nil. Calls when nothing is due: TIME, ZCOUNT, HGET = 3.
local function main()
  begin(1)
  return call('HGET', K, arg(1))
end
return run(main)
