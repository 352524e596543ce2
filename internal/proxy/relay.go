package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// errEnd stops the relay after the last reply of a draining session.
var errEnd = errors.New("session drained")

// relay is the reply side of a session: it reads the upstream, answers the client, and keeps the state
// of the connection that replies reveal (database, protocol, transaction, subscriptions). Replies arrive
// in command order, so that state is exact at every reply, and the command side reads the database from
// here (nextDB) when it needs to be sure.
type relay struct {
	s   *session
	r   *respReader
	out replyWriter

	db     int          // the connection's database
	nextDB atomic.Int64 // the database the next queued command runs in (txDB inside MULTI)

	inTx bool
	txDB int       // the database after the SELECTs queued in the transaction so far
	tx   []txEntry // the client's queued commands, to map EXEC's reply back to them

	// Subscriptions, counted from the confirmations: total is what Redis reports in subscribe and
	// unsubscribe confirmations (channels and patterns), shards what SSUBSCRIBE ones report.
	channels, patterns, total, shards int
}

// txEntry is one command the client queued in MULTI (or a run of them) and how many elements of
// EXEC's reply are its own.
type txEntry struct {
	exh      *expectation // nil for a pass-through command; an EXH* command or a run of them
	selectDB int          // SELECT: the database it switches to, -1 otherwise
}

func newRelay(s *session) *relay {
	return &relay{
		s:   s,
		r:   &s.up.r,
		out: replyWriter{w: bufio.NewWriterSize(s.client.Conn, 32<<10)},
	}
}

// frame is a reply whose header line has been read. When the relay had to look inside it first (a
// RESP2 array while subscribed) it is already decoded in value.
type frame struct {
	header []byte
	value  *Value
}

func (b *relay) decode(f frame) (Value, error) {
	if f.value != nil {
		return *f.value, nil
	}
	return b.r.readRest(f.header)
}

func (b *relay) forward(f frame) error {
	if f.value != nil {
		return writeValue(b.out.w, *f.value)
	}
	return b.r.copyRest(f.header, b.out.w)
}

// flushClient sends the client what has been written for it so far.
func (b *relay) flushClient() { _ = b.out.w.Flush() }

// run relays until either connection ends, then closes the session.
func (b *relay) run() {
	defer b.s.finish()
	defer func() {
		if p := recover(); p != nil {
			b.s.log.Error("panic while relaying replies; closing the connection", "panic", p, "stack", string(debug.Stack()))
		}
	}()
	err := b.loop()
	b.out.w.Flush()
	switch {
	case errors.Is(err, errEnd), errors.Is(err, errClosed), errors.Is(err, net.ErrClosed):
		b.s.log.Debug("session closed")
	case (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) && b.s.quit.Load():
		b.s.log.Debug("session closed after QUIT")
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		b.s.srv.cfg.Metrics.error(errorUpstream)
		b.s.log.Info("the upstream closed the connection")
		b.s.srv.upstreamLost()
	default:
		b.s.log.Info("closing the session", "err", err)
	}
}

func (b *relay) loop() error {
	for {
		if b.r.br.Buffered() == 0 {
			// Nothing more to read without waiting: hand the client what it has.
			if err := b.out.w.Flush(); err != nil {
				return err
			}
		}
		header, err := b.r.readLine()
		if err != nil {
			return err
		}
		switch {
		case header[0] == '>':
			err = b.push(header)
		case header[0] == '*' && b.subscribedRESP2():
			err = b.subscribedArray(header)
		default:
			err = b.reply(frame{header: header})
		}
		if err != nil {
			return err
		}
	}
}

// subscribedRESP2 reports whether the connection is in RESP2's subscribed mode, where messages arrive
// as ordinary arrays between replies.
func (b *relay) subscribedRESP2() bool { return !b.out.resp3 && (b.total > 0 || b.shards > 0) }

// subscribedArray tells a message from a reply in RESP2's subscribed mode by the first element.
func (b *relay) subscribedArray(header []byte) error {
	n, err := headerCount(header)
	if err != nil {
		return err
	}
	if n < 1 {
		return b.reply(frame{header: header})
	}
	first, err := b.r.readValue()
	if err != nil {
		return err
	}
	if messageKinds[strings.ToLower(string(first.Text))] {
		return b.passOn(header, first, n)
	}
	v, err := b.readElems('*', header, first, n)
	if err != nil {
		return err
	}
	return b.reply(frame{header: header, value: &v})
}

