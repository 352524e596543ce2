-- EXHKEYS key | EXHVALS key | EXHGETALL key  (spec 3.21)
-- KEYS = {K, T, V}; ARGV = {db}
-- Reply: fields, values, or flat field/value pairs. Calls: TIME, ZCOUNT, HKEYS|HVALS|HGETALL = 3.
--- requires begin
local native = {exhkeys = 'HKEYS', exhvals = 'HVALS', exhgetall = 'HGETALL'}
local function main()
  if NARG ~= 0 then arity() end
  begin()
  return call(native[CMD], K)
end
return run(main)
