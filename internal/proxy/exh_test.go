package proxy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash"
)

// A pipelining client gets every reply in order, whether a command passed through or went through the
// backend as one command, two commands or none.
func TestPipelineOrder(t *testing.T) {
	up := redis7(t)
	c := client(t, proxyFor(t, up.Addr))
	ctx := ctxT(t)
	p := up.Prefix(t)
	const n = 500
	pipe := c.Pipeline()
	type check func() error
	var checks []check
	for i := range n {
		v := strconv.Itoa(i)
		set := pipe.Set(ctx, p+"k"+v, v, 0)
		exhset := pipe.Do(ctx, "exhset", p+"h", "f"+v, v)
		get := pipe.Get(ctx, p+"k"+v)
		exhget := pipe.Do(ctx, "exhget", p+"h", "f"+v)
		refused := pipe.Do(ctx, "exhget", "exh~"+v, "f")
		incr := pipe.Incr(ctx, p+"n")
		checks = append(checks, func() error {
			switch {
			case set.Val() != "OK", exhset.Val() != int64(1), get.Val() != v, exhget.Val() != v:
				return fmt.Errorf("command %d: SET %v, EXHSET %v, GET %v, EXHGET %v", i, set.Val(), exhset.Val(), get.Val(), exhget.Val())
			case !errors.Is(refused.Err(), exhash.ErrReservedKey) && refused.Err().Error() != "ERR "+exhash.ErrReservedKey.Error():
				return fmt.Errorf("command %d: refused key: %v", i, refused.Err())
			case incr.Val() != int64(i+1):
				return fmt.Errorf("command %d: INCR %d", i, incr.Val())
			}
			return nil
		})
	}
	if _, err := pipe.Exec(ctx); err != nil && !strings.Contains(err.Error(), "reserved prefix") {
		t.Fatal(err)
	}
	for _, c := range checks {
		if err := c(); err != nil {
			t.Fatal(err)
		}
	}
}

// EXH* commands inside MULTI are queued on the client's own upstream connection between its other
// commands, and EXEC's reply has one element per command the client sent, each EXH* element in the
// module's shape, whatever number of commands the backend turned it into.
func TestMultiExecWithEXH(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	p := up.Prefix(t)
	c := dialRaw(t, addr)
	got := c.do(
		cmd("MULTI"),
		cmd("SET", p+"s", "1"),
		cmd("EXHSET", p+"h", "f", "v"),  // one upstream command
		cmd("EXHGET", p+"h", "f"),       // two upstream commands
		cmd("EXHGET", "exh~x", "f"),     // no upstream command
		cmd("EXHMSET", p+"h", "g", "w"), // status reply
		cmd("EXHMGET", p+"h", "f", "nope", "g"),
		cmd("INCR", p+"s"),
		cmd("EXEC"),
	)
	for i, v := range got[1:8] {
		if !v.isStatus("QUEUED") {
			t.Fatalf("command %d inside MULTI: %s", i+1, show(v))
		}
	}
	want := "*7\r\n+OK\r\n:1\r\n$1\r\nv\r\n-ERR " + exhash.ErrReservedKey.Error() + "\r\n+OK\r\n*3\r\n$1\r\nv\r\n$-1\r\n$1\r\nw\r\n:2\r\n"
	if s := show(got[8]); s != want {
		t.Fatalf("EXEC:\n%q\nwant\n%q", s, want)
	}

	// The same through go-redis (RESP3) with TxPipelined.
	rc := client(t, addr)
	ctx := ctxT(t)
	var exhset, exhget *redis.Cmd
	_, err := rc.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.Set(ctx, p+"s2", "x", 0)
		exhset = pipe.Do(ctx, "exhset", p+"h2", "f", "v2")
		exhget = pipe.Do(ctx, "exhget", p+"h2", "f")
		return nil
	})
	if err != nil || exhset.Val() != int64(1) || exhget.Val() != "v2" {
		t.Fatalf("TxPipelined: %v, EXHSET %v, EXHGET %v", err, exhset.Val(), exhget.Val())
	}
}

