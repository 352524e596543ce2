-- EXHSETVER key field version  (spec 3.15)
-- KEYS = {K, T, V}; ARGV = {db, field, version}
-- Reply: 1 when the live field's version was set (version >= 1, may lower it), else 0.
-- Calls: TIME, PEXPIRETIME, ZCOUNT, HEXISTS, HGET V, HSET|HDEL V [, PEXPIREAT V] = 6.
--- requires begin_write int version keyexp
local function main()
  if NARG ~= 2 then arity() end
  local f, ver = arg(1), arg(2)
  if not is_i64(ver) or is_neg(ver) or ver == '0' then fail(E_SYNTAX) end
  begin_write()
  if E0 == -2 or call('HEXISTS', K, f) == 0 then return 0 end
  fix_v(put_version(f, call('HGET', V, f), ver))
  return 1
end
return run(main)
