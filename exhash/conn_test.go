package exhash_test

import (
	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Everything a caller may hand to Client.On or NewClient is a Conn.
var (
	_ driver.Conn = (redis.UniversalClient)(nil)
	_ driver.Conn = (*redis.Client)(nil)
	_ driver.Conn = (*redis.ClusterClient)(nil)
	_ driver.Conn = (*redis.Ring)(nil)
	_ driver.Conn = (*redis.Conn)(nil)
	_ driver.Conn = (*redis.Tx)(nil)
	_ driver.Conn = (redis.Pipeliner)(nil)
	_ driver.Conn = (exhash.Pipeliner)(nil)
)