// WATCH works on the client's upstream connection: a change by another client makes EXEC return nil,
// and the EXH* command queued in the transaction does not run.
func TestWatch(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	p := up.Prefix(t)
	c := dialRaw(t, addr)
	c.do(cmd("WATCH", p+"w"))
	dialRaw(t, addr).do(cmd("SET", p+"w", "changed"))
	got := c.do(cmd("MULTI"), cmd("EXHSET", p+"h", "f", "v"), cmd("EXEC"), cmd("EXHGET", p+"h", "f"))
	if !got[2].Null || !got[3].Null {
		t.Fatalf("EXEC after a watched key changed: %s, then EXHGET: %s", show(got[2]), show(got[3]))
	}
}

// The backend is given the database the command runs in: after SELECT (also pipelined right behind
// it), inside MULTI after a queued SELECT, after EXEC, not after a failed SELECT or a discarded or
// aborted transaction, and 0 again after RESET.
func TestBackendGetsTheDatabase(t *testing.T) {
	up := redis7(t)
	c := dialRaw(t, proxyFor(t, up.Addr))
	db := func(v Value) string { return strings.TrimPrefix(string(v.Text), "db=") }
	steps := []struct {
		cmds [][]string
		want string // the database the last EXHTTL saw
	}{
		{[][]string{cmd("EXHTTL", "k", "f")}, "0"},
		{[][]string{cmd("SELECT", "1"), cmd("EXHTTL", "k", "f")}, "1"},
		{[][]string{cmd("SELECT", "99999"), cmd("EXHTTL", "k", "f")}, "1"},
		{[][]string{cmd("MULTI"), cmd("SELECT", "2"), cmd("EXHTTL", "k", "f"), cmd("DISCARD"), cmd("EXHTTL", "k", "f")}, "1"},
		{[][]string{cmd("MULTI"), cmd("SELECT", "3"), cmd("EXHTTL", "k", "f"), cmd("EXEC"), cmd("EXHTTL", "k", "f")}, "3"},
		{[][]string{cmd("MULTI"), cmd("SELECT", "4"), cmd("NOSUCHCOMMAND"), cmd("EXEC"), cmd("EXHTTL", "k", "f")}, "3"},
		{[][]string{cmd("RESET"), cmd("EXHTTL", "k", "f")}, "0"},
	}
	for i, step := range steps {
		got := c.do(step.cmds...)
		if d := db(got[len(got)-1]); d != step.want {
			t.Fatalf("step %d: the backend got database %s, want %s (replies %q)", i, d, step.want, show(got[len(got)-1]))
		}
	}
	got := c.do(cmd("MULTI"), cmd("SELECT", "5"), cmd("EXHTTL", "k", "f"), cmd("EXEC"))
	if s := show(got[3]); s != "*2\r\n+OK\r\n$4\r\ndb=5\r\n" {
		t.Fatalf("EXHTTL queued after SELECT 5: %q", s)
	}
}

// EXH* data written through the server on database 1 lives in database 1 only.
func TestSelectIsolatesEXHData(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	key := up.Prefix(t) + "h"
	db1 := client(t, addr, func(o *redis.Options) { o.DB = 1 })
	db0 := client(t, addr)
	ctx := ctxT(t)
	if err := db1.Do(ctx, "exhset", key, "f", "one").Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := db1.Do(ctx, "exhget", key, "f").Text(); v != "one" {
		t.Fatalf("db 1: %q, %v", v, err)
	}
	if err := db0.Do(ctx, "exhget", key, "f").Err(); !errors.Is(err, redis.Nil) {
		t.Fatalf("db 0 sees the field written on db 1: %v", err)
	}
}

// A backend that panics costs its command an error reply; the connection and the server go on.
func TestBackendPanic(t *testing.T) {
	up := redis7(t)
	c := dialRaw(t, proxyFor(t, up.Addr))
	got := c.do(cmd("EXHPERSIST", "k", "f"), cmd("PING"))
	if !strings.Contains(string(got[0].Text), "backend probe failed on exhpersist") || !got[1].isStatus("PONG") {
		t.Fatalf("%s %s", show(got[0]), show(got[1]))
	}
}
