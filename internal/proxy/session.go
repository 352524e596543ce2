package proxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Commands the server writes upstream in place of a client command, so that every client command has
// an upstream reply to wait for, in order, whatever state the connection is in.
var (
	// pingCommand stands in for an EXH* command the backend answered without the server (a refused key
	// name, say), and ends a draining session. Its reply is +PONG, +QUEUED inside MULTI, or ["pong",""]
	// while subscribed; the relay drops it.
	pingCommand = []byte("*1\r\n$4\r\nPING\r\n")
	// refusedCommand stands in for a refused command. ECHO without its argument fails Redis' arity check,
	// which comes before everything else, so it is an error in every state (even unauthenticated or
	// subscribed), and inside MULTI it makes EXEC fail with EXECABORT, as a command Redis refuses does.
	refusedCommand = []byte("*1\r\n$4\r\nECHO\r\n")
)

// session is one client connection and its own upstream connection. Two goroutines share it:
//   - the command side, the connection's goroutine (serve), parses commands, writes them (or what a
//     backend turns an EXH* command into) upstream and queues one expectation per command;
//   - the relay reads the upstream's replies, matches them with the expectations and writes the client's
//     replies.
//
// So a pipelining client keeps its pipeline all the way to the upstream, and a slow client only ever
// holds up its own two goroutines.
type session struct {
	srv    *Server
	client *clientConn
	reader *commandReader
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc

	// Used by the command side only.
	up          *upstreamConn
	pipe        redis.Pipeliner // collects the commands a backend queues; never executed
	db          int             // database the next command runs in, as far as the command side knows
	dbUncertain bool            // a SELECT, EXEC, DISCARD or RESET has not been answered yet
	txCtx       context.Context // set between MULTI and EXEC/DISCARD/RESET: driver.InTransaction
	// scripts, when the server has no upstream credentials of its own (Server.ownScripts) and the
	// upstream lost a script (NOSCRIPT), is a scope (driver.InTransaction) spanning the connection, in
	// which the backend sends the next use of each script in full (EVAL): that loads it into the
	// upstream's cache on the client's own logged-in connection. Nil: scripts go by digest (EVALSHA)
	// only, as a connection that may not be logged in must not send large scripts (Redis closes an
	// unauthenticated connection that sends a bulk larger than 16 KiB).
	scripts     context.Context
	scriptsNext atomic.Int32 // set by the relay, applied at the next EXH* command: scriptsResend…
	broken      bool
	subscribed  bool // a (P|S)SUBSCRIBE was sent since the last RESET: exempt from the idle timeout
	buf         []byte
	scripted    int    // EXH* commands sent as scripts in the current batch (commands read in one go) so far
	run         exhRun // EXH* commands read but not sent yet, to be joined (see batch.go)

	quit atomic.Bool // the client sent QUIT: the upstream closing is expected
	// loggedInUpstream: the upstream answered the client's connection as a logged-in one (or one
	// that needs no login). Until then, when clients log in themselves (Server.ownScripts), EXH*
	// commands are not joined: Redis closes an unauthenticated connection that sends a command of
	// more than 10 arguments, which a joined call has.
	loggedInUpstream atomic.Bool
	queue            *pending
	relay            *relay
	finish           func() // closes both connections; safe to call more than once, from either side
	done             chan struct{}
}

func newSession(srv *Server, nc net.Conn) *session {
	s := &session{
		srv:   srv,
		log:   srv.cfg.Logger.With("client", nc.RemoteAddr().String()),
		pipe:  srv.sender.Pipeline(),
		queue: newPending(srv.cfg.MaxPending, srv.cfg.MaxPendingBytes),
		done:  make(chan struct{}),
	}
	s.client = &clientConn{
		Conn: nc, commandTimeout: srv.cfg.CommandTimeout, idleTimeout: srv.cfg.IdleTimeout,
		beforeWait: s.flushBeforeRead, idleExempt: s.waitingForReplies,
	}
	s.reader = newCommandReader(s.client, srv.cfg.MaxCommandBytes, srv.input)
	s.client.reader = s.reader
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.finish = sync.OnceFunc(s.close)
	return s
}

