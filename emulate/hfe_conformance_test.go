package emulate_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/internal/conformance"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// The specification's scenarios against the HFE backend on Redis 8, over RESP3 (go-redis'
// default) and RESP2: replies such as HGETALL's differ in shape between the two.
func TestHFEConformance(t *testing.T) {
	srv := testserver.Redis8(t)
	resp2 := redis.NewClient(&redis.Options{Addr: srv.Addr, Protocol: 2})
	t.Cleanup(func() { _ = resp2.Close() })
	for _, c := range []struct {
		name   string
		client redis.UniversalClient
	}{{"hfe/redis8", srv.Client(t)}, {"hfe/redis8-resp2", resp2}} {
		conformance.Run(t, conformance.Target{
			Name:    c.name,
			Backend: emulate.NewHFE(),
			Client:  c.client,
			Prefix:  srv.Prefix,
		})
	}
}
