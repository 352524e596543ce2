// Package conformance checks a TairHash backend against the specification (docs/semantics.md,
// "the spec" below; § numbers refer to it) at the Backend level: each scenario sends raw module
// commands through Backend.Do and compares the replies and their effects with the spec.
// The same scenarios run against the real module (Target.Module = true), the Lua emulation, the
// hash-field-expiration backend and the protocol server.
//
// Call Run from a test with a Target; every scenario is a parallel subtest named
// "<target>/<area>/<behaviour>", so one area can be selected with -run, e.g.
// -run 'Conformance/lua-redis7/exhincrbyfloat'.
//
// # Coverage
//
// Each area is one file; the scenario names below are the subtests' names.
//
//	area (file)          spec       what is checked
//	grammar (grammar.go) §1.2       int64 spellings rejected (+5, 007, -0, 1.5, spaces, empty, out of range) for TTLs,
//	                                versions, increments, MIN/MAX, times; long-double spellings accepted (1e3, 0x10,
//	                                0x1p4, +1.5, .5, "") and rejected (spaces, nan, 1e5000, 1e-5000); ±inf increments;
//	                                keywords in any case; missing option values; unknown tokens
//	arity (arity.go)     §1.3 §12   every command's wrong argument counts → ERR wrong number of arguments for '<cmd>'
//	exhset, versions     §3.1 §4    create/update replies and versions; every option conflict and bad value → syntax
//	  (set.go)                      error, field untouched; repeated NX/XX/KEEPTTL allowed, repeated VER/ABS/GT last
//	                                wins; NX/XX incl. absent key (not created) and NX before VER; syntax before XX;
//	                                VER (0 = any, absent field unchecked), ABS (may lower), GT; stale changes nothing;
//	                                version wrap-around at int64 max and VER/GT/ABS against a negative version;
//	                                EXHSETNX version 0 and VER 0 only; re-created fields start over
//	ttl (set_ttl.go)     §3.1 §5    every row of the EXHSET TTL table (none removes, KEEPTTL keeps / none for new,
//	                                EX/PX/EXAT/PXAT set, 0 of each expires at once, past absolute expires); an expired
//	                                field counts as absent for EXHSET (1, version restart, XX/NX/GT); §5.1 rows for
//	                                EXHSETNX, EXHMSET, EXHMSETWITHOPTS, EXHSETVER and failed commands; negative times
//	                                rejected everywhere; key-level EXPIRE independent of field TTLs
//	exhsetnx, exhmset,   §3.2–3.4   EXHSETNX create-only/version 0/no TTL; EXHMSET versions, repeated fields, no pairs;
//	  exhmsetwithopts               EXHMSETWITHOPTS apply (ver only checked, TTL replaced, 0 expires), validation pass
//	  (multiset.go)                 all-or-nothing, first failing tuple decides, same field twice, zero tuples, failure
//	                                on an absent key (empty key on the module only)
//	reads (read.go)      §3.5–3.8,  EXHGET, EXHGETWITHVER, EXHMGET (absent key → N nils, duplicates), EXHMGETWITHVER,
//	                     §3.19–3.20 EXHEXISTS, EXHSTRLEN; an expired field is absent for every read
//	exhincrby (incr.go)  §3.9       results and stored form, versions (VER ignored on new fields, ABS, GT), every TTL
//	                                row, stored values that are not int64, MIN/MAX (result only, last wins, MIN=MAX),
//	                                int64 overflow, failed new field discarded, check order of all nine errors
//	exhincrbyfloat       §3.10      every formatting example of the spec (0.3, 1000, 0, 1.23456789012345679, 1e300 as
//	  (float.go)                    301 digits, …), "" stored = 0, hex stored values, bad stored values, stored inf,
//	                                MIN/MAX incl. ±inf and nan, check order, versions and TTL
//	exhpexpire family,   §3.11      four commands set deadlines, bump versions (ABS/GT/VER), 0 and past expire at once,
//	  exhpersist                    absent key/field → 0 and nothing created, time and options checked before the type,
//	  (expire.go)        §3.12      7 arguments; EXHPERSIST replies, TTL removed, version kept, expired field
//	exhttl, exhver,      §3.13–3.15 EXHTTL/EXHPTTL sentinels −2/−3/−1, half-up rounding; EXHVER sentinels −1/−2;
//	  exhsetver (ttlver.go)         EXHSETVER replies, lowering, TTL kept, version ≤ 0 / non-int before the type
//	exhdel, exhdelwithver §3.16–3.17 counts, duplicates once, expired fields removed but not counted, 0 = any version,
//	  (delete.go)                   mismatch kept silently, negative never matches, absent key parses nothing, a bad
//	                                version stops midway with earlier removals kept
//	exhlen (len.go)      §3.18      counts, NOEXP, syntax before type, expired fields (module counts them, ours not)
//	walk (walk.go)       §3.21      EXHKEYS/EXHVALS/EXHGETALL/EXHGETALLWITHVER contents, expired omitted and removed,
//	                                emptied key (kept on the module only, D4)
//	exhscan (scan.go)    §3.22      absent key, cursor loop over 300 fields with several COUNTs, negative COUNT = one
//	                                call, COUNT 0, MATCH (*, ?, classes, negation, escapes, case, last wins), cursor
//	                                grammar ("", +0, 00, -1, 2^64−1 accepted; spaces, 0x1, 2^64 rejected), option
//	                                errors, expired fields dropped and removed
//	lifecycle            §8         commands that never create a key, commands that do, every command that deletes a
//	  (lifecycle.go)                key with its expired last field, write after expiry recreates, DEL/UNLINK then
//	                                recreate starts fresh (version 1, no TTL, no stale notification), every empty-key
//	                                cause of §8.2 (module only), empty-key behaviour on the module
//	expiry (expiry.go)   §6         PX 50 polled with a deadline on the read path; a key whose only field expired is
//	                                reclaimed without access; EXHLEN drops without access; TTL counts down; corrected
//	                                behaviour (not on the module, D1/D7): writes remove every due field, writes over an
//	                                expired field in a busy key, EXHSETNX never blocked, any access removes all due fields
//	notify (notify.go)   §7         message = field on tairhash@<db>@<key>__:expired for read, PX 50, walk, EXHSCAN,
//	                                EXHDEL of an expired field, write path, background timer on a key whose every
//	                                field expired (module only, see notify.go); none for
//	                                EXHDEL/EXHDELWITHVER of live fields, overwrite, EXHPERSIST, EXHSETVER, DEL of the key
//	                                (even holding an expired field), other keys; binary field names
//	wrongtype            §2 §12     every key command (and the ones whose type check precedes syntax checks) on a
//	  (wrongtype.go)                string with a TTL and on a native hash → WRONGTYPE, data and TTL untouched; lists,
//	                                sorted sets
//	binary (binary.go)   §1.2       NUL, invalid UTF-8, empty field and value, case-sensitive names, through every read
//	                                and EXHSCAN MATCH; numbers and TTLs on binary fields; binary key names
//	multi (multi.go)     §9         errors (syntax, arity, stale, not integer) are EXEC elements and the rest still runs
//	module (module.go)   §2 §3.18   module only: TYPE tairhash-, COPY refused, native commands WRONGTYPE, EXHLEN
//	                     §3.22-23   counting unremoved expired fields, MATCH keeping non-matching expired fields,
//	                                EXHEXPIREINFO
//
// Not covered: replication, AOF and RDB (§10); Lua scripts calling the module (§9); RENAME, MOVE,
// DUMP/RESTORE (§8.3); EXHSCAN page sizes for a given COUNT and iteration order (unspecified for
// emulations); TTL values that overflow int64 milliseconds (unspecified, D6); databases ≥ 16 (D8);
// the module's write-path sweep limit of 3 fields and defects D1, D3, D5, D7 (described in the spec,
// not reproduced).
package conformance
