package proxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"time"
)

// errCommandTooLarge ends a client connection whose next command would exceed Config.MaxCommandBytes.
var errCommandTooLarge = errors.New("command too large")

// listener hands redcon wrapped connections.
type listener struct {
	net.Listener
	maxCommand int64
}

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &clientConn{Conn: c, maxCommand: l.maxCommand}, nil
}

// clientConn is a client connection as redcon sees it. It adds what redcon has no hook for:
//   - a bound on input that does not form a complete command yet (redcon would grow its buffer without
//     limit): the count restarts at every command the handler receives;
//   - a way to stop reading during a graceful shutdown without losing the replies still on their way;
//   - closing is left to the session: redcon closes the connection as soon as its read loop ends, but
//     the relay may still have replies to write.
type clientConn struct {
	net.Conn
	maxCommand   int64
	sinceCommand atomic.Int64 // bytes read since the last complete command
	draining     atomic.Bool
}

// Read reads from the client, failing once unparsed input passes the bound or the session drains.
func (c *clientConn) Read(p []byte) (int, error) {
	if c.draining.Load() {
		return 0, io.EOF
	}
	n, err := c.Conn.Read(p)
	if c.sinceCommand.Add(int64(n)) > c.maxCommand {
		return 0, fmt.Errorf("%w: more than %d bytes without a complete command", errCommandTooLarge, c.maxCommand)
	}
	if err != nil && c.draining.Load() {
		return n, io.EOF
	}
	return n, err
}

// Write skips empty writes: redcon flushes its (unused) writer after every batch of commands.
func (c *clientConn) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return c.Conn.Write(p)
}

// commandSeen restarts the input count; the handler calls it for every command.
func (c *clientConn) commandSeen() { c.sinceCommand.Store(0) }

// drain stops reading: the read that is waiting now returns, and the next ones end the read loop.
func (c *clientConn) drain() {
	c.draining.Store(true)
	c.Conn.SetReadDeadline(time.Now())
}

// Close does nothing: redcon calls it when its read loop ends, and the session closes the connection
// after the last reply instead (closeNow).
func (c *clientConn) Close() error { return nil }

// closeNow closes the connection.
func (c *clientConn) closeNow() error { return c.Conn.Close() }
