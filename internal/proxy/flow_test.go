package proxy

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// A client that sends without reading is held back (the server stops reading it once MaxPending
// commands are unanswered, and TCP does the rest), and meanwhile other clients are served.
func TestSlowClientIsHeldBackAlone(t *testing.T) {
	up := redis7(t)
	addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}, MaxPending: 8, MaxPendingBytes: 1 << 20})
	payload := strings.Repeat("x", 64<<10)
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	// Each ECHO is 64 KiB each way. Without a bound the server would read all of them (128 MiB) and
	// hold the replies; with it, the writes stop once the socket buffers on the way are full.
	const commands = 2000
	echo := encode(cmd("ECHO", payload))
	written := 0
	for ; written < commands; written++ {
		slow.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := slow.Write(echo); err != nil {
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				t.Fatal(err)
			}
			break
		}
	}
	if written == commands {
		t.Fatalf("the server read all %d commands of a client that reads nothing", commands)
	}
	// Another client is unaffected.
	other := dialRaw(t, addr)
	for range 50 {
		if v := other.do(cmd("PING"))[0]; !v.isStatus("PONG") {
			t.Fatalf("other client: %s", show(v))
		}
	}
}

// A bulk longer than MaxCommandBytes gets Redis' "invalid bulk length", a command of smaller bulks
// that add up to more gets "command too large", and the connection closes; smaller ones pass.
func TestMaxCommandBytes(t *testing.T) {
	up := redis7(t)
	addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}, MaxCommandBytes: 4096})
	key := up.Prefix(t) + "k"
	for _, tc := range []struct {
		cmd  []string
		want string
	}{
		{cmd("SET", key, strings.Repeat("b", 64<<10)), "ERR Protocol error: invalid bulk length"},
		{cmd("MSET", key, strings.Repeat("b", 3000), key, strings.Repeat("c", 3000)), "ERR exhash-server: command too large: more than 4096 bytes"},
	} {
		c := dialRaw(t, addr)
		if v := c.do(cmd("SET", key, strings.Repeat("a", 3000)))[0]; !v.isStatus("OK") {
			t.Fatalf("a command under the bound: %s", show(v))
		}
		c.write(encode(tc.cmd))
		if v := c.read(); !v.isError() || !strings.HasPrefix(string(v.Text), tc.want) {
			t.Fatalf("a command over the bound: %s, want %q", show(v), tc.want)
		}
		c.expectClosed()
	}
}

// Shutdown lets the replies on their way reach the client (here one that waits in BLPOP), closes the
// connection, and refuses new clients.
func TestGracefulShutdown(t *testing.T) {
	up := redis7(t)
	addr, srv := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}})
	c := dialRaw(t, addr)
	c.do(cmd("PING")) // connected upstream
	c.write(encode(cmd("BLPOP", up.Prefix(t)+"nothing", "0.3"), cmd("PING")))
	waitBlocked(t, up.Addr)
	if err := srv.Shutdown(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if v := c.read(); !v.Null {
		t.Fatalf("BLPOP: %s", show(v))
	}
	if v := c.read(); !v.isStatus("PONG") {
		t.Fatalf("PING: %s", show(v))
	}
	c.expectClosed()
	if conn, err := net.Dial("tcp", addr); err == nil {
		conn.SetReadDeadline(time.Now().Add(testTimeout))
		if _, err := conn.Read(make([]byte, 1)); err == nil {
			t.Fatal("a new client was served after Shutdown")
		}
		conn.Close()
	}
}

// When Shutdown's context ends first, the connections are closed anyway and the error says so.
func TestShutdownTimeout(t *testing.T) {
	up := redis7(t)
	addr, srv := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}})
	c := dialRaw(t, addr)
	c.do(cmd("PING"))
	c.write(encode(cmd("BLPOP", up.Prefix(t)+"nothing", "0")))
	waitBlocked(t, up.Addr)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Shutdown: %v", err)
	}
	c.expectClosed()
}

// A client whose upstream cannot be reached is told why and disconnected.
func TestUpstreamDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	c := dialRaw(t, proxyFor(t, dead))
	v := c.do(cmd("PING"))[0]
	if !v.isError() || !strings.Contains(string(v.Text), "upstream "+dead) {
		t.Fatalf("PING with the upstream down: %s", show(v))
	}
	c.expectClosed()
	if _, err := Probe(ctxT(t), Upstream{Addr: dead}); err == nil {
		t.Fatal("Probe of a closed port succeeded")
	}
}

