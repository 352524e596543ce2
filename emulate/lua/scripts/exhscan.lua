-- EXHSCAN key cursor [MATCH pattern] [COUNT count]  (spec 3.22)
-- KEYS = {K, T, V}; ARGV = {db, cursor, count, late error [, pattern]}: the cursor canonical,
-- count normalised or '' (encode.go)
-- Reply: {next cursor (bulk), {field, value, ...}}; for an absent key {+0, {}} (status cursor).
-- Iteration is the server's HSCAN (same cursor grammar, same MATCH, COUNT counted in fields +
-- values); COUNT 0 becomes 1 and a negative COUNT returns the whole hash (grammar.Op). Servers
-- differ in what HSCAN itself accepts (Valkey refuses negative cursors), so HSCAN gets the
-- cursor as Go read it, strtoul's way.
-- Calls: TIME, ZCOUNT, HSCAN [, EXISTS when the page is empty and final] = 3.
local function main()
  local late = opt(3)
  begin()
  if late then
    need_type(K, 'hash')
    fail(late)
  end
  local args = {'HSCAN', K, arg(1)}
  if NARG > 3 then
    args[#args + 1] = 'MATCH'
    args[#args + 1] = arg(4)
  end
  if opt(2) then
    args[#args + 1] = 'COUNT'
    args[#args + 1] = arg(2)
  end
  local page = call(unpack(args))
  page[2] = hide_due(page[2])
  if page[1] == '0' and #page[2] == 0 and not key_held() then
    return {{ok = '0'}, {}}
  end
  return page
end
return run(main)
