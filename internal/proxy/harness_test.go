package proxy

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// testTimeout bounds every wait of a test; it only detects a hang, it measures nothing.
const testTimeout = 10 * time.Second

// startProxy serves cfg on a free loopback port until the test ends and returns the address.
func startProxy(t testing.TB, cfg Config) (string, *Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv := New(cfg)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String(), srv
}

// proxyFor serves a proxy in front of upstream with the probe backend.
func proxyFor(t testing.TB, upstream string) string {
	addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: upstream}, Backend: probeBackend})
	return addr
}

// client is a go-redis client (RESP3, its default) connected to addr.
func client(t testing.TB, addr string, opts ...func(*redis.Options)) *redis.Client {
	o := &redis.Options{Addr: addr, MaxRetries: -1}
	for _, f := range opts {
		f(o)
	}
	c := redis.NewClient(o)
	t.Cleanup(func() { c.Close() })
	return c
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// probeBackend answers a few EXH* commands with stock Redis commands. It lets the tests drive every
// path of the server's backend handling (one command, several commands, no command, the database) on
// stock Redis; the Lua emulation is tested through the same server in the conformance test.
//
//	exhset k f v     → HSET k f v            one command, integer reply
//	exhmset k f v …  → HMSET k f v …         one command, status reply
//	exhget k f       → ECHO x, HGET k f      two commands, the answer is the second
//	exhttl k f       → ECHO db=<db>          tells which database the server gave the backend
//	exhmget k f …    → HMGET k f …           array reply with nulls
//	exhpersist k f   → panics                a broken backend
//	any key starting with "exh~"             refused by the backend itself, nothing sent
func probeBackend(db int) driver.Backend { return probe{db: db} }

type probe struct{ db int }

func (probe) Name() string { return "probe" }

func (p probe) Do(ctx context.Context, c driver.Conn, args ...any) *redis.Cmd {
	if len(args) > 1 && strings.HasPrefix(args[1].(string), "exh~") {
		cmd := redis.NewCmd(ctx, args...)
		cmd.SetErr(exhash.ErrReservedKey)
		return cmd
	}
	rest := args[1:]
	switch args[0] {
	case "exhset":
		return c.Do(ctx, append([]any{"hset"}, rest...)...)
	case "exhmset":
		return c.Do(ctx, append([]any{"hmset"}, rest...)...)
	case "exhget":
		c.Do(ctx, "echo", "x")
		return c.Do(ctx, append([]any{"hget"}, rest...)...)
	case "exhttl":
		return c.Do(ctx, "echo", "db="+strconv.Itoa(p.db))
	case "exhmget":
		return c.Do(ctx, append([]any{"hmget"}, rest...)...)
	case "exhpersist":
		c.Do(ctx, "echo", "queued before the panic")
		panic("probe backend: exhpersist")
	}
	return c.Do(ctx, args...)
}

// rawConn is a client that writes bytes and reads replies with nothing in between, to see exactly
// what the server sends.
type rawConn struct {
	t    testing.TB
	conn net.Conn
	r    respReader
	seen bytes.Buffer // every byte received
}

func dialRaw(t testing.TB, addr string) *rawConn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &rawConn{t: t, conn: conn}
	c.r = respReader{br: bufio.NewReader(io.TeeReader(conn, &c.seen))}
	return c
}

// encode writes commands in RESP.
func encode(cmds ...[]string) []byte {
	var b []byte
	for _, cmd := range cmds {
		args := make([]any, len(cmd))
		for i, a := range cmd {
			args[i] = a
		}
		b, _ = appendCommand(b, args)
	}
	return b
}

// do sends the commands in one write and reads one reply per command.
func (c *rawConn) do(cmds ...[]string) []Value {
	c.t.Helper()
	c.write(encode(cmds...))
	out := make([]Value, len(cmds))
	for i := range cmds {
		out[i] = c.read()
	}
	return out
}

func (c *rawConn) write(b []byte) {
	c.t.Helper()
	c.conn.SetWriteDeadline(time.Now().Add(testTimeout))
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawConn) read() Value {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(testTimeout))
	v, err := c.r.readValue()
	if err != nil {
		c.t.Fatalf("reading a reply: %v", err)
	}
	return v
}

// expectClosed checks that the server closes the connection with nothing more to read (a reset counts:
// closing with the client's unread bytes in the socket sends one).
func (c *rawConn) expectClosed() {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(testTimeout))
	if v, err := c.r.readValue(); !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !errors.Is(err, syscall.ECONNRESET) {
		c.t.Fatalf("want the connection closed, got %q, %v", show(v), err)
	}
}

// show renders a reply the way it came over the wire, for messages and comparisons.
func show(v Value) string {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	writeValue(w, v)
	w.Flush()
	return b.String()
}

func cmd(args ...string) []string { return args }

// redisCLI runs redis-cli against addr and returns its output.
func redisCLI(t testing.TB, addr string, args ...string) string {
	t.Helper()
	return testserver.CLI(t, addr, "", args...)
}

// waitBlocked waits until a client of the upstream at addr is blocked in BLPOP.
func waitBlocked(t testing.TB, addr string) {
	t.Helper()
	watcher := dialRaw(t, addr)
	deadline := time.Now().Add(testTimeout)
	for !strings.Contains(string(watcher.do(cmd("CLIENT", "LIST", "TYPE", "normal"))[0].Text), "cmd=blpop") {
		if time.Now().After(deadline) {
			t.Fatal("no client got blocked in BLPOP")
		}
		time.Sleep(time.Millisecond)
	}
}
