// Package scripts holds the Lua scripts that emulate TairHash commands on stock Redis 7.0+ and
// Valkey 8 (docs/architecture.md, "Emulated storage"). It has no Go logic beyond assembling them.
//
// A user key K is stored as a hash K (field → value), a sorted set (field → absolute deadline in
// Unix ms, fields with a TTL only) and a hash (field → version, versions other than 1 only). Every
// script takes KEYS = {K, ttl companion, version companion} and ARGV = {db, the module's arguments
// after the key}, reads the server clock once, removes the key's due fields first (publishing
// tairhash@<db>@<key>__:expired for each) and replies as the module does. The hottest commands
// begin with a fast path for their common case (see compose); one that does not apply falls
// through to the full script having written nothing, and the full script reuses what the fast
// path read (the clock, the key's expiry) instead of reading it again.
//
// Integers that may not fit a double — versions (EXHVER, EXHGETWITHVER, EXHMGETWITHVER,
// EXHGETALLWITHVER) and EXHINCRBY's result — come back as decimal bulk strings when they have 16
// or more digits; callers convert them back to integers.
package scripts