// What the relay asks of the command side's sending of scripts (session.scripts).
const (
	scriptsKeep     int32 = iota
	scriptsResend         // the upstream lost a script: send each in full once more
	scriptsByDigest       // NOAUTH or NOPERM: the connection may not be logged in; EVALSHA only
)

// scriptsLost notes that the upstream lost an EXH* command's script (NOSCRIPT). The server loads
// them again when it can; without credentials of its own, the session sends them in full too.
func (s *session) scriptsLost() {
	if s.srv.ownScripts() {
		s.scriptsNext.Store(scriptsResend)
	}
	s.srv.scriptsLost()
}

// loggedIn notes that the client logged in (AUTH, HELLO … AUTH): without credentials of its own the
// server has the session send each script in full once, which loads what the upstream lacks.
func (s *session) loggedIn() {
	s.loggedInUpstream.Store(true)
	if s.srv.ownScripts() {
		s.scriptsNext.Store(scriptsResend)
	}
}

// loginRefused notes a NOAUTH or NOPERM reply to an EXH* command's script.
func (s *session) loginRefused() {
	if s.srv.ownScripts() {
		s.scriptsNext.Store(scriptsByDigest)
	}
}

// serve reads and handles the client's commands until the client or the session ends.
func (s *session) serve() {
	defer s.reader.release()
	for !s.broken {
		cmd, err := s.reader.readCommand()
		if err != nil {
			s.clientDone(err)
			return
		}
		s.handle(cmd, !s.reader.buffered())
	}
}

// flushBeforeRead sends the upstream what the command side wrote, before the reader waits for the
// client: a command must not wait for the client's next one.
func (s *session) flushBeforeRead() {
	if s.up != nil && !s.broken {
		if err := s.endRun(); err != nil {
			s.fail(err)
			return
		}
		if err := s.up.w.Flush(); err != nil {
			s.fail(err)
		}
	}
}

// waitingForReplies reports whether a client that sends nothing is still in a conversation: replies
// are pending (a BLPOP, say) or it is subscribed. The idle timeout spares it, as Redis does.
func (s *session) waitingForReplies() bool { return s.subscribed || !s.queue.empty() }

// start connects to the upstream and starts the relay; it runs on the client's first command.
func (s *session) start() error {
	s.srv.loadIfNeeded(s.ctx)
	up, err := dialUpstream(s.ctx, s.srv.cfg.Upstream)
	if err != nil {
		return err
	}
	s.up = up
	s.relay = newRelay(s)
	go s.relay.run()
	return nil
}

