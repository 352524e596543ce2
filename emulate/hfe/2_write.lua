-- Write commands. Each takes the arguments the Go side checked and normalised; the Go side also
-- decided which errors come before the type check (never sent) and which after it (op "fail").

local ops = {}

-- set f v ttlmode ttlval cond vermode verval: EXHSET. The planner sends the common shape (no NX, XX,
-- VER, ABS or GT) as put f v ttlmode ttlval, for which dispatch checks nothing (kt 'unchecked'):
-- whether the field exists then comes from writing it with HSETEX FXX, which fails before writing
-- anything on a key of another type, instead of TYPE and HEXISTS first (four commands for an
-- overwrite). A key with a TTL companion, a deadline already passed or a server without HSETEX
-- are checked as for any other command.
function ops.set(a, kt)
  local f, v, cond, vmode, vval = a[1], a[2], a[5] or '', a[6] or '', a[7]
  local kind, n = ttl(a[3], a[4])
  if not kind then return badexpire() end
  if kt == 'unchecked' and (kind == 'gone' or not hasHSetEx() or redis.call('exists', T) == 1) then
    kt = prepare()
    if not kt then return fail(E_WRONGTYPE) end
  end
  local cur = VERSIONS and redis.call('hget', V, f)
  if cur then checkver(f, cur) end
  local present = cur and true or kt ~= 'unchecked' and exists(f)
  if kt == 'unchecked' then
    local r = hsetex(redis.pcall, K, true, kind, n, f, v)
    if type(r) == 'table' then return r end -- WRONGTYPE, worded by Redis (error() would add to it)
    present = r == 1
    if not present and VERSIONS then -- versions left by DEL of the key go, as in prepare
      if redis.call('exists', K) == 0 then redis.call('del', V) elseif cur then redis.call('hdel', V, f) end
    end
  end
  if (cond == 'xx' and not present) or (cond == 'nx' and present) then return -1 end
  local ver = '1'
  if present then
    cur = cur or '1'
    if staleVer(cur, vmode, vval) then return fail(E_STALE) end
    ver = ver_inc(cur)
  end
  if vmode == 'abs' or vmode == 'gt' then ver, VNEW = vval, true end
  local reply = present and 0 or 1
  if kind == 'gone' then
    drop(f)
    return reply
  end
  kind, n = keep(kind, n, f, present)
  if kt == 'unchecked' and present then
    putver(f, ver, kind, n, false) -- the value is written
  else
    write(f, v, ver, kind, n, not present)
  end
  return reply
end
ops.put = ops.set

-- setnx f v: EXHSETNX. The new field's version is 0.
function ops.setnx(a)
  local f = a[1]
  if exists(f) then return 0 end
  redis.call('hset', K, f, a[2])
  if VERSIONS then
    redis.call('hset', V, f, '0')
    VNEW = true
  end
  return 1
end

