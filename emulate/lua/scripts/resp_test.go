package scripts

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reply is one RESP reply, kept with its exact type so tests can tell a status from a bulk
// string and a nil from an empty string.
type reply struct {
	kind byte // '+', '-', ':', '$', '*', '_' (nil bulk or nil array), '#' (RESP3 boolean)
	str  string
	n    int64
	arr  []reply
}

// String renders r in the specification's notation: :1, "s", nil, +OK, -ERR …, [a, b].
func (r reply) String() string {
	switch r.kind {
	case '+':
		return "+" + r.str
	case '-':
		return "-" + r.str
	case ':':
		return ":" + strconv.FormatInt(r.n, 10)
	case '$':
		return strconv.Quote(r.str)
	case '_':
		return "nil"
	case '*':
		parts := make([]string, len(r.arr))
		for i, e := range r.arr {
			parts[i] = e.String()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprintf("?%c%s", r.kind, r.str)
}

// respConn is a minimal RESP2 client over one TCP connection.
type respConn struct {
	c net.Conn
	r *bufio.Reader
}

func dialRESP(tb testing.TB, addr string) *respConn {
	tb.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		tb.Fatalf("dial %s: %v", addr, err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return &respConn{c: c, r: bufio.NewReaderSize(c, 1<<16)}
}

// do sends one command and reads its reply; a transport failure fails the test.
func (rc *respConn) do(tb testing.TB, args ...string) reply {
	tb.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	_ = rc.c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := rc.c.Write([]byte(b.String())); err != nil {
		tb.Fatalf("write: %v", err)
	}
	r, err := rc.read()
	if err != nil {
		tb.Fatalf("read: %v", err)
	}
	return r
}

func (rc *respConn) read() (reply, error) {
	line, err := rc.r.ReadString('\n')
	if err != nil {
		return reply{}, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	if line == "" {
		return reply{}, fmt.Errorf("empty reply line")
	}
	kind, rest := line[0], line[1:]
	switch kind {
	case '+', '-':
		return reply{kind: kind, str: rest}, nil
	case ':':
		n, err := strconv.ParseInt(rest, 10, 64)
		return reply{kind: ':', n: n}, err
	case '$':
		n, err := strconv.Atoi(rest)
		if err != nil {
			return reply{}, err
		}
		if n < 0 {
			return reply{kind: '_'}, nil
		}
		buf := make([]byte, n+2)
		if _, err := readFull(rc.r, buf); err != nil {
			return reply{}, err
		}
		return reply{kind: '$', str: string(buf[:n])}, nil
	case '*':
		n, err := strconv.Atoi(rest)
		if err != nil {
			return reply{}, err
		}
		if n < 0 {
			return reply{kind: '_'}, nil
		}
		arr := make([]reply, n)
		for i := range arr {
			if arr[i], err = rc.read(); err != nil {
				return reply{}, err
			}
		}
		return reply{kind: '*', arr: arr}, nil
	}
	return reply{}, fmt.Errorf("unexpected reply line %q", line)
}

func readFull(r *bufio.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
