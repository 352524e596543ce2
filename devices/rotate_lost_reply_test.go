package devices

import (
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"

	"github.com/stretchr/testify/require"
)

// throughProxy returns a client of tg's server (database and backend alike) that connects through
// proxy, with one connection and the given go-redis MaxRetries.
func throughProxy(t *testing.T, tg target, proxy *testserver.Cutter, retries int) *exhash.Client {
	opts := *tg.c.Redis().(*redis.Client).Options()
	opts.Addr, opts.MaxRetries, opts.PoolSize = proxy.Addr, retries, 1
	rdb := redis.NewClient(&opts)
	t.Cleanup(func() { _ = rdb.Close() })
	switch {
	case tg.name == "module":
		return exhash.NewClient(rdb)
	case strings.HasSuffix(tg.name, "-hfe"):
		return exhash.NewClient(rdb, exhash.WithBackend(emulate.NewHFE()))
	}
	return exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
}

// standaloneAddr is tg's server address, or skips the test on a cluster.
func standaloneAddr(t *testing.T, tg target) string {
	c, ok := tg.c.Redis().(*redis.Client)
	if !ok {
		t.Skip("the proxy fronts one standalone server")
	}
	return c.Options().Addr
}

// A Rotate whose reply is lost (the server applied it, the connection was cut before the reply
// came back) fails with the transport error, whatever go-redis' retry setting (the typed client
// keeps writes from being resent), and the caller's retry with the old token succeeds.
func TestRotateLostReply(t *testing.T) {
	each(t, Options{RotateGrace: time.Hour}, func(t *testing.T, tg target, s *Store) {
		proxy := testserver.Cut(t, standaloneAddr(t, tg))
		ctx := ctxT(t)
		for _, retries := range []int{-1, 0} { // none; go-redis' default (3)
			via, err := New(throughProxy(t, tg, proxy, retries), s.Options())
			require.NoError(t, err)

			old, _, err := s.Login(ctx, "u", "d")
			require.NoError(t, err)
			warm, _, err := via.Rotate(ctx, old) // loads scripts and opens the connection
			require.NoError(t, err)
			parsed, err := parseToken(warm)
			require.NoError(t, err)
			// Only the rotation's write carries the replaced token's digest (as the record's
			// previous token).
			proxy.ArmOn(parsed.digest[:])
			before := proxy.Cuts()
			_, _, err = via.Rotate(ctx, warm)
			require.Equal(t, before+1, proxy.Cuts(), "the reply was dropped")
			require.Error(t, err, "the caller sees the cut (go-redis does not resend the write)")
			require.False(t, isAuthError(err), "a transport error, not a verdict on the token: %v", err)
			_, err = s.Validate(ctx, warm)
			require.NoError(t, err, "the old token still works")
			nw, _, err := via.Rotate(ctx, warm) // the caller's retry
			require.NoError(t, err)
			_, err = s.Validate(ctx, nw)
			require.NoError(t, err, "the token the (retried) Rotate returned is the device's")
			act, err := s.Active(ctx, "u")
			require.NoError(t, err)
			require.Len(t, act, 1)
		}
	})
}