-- mset f v ...: EXHMSET. Existing fields keep their TTL, versions go up by one per occurrence.
function ops.mset(a)
  if VERSIONS then -- every stored version is checked before the first field is written
    for from = 1, #a, 2000 do -- HMGET by 1000 fields: unpack has a limit
      local fields = {}
      for i = from, math.min(from + 1998, #a), 2 do fields[#fields + 1] = a[i] end
      for i, v in ipairs(redis.call('hmget', V, unpack(fields))) do
        if v then checkver(fields[i], v) end
      end
    end
  end
  for i = 1, #a, 2 do
    local f = a[i]
    if exists(f) then
      local kind, n = keep('keep', nil, f, true)
      write(f, a[i + 1], ver_inc(getver(f)), kind, n, false)
    else
      redis.call('hset', K, f, a[i + 1])
    end
  end
  return redis.status_reply('OK')
end

-- msetopts bad f v ver ttl-ms ...: EXHMSETWITHOPTS. bad is '1' when the tuple after the given
-- ones has a syntax error: the given tuples are still checked for stale versions first.
function ops.msetopts(a)
  for i = 2, #a, 4 do
    local f, ver, ms = a[i], a[i + 2], a[i + 3]
    if exists(f) and getver(f) ~= ver and ver ~= '0' then return fail(E_STALE) end
    if not ttl('rel', ms) then return badexpire() end
  end
  if a[1] == '1' then return fail(E_SYNTAX) end
  for i = 2, #a, 4 do
    local f = a[i]
    local kind, n = ttl('rel', a[i + 3])
    local present = exists(f)
    if kind == 'gone' then
      drop(f)
    else
      write(f, a[i + 1], present and ver_inc(getver(f)) or '1', kind, n, not present)
    end
  end
  return redis.status_reply('OK')
end

-- setver f ver: EXHSETVER.
function ops.setver(a)
  local f = a[1]
  if not exists(f) then return 0 end
  local kind, n = keep('keep', nil, f, true)
  putver(f, a[2], kind, n, false)
  VNEW = true
  return 1
end

-- expire f mode val vermode verval: the EXHPEXPIRE family. The planner sends the common shape (no
-- VER, ABS or GT) as refresh f mode val, for which dispatch checks nothing (kt 'unchecked'), as for
-- put: HPEXPIRE(AT)'s reply tells whether the field exists, and it fails before changing anything
-- on a key of another type, instead of TYPE and HEXISTS first (four commands, was six). A key with
-- a TTL companion, a deadline already passed or one Redis cannot store are checked as for any
-- other command.
function ops.expire(a, kt)
  local f, vmode, vval = a[1], a[4], a[5]
  local kind, n = ttl(a[2], a[3])
  if kt == 'unchecked' and (not kind or kind == 'gone' or redis.call('exists', T) == 1) then
    kt = prepare()
    if not kt then return fail(E_WRONGTYPE) end
  end
  if not kind then return badexpire() end
  if kt == 'unchecked' then
    local cur = VERSIONS and redis.call('hget', V, f)
    if cur then checkver(f, cur) end -- before anything is written
    local r = redis.pcall(kind == 'rel' and 'hpexpire' or 'hpexpireat', K, n, 'fields', 1, f)
    if r.err then return r end -- WRONGTYPE, worded by Redis (error() would add to it)
    if r[1] ~= 1 then -- no such field
      if VERSIONS and redis.call('exists', K) == 0 then redis.call('del', V) end -- as in prepare
      return 0
    end
    putver(f, ver_inc(cur or '1'), kind, n, false)
    return 1
  end
  if kt == 'none' or not exists(f) then return 0 end
  if stale(f, vmode, vval) then return fail(E_STALE) end
  local ver = ver_inc(getver(f))
  if vmode == 'abs' or vmode == 'gt' then ver, VNEW = vval, true end
  if kind == 'gone' then
    drop(f)
    return 1
  end
  expire(K, f, kind, n)
  putver(f, ver, kind, n, false)
  return 1
end
ops.refresh = ops.expire

-- persist f: EXHPERSIST.
function ops.persist(a, kt)
  local f = a[1]
  if kt == 'none' or GHOST then return 0 end
  if redis.call('hpersist', K, 'fields', 1, f)[1] ~= 1 then return 0 end
  redis.call('hpersist', V, 'fields', 1, f)
  return 1
end

-- del f ...: EXHDEL. HEXISTS first: HDEL would count a field that expired but is still stored.
function ops.del(a)
  local n = 0
  for i = 1, #a do
    local f = a[i]
    if exists(f) then
      redis.call('hdel', K, f)
      if VERSIONS then redis.call('hdel', V, f) end
      n = n + 1
    end
  end
  return n
end

-- delwithver bad f ver ...: EXHDELWITHVER. bad is '1' when the pair after the given ones has a
-- version that is not an integer: the module removes what the pairs before it allow, then fails.
function ops.delwithver(a, kt)
  if kt == 'none' then return 0 end
  local n = 0
  for i = 2, #a, 2 do
    local f, ver = a[i], a[i + 1]
    if exists(f) and (ver == '0' or getver(f) == ver) then
      redis.call('hdel', K, f)
      redis.call('hdel', V, f)
      n = n + 1
    end
  end
  if a[1] == '1' then return fail(E_SYNTAX) end
  return n
end
