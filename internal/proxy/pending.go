package proxy

import (
	"errors"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// errClosed is returned to the command side once the session is over.
var errClosed = errors.New("exhash-server: session closed")

// kind says what the relay does with the reply (or replies) to one client command.
type kind uint8

const (
	kindRaw    kind = iota // copy the reply through; track SELECT, MULTI, EXEC, HELLO, RESET
	kindSub                // a (P|S)(UN)SUBSCRIBE: one confirmation per channel, pushes in RESP3
	kindEXH                // an EXH* command: decode the replies of what the backend sent, answer as the module
	kindEXHRun             // consecutive EXH* commands sent as the backend's joined calls (see batch.go)
	kindLocal              // a command the server refuses: replace the upstream's reply by an error
	kindHidden             // a command of the server's own (AUTH after RESET): no reply to the client
	kindEnd                // the last reply of a draining session: swallow it and close
)

// expectation is one client command on its way: the command side queues it before writing the command
// upstream, the relay takes it when the reply arrives. Replies come back in command order, so a FIFO is
// all the bookkeeping needed.
type expectation struct {
	kind kind
	name string    // lower-case command name
	args int       // number of arguments after the name
	size int       // bytes counted against the session's bound
	sent time.Time // when it was queued (the command is written upstream right after)

	selectDB int // SELECT: the database it asks for, -1 if the argument is not a valid index
	hello    int // HELLO: the protocol version it asks for, 0 if none

	// kindEXH
	backend driver.Backend
	cmds    []redis.Cmder  // what the backend queued, in order; empty if it answered by itself
	one     [1]redis.Cmder // holds cmds when the backend queued one command
	result  *redis.Cmd     // the backend's answer, filled from the replies to cmds
	got     []Value        // replies collected so far

	// kindEXHRun: the client's commands (each a kindEXH expectation whose cmds the joined calls
	// in cmds stand for), and what gives each of them its reply once cmds have theirs
	members []*expectation
	split   func()

	// kindLocal
	refusal string

	// kindSub: confirmations still to come; -1 until the expectation reaches the head of the queue,
	// because the count for a bare UNSUBSCRIBE depends on the subscriptions at that moment.
	remaining int
}

// replies is how many upstream replies an EXH* expectation consumes: one per queued command, or the one
// PING sent in place of a backend that answered without a command.
func (e *expectation) replies() int { return max(1, len(e.cmds)) }

// commands is how many client commands e answers, which is what Config.MaxPending counts.
func (e *expectation) commands() int { return max(1, len(e.members)) }

// pending is the bounded FIFO of expectations between the command side and the relay of one session.
// Its bounds (count and bytes) are what keeps a client that sends faster than it reads from growing the
// server's memory: the command side blocks, stops reading the client's socket, and TCP pushes back.
type pending struct {
	mu       sync.Mutex
	changed  sync.Cond
	items    []*expectation
	count    int // client commands of items
	bytes    int
	maxItems int
	maxBytes int
	closed   bool
}

func newPending(maxItems, maxBytes int) *pending {
	p := &pending{maxItems: maxItems, maxBytes: maxBytes}
	p.changed.L = &p.mu
	return p
}

// push appends e, waiting while the queue is full. beforeWait runs once before the first wait: the
// command side flushes its upstream writes there, or the replies it waits for would never come. One
// expectation larger than the byte bound is admitted when the queue is empty.
func (p *pending) push(e *expectation, beforeWait func()) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	waited := false
	for !p.closed && len(p.items) > 0 &&
		(p.count+e.commands() > p.maxItems || p.bytes+e.size > p.maxBytes) {
		if !waited {
			waited = true
			p.mu.Unlock()
			beforeWait()
			p.mu.Lock()
			continue
		}
		p.changed.Wait()
	}
	if p.closed {
		return errClosed
	}
	e.sent = time.Now()
	p.items = append(p.items, e)
	p.count += e.commands()
	p.bytes += e.size
	p.changed.Broadcast()
	return nil
}

// head returns the oldest expectation, waiting for one. beforeWait runs once before the first wait (the
// relay flushes what it has written for the client there).
func (p *pending) head(beforeWait func()) (*expectation, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed && len(p.items) == 0 {
		p.mu.Unlock()
		beforeWait()
		p.mu.Lock()
	}
	for !p.closed && len(p.items) == 0 {
		p.changed.Wait()
	}
	if p.closed {
		return nil, errClosed
	}
	return p.items[0], nil
}

// pop removes the head once its reply has been written.
func (p *pending) pop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.items) == 0 {
		return
	}
	p.bytes -= p.items[0].size
	p.count -= p.items[0].commands()
	p.items[0] = nil
	p.items = p.items[1:]
	p.changed.Broadcast()
}

// empty reports whether every queued expectation has been answered.
func (p *pending) empty() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.items) == 0
}

// waitEmpty waits until every queued expectation has been answered.
func (p *pending) waitEmpty() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for !p.closed && len(p.items) > 0 {
		p.changed.Wait()
	}
	if p.closed {
		return errClosed
	}
	return nil
}

// close wakes every waiter; later calls fail with errClosed.
func (p *pending) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.changed.Broadcast()
}
