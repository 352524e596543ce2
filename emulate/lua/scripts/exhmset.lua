-- EXHMSET key field value [field value ...]  (spec 3.3)
-- KEYS = {K, T, V}; ARGV = {db, field, value, ...}
-- Reply: OK. New fields get version 1 and no TTL; existing ones version + 1 and keep their TTL;
-- a field repeated in one call is processed once per occurrence. With no pairs nothing is created
-- (the module leaves an empty key, D2).
-- Calls: TIME, PEXPIRETIME, ZCOUNT, HMGET V, one HSET K per pair, [HSET V] [HDEL V],
-- [3 PERSIST when a new field joins a key whose fields all had a TTL].
--- requires begin_write versions keyexp
local function main()
  if NARG % 2 ~= 0 then arity() end
  begin_write()
  if NARG == 0 then
    need_type(K, 'hash')
    return {ok = 'OK'}
  end
  local np = NARG / 2
  local fields = {}
  for i = 1, np do fields[i] = arg(2 * i - 1) end
  local before = {} -- field -> its V entry before the call (false when none)
  if E0 ~= -2 then
    for i = 1, np, CHUNK do
      local part = call('HMGET', V, unpack(fields, i, math.min(i + CHUNK - 1, np)))
      for j = 1, #part do
        before[fields[i + j - 1]] = stored_version(part[j])
      end
    end
  end
  local cur = {} -- field -> version after the occurrences processed so far
  local anynew = false
  for i = 1, np do
    local f = fields[i]
    if call('HSET', K, f, arg(2 * i)) == 1 then
      cur[f] = '1'
      anynew = true
    else
      cur[f] = ver_inc(cur[f] or before[f] or '1')
    end
  end
  local wrote, had = put_versions(cur, before)
  if anynew then persistent_added() else fix_v(wrote and not had) end
  return {ok = 'OK'}
end
return run(main)
