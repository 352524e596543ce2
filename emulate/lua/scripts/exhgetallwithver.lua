-- EXHGETALLWITHVER key  (spec 3.21)
-- KEYS = {K, T, V}; ARGV = {db}
-- Reply: flat {field, value, version, ...}. Calls: TIME, ZCOUNT, HGETALL K, HGETALL V = 4.
local function main()
  begin()
  local kv = hide_due(call('HGETALL', K))
  if #kv == 0 then return kv end
  local vers = {}
  local vv = call('HGETALL', V)
  for i = 1, #vv, 2 do vers[vv[i]] = vv[i + 1] end
  local out = {}
  for i = 1, #kv, 2 do
    out[#out + 1] = kv[i]
    out[#out + 1] = kv[i + 1]
    out[#out + 1] = version_reply(vers[kv[i]] or '1')
  end
  return out
end
return run(main)
