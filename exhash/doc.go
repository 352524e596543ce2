// Package exhash is a typed client for TairHash: hashes whose fields each carry a value, a version
// and an optional TTL.
//
// A Client wraps a go-redis client and a driver.Backend. The backend decides how commands reach the
// server: Native (the default) sends the module's EXH* commands to Tair or to Redis with the
// TairHash module; package emulate provides backends for stock Redis/Valkey (Lua) and for Redis
// with native hash-field expiration. The typed API is the same on every backend:
//
//	c := exhash.NewClient(rdb)                           // or exhash.WithBackend(be)
//	res, err := c.ExHSetArgs(ctx, "k", "f", "v", exhash.ExHSetArgs{}.New().Px(1500*time.Millisecond))
//	val, err := c.ExHGet(ctx, "k", "f").Result()         // redis.Nil when absent, like HGET
//
// Every command returns a typed Cmd that decodes its reply when read, so the same methods work on
// pipelines and transactions (Client.Pipelined, Client.TxPipelined) and on a caller's own go-redis
// pipeliner next to plain Redis commands (Client.On(pipe)); read the results after Exec.
//
// Replies are typed: SetResult (created / updated / not applied), ValueVersion, TTLResult and
// VersionResult (absent key and absent field are distinct results, not magic numbers), ScanPage,
// Float (value and exact text). Server errors are *Error values matching sentinels such as
// ErrStaleVersion with errors.Is. Arguments the server would reject, and TTLs that would lose
// precision or overflow, are refused before anything is sent (ErrInvalidArgument).
//
// Method names and option builders follow tair-go (ExHSet, ExHSetArgs{}.New().Ex(…), ExHGetAll, …);
// docs/tair-go-porting.md lists the differences.
package exhash