// handle takes one command off the wire. last says whether it ends what the client has sent so far:
// the upstream writes are flushed then, so a pipeline reaches the upstream as a pipeline.
func (s *session) handle(cmd command, last bool) {
	if s.up == nil {
		if err := s.start(); err != nil {
			s.srv.cfg.Metrics.error(errorUpstream)
			s.log.Warn("cannot reach the upstream", "err", err)
			s.client.SetWriteDeadline(time.Now().Add(time.Second))
			_, _ = s.client.Write([]byte("-ERR " + oneLine(err.Error()) + "\r\n"))
			s.broken = true
			s.finish()
			return
		}
	}
	name := commandName(cmd.Args[0])
	s.srv.cfg.Metrics.command(name)
	var err error
	exh := exhCommands[name]
	if !exh {
		err = s.endRun() // the run goes upstream before this command, in its place
	}
	switch {
	case err != nil:
	case exh:
		var script bool
		script, err = s.sendEXH(name, cmd, last)
		if script {
			s.scripted++
		}
		if err == nil && script && !last && s.scripted&(s.scripted-1) == 0 && !s.srv.cfg.batchFlushOnly {
			// A script costs the upstream far more than the server spends preparing it, so in a long
			// pipeline the upstream gets the first ones early rather than waiting for the server to
			// have prepared the whole batch: flushes after the 1st, 2nd, 4th, 8th… script keep it busy
			// at the cost of a few writes. Cheap commands (plain ones, and EXH* commands passed to the
			// module) wait for the batch's end: for them the extra writes cost more than they save.
			err = s.up.w.Flush()
		}
	case keyCommands[name] && s.srv.cfg.KeyCommands && viaBackend(name, cmd.Args) && !namesCompanionKey(name, cmd.Args):
		_, err = s.sendEXH(name, cmd, last)
	case refusal(name, cmd.Args) != "":
		err = s.sendLocal(len(cmd.Raw), refusal(name, cmd.Args))
	case !s.srv.cfg.AllowCompanionKeys && namesCompanionKey(name, cmd.Args):
		err = s.sendLocal(len(cmd.Raw), companionRefusal)
	default:
		err = s.sendRaw(name, cmd)
	}
	if err == nil && last {
		err = s.up.w.Flush()
		s.scripted = 0
	}
	if err != nil {
		s.fail(err)
	}
}

// flushUpstream is what the command side does before it waits for the relay.
func (s *session) flushUpstream() { _ = s.up.w.Flush() }

// sendRaw passes a command through unchanged.
func (s *session) sendRaw(name string, cmd command) error {
	e := &expectation{kind: kindRaw, name: name, args: len(cmd.Args) - 1, size: len(cmd.Raw), selectDB: -1}
	switch name {
	case "select":
		e.selectDB = selectArg(cmd.Args)
		s.dbUncertain = true
	case "multi":
		// Backends send the first use of each script in a transaction in full (EVAL): inside MULTI a
		// lost script would only show at EXEC, after the other commands ran. This is the command
		// side's guess (a refused MULTI is rare); it only decides EVAL or EVALSHA.
		s.txCtx = driver.InTransaction(s.ctx)
	case "exec", "discard", "reset":
		s.dbUncertain = true
		s.txCtx = nil
		s.subscribed = s.subscribed && name != "reset"
		if name == "reset" {
			s.scripts = nil // logged out, unless the server logs in again
		}
	case "hello":
		e.hello = helloArg(cmd.Args)
	}
	if subscribeCommands[name] {
		e.kind, e.remaining = kindSub, -1
		s.subscribed = s.subscribed || !strings.Contains(name, "unsub")
	}
	if err := s.queue.push(e, s.flushUpstream); err != nil {
		return err
	}
	if _, err := s.up.w.Write(cmd.Raw); err != nil {
		return err
	}
	switch name {
	case "reset":
		return s.reauthenticate()
	case "quit":
		// Redis ignores what follows QUIT and closes; the relay closes the session at that EOF.
		s.broken = true
		s.quit.Store(true)
		return s.up.w.Flush()
	}
	return nil
}

// reauthenticate logs the upstream connection in again after RESET, which makes it the default user,
// when the server logs in for its clients.
func (s *session) reauthenticate() error {
	login := s.srv.cfg.Upstream.authCommand()
	if login == nil {
		return nil
	}
	if err := s.queue.push(&expectation{kind: kindHidden, name: "auth"}, s.flushUpstream); err != nil {
		return err
	}
	b, _ := appendCommand(nil, login)
	_, err := s.up.w.Write(b)
	return err
}