// push relays a RESP3 push. Messages and invalidations pass straight through; subscription
// confirmations are also the reply to the (UN)SUBSCRIBE at the head of the queue.
func (b *relay) push(header []byte) error {
	n, err := headerCount(header)
	if err != nil {
		return err
	}
	if n < 1 {
		_, err := b.out.w.Write(header)
		return err
	}
	first, err := b.r.readValue()
	if err != nil {
		return err
	}
	kind := strings.ToLower(string(first.Text))
	if !subscribeCommands[kind] {
		return b.passOn(header, first, n)
	}
	v, err := b.readElems('>', header, first, n)
	if err != nil {
		return err
	}
	if err := writeValue(b.out.w, v); err != nil {
		return err
	}
	e, err := b.s.queue.head(b.flushClient)
	if err != nil {
		return err
	}
	if e.kind != kindSub {
		b.countConfirmation(v)
		return nil
	}
	if b.confirmed(e, v) {
		b.s.queue.pop()
	}
	return nil
}

// reply handles a reply that is not a push: it belongs to the command at the head of the queue.
func (b *relay) reply(f frame) error {
	e, err := b.s.queue.head(b.flushClient)
	if err != nil {
		return err
	}
	done := true
	switch e.kind {
	case kindRaw:
		err = b.raw(e, f)
	case kindSub:
		done, err = b.subscribeReply(e, f)
	case kindEXH:
		done, err = b.exhReply(e, f)
	case kindEXHRun:
		done, err = b.runReply(e, f)
	case kindLocal:
		err = b.localReply(e, f)
	case kindHidden:
		var v Value
		if v, err = b.decode(f); err == nil && v.isError() {
			b.s.log.Warn("upstream refused a command of the server's own", "command", e.name, "err", string(v.Text))
		}
	case kindEnd:
		if _, err := b.decode(f); err != nil {
			return err
		}
		return errEnd
	}
	if err != nil {
		return err
	}
	// Before pop: the command side reads nextDB as soon as the queue is empty.
	if b.inTx {
		b.nextDB.Store(int64(b.txDB))
	} else {
		b.nextDB.Store(int64(b.db))
	}
	if done {
		b.s.srv.cfg.Metrics.upstreamReply(e.sent)
		b.s.queue.pop()
	}
	return nil
}

// raw forwards the reply to a pass-through command and updates the connection state it changes.
func (b *relay) raw(e *expectation, f frame) error {
	if e.name == "exec" && b.inTx && f.header[0] == '*' {
		return b.exec(f)
	}
	queued := b.inTx && string(f.header) == "+QUEUED\r\n"
	ok := string(f.header) == "+OK\r\n"
	if f.header[0] != '-' && f.header[0] != '!' && e.name != "reset" && !b.s.loggedInUpstream.Load() {
		b.s.loggedInUpstream.Store(true) // a connection not logged in gets only errors (NOAUTH), AUTH aside
	}
	if err := b.forward(f); err != nil {
		return err
	}
	if queued {
		b.tx = append(b.tx, txEntry{selectDB: e.selectDB})
		if e.name == "select" && e.selectDB >= 0 {
			b.txDB = e.selectDB
		}
		return nil
	}
	switch e.name {
	case "select":
		if ok && e.selectDB >= 0 {
			b.db = e.selectDB
		}
	case "multi":
		if ok {
			b.inTx, b.txDB, b.tx = true, b.db, nil
		}
	case "exec", "discard":
		b.inTx, b.tx = false, nil
	case "auth":
		if ok {
			b.s.loggedIn()
		}
	case "hello":
		if f.header[0] != '-' && f.header[0] != '!' && e.hello != 0 {
			b.out.resp3 = e.hello == 3
		}
		if f.header[0] != '-' && f.header[0] != '!' && e.args >= 4 { // HELLO <proto> AUTH <user> <password>
			b.s.loggedIn()
		}
	case "reset":
		if string(f.header) == "+RESET\r\n" {
			b.s.loggedInUpstream.Store(false)
			b.db, b.inTx, b.tx, b.out.resp3 = 0, false, nil, false
			b.channels, b.patterns, b.total, b.shards = 0, 0, 0, 0
		}
	}
	return nil
}

