package proxy

import (
	"context"
	"errors"
	"reflect"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// errScriptsLost answers an EXH* command whose script the upstream no longer had. The server cannot
// send it again in its place (the client's later commands have already run), so the client is asked
// to retry, and the scripts are loaded again meanwhile.
var errScriptsLost = errors.New("ERR exhash-server: the upstream had lost the emulation's scripts (SCRIPT FLUSH or restart); they are being loaded again, retry the command (if this persists, see the server's log: the upstream user may lack SCRIPT LOAD)")

// Some backends act around the Exec of their pipelines (driver.PipelineExecer: the Lua emulation
// turns integers its scripts send as strings back into integers, and would resend a command whose
// script the server lost). The server runs that step too, once the replies are in, with a pipeline
// of a client that never connects: its Exec hands each command the reply already read (replayHook).

// replayKey marks the context of a replayed Exec.
type replayKey struct{}

// replay is what one replayed Exec hands out.
type replay struct {
	cmds     []redis.Cmder
	replies  []Value
	done     bool // the replies have been handed out: a later Exec is a resend
	resent   bool // the backend tried to resend a command
	mismatch bool // the backend queued other commands than those sent
}

// replayHook is the only hook of the server's replay client. It never calls next: nothing is sent.
type replayHook struct{}

func (replayHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (replayHook) ProcessHook(redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		cmd.SetErr(errors.New("exhash-server: a backend sent a command outside its pipeline"))
		return cmd.Err()
	}
}

func (replayHook) ProcessPipelineHook(redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r, _ := ctx.Value(replayKey{}).(*replay)
		if r == nil {
			return errors.New("exhash-server: replay without replies")
		}
		if r.done {
			r.resent = true
			for _, c := range cmds {
				c.SetErr(errScriptsLost)
			}
			return errScriptsLost
		}
		r.done = true
		for i, c := range cmds {
			if i >= len(r.replies) || c != r.cmds[i] {
				r.mismatch = true
				c.SetErr(errors.New("exhash-server: the backend's pipeline changed before its replies arrived"))
				continue
			}
			fill(c, r.replies[i])
		}
		return nil
	}
}

// newReplayClient returns the client whose pipelines replay replies. Its address is never dialled.
func newReplayClient() *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: "replay.invalid:0", Protocol: 2, DisableIdentity: true})
	c.AddHook(replayHook{})
	return c
}

// settle stores the replies in the commands an EXH* command was sent as, through the backend's own
// pipeline step when it has one. It reports whether the backend tried to resend a command because
// the upstream had lost its script.
func (b *relay) settle(e *expectation, replies []Value, tx bool) (scriptsLost bool) {
	x, ok := e.backend.(driver.PipelineExecer)
	if !ok {
		for i, c := range e.cmds {
			fill(c, replies[i])
		}
		return false
	}
	r := &replay{cmds: e.cmds, replies: replies}
	p := b.s.srv.replay.Pipeline()
	for _, c := range e.cmds {
		_ = p.Process(context.Background(), c)
	}
	_, _ = x.ExecPipeline(context.WithValue(b.s.ctx, replayKey{}, r), p, tx)
	if r.mismatch {
		b.s.log.Error("backend changed its pipeline before the replies arrived", "backend", e.backend.Name(), "command", e.name)
	}
	return r.resent
}

// unchanged reports whether cmd still holds exactly what the upstream replied, v: then v itself is
// written to the client, keeping its wire types (a status stays a status).
func unchanged(cmd *redis.Cmd, v Value) bool {
	if v.isError() || v.Null {
		return false
	}
	val, err := cmd.Result()
	return err == nil && sameValue(val, v)
}

// sameValue reports whether val is goValue(v), without making goValue(v) for the kinds EXH*
// replies are made of (replies can be large: EXHGETALL of a big key).
func sameValue(val any, v Value) bool {
	if v.isError() {
		return false
	}
	switch x := val.(type) {
	case nil:
		return v.Null
	case string:
		if v.Kind == '+' || v.Kind == '$' {
			return !v.Null && string(v.Text) == x
		}
	case int64:
		if v.Kind == ':' {
			return v.Int == x
		}
	case bool:
		if v.Kind == '#' {
			return v.Bool == x
		}
	case []any:
		if v.Kind == '*' || v.Kind == '~' || v.Kind == '>' {
			if v.Null || len(x) != len(v.Elems) {
				return false
			}
			for i := range x {
				if !sameValue(x[i], v.Elems[i]) {
					return false
				}
			}
			return true
		}
	}
	return reflect.DeepEqual(val, goValue(v))
}
