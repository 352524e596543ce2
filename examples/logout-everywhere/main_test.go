package main

import (
	"strings"
	"testing"

	"github.com/tairhash-go/tairhash/examples/internal/outputtest"
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
	if errOut := outputtest.Run(t, "", want, run); errOut != "backend lua (embedded server)\n" {
		t.Fatalf("stderr: %q", errOut)
	}
}

// The same output on real servers through REDIS_ADDR, with the detected backend: the Lua
// emulation on Redis 7 and Valkey 8, native hash-field expiration on Redis 8.
func TestOutputOnServers(t *testing.T) {
	for _, srv := range testserver.Standalone(t) {
		t.Run(srv.Name, func(t *testing.T) {
			if errOut := outputtest.Run(t, srv.Addr, want, run); !strings.Contains(errOut, "REDIS_ADDR "+srv.Addr) {
				t.Fatalf("stderr: %q", errOut)
			}
		})
	}
}