// exec rewrites EXEC's reply: the upstream has one element per command it queued, the client must get
// one per command it sent, and each EXH* command's elements become the module's reply.
func (b *relay) exec(f frame) error {
	tx := b.tx
	b.inTx, b.tx = false, nil
	n, err := headerCount(f.header)
	if err != nil {
		return err
	}
	if n < 0 { // a WATCHed key changed: nothing ran
		return b.forward(f)
	}
	want, commands := 0, 0
	for _, t := range tx {
		if t.exh != nil {
			want += t.exh.replies()
			commands += t.exh.commands()
		} else {
			want++
			commands++
		}
	}
	if int(n) != want {
		return fmt.Errorf("%w: EXEC returned %d replies for %d queued commands", errProtocol, n, want)
	}
	b.out.count('*', commands)
	for _, t := range tx {
		if t.exh != nil {
			replies := make([]Value, t.exh.replies())
			for i := range replies {
				if replies[i], err = b.r.readValue(); err != nil {
					return err
				}
			}
			if t.exh.kind == kindEXHRun {
				b.answerRun(t.exh, replies)
			} else {
				b.answerEXH(t.exh, replies, true)
			}
			continue
		}
		if t.selectDB < 0 {
			if err := b.r.copyValue(b.out.w); err != nil {
				return err
			}
			continue
		}
		v, err := b.r.readValue()
		if err != nil {
			return err
		}
		if v.isStatus("OK") {
			b.db = t.selectDB
		}
		writeValue(b.out.w, v)
	}
	return nil
}

// subscribeReply handles a reply to a (P|S)(UN)SUBSCRIBE: in RESP2 the confirmations themselves,
// otherwise an error (or +QUEUED inside MULTI), which is the whole reply.
func (b *relay) subscribeReply(e *expectation, f frame) (bool, error) {
	v, err := b.decode(f)
	if err != nil {
		return false, err
	}
	if err := writeValue(b.out.w, v); err != nil {
		return false, err
	}
	if v.Kind != '*' || len(v.Elems) < 3 {
		if b.inTx && v.isStatus("QUEUED") {
			b.tx = append(b.tx, txEntry{selectDB: -1})
		}
		return true, nil
	}
	return b.confirmed(e, v), nil
}

// countConfirmation updates the subscription counts from a confirmation [kind, channel, count]. Redis
// reports the total after the command, unchanged when it subscribed to a channel twice or unsubscribed
// from one it did not have.
func (b *relay) countConfirmation(v Value) {
	if len(v.Elems) < 3 || v.Elems[2].Kind != ':' {
		return
	}
	n := int(v.Elems[2].Int)
	switch strings.ToLower(string(v.Elems[0].Text)) {
	case "subscribe", "unsubscribe":
		b.channels += n - b.total
		b.total = n
	case "psubscribe", "punsubscribe":
		b.patterns += n - b.total
		b.total = n
	case "ssubscribe", "sunsubscribe":
		b.shards = n
	}
	b.channels, b.patterns = max(b.channels, 0), max(b.patterns, 0)
}

// confirmed counts confirmation v for e and reports whether it was the last one expected. The number
// expected is settled at the first one, from the subscriptions before it.
func (b *relay) confirmed(e *expectation, v Value) bool {
	if e.remaining < 0 {
		switch {
		case e.args > 0:
			e.remaining = e.args
		case e.name == "unsubscribe":
			e.remaining = max(1, b.channels)
		case e.name == "punsubscribe":
			e.remaining = max(1, b.patterns)
		case e.name == "sunsubscribe":
			e.remaining = max(1, b.shards)
		default:
			e.remaining = 1
		}
	}
	b.countConfirmation(v)
	e.remaining--
	return e.remaining <= 0
}

