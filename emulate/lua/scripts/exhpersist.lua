-- EXHPERSIST key field  (spec 3.12)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: 1 when the field's TTL was removed; 0 for an absent key or field or a field without TTL.
-- Calls: TIME, PEXPIRETIME, ZCOUNT, HEXISTS, ZREM [, 3 PERSIST] = 5 or 8.
--- requires begin_write keyexp
local function main()
  if NARG ~= 1 then arity() end
  local f = arg(1)
  begin_write()
  if E0 == -2 or call('HEXISTS', K, f) == 0 then return 0 end
  if call('ZREM', T, f) == 0 then return 0 end
  persistent_added()
  return 1
end
return run(main)
