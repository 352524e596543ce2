package exhash_test

import (
	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// Everything a caller may hand to Client.On or NewClient is a Conn.
var (
	_ exhash.Conn = (redis.UniversalClient)(nil)
	_ exhash.Conn = (*redis.Client)(nil)
	_ exhash.Conn = (*redis.ClusterClient)(nil)
	_ exhash.Conn = (*redis.Ring)(nil)
	_ exhash.Conn = (*redis.Conn)(nil)
	_ exhash.Conn = (*redis.Tx)(nil)
	_ exhash.Conn = (redis.Pipeliner)(nil)
	_ exhash.Conn = (exhash.Pipeliner)(nil)
)