// exhReply collects the replies to what an EXH* command was sent as, and answers once all are in.
func (b *relay) exhReply(e *expectation, f frame) (bool, error) {
	got, err := b.collect(e, f)
	if got == nil || err != nil {
		return false, err
	}
	if !got[0].isError() || !bytes.HasPrefix(got[0].Text, []byte("NOAUTH")) {
		b.s.loggedInUpstream.Store(true)
	}
	switch {
	case b.inTx:
		if refused, err := b.refusedInTx(e.name, got); refused || err != nil {
			return true, err
		}
		b.out.line('+', "QUEUED")
		b.tx = append(b.tx, txEntry{exh: e, selectDB: -1})
	case b.subscribedRESP2():
		// What Redis answers for any other command in this state, under the client's command name
		// rather than that of the script the backend sent.
		b.out.error("ERR Can't execute '" + e.name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
	default:
		b.answerEXH(e, got, false)
	}
	return true, nil
}

// refusedInTx checks that the upstream queued everything the command named name was sent as
// inside MULTI; otherwise it answers the command with the upstream's refusal and reports true.
func (b *relay) refusedInTx(name string, got []Value) (bool, error) {
	for _, g := range got {
		if !g.isStatus("QUEUED") {
			if g.isError() && isLoginError(serverError(string(g.Text))) {
				b.s.loginRefused()
				b.out.error(explainNoPerm(name, serverError(string(g.Text))).Error())
				return true, nil
			}
			return true, writeValue(b.out.w, g)
		}
	}
	return false, nil
}

// collect adds the reply f to those of what e was sent as, and returns them all once they are in.
func (b *relay) collect(e *expectation, f frame) ([]Value, error) {
	v, err := b.decode(f)
	if err != nil {
		return nil, err
	}
	e.got = append(e.got, v)
	if len(e.got) < e.replies() {
		return nil, nil
	}
	got := e.got
	e.got = nil
	return got, nil
}

// answerEXH stores the replies in the commands the backend queued and writes the backend's answer.
// When that answer is the upstream's reply to one of those commands, unchanged, the reply itself is
// written, so a status stays a status (EXHMSET's +OK, EXHSCAN's +0); otherwise (the backend answered
// by itself, or adjusted the reply) the answer's value is encoded.
func (b *relay) answerEXH(e *expectation, replies []Value, tx bool) {
	if len(e.cmds) == 0 {
		b.answer(e, nil, false)
		return
	}
	lost := b.settle(e, replies, tx)
	var exact *Value
	for i, c := range e.cmds {
		if v := replies[i]; v.isError() && bytes.HasPrefix(v.Text, []byte("NOSCRIPT")) {
			lost = true
		}
		if c == e.result && unchanged(e.result, replies[i]) {
			exact = &replies[i]
			break
		}
	}
	b.answer(e, exact, lost)
}

// answer writes the answer to one EXH* command whose result is settled: exact, when not nil, is
// the upstream's reply that the result holds unchanged; lost says the upstream lost the backend's
// scripts.
func (b *relay) answer(e *expectation, exact *Value, lost bool) {
	if len(e.cmds) == 0 {
		b.out.goValue(e.name, e.result.Val(), e.result.Err())
		return
	}
	if exact != nil {
		b.out.moduleValue(*exact)
		if lost {
			b.s.scriptsLost()
		}
		return
	}
	err := e.result.Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		b.s.srv.cfg.Metrics.error(errorEXH)
	}
	if lost {
		b.s.scriptsLost()
	} else if isLoginError(err) {
		b.s.loginRefused()
	}
	b.out.goValue(e.name, e.result.Val(), explainNoPerm(e.name, err))
}

// localReply replaces the upstream's reply to the stand-in command by the server's own error.
func (b *relay) localReply(e *expectation, f frame) error {
	if _, err := b.decode(f); err != nil {
		return err
	}
	b.out.error(e.refusal)
	return nil
}

// passOn writes an aggregate of n elements, whose header and first element were read already,
// to the client and copies its other elements without decoding them.
func (b *relay) passOn(header []byte, first Value, n int64) error {
	b.out.w.Write(header)
	writeValue(b.out.w, first)
	for ; n > 1; n-- {
		if err := b.r.copyValue(b.out.w); err != nil {
			return err
		}
	}
	return nil
}

// readElems reads the other elements of an aggregate of kind with n elements, whose header and
// first element were read already.
func (b *relay) readElems(kind byte, header []byte, first Value, n int64) (Value, error) {
	v := Value{Kind: kind, Raw: header, Elems: []Value{first}}
	for ; n > 1; n-- {
		e, err := b.r.readValue()
		if err != nil {
			return v, err
		}
		v.Elems = append(v.Elems, e)
	}
	return v, nil
}
