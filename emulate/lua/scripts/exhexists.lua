-- EXHEXISTS key field | EXHSTRLEN key field  (spec 3.19, 3.20)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: 1/0 for a live field, or its value's length (0 when absent). Calls: TIME,
-- ZCOUNT, HEXISTS|HSTRLEN = 3.
--- requires begin
local native = {exhexists = 'HEXISTS', exhstrlen = 'HSTRLEN'}
local function main()
  if NARG ~= 1 then arity() end
  begin()
  return call(native[CMD], K, arg(1))
end
return run(main)
