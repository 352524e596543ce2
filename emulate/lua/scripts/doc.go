// Package scripts holds the Lua scripts that emulate TairHash commands on stock Redis 7.0+ and
// Valkey 8 (docs/architecture.md, "Emulated storage"). It has no Go logic beyond assembling them.
//
// A user key K is stored as a hash K (field → value), a sorted set (field → absolute deadline in
// Unix ms, fields with a TTL only) and a hash (field → version, versions other than 1 only). Every
// script takes KEYS = {K, ttl companion, version companion} and ARGV = {db, the module's arguments
// after the key}, reads the server clock once, removes the key's due fields first (publishing
// tairhash@<db>@<key>__:expired for each) and replies as the module does. The same bodies make
// up the function library (Library), which runs consecutive commands in one call.
//
// Integers that may not fit a double — versions (EXHVER, EXHGETWITHVER, EXHMGETWITHVER,
// EXHGETALLWITHVER) and EXHINCRBY's result — come back as decimal bulk strings when they have 16
// or more digits; callers convert them back to integers.
package scripts
