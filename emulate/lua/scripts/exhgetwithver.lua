-- EXHGETWITHVER key field  (spec 3.6)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: {value, version} or nil. Calls: TIME, ZCOUNT, HGET K, HGET V = 4.
local function main()
  begin(1)
  local f = arg(1)
  local v = call('HGET', K, f)
  if not v then return false end
  return {v, version_reply(call('HGET', V, f) or '1')}
end
return run(main)
