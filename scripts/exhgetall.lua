-- EXHKEYS key | EXHVALS key | EXHGETALL key  (spec 3.21)
-- KEYS = {K, T, V}; ARGV = {db}
-- Reply: fields, values, or flat field/value pairs. Calls: TIME, ZRANGEBYSCORE, HKEYS|HVALS|HGETALL = 3.
--- requires begin
--- fast requires quick
if #ARGV == 1 and nothing_due(now_ms()) then
  local reply = redis.pcall(CMD == 'exhgetall' and 'HGETALL' or CMD == 'exhkeys' and 'HKEYS' or 'HVALS', KEYS[1])
  if reply.err == nil then return reply end -- else the full script reports the error
end
--- end fast
local native = {exhkeys = 'HKEYS', exhvals = 'HVALS', exhgetall = 'HGETALL'}
local function main()
  if NARG ~= 0 then arity() end
  begin()
  return call(native[CMD], K)
end
return run(main)
