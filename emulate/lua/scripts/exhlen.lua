-- EXHLEN key [NOEXP]  (spec 3.18)
-- KEYS = {K, T, V}; ARGV = {db [, NOEXP]}
-- Reply: the number of live fields. Due fields are removed first, so both forms count the same
-- (the module's plain form also counts expired fields it has not removed yet).
-- Calls: TIME, ZCOUNT, HLEN = 3.
--- requires begin
local function main()
  if NARG > 1 then arity() end
  if NARG == 1 and lower(arg(1)) ~= 'noexp' then fail(E_SYNTAX) end
  begin()
  return call('HLEN', K)
end
return run(main)
