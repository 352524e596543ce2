-- EXHLEN key [NOEXP]  (spec 3.18)
-- KEYS = {K, T, V}; ARGV = {db} (NOEXP is checked and dropped in Go)
-- Reply: the number of live fields. Due fields are removed first, so both forms count the same
-- (the module's plain form also counts expired fields it has not removed yet).
-- Calls: TIME, ZCOUNT, HLEN = 3 (one more ZCOUNT when due fields were left, begin in lib.lua).
local function main()
  begin()
  return live_len()
end
return run(main)
