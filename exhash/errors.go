package exhash

import (
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/internal/grammar"
)

// Sentinels for the errors a TairHash server (or an emulation backend) replies with. A server error
// is returned as an *Error that keeps the server's text; errors.Is(err, ErrStaleVersion) and friends
// tell the kind. The text of each sentinel is the message body the module uses (without "ERR "), so
// a layer that has to produce a server error (an emulation, the protocol server) can write
// "ERR " + sentinel.Error() and clients classify it the same way.
var (
	// ErrStaleVersion: a VER or GT precondition failed ("update version is stale").
	ErrStaleVersion = errors.New(grammar.Stale)
	// ErrOverflow: EXHINCRBY/EXHINCRBYFLOAT result outside int64, not finite, or outside MIN/MAX.
	ErrOverflow = errors.New(grammar.Overflow)
	// ErrNotInteger: an EXHINCRBY increment or stored value that is not an int64.
	ErrNotInteger = errors.New(grammar.NotInteger)
	// ErrNotFloat: an EXHINCRBYFLOAT increment or stored value that is not a number. The module's
	// text is "value is not an float" (sic); that is what the server sends and what this matches.
	ErrNotFloat = errors.New(grammar.NotFloat)
	// ErrMinMax: a MIN/MAX bound that does not parse, or MIN greater than MAX.
	ErrMinMax = errors.New("min or max is specified, but value is not a number, or min is bigger than max")
	// ErrWrongType: the key holds another data type.
	ErrWrongType = errors.New(grammar.WrongType)
	// ErrSyntax: an option the server does not accept ("syntax error").
	ErrSyntax = errors.New(grammar.Syntax)
	// ErrArity: wrong number of arguments.
	ErrArity = errors.New("wrong number of arguments")

	// ErrReservedKey: a key that an emulation backend cannot store because its name is reserved
	// for companion keys (names starting with "exh~").
	ErrReservedKey = errors.New("key name uses the reserved prefix exh~")
	// ErrUnslottableKey: a key an emulation backend cannot keep in one cluster slot with its
	// companion keys: the empty key, or a key without a valid hash tag that contains '}'.
	ErrUnslottableKey = errors.New("key name is empty or contains '}' without a hash tag")
	// ErrCorruptCompanion: an emulation found a companion key holding what it never writes (a
	// version that is not an integer, a deadline that is not finite: changed by hand); nothing was
	// written.
	ErrCorruptCompanion = errors.New(grammar.CorruptVersion)

	// ErrInvalidArgument: refused by the client before anything was sent. Such errors may also
	// match the sentinel the server would have answered with (e.g. ErrSyntax for NX with XX, ErrMinMax
	// for MIN > MAX), so code checking server errors keeps working.
	ErrInvalidArgument = errors.New("exhash: invalid argument")
	// ErrUnexpectedReply: the reply does not have the shape the command's specification gives.
	ErrUnexpectedReply = errors.New("exhash: unexpected reply")
)

// serverMessages maps the start of a server message (after an optional "ERR ") to its sentinel.
var serverMessages = []struct {
	prefix string
	kind   error
}{
	{grammar.Stale, ErrStaleVersion},
	{grammar.Overflow, ErrOverflow},
	{grammar.NotInteger, ErrNotInteger},
	{grammar.NotFloat, ErrNotFloat},
	{"value is not a valid float", ErrNotFloat},
	{"min or max is specified", ErrMinMax},
	{grammar.MinOverMax, ErrMinMax},
	{"WRONGTYPE", ErrWrongType},
	{grammar.Syntax, ErrSyntax},
	{"wrong number of arguments", ErrArity},
	{"key name uses the reserved prefix exh~", ErrReservedKey},
	{"key name is empty or contains '}' without a hash tag", ErrUnslottableKey},
	{grammar.CorruptVersion, ErrCorruptCompanion},
	{grammar.CorruptDeadline, ErrCorruptCompanion},
}

// Error is a server error reply to a TairHash command. Its text is the server's, unchanged.
// errors.Is matches it against the sentinel for its kind (nil Kind: an error this package does not
// classify). It also satisfies redis.Error, so go-redis treats it as a server reply.
type Error struct {
	Msg  string // the server's message, e.g. "ERR update version is stale"
	Kind error  // one of the sentinels above, or nil

	cause error // the go-redis error it was made from, if any
}

// Error returns the server's message.
func (e *Error) Error() string { return e.Msg }

// Is reports whether target is the sentinel for this error's kind.
func (e *Error) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// Unwrap returns the go-redis error this one was made from (nil for NewError), so errors.As still
// finds go-redis' own error types.
func (e *Error) Unwrap() error { return e.cause }

// RedisError marks *Error as a server reply for go-redis (see redis.Error).
func (*Error) RedisError() {}

// NewError classifies a server message (as sent on the wire, e.g. "ERR syntax error").
func NewError(msg string) *Error {
	body := strings.TrimPrefix(msg, "ERR ")
	for _, m := range serverMessages {
		if strings.HasPrefix(body, m.prefix) {
			return &Error{Msg: msg, Kind: m.kind}
		}
	}
	return &Error{Msg: msg}
}

// WrapError turns a go-redis server error into an *Error; redis.Nil, errors that are already
// classified and transport errors are returned unchanged.
func WrapError(err error) error {
	if err == nil || err == redis.Nil {
		return err
	}
	var own *Error
	if errors.As(err, &own) {
		return err
	}
	var rerr redis.Error
	if errors.As(err, &rerr) && rerr == err {
		e := NewError(err.Error())
		e.cause = err
		return e
	}
	return err
}

// argError is a client-side refusal: it matches ErrInvalidArgument and, when set, the sentinel
// the server would have replied with.
type argError struct {
	msg  string
	also error
}

func (e *argError) Error() string { return e.msg }

func (e *argError) Is(target error) bool {
	return target == ErrInvalidArgument || (e.also != nil && target == e.also)
}

// invalid builds a client-side refusal for command cmd.
func invalid(also error, cmd, format string, a ...any) error {
	return &argError{msg: "exhash: " + cmd + ": " + fmt.Sprintf(format, a...), also: also}
}
