package proxy

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tidwall/redcon"
)

// Server speaks the TairHash protocol to its clients on top of a stock Redis: EXH* commands are answered
// through a backend (normally the Lua emulation), every other command goes to the upstream unchanged on
// the client's own upstream connection.
type Server struct {
	cfg    Config
	sender *redis.Client // its pipelines collect what backends queue; it never sends anything
	replay *redis.Client // its pipelines hand replies already read to a backend's Exec step
	rs     *redcon.Server

	loadMu    sync.Mutex
	needLoad  atomic.Bool  // Config.Load has to run before the next EXH* command or session start
	loadAfter atomic.Int64 // after a failed Load, no new attempt before this time (Unix ns)

	mu       sync.Mutex
	shutting bool // set once; no session is added after it
	sessions map[*session]struct{}
	live     sync.WaitGroup
}

// New returns a server for cfg; Serve starts it.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg.withDefaults(), sessions: make(map[*session]struct{})}
	s.sender = redis.NewClient(&redis.Options{Addr: s.cfg.Upstream.Addr, Protocol: 2, DisableIdentity: true})
	s.replay = newReplayClient()
	s.needLoad.Store(s.cfg.Load != nil)
	s.rs = redcon.NewServerNetwork("tcp", "", s.handle, s.accept, s.closed)
	return s
}

// Serve accepts clients on ln until Shutdown or Close; it returns nil then.
func (s *Server) Serve(ln net.Listener) error {
	return s.rs.Serve(listener{Listener: ln, maxCommand: int64(s.cfg.MaxCommandBytes)})
}

func (s *Server) accept(rc redcon.Conn) bool {
	c := rc.NetConn().(*clientConn)
	s.mu.Lock()
	if s.shutting {
		s.mu.Unlock()
		c.closeNow()
		return false
	}
	sess := newSession(s, c)
	s.sessions[sess] = struct{}{}
	s.live.Add(1)
	s.mu.Unlock()
	rc.SetContext(sess)
	sess.log.Debug("client connected")
	return true
}

func (s *Server) handle(rc redcon.Conn, cmd redcon.Command) {
	rc.Context().(*session).handle(rc, cmd, len(rc.PeekPipeline()) == 0)
}

func (s *Server) closed(rc redcon.Conn, err error) {
	if sess, ok := rc.Context().(*session); ok {
		sess.clientDone(err)
	}
}

// forget drops a closed session.
func (s *Server) forget(sess *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[sess]; ok {
		delete(s.sessions, sess)
		s.live.Done()
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
	s.mu.Unlock()
	_ = s.rs.Close() // the listener; redcon's own close of the connections is a no-op (clientConn.Close)
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
	if err := s.cfg.Load(ctx, rdb); err != nil {
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
