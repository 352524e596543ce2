package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// want is the program's exact output.
const want = `alice logs in on phone, laptop and tablet
active devices: laptop, phone, tablet
server B validates the phone token: ok
from the laptop, log out other devices: 2 sessions ended
server B validates the phone token: refused, no such session
active devices: laptop
log out everywhere: 1 session ended
server B validates the laptop token: refused, no such session
active devices: (none)
`

func TestMain(m *testing.M) { testserver.Main(m) }

// On the embedded server (the default with no environment) the program prints exactly these lines.
func TestOutput(t *testing.T) {
	t.Setenv("REDIS_ADDR", "")
	t.Setenv("TAIR_ADDR", "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	if err := run(ctx, &out, &errOut); err != nil {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	if out.String() != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	if errOut.String() != "backend lua (embedded server)\n" {
		t.Fatalf("stderr: %q", errOut.String())
	}
}

// The same output on real servers through REDIS_ADDR, with the detected backend: the Lua
// emulation on Redis 7 and Valkey 8, native hash-field expiration on Redis 8.
func TestOutputOnServers(t *testing.T) {
	for _, srv := range testserver.Standalone(t) {
		t.Run(srv.Name, func(t *testing.T) {
			t.Setenv("REDIS_ADDR", srv.Addr)
			t.Setenv("TAIR_ADDR", "")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var out, errOut bytes.Buffer
			if err := run(ctx, &out, &errOut); err != nil {
				t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
			}
			if out.String() != want {
				t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
			}
			if !strings.Contains(errOut.String(), "REDIS_ADDR "+srv.Addr) {
				t.Fatalf("stderr: %q", errOut.String())
			}
		})
	}
}
