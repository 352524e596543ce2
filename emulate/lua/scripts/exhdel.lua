-- EXHDEL key field [field ...]  (spec 3.16)
-- KEYS = {K, T, V}; ARGV = {db, fields...}
-- Reply: the number of live fields removed (duplicates count once). Calls when something is
-- removed: TIME, ZCOUNT, HLEN, HDEL V, HDEL K, ZREM, then settle (ZCARD, PEXPIRETIME
-- [, ZRANGE, 3 writes]) or DEL when K is left empty.
--- requires begin keyexp
local function main()
  if NARG < 1 then arity() end
  begin()
  local n = call('HLEN', K) -- type-checks K before anything is written
  if n == 0 then return 0 end
  local fields = {}
  for i = 2, #ARGV do fields[i - 1] = ARGV[i] end
  chunked('HDEL', V, fields)
  local removed = chunked('HDEL', K, fields)
  if removed > 0 then
    chunked('ZREM', T, fields)
    settle(n - removed)
  end
  return removed
end
return run(main)
