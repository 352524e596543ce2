package proxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync/atomic"
	"time"
)

// clientConn is a client connection as the session's command reader sees it. Its Read runs only when
// the reader needs bytes it does not have, that is right before waiting for the client, so it is
// where the server
//   - flushes the commands it has written upstream (beforeWait), so none waits for the client's next
//     bytes;
//   - applies the timeouts: Config.CommandTimeout from the first byte of a command to its last, and
//     Config.IdleTimeout between commands (not while replies are pending or the client is subscribed:
//     idleExempt);
//   - stops reading during a graceful shutdown without losing the replies still on their way.
type clientConn struct {
	net.Conn
	reader         *commandReader
	commandTimeout time.Duration
	idleTimeout    time.Duration
	beforeWait     func()
	idleExempt     func() bool
	deadline       time.Time // the read deadline set last
	draining       atomic.Bool
}

// errClientTimeout ends a connection that kept a command half sent, or sent nothing, for too long.
var errClientTimeout = errors.New("client timeout")

func (c *clientConn) Read(p []byte) (int, error) {
	c.beforeWait()
	for {
		deadline := noDeadline
		switch {
		case c.reader.started && c.commandTimeout > 0:
			deadline = c.reader.startedAt.Add(c.commandTimeout)
		case !c.reader.started && c.idleTimeout > 0:
			deadline = time.Now().Add(c.idleTimeout)
		}
		if !deadline.Equal(c.deadline) {
			c.Conn.SetReadDeadline(deadline)
			c.deadline = deadline
		}
		// After the deadline is set: drain's own deadline (now) must not be overwritten unseen.
		if c.draining.Load() {
			return 0, io.EOF
		}
		n, err := c.Conn.Read(p)
		if n > 0 {
			c.reader.arrivedAt = time.Now()
		}
		switch {
		case err == nil:
			return n, nil
		case c.draining.Load():
			return n, io.EOF
		case n == 0 && errors.Is(err, os.ErrDeadlineExceeded):
			if !c.reader.started && c.idleExempt() {
				continue
			}
			if c.reader.started {
				return 0, fmt.Errorf("%w: a command was not complete after %v", errClientTimeout, c.commandTimeout)
			}
			return 0, fmt.Errorf("%w: idle for %v", errClientTimeout, c.idleTimeout)
		}
		return n, err
	}
}

// drain stops reading: the read that is waiting now returns, and the next ones end the read loop.
func (c *clientConn) drain() {
	c.draining.Store(true)
	c.Conn.SetReadDeadline(time.Now())
}
