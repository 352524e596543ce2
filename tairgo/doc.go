// Package tair (import path github.com/tairhash-go/tairhash/tairgo) is tair-go's API on go-redis
// v9: the same types, constructors, methods, parameter and result types and option builders, so
// a tair-go program ports by changing two imports,
//
//	"github.com/alibaba/tair-go/tair" → "github.com/tairhash-go/tairhash/tairgo"
//	"github.com/go-redis/redis/v8"    → "github.com/redis/go-redis/v9"
//
// and its TairHash commands then run on Tair, on any Redis 7.0+ or Valkey 8 (Lua emulation) and
// on Redis with hash-field expiration (Redis 7.4+, 8), single node, Sentinel or cluster:
//
//	c := tair.NewTairClient(&redis.Options{Addr: "localhost:6379"})
//	c.ExHSetArgs(ctx, "user1", "phone", "token", tair.ExHSetArgs{}.New().Ex(5))
//	c.ExHGetAll(ctx, "user1")
//
// TairClient and TairClusterClient embed the go-redis client, so every go-redis command is there
// too. Constructors neither connect nor fail: the TairHash backend is chosen at the first TairHash
// command by probing the servers (see tairhash.Detect), or forced by passing
// tairhash.WithKind(...) after the options. TairHashBackend reports the choice. A failed probe
// fails that command only; the next one probes again.
//
// The TairHash commands reply as tair-go read the module's replies (1/0/-1 integers, "OK",
// [value, version] slices, redis.Nil for a missing value), on every backend. The TairString and
// TairZset commands are sent to the server as they are: they need Tair, and stock Redis or Valkey
// answer them with an "unknown command" error.
//
// Go types that go-redis v9 renamed change with it: ExHGetAll returns *redis.MapStringStringCmd
// (v8's StringStringMapCmd).
//
// # Durations
//
// tair-go's Ex and Px options take a time.Duration but put its integer on the wire, so Ex(5) meant
// five seconds and Ex(5*time.Second) five billion seconds. Here both mean five seconds: a duration
// shorter than the option's unit (a second for Ex, a millisecond for Px) is a count of that unit,
// as tair-go sent it; a longer one is the duration it says (sent as PX when it is not whole
// seconds). The int parameters (ExHExpire's seconds, ExHPExpire's milliseconds, the …At Unix
// times) are sent unchanged, in the units their names give.
//
// # Differences from tair-go
//
// Defects of tair-go that this package does not have:
//   - ExHMSetWithOpts built its command and never sent it (every call "succeeded" with an empty
//     result); it is sent.
//   - PxAt of every builder sent Unix seconds where the server takes milliseconds (the key or
//     field expired at once); it sends milliseconds.
//   - Abs of ExHIncrArgs and ExIncrByArgs stored its value in Ver's place, sending ABS 0 and
//     overwriting a VER; it sends ABS with its value.
//   - Ex(5*time.Second) meant about 158 years (see Durations).
//   - A builder made without New, as ExHSetArgs{}, panicked on its first option; a nil builder
//     pointer panicked in the command. Both work here (nil means no options).
//   - ExSetVer sent EXSET instead of EXSETVER; ExIncrByWithVersion did not send WITHVERSION.
//   - ExZAddManyScore sent the member before its scores and ExZAddManyScore and
//     ExZIncrByManyScore joined several scores without TairZset's "#" separator (and
//     ExZIncrByManyScore sent the misspelled command "exzincryby").
//   - The TairCmdable interface declared signatures that differed from the methods (an int
//     ExHIncrByFloat, ExHMSetWithOpts without pointers, ExGetFlags), so no client implemented it;
//     here it lists the methods as they are and every client and pipeline implements it.
//   - TairPipelined gave fn a pipeline without the Tair commands; here the redis.Pipeliner fn gets
//     is also a TairCmdable. TairClusterClient has TairPipeline and TairPipelined too.
//
// Additions: NewTairFailoverClient (Sentinel), the optional tairhash options of the constructors,
// TairHashBackend. For typed replies, versions of TairHash commands tair-go lacks
// (EXHGETALLWITHVER, EXHPERSIST, …) and client-side argument checks, use package exhash (see
// docs/tair-go-porting.md).
package tair
