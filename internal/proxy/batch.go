package proxy

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Consecutive EXH* commands of a client's pipeline run as the backend's joined calls, the way the
// library's pipelines do (driver.Batcher: the Lua emulation makes one call of its function library
// of them): the session holds each EXH* command it reads in its run, already prepared by the
// backend, while more of the client's input is buffered, and sends the run when a command of
// another kind comes (which then goes after it), when the input runs out (the reader is about to
// wait for the client), or when the run is full. Each command still gets its own reply or error,
// in its place. Inside MULTI a run is one call as well, made independent of the upstream's cache
// (driver.Recoverer.PrepareTransaction), and EXEC's element for it becomes one per command.

// exhRun is the EXH* commands read but not sent yet, all for one backend.
type exhRun struct {
	backend driver.Backend
	members []*expectation
	size    int
}

// maxRun bounds the commands of one run, as the library bounds a batch: a long pipeline becomes
// several calls, so that one client does not hold the upstream for long in one piece.
const maxRun = 64

// joinable reports whether the EXH* command name, for backend, may wait in the run for the
// commands after it: the backend joins commands (and, inside a transaction, can make them
// independent of the upstream's cache: driver.Recoverer), the server installed what joined calls
// need on the upstream, and the client's upstream connection is logged in (see
// session.loggedInUpstream).
func (s *session) joinable(name string, backend driver.Backend) bool {
	if _, ok := backend.(driver.Batcher); !ok || !exhCommands[name] {
		return false
	}
	if _, ok := backend.(driver.Recoverer); !ok && s.txCtx != nil {
		return false
	}
	return s.srv.joinReady.Load() && (!s.srv.ownScripts() || s.loggedInUpstream.Load())
}

// addToRun adds e to the run, and sends the run when last (nothing more of the client's is
// buffered) or when it is full.
func (s *session) addToRun(e *expectation, last bool) error {
	if len(s.run.members) > 0 && s.run.backend != e.backend {
		if err := s.endRun(); err != nil {
			return err
		}
	}
	s.run.backend = e.backend
	s.run.members = append(s.run.members, e)
	s.run.size += e.size
	full := len(s.run.members) >= min(maxRun, s.srv.cfg.MaxPending) || s.run.size >= s.srv.cfg.MaxPendingBytes
	if last || full {
		return s.endRun()
	}
	return nil
}

// endRun sends the run: the backend's joined calls under one expectation, or, when the backend
// joined nothing (or left some of the commands as they were), each command on its own.
func (s *session) endRun() error {
	members, backend, size := s.run.members, s.run.backend, s.run.size
	if len(members) == 0 {
		return nil
	}
	s.run = exhRun{}
	var all []redis.Cmder
	for _, m := range members {
		all = append(all, m.cmds...)
	}
	send, split := backend.(driver.Batcher).Batch(s.ctx, all)
	ok := split != nil && !containsAny(send, all)
	if s.txCtx != nil {
		// A call failing inside EXEC would show after the transaction's other commands ran: the
		// calls carry their code (the first of each kind in full), whether joined or not.
		if ok {
			backend.(driver.Recoverer).PrepareTransaction(send, false)
		} else {
			backend.(driver.Recoverer).PrepareTransaction(all, false)
		}
	}
	buf := s.buf[:0]
	for _, c := range send {
		var err error
		if !ok {
			break
		}
		if buf, err = appendCommand(buf, c.Args()); err != nil {
			ok = false // sent alone, the command that cannot be encoded gets the error
		}
	}
	s.keepBuf(buf)
	if !ok {
		for _, m := range members {
			if _, err := s.sendAlone(m); err != nil {
				return err
			}
		}
		return nil
	}
	g := &expectation{kind: kindEXHRun, size: size, backend: backend, cmds: send, members: members, split: split}
	if err := s.queue.push(g, s.flushUpstream); err != nil {
		return err
	}
	if _, err := s.up.w.Write(buf); err != nil {
		return err
	}
	// A call costs the upstream far more than the server spends preparing it: in a long pipeline
	// of several runs the first ones go early (see handle).
	s.scripted++
	if s.scripted&(s.scripted-1) == 0 && !s.srv.cfg.batchFlushOnly {
		return s.up.w.Flush()
	}
	return nil
}

// containsAny reports whether send holds one of cmds: the backend left that command as it was.
func containsAny(send, cmds []redis.Cmder) bool {
	for _, c := range send {
		for _, o := range cmds {
			if c == o {
				return true
			}
		}
	}
	return false
}

// runReply collects the replies to a run's calls, and answers each of its commands once all are
// in.
func (b *relay) runReply(g *expectation, f frame) (bool, error) {
	got, err := b.collect(g, f)
	if got == nil || err != nil {
		return false, err
	}
	if b.inTx {
		for _, m := range g.members {
			if refused, err := b.refusedInTx(m.name, got); refused || err != nil {
				if err != nil {
					return true, err
				}
				continue
			}
			b.out.line('+', "QUEUED")
		}
		b.tx = append(b.tx, txEntry{exh: g, selectDB: -1})
		return true, nil
	}
	if b.subscribedRESP2() {
		for _, m := range g.members {
			b.out.error("ERR Can't execute '" + m.name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
		}
		return true, nil
	}
	b.answerRun(g, got)
	return true, nil
}

// answerRun gives the run's calls their replies, lets the backend split them into each command's
// (after its recovery step, which can only report what the upstream lost: the client's later
// commands have run, so a call is not sent again), and answers each command in order.
func (b *relay) answerRun(g *expectation, replies []Value) {
	for i, c := range g.cmds {
		fill(c, replies[i])
	}
	lost := false
	if r, ok := g.backend.(driver.Recoverer); ok {
		for _, c := range r.Recover(context.Background(), g.cmds) {
			c.SetErr(errScriptsLost)
			lost = true
		}
	}
	g.split()
	for _, m := range g.members {
		b.answer(m, exactReply(g.cmds, replies, m.result), lost)
	}
}

// exactReply returns the upstream's reply that result holds unchanged, or nil. A backend
// splitting a joined call's reply hands each command its part of the call's array: that part is
// found by identity in the calls' replies, and written as the upstream sent it (a status stays a
// status: EXHSCAN's +0 cursor). Other results are encoded from their Go values.
func exactReply(calls []redis.Cmder, replies []Value, result *redis.Cmd) *Value {
	val, err := result.Result()
	elems, ok := val.([]any)
	if err != nil || !ok || len(elems) == 0 {
		return nil
	}
	for i, c := range calls {
		if cmd, ok := c.(*redis.Cmd); ok {
			if v := partOf(cmd.Val(), &replies[i], &elems[0]); v != nil && unchanged(result, *v) {
				return v
			}
		}
	}
	return nil
}

// partOf returns the reply, within v, of the array of val (the Go form of v) that starts at
// first, or nil.
func partOf(val any, v *Value, first *any) *Value {
	elems, ok := val.([]any)
	if !ok || len(elems) == 0 || len(elems) != len(v.Elems) || v.Kind == '%' {
		return nil
	}
	if &elems[0] == first {
		return v
	}
	for i := range elems {
		if found := partOf(elems[i], &v.Elems[i], first); found != nil {
			return found
		}
	}
	return nil
}
