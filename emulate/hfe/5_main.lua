-- Dispatch: type check, conversion of a Lua-backend key, then the operation.

local WRITES = {
  set = true, setnx = true, mset = true, msetopts = true, setver = true, expire = true,
  persist = true, del = true, delwithver = true, incr = true, incrf = true,
}

local function dispatch(keys, argv)
  K, V, T = keys[1], keys[2], keys[3]
  DB, OP, CMD, VERSIONS = argv[1], argv[2], argv[3], argv[4] == '1'
  NOW, MIGRATED = nil, false
  local op = ops[OP]
  if not op then return fail('ERR unknown hfe operation ' .. tostring(OP)) end
  local kt
  if OP == 'fail' then
    kt = redis.call('type', K).ok
    if kt ~= 'hash' and kt ~= 'none' then kt = nil end
  else
    kt = open()
  end
  if not kt then return fail(WRONGTYPE) end
  -- A version companion without its hash was left by DEL or a key-level expiry of K.
  if kt == 'none' and VERSIONS and WRITES[OP] then redis.call('del', V) end
  local args = {}
  for i = 5, #argv do args[i - 4] = argv[i] end
  return op(args, kt)
end
