-- EXHINCRBY and EXHINCRBYFLOAT: f incr ttlmode ttlval vermode verval min max (min/max '' = none).

-- incr: exact int64 arithmetic on decimal strings.
function ops.incr(a)
  local f, incr, vmode, vval, min, max = a[1], a[2], a[5], a[6], a[7], a[8]
  local kind, n = ttl(a[3], a[4])
  if not kind then return badexpire() end
  local present = exists(f)
  local cur, ver = '0', '1'
  if present then
    cur = redis.call('hget', K, f)
    if not is_i64(cur) then return fail(E_NOT_INTEGER) end
    if stale(f, vmode, vval) then return fail(E_STALE) end
    ver = ver_inc(getver(f))
  end
  local res = i64_add(cur, incr)
  if not res or (min ~= '' and i64_cmp(res, min) < 0) or (max ~= '' and i64_cmp(res, max) > 0) then
    return fail(E_OVERFLOW)
  end
  if vmode == 'abs' or vmode == 'gt' then ver, VNEW = vval, true end
  if kind == 'gone' then
    drop(f)
    return int_reply(res)
  end
  kind, n = keep(kind, n, f, present)
  write(f, res, ver, kind, n, not present)
  return int_reply(res)
end

-- incrf: HINCRBYFLOAT does the long double arithmetic and formatting exactly as the module. It
-- changes the field before the bounds can be checked, so a failed check puts the old value back.
function ops.incrf(a)
  local f, incr, vmode, vval, min, max = a[1], a[2], a[5], a[6], a[7], a[8]
  local kind, n = ttl(a[3], a[4])
  if not kind then return badexpire() end
  local present = exists(f)
  if present then getver(f) end -- checked before HINCRBYFLOAT changes the field
  local old, e = nil, -1
  if present then
    old, e = redis.call('hget', K, f), expiry(f)
    if old == '' then redis.call('hset', K, f, '0') end -- the module reads '' as 0
  end
  local function undo()
    if not present then
      redis.call('hdel', K, f)
      return
    end
    redis.call('hset', K, f, old)
    if e >= 0 then redis.call('hpexpireat', K, e, 'fields', 1, f) end
  end
  local r = redis.pcall('hincrbyfloat', K, f, incr)
  if type(r) == 'table' and r.err then
    if present and old == '' then undo() end
    if not r.err:find('NaN') then return fail(E_NOT_FLOAT) end
    if present and stale(f, vmode, vval) then return fail(E_STALE) end
    return fail(E_OVERFLOW)
  end
  if present and stale(f, vmode, vval) then
    undo()
    return fail(E_STALE)
  end
  local x = tonumber(r)
  if (min ~= '' and x < tonumber(min)) or (max ~= '' and x > tonumber(max)) then
    undo()
    return fail(E_OVERFLOW)
  end
  local ver = present and ver_inc(getver(f)) or '1'
  if vmode == 'abs' or vmode == 'gt' then ver, VNEW = vval, true end
  if kind == 'gone' then
    drop(f)
    return r
  end
  if kind == 'keep' then
    kind, n = 'none', nil
    if e >= 0 then kind, n = 'at', e end
  end
  write(f, r, ver, kind, n, not present)
  return r
end