// sendEXH hands an EXH* command (or a key command, see keyCommands) to the backend with a pipeline
// that is never executed, and writes what the backend queued into the client's stream, so the
// commands keep their place between the client's other commands (and inside its MULTI). The relay
// stores the replies in the queued commands. An EXH* command the backend can join with its
// neighbours waits in the session's run instead (see batch.go); last says whether it ends what the
// client has sent so far.
//
// It reports whether the command went upstream alone as a script (EVAL or EVALSHA).
func (s *session) sendEXH(name string, cmd command, last bool) (script bool, err error) {
	// After the upstream lost the backend's scripts (the relay saw NOSCRIPT, and the client got an
	// error asking to retry), the retry must find them: reload before sending. An atomic load otherwise.
	s.srv.loadIfNeeded(s.ctx)
	if s.dbUncertain {
		// The backend needs the database the command will run in, which depends on replies not read
		// yet: wait for them. This costs one round trip after each SELECT, EXEC, DISCARD or RESET.
		if err := s.endRun(); err != nil {
			return false, err
		}
		if err := s.up.w.Flush(); err != nil {
			return false, err
		}
		if err := s.queue.waitEmpty(); err != nil {
			return false, err
		}
		s.db = int(s.relay.nextDB.Load())
		s.dbUncertain = false
	}
	args := exhArgs(name, cmd.Args)
	backend := s.srv.cfg.Backend(s.db)
	join := s.joinable(name, backend)
	result := s.callBackend(backend, args, join)
	e := &expectation{
		kind: kindEXH, name: name, args: len(cmd.Args) - 1, size: len(cmd.Raw),
		backend: backend, result: result,
	}
	if queued := s.pipe.Cmds(); len(queued) == 1 {
		// What a backend mostly queues for a command: kept in the expectation, not a slice of its own.
		e.one[0] = queued[0]
		e.cmds = e.one[:]
	} else {
		e.cmds = slices.Clone(queued)
	}
	s.pipe.Discard()
	if join {
		return false, s.addToRun(e, last)
	}
	if err := s.endRun(); err != nil {
		return false, err
	}
	return s.sendAlone(e)
}

// sendAlone writes what the backend queued for one command upstream, after its expectation.
func (s *session) sendAlone(e *expectation) (script bool, err error) {
	buf := s.buf[:0]
	for _, c := range e.cmds {
		var encErr error // answers this command only (below); the session goes on
		if buf, encErr = appendCommand(buf, c.Args()); encErr != nil {
			e.cmds, e.result = nil, redis.NewCmd(s.ctx)
			e.result.SetErr(encErr)
			break
		}
	}
	if len(e.cmds) == 0 {
		buf = append(buf[:0], pingCommand...)
	}
	s.keepBuf(buf)
	if err := s.queue.push(e, s.flushUpstream); err != nil {
		return false, err
	}
	_, err = s.up.w.Write(buf)
	return len(e.cmds) > 0 && isScript(e.cmds[0]), err
}

// keepBuf keeps buf, emptied, for the next command's encoding, unless it grew large.
func (s *session) keepBuf(buf []byte) {
	if cap(buf) <= 64<<10 {
		s.buf = buf[:0]
	} else {
		s.buf = nil
	}
}

// exhArgs returns an EXH* command's arguments as the backend takes them: the lower-case name, then
// strings. The arguments are copied into one string (the reader reuses its buffer), sliced for each.
func exhArgs(name string, raw [][]byte) []any {
	args := make([]any, len(raw))
	args[0] = boxedNames[name]
	n := 0
	for _, a := range raw[1:] {
		n += len(a)
	}
	var b strings.Builder
	b.Grow(n)
	for _, a := range raw[1:] {
		b.Write(a)
	}
	all, off := b.String(), 0
	for i, a := range raw[1:] {
		args[i+1] = all[off : off+len(a)]
		off += len(a)
	}
	return args
}

// boxedNames holds each EXH* command name already in an interface, which costs an allocation
// otherwise.
var boxedNames = func() map[string]any {
	m := make(map[string]any, len(exhCommands)+len(keyCommands))
	for _, set := range []map[string]bool{exhCommands, keyCommands} {
		for name := range set {
			m[name] = name
		}
	}
	return m
}()

// isScript reports whether c runs a Lua script.
func isScript(c redis.Cmder) bool {
	name, _ := c.Args()[0].(string)
	return strings.EqualFold(name, "evalsha") || strings.EqualFold(name, "eval")
}

