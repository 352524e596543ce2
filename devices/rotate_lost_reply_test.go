package devices

import (
	"bytes"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"

	"github.com/stretchr/testify/require"
)

// dropProxy forwards loopback connections to a server. Once armed with a marker, it forwards the
// first request containing the marker to the server, then swallows the server's reply and cuts the
// client's connection: the write is applied, the client never learns it.
type dropProxy struct {
	ln      net.Listener
	target  string
	mu      sync.Mutex
	marker  []byte // one-shot
	dropped atomic.Int32
	wg      sync.WaitGroup
}

func startDropProxy(t *testing.T, target string) *dropProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &dropProxy{ln: ln, target: target}
	p.wg.Go(p.accept)
	t.Cleanup(func() { _ = ln.Close(); p.wg.Wait() })
	return p
}

func (p *dropProxy) arm(marker []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.marker = marker
}

// take reports whether seen holds the armed marker, disarming it.
func (p *dropProxy) take(seen []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.marker != nil && bytes.Contains(seen, p.marker) {
		p.marker = nil
		return true
	}
	return false
}

func (p *dropProxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = client.Close()
			continue
		}
		var cut atomic.Bool
		closeBoth := func() { _ = client.Close(); _ = server.Close() }
		p.wg.Go(func() { // client → server
			defer closeBoth()
			buf := make([]byte, 64<<10)
			var tail []byte // the end of the previous read, for a marker split across reads
			for {
				n, err := client.Read(buf)
				if n > 0 {
					seen := append(tail, buf[:n]...)
					if p.take(seen) {
						cut.Store(true) // before the server can answer
					}
					tail = append([]byte(nil), seen[max(0, len(seen)-64):]...)
					if _, err := server.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		})
		p.wg.Go(func() { // server → client
			defer closeBoth()
			buf := make([]byte, 64<<10)
			for {
				n, err := server.Read(buf)
				if n > 0 && cut.Load() {
					p.dropped.Add(1)
					return
				}
				if n > 0 {
					if _, err := client.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		})
	}
}

// throughProxy returns a client of tg's server (database and backend alike) that connects through
// proxy, with one connection and the given go-redis MaxRetries.
func throughProxy(t *testing.T, tg target, proxy *dropProxy, retries int) *exhash.Client {
	opts := *tg.c.Redis().(*redis.Client).Options()
	opts.Addr, opts.MaxRetries, opts.PoolSize = proxy.ln.Addr().String(), retries, 1
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
		proxy := startDropProxy(t, standaloneAddr(t, tg))
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
			proxy.arm(parsed.digest[:])
			before := proxy.dropped.Load()
			_, _, err = via.Rotate(ctx, warm)
			require.Equal(t, before+1, proxy.dropped.Load(), "the reply was dropped")
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
