package proxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

var noDeadline time.Time

// ErrClusterUpstream is returned by Probe when the upstream is a Redis Cluster node: clients would be
// redirected (MOVED) to nodes the server does not stand in front of.
var ErrClusterUpstream = errors.New("exhash-server: the upstream is a Redis Cluster node; CLUSTER upstreams are not supported, point it at a standalone server")

// upstreamConn is a connection to the upstream, logged in, with its buffered reader and writer.
type upstreamConn struct {
	net.Conn
	r respReader
	w *bufio.Writer
}

// dialUpstream connects to the upstream (over TLS when configured) and sends AUTH when a password is
// configured, before anything of the client's.
func dialUpstream(ctx context.Context, u Upstream) (*upstreamConn, error) {
	ctx, cancel := context.WithTimeout(ctx, u.DialTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", u.Addr)
	if err != nil {
		return nil, fmt.Errorf("exhash-server: upstream %s: %w", u.Addr, err)
	}
	if u.TLS != nil {
		cfg := u.TLS.Clone()
		if cfg.ServerName == "" && !cfg.InsecureSkipVerify {
			host, _, _ := net.SplitHostPort(u.Addr)
			cfg.ServerName = host
		}
		tc := tls.Client(c, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			c.Close()
			return nil, fmt.Errorf("exhash-server: upstream %s: TLS: %w", u.Addr, err)
		}
		c = tc
	}
	uc := &upstreamConn{Conn: c, r: respReader{br: bufio.NewReaderSize(c, 32<<10)}, w: bufio.NewWriterSize(c, 32<<10)}
	if login := u.authCommand(); login != nil {
		if _, err := uc.call(ctx, login...); err != nil {
			c.Close()
			return nil, fmt.Errorf("exhash-server: upstream %s: AUTH: %w", u.Addr, err)
		}
	}
	return uc, nil
}

// authCommand is the AUTH command the server logs in with, nil when clients log in themselves.
func (u Upstream) authCommand() []any {
	switch {
	case u.Password == "":
		return nil
	case u.Username == "":
		return []any{"AUTH", u.Password}
	}
	return []any{"AUTH", u.Username, u.Password}
}

// call sends one command and reads its reply; an error reply is returned as an error. It is used only
// before the connection carries client traffic.
func (uc *upstreamConn) call(ctx context.Context, args ...any) (Value, error) {
	if deadline, ok := ctx.Deadline(); ok {
		uc.SetDeadline(deadline)
		defer uc.SetDeadline(noDeadline)
	}
	b, err := appendCommand(nil, args)
	if err != nil {
		return Value{}, err
	}
	if _, err := uc.w.Write(b); err != nil {
		return Value{}, err
	}
	if err := uc.w.Flush(); err != nil {
		return Value{}, err
	}
	v, err := uc.r.readValue()
	if err != nil {
		return Value{}, err
	}
	if v.isError() {
		return v, serverError(v.Text)
	}
	return v, nil
}

// UpstreamInfo is what Probe learns about the upstream.
type UpstreamInfo struct {
	Version string // redis_version from INFO (Valkey reports its Redis-compatible version there)
	// ClientsLogIn: the upstream wants a login and the server has no credentials, so each client
	// sends AUTH itself. Nothing more could be learnt (Version is empty, a cluster goes unnoticed).
	ClientsLogIn bool
}

// Probe connects to the upstream once, checks that the server can stand in front of it (it answers,
// the credentials work, it is not a cluster node) and reports its version. Without credentials, an
// upstream that wants a login is fine: clients log in themselves.
func Probe(ctx context.Context, u Upstream) (UpstreamInfo, error) {
	cfg := Config{Upstream: u}
	u = cfg.withDefaults().Upstream
	uc, err := dialUpstream(ctx, u)
	if err != nil {
		return UpstreamInfo{}, err
	}
	defer uc.Close()
	ctx, cancel := context.WithTimeout(ctx, u.DialTimeout)
	defer cancel()
	var info UpstreamInfo
	v, err := uc.call(ctx, "INFO", "server")
	if u.authCommand() == nil && isNoAuth(err) {
		return UpstreamInfo{ClientsLogIn: true}, nil
	}
	if err != nil {
		return info, fmt.Errorf("exhash-server: upstream %s: INFO: %w", u.Addr, err)
	}
	info.Version = infoField(string(v.Text), "redis_version")
	v, err = uc.call(ctx, "INFO", "cluster")
	if err == nil && infoField(string(v.Text), "cluster_enabled") == "1" {
		return info, ErrClusterUpstream
	}
	return info, nil
}

// isNoAuth reports whether err is the upstream refusing a connection that has not logged in: NOAUTH,
// or the protocol error Redis gives such a connection for a command with many arguments.
func isNoAuth(err error) bool {
	return err != nil && (strings.HasPrefix(err.Error(), "NOAUTH") || strings.Contains(err.Error(), "Protocol error: unauthenticated"))
}

// infoField returns the value of one "name:value" line of an INFO reply.
func infoField(info, name string) string {
	for line := range strings.SplitSeq(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return v
		}
	}
	return ""
}
