-- EXHMGET key field [field ...]  (spec 3.7)
-- KEYS = {K, T, V}; ARGV = {db, fields...}
-- Reply: one value or nil per requested field. Calls: TIME, ZCOUNT, HMGET = 3.
--- requires begin
local function main()
  if NARG < 1 then arity() end
  begin()
  if NARG < CHUNK then return call('HMGET', K, unpack(ARGV, 2)) end
  local out = {}
  for i = 2, #ARGV, CHUNK do
    local part = call('HMGET', K, unpack(ARGV, i, math.min(i + CHUNK - 1, #ARGV)))
    for j = 1, #part do out[#out + 1] = part[j] end
  end
  return out
end
return run(main)
