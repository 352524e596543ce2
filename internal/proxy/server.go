package proxy

import (
	"context"
	"errors"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server speaks the TairHash protocol to its clients on top of a stock Redis: EXH* commands are answered
// through a backend (normally the Lua emulation), every other command goes to the upstream unchanged on
// the client's own upstream connection.
type Server struct {
	cfg    Config
	sender *redis.Client // its pipelines collect what backends queue; it never sends anything
	replay *redis.Client // its pipelines hand replies already read to a backend's Exec step
	input  *inputBudget  // Config.MaxInputBytes, shared by every client's command reader

	loadMu    sync.Mutex
	needLoad  atomic.Bool  // Config.Load has to run before the next EXH* command or session start
	joinReady atomic.Bool  // the last Config.Load installed what joined EXH* commands need (batch.go)
	loadAfter atomic.Int64 // after a failed Load, no new attempt before this time (Unix ns)

	refusalLog logLimit // a client refused past MaxClients is logged at most once a second

	mu       sync.Mutex
	shutting bool // set once; no session is added after it
	ln       net.Listener
	sessions map[*session]struct{}
	live     sync.WaitGroup
}

// New returns a server for cfg; Serve starts it.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg.withDefaults(), sessions: make(map[*session]struct{})}
	s.sender = redis.NewClient(&redis.Options{Addr: s.cfg.Upstream.Addr, Protocol: 2, DisableIdentity: true})
	s.replay = newReplayClient()
	s.input = &inputBudget{max: int64(s.cfg.MaxInputBytes)}
	s.needLoad.Store(s.cfg.Load != nil)
	return s
}

// ownScripts reports whether sessions also load the backend's scripts themselves, on their client's
// connection: the server has no upstream credentials, so its own connection may not be allowed to.
func (s *Server) ownScripts() bool { return s.cfg.Load != nil && s.cfg.Upstream.authCommand() == nil }

// Accept loop back-off after a temporary error (no descriptor left, say): it starts short and doubles
// up to the maximum, so the loop neither spins nor keeps new clients waiting long once it clears.
const (
	minAcceptBackoff = 5 * time.Millisecond
	maxAcceptBackoff = time.Second
)

// Serve accepts clients on ln until Shutdown or Close; it returns nil then.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.shutting {
		s.mu.Unlock()
		return ln.Close()
	}
	s.ln = ln
	s.mu.Unlock()
	var backoff time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			shutting := s.shutting
			s.mu.Unlock()
			switch {
			case shutting:
				return nil
			case temporary(err):
				backoff = min(max(2*backoff, minAcceptBackoff), maxAcceptBackoff)
				s.cfg.Logger.Warn("cannot accept a client; waiting before trying again", "err", err, "wait", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		go s.serveConn(c)
	}
}

// logLimit lets a message that a client can cause through be logged at most once a second, so
// that a flood of connections does not become a flood of log lines.
type logLimit struct {
	last    atomic.Int64 // Unix ns of the last message let through
	skipped atomic.Int64 // messages held back since
}

// allow reports whether to log now, and how many messages were held back before.
func (l *logLimit) allow() (ok bool, skipped int64) {
	now, last := time.Now().UnixNano(), l.last.Load()
	if now-last < int64(time.Second) || !l.last.CompareAndSwap(last, now) {
		l.skipped.Add(1)
		return false, 0
	}
	return true, l.skipped.Swap(0)
}

// temporary reports whether an Accept error can clear by itself: descriptors or buffers exhausted.
func temporary(err error) bool {
	for _, e := range []error{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// errMaxClients is Redis' reply to a client beyond maxclients.
const errMaxClients = "-ERR max number of clients reached\r\n"

// serveConn serves one client connection. A panic while serving it is logged and closes this
// connection only.
func (s *Server) serveConn(nc net.Conn) {
	sess := s.admit(nc)
	if sess == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			sess.log.Error("panic while serving a client; closing its connection", "panic", p, "stack", string(debug.Stack()))
			sess.broken = true
			sess.finish()
		}
	}()
	sess.serve()
}

