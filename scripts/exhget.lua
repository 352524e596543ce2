-- EXHGET key field  (spec 3.5)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: the value, or nil. Calls when nothing is due: TIME, ZRANGEBYSCORE, HGET = 3.
--- requires begin
--- fast requires quick
if #ARGV == 2 and nothing_due(now_ms()) then
  local value = redis.pcall('HGET', KEYS[1], ARGV[2])
  if type(value) ~= 'table' then return value end -- else an error: the full script reports it
end
--- end fast
local function main()
  if NARG ~= 1 then arity() end
  begin()
  return call('HGET', K, arg(1))
end
return run(main)
