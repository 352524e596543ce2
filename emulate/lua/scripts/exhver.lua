-- EXHVER key field  (spec 3.14)
-- KEYS = {K, T, V}; ARGV = {db, field}
-- Reply: the version (may be 0 or negative; a decimal bulk string with 16 or more digits), -1 for
-- an absent key, -2 for an absent field. Calls: TIME, ZCOUNT, HEXISTS, HGET V (or EXISTS) = 4.
local function main()
  local f = arg(1)
  begin(1)
  if call('HEXISTS', K, f) == 0 then
    return key_held() and -2 or -1
  end
  return version_reply(call('HGET', V, f) or '1')
end
return run(main)