// AUTH to a password-protected upstream: either the server logs in for its clients (password, or ACL
// user and password, configured), or clients send AUTH themselves through it; on Redis 7.0 and Valkey 8.
func TestAuth(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis7, testserver.KindValkey8} {
		t.Run(kind, func(t *testing.T) { testAuth(t, testserver.Start(t, kind)) })
	}
}

func testAuth(t *testing.T, up *testserver.Server) {
	ctx := ctxT(t)
	admin := dialRaw(t, up.Addr)
	if v := admin.do(cmd("ACL", "SETUSER", "app", "on", ">apppass", "~*", "&*", "+@all"), cmd("CONFIG", "SET", "requirepass", "s3cret")); !v[0].isStatus("OK") || !v[1].isStatus("OK") {
		t.Fatalf("ACL SETUSER, CONFIG SET requirepass: %s %s", show(v[0]), show(v[1]))
	}

	for _, u := range []Upstream{{Addr: up.Addr, Password: "s3cret"}, {Addr: up.Addr, Username: "app", Password: "apppass"}} {
		if _, err := Probe(ctx, u); err != nil {
			t.Fatalf("Probe as %q: %v", u.Username, err)
		}
		addr, _ := startProxy(t, Config{Upstream: u, Backend: probeBackend})
		// RESET logs a connection out; the server logs it in again.
		v := dialRaw(t, addr).do(cmd("ACL", "WHOAMI"), cmd("EXHSET", "authk:"+u.Username, "f", "v"), cmd("RESET"), cmd("ACL", "WHOAMI"))
		user := map[string]string{"": "default", "app": "app"}[u.Username]
		if string(v[0].Text) != user || v[1].Int != 1 || !v[2].isStatus("RESET") || string(v[3].Text) != user {
			t.Fatalf("logged in by the server as %q: %q", u.Username, []string{show(v[0]), show(v[1]), show(v[2]), show(v[3])})
		}
	}

	// Clients authenticate themselves.
	c := dialRaw(t, proxyFor(t, up.Addr))
	// (Valkey 8.0 drops the reply to a failed AUTH pipelined after a NOAUTH: it gets a write of its own.)
	got := append(c.do(cmd("GET", "k"), cmd("EXHGET", "k", "f")), c.do(cmd("AUTH", "wrong"))...)
	got = append(got, c.do(cmd("AUTH", "s3cret"), cmd("EXHGET", "authk:", "f"))...)
	if !strings.HasPrefix(string(got[0].Text), "NOAUTH") || !strings.HasPrefix(string(got[1].Text), "NOAUTH") ||
		!strings.HasPrefix(string(got[2].Text), "WRONGPASS") || !got[3].isStatus("OK") || string(got[4].Text) != "v" {
		t.Fatalf("client AUTH through the server: %q", []string{show(got[0]), show(got[1]), show(got[2]), show(got[3]), show(got[4])})
	}

	// A client logs in as an ACL user itself; its EXH* commands run as that user.
	got = dialRaw(t, proxyFor(t, up.Addr)).do(cmd("AUTH", "app", "apppass"), cmd("ACL", "WHOAMI"), cmd("EXHGET", "authk:", "f"))
	if !got[0].isStatus("OK") || string(got[1].Text) != "app" || string(got[2].Text) != "v" {
		t.Fatalf("client AUTH as an ACL user: %q", []string{show(got[0]), show(got[1]), show(got[2])})
	}

	// Wrong credentials configured: Probe says so, and so does every client connection.
	bad := Upstream{Addr: up.Addr, Password: "nope"}
	if _, err := Probe(ctx, bad); err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
		t.Fatalf("Probe with a wrong password: %v", err)
	}
	addr, _ := startProxy(t, Config{Upstream: bad})
	if v := dialRaw(t, addr).do(cmd("PING"))[0]; !strings.Contains(string(v.Text), "WRONGPASS") {
		t.Fatalf("client of a server with a wrong password: %s", show(v))
	}
}

// A Redis Cluster node is refused as upstream, with an error that says so.
func TestClusterUpstreamRefused(t *testing.T) {
	dir := t.TempDir()
	up := dedicated(t, "--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf"), "--dir", dir)
	if _, err := Probe(ctxT(t), Upstream{Addr: up.Addr}); !errors.Is(err, ErrClusterUpstream) {
		t.Fatalf("Probe of a cluster node: %v", err)
	}
	_ = os.RemoveAll(dir)
}
