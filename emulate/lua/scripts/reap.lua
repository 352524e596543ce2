-- REAP (not a module command): remove up to `limit` due fields of one key, earliest first.
-- KEYS = {K, T, V}; ARGV = {db, limit}
-- Reply: the number of fields removed from K (each announced on tairhash@<db>@<key>__:expired).
-- Calls when nothing is due: TIME, ZRANGEBYSCORE = 2.
--- requires begin
local function main()
  NOW = now_ms()
  local due = call('ZRANGEBYSCORE', T, '-inf', CLOCK_TEXT, 'LIMIT', '0', arg(1))
  if #due == 0 then return 0 end
  return (expire_fields(due))
end
return run(main)
