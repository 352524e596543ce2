-- EXHLEN key [NOEXP]  (spec 3.18)
-- KEYS = {K, T, V}; ARGV = {db} (NOEXP is checked and dropped in Go)
-- Reply: the number of live fields. Due fields are removed first, so both forms count the same
-- (the module's plain form also counts expired fields it has not removed yet).
-- Calls: TIME, ZCOUNT, HLEN = 3.
local function main()
  begin()
  return call('HLEN', K)
end
return run(main)