// callBackend runs the backend for one command. A backend that panics or returns nothing costs that
// command an error reply, not the whole server. join says the command goes into a run: inside a
// transaction too it is queued as outside one, and the run is prepared for the transaction as a
// whole (see endRun).
func (s *session) callBackend(backend driver.Backend, args []any, join bool) (result *redis.Cmd) {
	switch s.scriptsNext.Swap(scriptsKeep) {
	case scriptsResend:
		s.scripts = driver.InTransaction(s.ctx)
	case scriptsByDigest:
		s.scripts = nil
	}
	ctx := s.ctx
	if s.scripts != nil {
		ctx = s.scripts
	}
	if s.txCtx != nil && !join {
		ctx = s.txCtx
	}
	if !s.srv.joinReady.Load() {
		ctx = driver.WithoutLibrary(ctx) // the server could not load the function library
	}
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("backend panicked", "backend", backend.Name(), "command", args[0], "panic", p)
			s.pipe.Discard()
			result = nil
		}
		if result == nil {
			result = redis.NewCmd(s.ctx, args...)
			result.SetErr(fmt.Errorf("exhash-server: backend %s failed on %s", backend.Name(), args[0]))
		}
	}()
	return backend.Do(ctx, s.pipe, args...)
}

// sendLocal answers a command with an error of the server's own, in its place in the reply stream.
// size is the command's; 0 means no command (a protocol error, counted in clientDone).
func (s *session) sendLocal(size int, msg string) error {
	if size > 0 {
		s.srv.cfg.Metrics.error(errorRefused)
	}
	if err := s.queue.push(&expectation{kind: kindLocal, size: size, refusal: msg}, s.flushUpstream); err != nil {
		return err
	}
	_, err := s.up.w.Write(refusedCommand)
	return err
}

// clientDone runs when the server stops reading the client. A client that went away is disconnected
// from the upstream at once, as Redis drops a client that closes (a blocked BLPOP must not linger). A
// draining session (graceful shutdown) and a client whose input the server refused (a *clientError)
// still get the replies already on their way, then the refusal, then the connection closes.
func (s *session) clientDone(err error) {
	var refused *clientError
	isRefused := errors.As(err, &refused)
	switch {
	case isRefused:
		// Debug, as Redis logs them at its verbose level: a client could flood the log otherwise.
		// The metrics count them.
		s.srv.cfg.Metrics.error(errorProtocol)
		s.log.Debug("closing a client that sent what the server refuses", "err", err)
	case errors.Is(err, errClientTimeout):
		s.srv.cfg.Metrics.error(errorTimeout)
		s.log.Debug("closing a client", "err", err)
	}
	if !s.broken && s.relay != nil && (isRefused || s.client.draining.Load()) {
		err = s.endRun()
		if isRefused && err == nil {
			err = s.sendLocal(0, refused.Msg)
		}
		if err == nil {
			err = s.queue.push(&expectation{kind: kindEnd}, s.flushUpstream)
		}
		if err == nil {
			_, err = s.up.w.Write(pingCommand)
		}
		if err == nil {
			err = s.up.w.Flush()
		}
		if err == nil {
			return // the relay closes the session after the last reply
		}
	} else if isRefused && s.relay == nil {
		s.client.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = s.client.Write([]byte("-" + oneLine(refused.Msg) + "\r\n"))
	}
	s.finish()
}

// fail ends the session after an error on the command side.
func (s *session) fail(err error) {
	if !errors.Is(err, errClosed) {
		s.log.Info("closing the session", "err", err)
	}
	s.broken = true
	s.finish()
}

// close releases everything; it runs once, through finish.
func (s *session) close() {
	s.cancel()
	s.queue.close()
	if s.up != nil {
		s.up.Close()
	}
	s.client.Close()
	s.srv.forget(s)
	close(s.done)
}
