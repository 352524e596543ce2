-- EXHGETWITHVER key field  (spec 3.6)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: {value, version} or nil. Calls: TIME, ZRANGEBYSCORE, HGET K, HGET V = 4.
--- requires begin int
--- fast requires quick
if #ARGV == 2 and nothing_due(now_ms()) then
  local value = redis.pcall('HGET', KEYS[1], ARGV[2])
  if value == false then return false end
  if type(value) == 'string' then -- else an error: the full script reports it
    local ver = redis.pcall('HGET', KEYS[3], ARGV[2])
    if ver == false then return {value, 1} end
    if type(ver) == 'string' and ver:find('^%-?%d+$') then -- as int_reply; else the full script
      return {value, #ver < 16 and tonumber(ver) or ver}
    end
  end
end
--- end fast
local function main()
  if NARG ~= 1 then arity() end
  begin()
  local f = arg(1)
  local v = call('HGET', K, f)
  if not v then return false end
  return {v, int_reply(call('HGET', V, f) or '1')}
end
return run(main)
