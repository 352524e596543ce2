package exhash_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

func TestServerErrorsMatchSentinels(t *testing.T) {
	cases := []struct {
		msg  string
		want error
	}{
		{"ERR update version is stale", exhash.ErrStaleVersion},
		{"ERR increment or decrement would overflow", exhash.ErrOverflow},
		{"ERR value is not an integer", exhash.ErrNotInteger},
		{"ERR value is not an float", exhash.ErrNotFloat},
		{"ERR min or max is specified, but value is not an integer", exhash.ErrMinMax},
		{"ERR min or max is specified, but value is not a float", exhash.ErrMinMax},
		{"ERR min value is bigger than max value", exhash.ErrMinMax},
		{"WRONGTYPE Operation against a key holding the wrong kind of value", exhash.ErrWrongType},
		{"ERR syntax error", exhash.ErrSyntax},
		{"ERR wrong number of arguments for 'exhset' command", exhash.ErrArity},
		{"ERR " + exhash.ErrReservedKey.Error(), exhash.ErrReservedKey},
		{"ERR " + exhash.ErrUnslottableKey.Error(), exhash.ErrUnslottableKey},
		// A Lua backend raising through redis.call gets the script location appended.
		{"ERR update version is stale script: 1234abcd, on @user_script:12.", exhash.ErrStaleVersion},
	}
	all := []error{exhash.ErrStaleVersion, exhash.ErrOverflow, exhash.ErrNotInteger, exhash.ErrNotFloat,
		exhash.ErrMinMax, exhash.ErrWrongType, exhash.ErrSyntax, exhash.ErrArity, exhash.ErrReservedKey,
		exhash.ErrUnslottableKey, exhash.ErrInvalidArgument, exhash.ErrUnexpectedReply}
	for _, tc := range cases {
		c, be := unitClient(t)
		be.err = unitServerError(tc.msg)
		err := c.ExHIncrBy(uctx, "k", "f", 1).Err()
		var se *exhash.Error
		if !errors.As(err, &se) || se.Msg != tc.msg || err.Error() != tc.msg {
			t.Fatalf("%q: got %#v; want *Error keeping the server text", tc.msg, err)
		}
		for _, s := range all {
			if errors.Is(err, s) != (s == tc.want) {
				t.Fatalf("%q: errors.Is(err, %q) = %v", tc.msg, s, !(s == tc.want))
			}
		}
		var re redis.Error
		if !errors.As(err, &re) {
			t.Fatalf("%q: not a redis.Error", tc.msg)
		}
		if !errors.Is(err, unitServerError(tc.msg)) {
			t.Fatalf("%q: the go-redis error is not reachable with Unwrap", tc.msg)
		}
	}
}

func TestUnknownServerErrorKeepsText(t *testing.T) {
	c, be := unitClient(t)
	be.err = redis.ErrCrossSlot
	err := c.ExHGet(uctx, "k", "f").Err()
	var se *exhash.Error
	if !errors.As(err, &se) || se.Kind != nil || se.Msg != redis.ErrCrossSlot.Error() {
		t.Fatalf("got %#v", err)
	}
	if !errors.Is(err, redis.ErrCrossSlot) {
		t.Fatal("the original go-redis error must stay reachable")
	}
}

func TestNonServerErrorsPassThrough(t *testing.T) {
	for _, in := range []error{io.EOF, context.DeadlineExceeded, exhash.ErrReservedKey} {
		c, be := unitClient(t)
		be.err = in
		err := c.ExHDel(uctx, "k", "f").Err()
		if err != in {
			t.Fatalf("got %#v, want %#v unchanged", err, in)
		}
	}
}

func TestNewErrorAndWrapError(t *testing.T) {
	e := exhash.NewError("ERR syntax error")
	if !errors.Is(e, exhash.ErrSyntax) || e.Unwrap() != nil {
		t.Fatalf("NewError: %#v", e)
	}
	if exhash.WrapError(nil) != nil || exhash.WrapError(redis.Nil) != redis.Nil {
		t.Fatal("WrapError must keep nil and redis.Nil")
	}
	if exhash.WrapError(e) != error(e) {
		t.Fatal("WrapError must not re-wrap an *Error")
	}
}