// admit registers a session for a new connection, or refuses the connection (server full or
// shutting down) and returns nil.
func (s *Server) admit(nc net.Conn) *session {
	s.mu.Lock()
	full := len(s.sessions) >= s.cfg.MaxClients
	if s.shutting || full {
		s.mu.Unlock()
		if full && !s.shutting {
			s.cfg.Metrics.clientRefused()
			if ok, skipped := s.refusalLog.allow(); ok {
				s.cfg.Logger.Warn("refusing clients: --max-clients reached", "client", nc.RemoteAddr().String(),
					"max_clients", s.cfg.MaxClients, "refused_since_last_message", skipped)
			}
			nc.SetWriteDeadline(time.Now().Add(time.Second))
			_, _ = nc.Write([]byte(errMaxClients))
		}
		nc.Close()
		return nil
	}
	sess := newSession(s, nc)
	s.sessions[sess] = struct{}{}
	s.live.Add(1)
	s.cfg.Metrics.clientConnected(1)
	s.mu.Unlock()
	sess.log.Debug("client connected")
	return sess
}

// forget drops a closed session.
func (s *Server) forget(sess *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[sess]; ok {
		delete(s.sessions, sess)
		s.live.Done()
		s.cfg.Metrics.clientConnected(-1)
	}
}

func (s *Server) each(f func(*session)) {
	s.mu.Lock()
	all := make([]*session, 0, len(s.sessions))
	for sess := range s.sessions {
		all = append(all, sess)
	}
	s.mu.Unlock()
	for _, sess := range all {
		f(sess)
	}
}

// Shutdown stops accepting clients, stops reading the connected ones, lets every reply already on its
// way reach its client, and closes the connections. When ctx ends first (a BLPOP that does not return,
// a client that does not read), the remaining connections are closed at once and ctx's error returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutting = true
	ln := s.ln
	s.mu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
	s.each(func(sess *session) { sess.client.drain() })
	drained := make(chan struct{})
	go func() {
		s.live.Wait()
		close(drained)
	}()
	var err error
	select {
	case <-drained:
	case <-ctx.Done():
		err = ctx.Err()
		s.each(func(sess *session) { sess.finish() })
		<-drained
	}
	_ = s.sender.Close()
	_ = s.replay.Close()
	return err
}

// loadRetryDelay is how long the server waits after a failed Config.Load before trying again.
const loadRetryDelay = time.Second

// loadIfNeeded runs Config.Load when the upstream may lack what it installs. Sessions starting
// meanwhile wait for it.
func (s *Server) loadIfNeeded(ctx context.Context) {
	if !s.needLoad.Load() || time.Now().UnixNano() < s.loadAfter.Load() {
		return
	}
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	if !s.needLoad.Load() || time.Now().UnixNano() < s.loadAfter.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 2*s.cfg.Upstream.DialTimeout)
	defer cancel()
	rdb := redis.NewClient(s.cfg.Upstream.RedisOptions())
	defer rdb.Close()
	err := s.cfg.Load(ctx, rdb)
	s.joinReady.Store(err == nil)
	if errors.Is(err, ErrNoFunctions) {
		s.needLoad.Store(false)
		s.cfg.Logger.Info("the upstream refuses function libraries; EXH* commands go one script call each", "err", err)
		return
	}
	if s.ownScripts() && isNoAuth(err) {
		// Expected: the clients log in, and their sessions load the scripts (session.scripts).
		// Sessions do not join commands: the library they would call could not be loaded.
		s.needLoad.Store(false)
		s.cfg.Logger.Debug("the upstream wants a login; sessions load the backend's scripts themselves")
		return
	}
	if err != nil {
		// Commands go on (the backend recovers or reports the upstream's error); the next attempt
		// waits a while, so an upstream that refuses (an ACL user without SCRIPT, say) does not cost
		// every command a connection.
		s.loadAfter.Store(time.Now().Add(loadRetryDelay).UnixNano())
		s.cfg.Logger.Warn("cannot install the backend on the upstream; EXH* commands may fail", "err", err, "retry_in", loadRetryDelay)
		return
	}
	s.needLoad.Store(false)
	s.cfg.Logger.Debug("backend installed on the upstream")
}

// scriptsLost notes that the upstream lost what Config.Load installs, and installs it again now.
func (s *Server) scriptsLost() {
	if s.cfg.Load != nil && s.needLoad.CompareAndSwap(false, true) {
		s.cfg.Logger.Info("the upstream lost the backend's scripts; loading them again")
		go s.loadIfNeeded(context.Background())
	}
}

// upstreamLost notes that an upstream connection broke: the upstream may have restarted, so the next
// session start checks what Config.Load installs.
func (s *Server) upstreamLost() {
	if s.cfg.Load != nil {
		s.needLoad.Store(true)
	}
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_ = s.Shutdown(ctx)
	return nil
}
