package proxy

import (
	"strings"
	"testing"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// With an upstream that wants a login (here set after the server started) and no credentials for the
// server, Probe says clients log in, and each client's EXH* commands work once it has sent AUTH: their
// scripts are loaded on the client's own connection, again after the upstream lost them. An ACL user without
// EVAL/EVALSHA gets a NOPERM that names the EXH* command; one with them is served.
func TestClientsLogInThemselves(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis7, testserver.KindValkey8} {
		t.Run(kind, func(t *testing.T) {
			up := testserver.Start(t, kind)
			// The server starts while the upstream wants no login (it loads the scripts itself), then
			// the upstream gets a password.
			addr, _ := startProxy(t, luaConfig(up.Addr))
			if v := dialRaw(t, addr).do(cmd("EXHSET", "before", "f", "v"))[0]; v.Int != 1 {
				t.Fatalf("EXHSET before the password: %s", show(v))
			}
			admin := dialRaw(t, up.Addr)
			for _, v := range admin.do(
				cmd("ACL", "SETUSER", "noeval", "on", ">pw1", "~*", "&*", "+@all", "-eval", "-evalsha", "-fcall"),
				cmd("ACL", "SETUSER", "app", "on", ">pw2", "~*", "&*", "+@all"),
				cmd("CONFIG", "SET", "requirepass", "s3cret"), cmd("AUTH", "s3cret"),
			) {
				if !v.isStatus("OK") {
					t.Fatalf("setting up the upstream: %s", show(v))
				}
			}
			info, err := Probe(ctxT(t), Upstream{Addr: up.Addr})
			if err != nil || !info.ClientsLogIn {
				t.Fatalf("Probe without credentials: %+v, %v", info, err)
			}

			c := dialRaw(t, addr)
			got := c.do(cmd("EXHSET", "k", "f", "v"), cmd("AUTH", "s3cret"))
			if !strings.HasPrefix(string(got[0].Text), "NOAUTH") || !got[1].isStatus("OK") {
				t.Fatalf("before AUTH: %q", []string{show(got[0]), show(got[1])})
			}
			// The upstream has no script loaded: the session sends them in full now that it is logged in.
			admin.do(cmd("SCRIPT", "FLUSH"))
			got = c.do(cmd("EXHSET", "k", "f", "v"), cmd("EXHGET", "k", "f"))
			if got[0].Int != 1 || string(got[1].Text) != "v" {
				t.Fatalf("after AUTH: %q", []string{show(got[0]), show(got[1])})
			}
			admin.do(cmd("SCRIPT", "FLUSH"), cmd("FUNCTION", "FLUSH"))
			if v := c.do(cmd("EXHGET", "k", "f"))[0]; !strings.Contains(string(v.Text), "retry the command") {
				t.Fatalf("after SCRIPT FLUSH: %s", show(v))
			}
			if v := c.do(cmd("EXHGET", "k", "f"))[0]; string(v.Text) != "v" {
				t.Fatalf("retried after SCRIPT FLUSH: %s", show(v))
			}

			denied := dialRaw(t, addr)
			got = denied.do(cmd("AUTH", "noeval", "pw1"), cmd("EXHGET", "k", "f"), cmd("GET", "plain"),
				cmd("MULTI"), cmd("EXHGET", "k", "f"), cmd("EXEC"))
			want := "-NOPERM this user has no permissions to run the 'exhget' command: exhash-server runs it as a Lua script"
			if !got[0].isStatus("OK") || !strings.HasPrefix(show(got[1]), want) || !got[2].Null ||
				!strings.HasPrefix(show(got[4]), want) || !strings.HasPrefix(string(got[5].Text), "EXECABORT") {
				t.Fatalf("ACL user without EVAL: %q", []string{show(got[0]), show(got[1]), show(got[2]), show(got[4]), show(got[5])})
			}

			allowed := dialRaw(t, addr)
			got = allowed.do(cmd("AUTH", "app", "pw2"), cmd("EXHGET", "k", "f"))
			if !got[0].isStatus("OK") || string(got[1].Text) != "v" {
				t.Fatalf("ACL user with EVAL: %s %s", show(got[0]), show(got[1]))
			}
		})
	}
}
