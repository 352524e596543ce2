-- Reads that need more than one native command, or a reply shape no native command has.

-- ttl f unit: EXHPTTL (unit 'ms') and EXHTTL (unit 's').
function ops.ttl(a, kt)
  if kt == 'none' then return -2 end
  if GHOST then return -3 end -- present only through a tombstone
  local r = redis.call('hpttl', K, 'fields', 1, a[1])[1]
  if r == -2 then
    if live() then return -3 end
    return -2 -- only expired fields are left (Valkey keeps them until its active expiry)
  end
  if r < 0 then return r end
  local ms = r + 1 -- stored expiry time is deadline - 1
  if a[2] == 's' then return math.floor((ms + 500) / 1000) end
  return ms
end

-- ver f: EXHVER.
function ops.ver(a, kt)
  if kt == 'none' then return -1 end
  if not exists(a[1]) then
    if GHOST or live() then return -2 end
    return -1 -- only expired fields are left, as in ttl
  end
  return int_reply(getver(a[1]))
end

-- len: EXHLEN with or without NOEXP. HLEN would count fields that expired but are still stored.
function ops.len(a, kt)
  if kt == 'none' then return 0 end
  return #redis.call('hkeys', K)
end


-- mgetwithver f ...: EXHMGETWITHVER.
function ops.mgetwithver(a)
  local out = {}
  for i = 1, #a do
    local v = redis.call('hget', K, a[i])
    if v then
      out[i] = { v, int_reply(getver(a[i])) }
    else
      out[i] = false
    end
  end
  return out
end

-- getwithver f: EXHGETWITHVER, EXHMGETWITHVER's reply for one field.
function ops.getwithver(a)
  return ops.mgetwithver(a)[1]
end

-- getallwithver: EXHGETALLWITHVER, flat field, value, version triples.
function ops.getallwithver()
  local all, vers, out = redis.call('hgetall', K), {}, {}
  if #all == 0 then return out end
  local vl = redis.call('hgetall', V)
  for i = 1, #vl, 2 do vers[vl[i]] = checkver(vl[i], vl[i + 1]) end
  for i = 1, #all, 2 do
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
    out[#out + 1] = int_reply(vers[all[i]] or '1')
  end
  return out
end

-- getall: EXHGETALL as a flat array whatever protocol the client speaks.
function ops.getall()
  return redis.call('hgetall', K)
end

-- native cmd args...: a read the Go side would send as it is, run here so that a key written by
-- the Lua backend is converted first.
function ops.native(a)
  return redis.call(a[1], K, unpack(a, 2))
end

-- migrate: converts a key written by the Lua backend (open did it); replies 1, or 0 when the key
-- was not in that layout. The HFE watcher uses it too: open also publishes the key's tombstones.
function ops.migrate()
  return MIGRATED and 1 or 0
end

-- fail msg: an error the module reports after its type check.
function ops.fail(a)
  return fail(a[1])
end
