-- EXHDELWITHVER key field version [field version ...]  (spec 3.17)
-- KEYS = {K, T, V}; ARGV = {db, field, version, ...}
-- Reply: the number of fields removed; a pair removes its live field when version is 0 or equals
-- the field's version. A version that is not an int64 stops with a syntax error; removals by
-- earlier pairs stay (and, unlike the module, the key is still settled: no empty key, D2).
-- Calls: TIME, ZCOUNT, HLEN, HMGET V, one HDEL K per matching pair, ZREM, HDEL V, settle.
--- requires begin int keyexp
local function main()
  if NARG < 2 or NARG % 2 ~= 0 then arity() end
  begin()
  local n = call('HLEN', K) -- type-checks K
  if n == 0 then return 0 end
  local np = NARG / 2
  local fields = {}
  for i = 1, np do fields[i] = arg(2 * i - 1) end
  local vers = {}
  for i = 1, np, CHUNK do
    local part = call('HMGET', V, unpack(fields, i, math.min(i + CHUNK - 1, np)))
    for j = 1, #part do vers[i + j - 1] = part[j] end
  end
  local removed, gone, perr = 0, {}, nil
  for i = 1, np do
    local want = arg(2 * i)
    if not is_i64(want) then
      perr = E_SYNTAX
      break
    end
    if want == '0' or want == (vers[i] or '1') then
      if call('HDEL', K, fields[i]) == 1 then
        removed = removed + 1
        gone[#gone + 1] = fields[i]
      end
    end
  end
  if removed > 0 then
    chunked('ZREM', T, gone)
    chunked('HDEL', V, gone)
    settle(n - removed)
  end
  if perr then fail(perr) end
  return removed
end
return run(main)
