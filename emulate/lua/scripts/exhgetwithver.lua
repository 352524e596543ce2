-- EXHGETWITHVER key field  (spec 3.6)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: {value, version} or nil. Calls: TIME, ZCOUNT, HGET K, HGET V = 4.
--- requires begin int
local function main()
  if NARG ~= 1 then arity() end
  begin()
  local f = arg(1)
  local v = call('HGET', K, f)
  if not v then return false end
  return {v, int_reply(call('HGET', V, f) or '1')}
end
return run(main)
