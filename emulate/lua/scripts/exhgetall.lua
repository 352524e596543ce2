-- EXHKEYS key | EXHVALS key | EXHGETALL key  (spec 3.21)
-- KEYS = {K, T, V}; ARGV = {db}
-- Reply: fields, values, or flat field/value pairs. Calls: TIME, ZCOUNT, HKEYS|HVALS|HGETALL = 3.
-- With due fields left over (begin, lib.lua), HGETALL without them, then the part asked for.
local native = {exhkeys = 'HKEYS', exhvals = 'HVALS', exhgetall = 'HGETALL'}
local function main()
  begin()
  if not BACKLOG then return call(native[CMD], K) end
  local kv = hide_due(call('HGETALL', K))
  if CMD == 'exhgetall' then return kv end
  local out = {}
  for i = CMD == 'exhkeys' and 1 or 2, #kv, 2 do out[#out + 1] = kv[i] end
  return out
end
return run(main)
