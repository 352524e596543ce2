-- EXHMGETWITHVER key field [field ...]  (spec 3.8)
-- KEYS = {K, T, V}; ARGV = {db, fields...}
-- Reply: per requested field {value, version} or nil. Calls: TIME, ZCOUNT, HMGET K,
-- HMGET V = 4 (for up to 4000 fields).
local function main()
  begin(1, 1)
  local out = {}
  for i = 2, #ARGV, CHUNK do
    local j = math.min(i + CHUNK - 1, #ARGV)
    local vals = call('HMGET', K, unpack(ARGV, i, j))
    local vers = call('HMGET', V, unpack(ARGV, i, j))
    for n = 1, #vals do
      if vals[n] then
        out[#out + 1] = {vals[n], version_reply(vers[n] or '1')}
      else
        out[#out + 1] = false
      end
    end
  end
  return out
end
return run(main)
