-- EXHSETNX key field value  (spec 3.2)
-- KEYS = {K, T, V}; ARGV = {db, field, value}
-- Reply: 1 when the field was created (version 0, no TTL), else 0. Due fields, the target
-- included, are removed first (the module does not self-check the target, D7).
-- Calls for a new field of an existing key: TIME, PEXPIRETIME, ZCOUNT, HEXISTS, HSET V,
-- HSET K [, 3 PERSIST when every other field had a TTL] = 6.
--- requires begin_write keyexp
local function main()
  if NARG ~= 2 then arity() end
  local f = arg(1)
  begin_write()
  if E0 ~= -2 and call('HEXISTS', K, f) == 1 then return 0 end
  call('HSET', V, f, '0') -- before K: a V of another type fails here, before anything is written
  call('HSET', K, f, arg(2))
  persistent_added()
  return 1
end
return run(main)
