-- Dispatch: type check, conversion of a Lua-backend key, then the operation.

local function dispatch(keys, argv)
  K, V, T = keys[1], keys[2], keys[3]
  DB, OP, CMD, VERSIONS = argv[1], argv[2], argv[3], argv[4] == '1'
  NOW, MIGRATED, DROPPED, GHOST, VNEW = nil, false, false, false, false
  local op = ops[OP]
  if OP == 'watch' then return watch(argv[5] == 'all') end
  if not op then return fail('ERR unknown hfe operation ' .. tostring(OP)) end
  local kt = 'unchecked' -- put checks K itself
  if OP == 'fail' then
    kt = redis.call('type', K).ok
    if kt ~= 'hash' and kt ~= 'none' then kt = nil end
  elseif OP ~= 'put' then
    kt = prepare()
  end
  if not kt then return fail(E_WRONGTYPE) end
  local args = {}
  for i = 5, #argv do args[i - 4] = argv[i] end
  local reply = op(args, kt)
  if VNEW and VERSIONS then share_key_expiry() end
  -- Tell the watcher (WatchHFE) that K holds tombstones to publish.
  if DROPPED then redis.call('publish', 'tairhash-hfe@' .. DB .. ':due', K) end
  return reply
end
