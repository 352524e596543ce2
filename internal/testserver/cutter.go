package testserver

import (
	"bytes"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// Cutter is a TCP relay on a free loopback port in front of a server that can lose one reply the
// way a broken network does: after Arm, the next request is delivered to the server, which applies
// it, and the connection that sent it is closed as soon as the server starts to answer, so the
// client never sees the reply. Tests point their client at Addr.
type Cutter struct {
	Addr   string
	mu     sync.Mutex
	armed  bool
	marker []byte // with armed: cut only a request that contains it
	cuts   atomic.Int64
}

// Cut starts a Cutter in front of upstream; it stops with the test.
func Cut(tb testing.TB, upstream string) *Cutter {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	c := &Cutter{Addr: ln.Addr().String()}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	tb.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, conn := range open {
			_ = conn.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", upstream)
			if err != nil {
				_ = client.Close()
				continue
			}
			mu.Lock()
			open = append(open, client, server)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); c.relay(client, server) }()
		}
	}()
	return c
}

// Arm makes the Cutter drop the reply to the next request it relays (on any connection), other
// than the commands a client sends to set up a new connection (HELLO, AUTH, CLIENT, SELECT).
func (c *Cutter) Arm() { c.ArmOn(nil) }

// ArmOn makes the Cutter drop the reply to the first request whose bytes contain marker (a value
// only the write under test sends), whatever other requests pass before it.
func (c *Cutter) ArmOn(marker []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.armed, c.marker = true, marker
}

// take reports whether the requests seen (the latest read, with the end of the one before it, so a
// marker split across reads is found) are the ones to cut, disarming the Cutter if so.
func (c *Cutter) take(seen, latest []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	// A marker must end in the latest read: one wholly inside the earlier bytes was already relayed.
	from := max(0, len(seen)-len(latest)-len(c.marker)+1)
	hit := c.armed && (c.marker == nil && !setup(latest) || c.marker != nil && bytes.Contains(seen[from:], c.marker))
	if hit {
		c.armed, c.marker = false, nil
	}
	return hit
}

// Cuts reports how many replies were dropped so far.
func (c *Cutter) Cuts() int64 { return c.cuts.Load() }

// relay copies requests to the server and replies back, until either side closes.
func (c *Cutter) relay(client, server net.Conn) {
	var drop atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			if n > 0 && drop.Load() {
				c.cuts.Add(1)
				_ = client.Close()
				_ = server.Close()
				return
			}
			if n > 0 {
				if _, werr := client.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				_ = client.Close()
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	var tail []byte
	for {
		n, err := client.Read(buf)
		if n > 0 {
			seen := append(tail, buf[:n]...)
			if c.take(seen, buf[:n]) {
				drop.Store(true) // before the server can answer
			}
			tail = append([]byte(nil), seen[max(0, len(seen)-256):]...)
			if _, werr := server.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	_ = server.Close()
	<-done
}

// setup reports whether a chunk of requests starts with a connection set-up command.
func setup(chunk []byte) bool {
	// A request is an array of bulk strings: *<n>\r\n$<len>\r\n<name>\r\n…
	parts := bytes.SplitN(chunk, []byte("\r\n"), 4)
	if len(parts) < 3 {
		return false
	}
	switch string(bytes.ToLower(parts[2])) {
	case "hello", "auth", "client", "select":
		return true
	}
	return false
}
