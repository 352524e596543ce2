-- Dispatch: type check, conversion of a Lua-backend key, then the operation.

-- ARGS holds the running operation's arguments: one table refilled for every operation. A table
-- made per operation, and the garbage it left, cost some 5,000 machine instructions a command.
local ARGS, NARGS = {}, 0
local function dispatch(keys, argv)
  K, V, T = keys[1], keys[2], keys[3]
  DB, OP, CMD, VERSIONS = argv[1], argv[2], argv[3], argv[4] == '1'
  -- The clock (now_ms) is read once per command: TIME is frozen for the whole call and equals the
  -- instant Redis uses to decide field expiry.
  CLOCK, MIGRATED, DROPPED, GHOST, VNEW = nil, false, false, false, false
  local op = ops[OP]
  if OP == 'watch' then return watch(argv[5] == 'all') end
  if not op then return fail('ERR unknown hfe operation ' .. tostring(OP)) end
  local kt = 'unchecked' -- put and refresh check K themselves
  if OP == 'fail' then
    kt = redis.call('type', K).ok
    if kt ~= 'hash' and kt ~= 'none' then kt = nil end
  elseif OP ~= 'put' and OP ~= 'refresh' then
    kt = prepare()
  end
  if not kt then return fail(E_WRONGTYPE) end
  local n = #argv - 4
  for i = 1, n do ARGS[i] = argv[i + 4] end
  for i = n + 1, NARGS do ARGS[i] = nil end
  NARGS = n
  local reply = op(ARGS, kt)
  if VNEW and VERSIONS then share_key_expiry() end
  -- Tell the watcher (WatchHFE) that K holds tombstones to publish.
  if DROPPED then redis.call('publish', 'tairhash-hfe@' .. DB .. ':due', K) end
  return reply
end

-- batch runs consecutive commands of a plain pipeline in one call (emulate/hfe_batch.go), each as
-- dispatch runs it alone. keys: K, V, T of each command; args: for each command the number of its
-- arguments, then those arguments (as dispatch takes them). A failing command does not stop the
-- ones after it. Replies {replies, errors}: errors as position, text pairs, apart from the
-- replies, since a client may fail a whole array reply on an error inside it.
local function batch(keys, args)
  local out, errs, k, a, p, last = {}, {}, {}, {}, 1, 0
  for i = 1, #keys / 3 do
    local n = operand_count(args[p])
    for j = 1, n do a[j] = args[p + j] end
    for j = n + 1, last do a[j] = nil end
    last, p = n, p + 1 + n
    k[1], k[2], k[3] = keys[3 * i - 2], keys[3 * i - 1], keys[3 * i]
    local ok, r = pcall(dispatch, k, a)
    if not ok then
      if type(r) ~= 'table' or type(r.err) ~= 'string' then r = { err = 'ERR ' .. tostring(r) } end
    end
    if type(r) == 'table' and r.err then
      errs[#errs + 1] = i
      errs[#errs + 1] = r.err
      r = false
    elseif r == nil then
      r = false
    end
    out[i] = r
  end
  return { out, errs }
end
