package exhash

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Cmd is a typed TairHash command. It wraps the *redis.Cmd the backend produced and decodes its
// reply when asked, so in a pipeline or transaction it is read after Exec, like any go-redis
// command. A command refused by client-side validation was never sent: it has no *redis.Cmd and
// Err reports the refusal (matching ErrInvalidArgument).
//
// The reply is decoded once, by the first of Result, Val, Err or String to look at it after the
// command ran; later calls return the same result (maps and slices are shared, not copied).
type Cmd[T any] struct {
	raw    *redis.Cmd
	args   []any
	err    error // client-side refusal
	decode func(v any) (T, error)
	done   atomic.Pointer[decoded[T]]
}

type decoded[T any] struct {
	val T
	err error
}

// Result returns the decoded reply or the error: a client-side refusal, a transport error, an
// *Error for a server error, redis.Nil where the go-redis counterpart returns it, or
// ErrUnexpectedReply.
func (c *Cmd[T]) Result() (T, error) {
	if c.err != nil {
		var zero T
		return zero, c.err
	}
	if d := c.done.Load(); d != nil {
		return d.val, d.err
	}
	v, err := c.raw.Result()
	if v == nil && err == nil {
		// Not run yet (a pipeline before Exec), or a nil reply, which is cheap to decode again:
		// nothing is kept, so a result read too early does not stick.
		return c.decode(nil)
	}
	d := &decoded[T]{}
	switch {
	case err != nil && err != redis.Nil:
		d.err = WrapError(err)
	case err == redis.Nil || v == false:
		d.val, d.err = c.decode(nil) // Lua backends may answer false for nil (a boolean under RESP3)
	default:
		d.val, d.err = c.decode(v)
	}
	if d.err != nil {
		var zero T
		d.val = zero
	}
	c.done.Store(d)
	return d.val, d.err
}

// Val returns the decoded reply, or T's zero value on error.
func (c *Cmd[T]) Val() T {
	v, _ := c.Result()
	return v
}

// Err returns the error Result would return.
func (c *Cmd[T]) Err() error {
	_, err := c.Result()
	return err
}

// Args returns the command's arguments as handed to the backend, starting with the lower-case
// command name.
func (c *Cmd[T]) Args() []any { return c.args }

// Raw returns the underlying go-redis command, or nil when the command was refused before sending.
func (c *Cmd[T]) Raw() *redis.Cmd { return c.raw }

// String renders the command and its reply or error, for logs.
func (c *Cmd[T]) String() string {
	v, err := c.Result()
	if err != nil {
		return fmt.Sprintf("%v: %v", c.args, err)
	}
	return fmt.Sprintf("%v: %v", c.args, v)
}

// Status is a status reply of the server, such as "OK".
type Status string

// Typed command kinds, one per reply shape.
type (
	// SetCmd carries the result of EXHSET.
	SetCmd = Cmd[SetResult]
	// StringCmd carries a bulk string (EXHGET; redis.Nil when absent).
	StringCmd = Cmd[string]
	// StatusCmd carries a status reply ("OK"): its own type, so a status cannot be mistaken for a
	// bulk string (StringCmd), as go-redis keeps them apart.
	StatusCmd = Cmd[Status]
	// IntCmd carries an integer reply.
	IntCmd = Cmd[int64]
	// BoolCmd carries a 1/0 integer reply as a bool.
	BoolCmd = Cmd[bool]
	// FloatCmd carries the result of EXHINCRBYFLOAT.
	FloatCmd = Cmd[Float]
	// TTLCmd carries the result of EXHTTL or EXHPTTL.
	TTLCmd = Cmd[TTLResult]
	// ExpireTimeCmd carries the result of EXPIRETIME or PEXPIRETIME of a key.
	ExpireTimeCmd = Cmd[ExpireTimeResult]
	// VersionCmd carries the result of EXHVER.
	VersionCmd = Cmd[VersionResult]
	// ValueVersionCmd carries the result of EXHGETWITHVER (redis.Nil when absent).
	ValueVersionCmd = Cmd[ValueVersion]
	// StringSliceCmd carries a list of strings (EXHKEYS, EXHVALS).
	StringSliceCmd = Cmd[[]string]
	// OptionalStringSliceCmd carries EXHMGET: one entry per requested field, nil where absent.
	OptionalStringSliceCmd = Cmd[[]*string]
	// ValueVersionSliceCmd carries EXHMGETWITHVER: one entry per requested field, nil where absent.
	ValueVersionSliceCmd = Cmd[[]*ValueVersion]
	// StringMapCmd carries EXHGETALL.
	StringMapCmd = Cmd[map[string]string]
	// ValueVersionMapCmd carries EXHGETALLWITHVER.
	ValueVersionMapCmd = Cmd[map[string]ValueVersion]
	// ScanCmd carries one EXHSCAN page.
	ScanCmd = Cmd[ScanPage]
)

// refused returns a command that was not sent because err; it is recorded on the pipeline, if any.
func refused[T any](cs Commands, args []any, err error) *Cmd[T] {
	if cs.rec != nil {
		cs.rec.add(err)
	}
	return &Cmd[T]{args: args, err: err}
}

// send hands args to the backend and wraps the resulting command with its decoder.
func send[T any](ctx context.Context, cs Commands, decode func(any) (T, error), args ...any) *Cmd[T] {
	if cs.tx != nil && driver.TxScopeOf(ctx) != cs.tx {
		ctx = driver.WithTxScope(ctx, cs.tx)
	}
	if _, queued := cs.conn.(redis.Pipeliner); !queued {
		name, _ := args[0].(string)
		ctx = sendingWrite(ctx, name)
	}
	return &Cmd[T]{raw: cs.be.Do(ctx, cs.conn, args...), args: args, decode: decode}
}
