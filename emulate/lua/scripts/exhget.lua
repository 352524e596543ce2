-- EXHGET key field  (spec 3.5)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: the value, or nil. Calls when nothing is due: TIME, ZCOUNT, HGET = 3.
--- requires begin
local function main()
  if NARG ~= 1 then arity() end
  begin()
  return call('HGET', K, arg(1))
end
return run(main)
