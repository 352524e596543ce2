package proxy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// A protocol error is answered with Redis' text after the replies to the commands before it, then the
// connection closes; other clients go on.
func TestProtocolErrorAfterPipelinedReplies(t *testing.T) {
	up := redis7(t)
	addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}})
	c := dialRaw(t, addr)
	c.write(append(encode(cmd("PING"), cmd("ECHO", "a")), "*1\r\n$9223372036854775807\r\n"...))
	if v := c.read(); !v.isStatus("PONG") {
		t.Fatalf("PING: %s", show(v))
	}
	if v := c.read(); string(v.Text) != "a" {
		t.Fatalf("ECHO: %s", show(v))
	}
	if v := c.read(); show(v) != "-ERR Protocol error: invalid bulk length\r\n" {
		t.Fatalf("the bad frame: %s", show(v))
	}
	c.expectClosed()
	// Before any command (no upstream connection yet) the error comes straight from the server.
	first := dialRaw(t, addr)
	first.write([]byte("*9223372036854775807\r\n"))
	if v := first.read(); show(v) != "-ERR Protocol error: invalid multibulk length\r\n" {
		t.Fatalf("the bad frame first: %s", show(v))
	}
	first.expectClosed()
	// A control byte in the error stays on one line.
	cr := dialRaw(t, addr)
	cr.write([]byte("*1\r\n\r\n"))
	if v := cr.read(); show(v) != "-ERR Protocol error: expected '$', got ' '\r\n" {
		t.Fatalf("a CR for '$': %q", show(v))
	}
	cr.expectClosed()
}

// Beyond MaxClients a client gets Redis' error and is closed; once one leaves, a new one is served.
func TestMaxClients(t *testing.T) {
	up := redis7(t)
	addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}, MaxClients: 2})
	a, b := dialRaw(t, addr), dialRaw(t, addr)
	a.do(cmd("PING"))
	b.do(cmd("PING"))
	over := dialRaw(t, addr)
	if v := over.read(); show(v) != "-ERR max number of clients reached\r\n" {
		t.Fatalf("the third client: %s", show(v))
	}
	over.expectClosed()
	a.conn.Close()
	deadline := time.Now().Add(testTimeout)
	for {
		c := dialRaw(t, addr)
		c.write(encode(cmd("PING")))
		if v := c.read(); v.isStatus("PONG") {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("no client served after one left: %s", show(v))
		}
		time.Sleep(time.Millisecond)
	}
}

// A command not complete within CommandTimeout closes the connection (a slowloris client); a client
// idle longer than IdleTimeout is closed unless it waits for a reply or is subscribed.
func TestClientTimeouts(t *testing.T) {
	up := redis7(t)
	addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}, CommandTimeout: 300 * time.Millisecond, IdleTimeout: 300 * time.Millisecond})
	slow := dialRaw(t, addr)
	slow.do(cmd("PING"))
	frame := encode(cmd("SET", up.Prefix(t)+"k", "value"))
	start := time.Now()
	for i := 0; i < len(frame)-1; i++ {
		if _, err := slow.conn.Write(frame[i : i+1]); err != nil {
			break // closed: the deadline passed
		}
		time.Sleep(50 * time.Millisecond)
	}
	slow.expectClosed()
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Fatalf("closed after %v, before the command timeout", waited)
	}

	idle := dialRaw(t, addr)
	idle.do(cmd("PING"))
	idle.expectClosed()

	blocked := dialRaw(t, addr)
	blocked.write(encode(cmd("BLPOP", up.Prefix(t)+"nothing", "1")))
	if v := blocked.read(); !v.Null {
		t.Fatalf("BLPOP longer than the idle timeout: %s", show(v))
	}
	sub := dialRaw(t, addr)
	sub.do(cmd("SUBSCRIBE", "ch"))
	time.Sleep(600 * time.Millisecond) // two idle timeouts: the subscriber must still be there
	pub := dialRaw(t, up.Addr)
	pub.do(cmd("PUBLISH", "ch", "hello"))
	if v := sub.read(); len(v.Elems) != 3 || string(v.Elems[2].Text) != "hello" {
		t.Fatalf("subscriber after the idle timeout: %s", show(v))
	}
}

// Plain commands naming a companion key are refused with ErrReservedKey's text (so errors.Is works for
// exhash users), unless AllowCompanionKeys; EXH* commands are the backend's business.
func TestCompanionKeysRefused(t *testing.T) {
	up := redis7(t)
	key := "exh~t:{" + up.Prefix(t) + "k}"
	for _, allow := range []bool{false, true} {
		addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}, Backend: probeBackend, AllowCompanionKeys: allow})
		c := dialRaw(t, addr)
		got := c.do(cmd("SET", key, "junk"), cmd("GET", key), cmd("AUTH", "exh~pw"), cmd("PING"))
		if allow {
			if !got[0].isStatus("OK") || string(got[1].Text) != "junk" {
				t.Fatalf("allowed: %s %s", show(got[0]), show(got[1]))
			}
			continue
		}
		for _, v := range got[:2] {
			if !v.isError() || !errors.Is(exhash.NewError(string(v.Text)), exhash.ErrReservedKey) ||
				!strings.Contains(string(v.Text), "--allow-companion-keys") {
				t.Fatalf("refused: %s", show(v))
			}
		}
		if strings.Contains(string(got[2].Text), "reserved") || !got[3].isStatus("PONG") {
			t.Fatalf("AUTH is not refused, the session goes on: %s %s", show(got[2]), show(got[3]))
		}
		if n := dialRaw(t, up.Addr).do(cmd("EXISTS", key))[0].Int; n != 0 {
			t.Fatal("the refused SET reached the upstream")
		}
	}
}

// A panic while serving one connection closes that connection only.
func TestPanicClosesOneConnection(t *testing.T) {
	up := redis7(t)
	// Config.Backend is called outside the recovery of backend panics (callBackend).
	addr, _ := startProxy(t, Config{Upstream: Upstream{Addr: up.Addr}, Backend: func(int) driver.Backend { panic("test") }})
	c := dialRaw(t, addr)
	c.do(cmd("PING"))
	c.write(encode(cmd("EXHGET", "k", "f")))
	c.expectClosed()
	other := dialRaw(t, addr)
	if v := other.do(cmd("PING"))[0]; !v.isStatus("PONG") {
		t.Fatalf("another client after the panic: %s", show(v))
	}
}
