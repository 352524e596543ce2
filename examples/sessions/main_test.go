package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/tairhash-go/tairhash/examples/internal/outputtest"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// want is the program's exact output.
const want = `GET /me without a session: 401
POST /login alice on laptop: 200, cookie HttpOnly; Secure; SameSite=Lax
GET /me: 200 alice on laptop
GET /me every quarter of the idle timeout for 1.5 idle timeouts: 200 each time
POST /rotate: 200, new token in the cookie
GET /me with the old token: 401
GET /me with the new token: 200 alice on laptop
POST /logout: 200, cookie cleared
GET /me with the logged-out token: 401
POST /login alice on laptop: 200
GET /me after the idle timeout: 401
`

func TestMain(m *testing.M) { testserver.Main(m) }

// runDemo runs the program's demo with a short idle timeout.
func runDemo(ctx context.Context, out, errOut io.Writer) error {
	return run(ctx, out, errOut, []string{"-demo", "-idle", "800ms"})
}

// The demo on the embedded server (the default with no environment) prints exactly these lines.
func TestDemoOutput(t *testing.T) {
	outputtest.Run(t, "", want, runDemo)
}

// The same output on real servers through REDIS_ADDR, with the detected backend: the Lua
// emulation on Redis 7 and Valkey 8, native hash-field expiration on Redis 8.
func TestOutputOnServers(t *testing.T) {
	for _, srv := range testserver.Standalone(t) {
		t.Run(srv.Name, func(t *testing.T) {
			if errOut := outputtest.Run(t, srv.Addr, want, runDemo); !strings.Contains(errOut, "REDIS_ADDR "+srv.Addr) {
				t.Fatalf("stderr: %q", errOut)
			}
		})
	}
}
