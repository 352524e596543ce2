package conformance

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// pollTimeout bounds every wait for an expiry. The module's background expirer runs once a
// second; 5 s leaves room for a loaded machine without making a failure slow.
const pollTimeout = 5 * time.Second

// env is what a scenario works with: its own keys and a way to send commands through the backend.
type env struct {
	t      *testing.T
	ctx    context.Context
	target Target
	prefix string
	module bool
}

func newEnv(t *testing.T, target Target) *env {
	return &env{t: t, ctx: t.Context(), target: target, prefix: target.Prefix(t), module: target.Module}
}

// key returns the scenario's key called name.
func (e *env) key(name string) string { return e.prefix + name }

// do sends one TairHash command through the backend and returns the normalised reply.
func (e *env) do(args ...any) any {
	e.t.Helper()
	cmd := e.target.Backend.Do(e.ctx, e.target.Client, args...)
	got, err := normalise(cmd.Result())
	if err != nil {
		e.t.Fatalf("%s: %v", showCommand(args), err)
	}
	return got
}

// want sends a command through the backend and checks its reply.
func (e *env) want(want any, args ...any) bool {
	e.t.Helper()
	got := e.do(args...)
	if !equal(want, got) {
		e.t.Errorf("%s\n   got: %s\n  want: %s", showCommand(args), show(got), show(want))
		return false
	}
	return true
}

// row is one command and its expected reply.
type row struct {
	want any
	args []any
}

// r builds a row: r(want, "exhset", key, "f", "v").
func r(want any, args ...any) row { return row{want, args} }

// rows checks each row in turn.
func (e *env) rows(rows ...row) {
	e.t.Helper()
	for _, x := range rows {
		e.want(x.want, x.args...)
	}
}

// atomic runs the rows in one MULTI/EXEC through the backend. Used where the module's background
// expirer (a timer) must not run between two commands, e.g. to observe a field that has expired
// but is still stored.
func (e *env) atomic(rows ...row) {
	e.t.Helper()
	pipe := e.target.Client.TxPipeline()
	ctx := driver.InTransaction(e.ctx)
	cmds := make([]*redis.Cmd, len(rows))
	for i, x := range rows {
		cmds[i] = e.target.Backend.Do(ctx, pipe, x.args...)
	}
	_, _ = e.exec(pipe, true) // the error is the first failed command's, checked below
	for i, x := range rows {
		got, err := normalise(cmds[i].Result())
		if err != nil {
			e.t.Fatalf("MULTI … %s: %v", showCommand(x.args), err)
		}
		if !equal(x.want, got) {
			e.t.Errorf("MULTI … %s\n   got: %s\n  want: %s", showCommand(x.args), show(got), show(x.want))
		}
	}
}

// pick returns onModule when the target is the real module, else corrected (the behaviour
// docs/architecture.md requires of this project's backends).
func (e *env) pick(onModule, corrected any) any {
	if e.module {
		return onModule
	}
	return corrected
}

// skipOnModule skips a scenario the real module cannot run, e.g. because it would crash it.
func (e *env) skipOnModule(why string) {
	e.t.Helper()
	if e.module {
		e.t.Skip("not run against the module: " + why)
	}
}

// onlyOnModule skips a scenario that checks module-only behaviour.
func (e *env) onlyOnModule(why string) {
	e.t.Helper()
	if !e.module {
		e.t.Skip("module only: " + why)
	}
}

// native sends a plain Redis command (not through the backend) and returns the normalised reply.
func (e *env) native(args ...any) any {
	e.t.Helper()
	got, err := normalise(e.target.Client.Do(e.ctx, args...).Result())
	if err != nil {
		e.t.Fatalf("%s: %v", showCommand(args), err)
	}
	return got
}

// exists reports whether key exists (EXISTS, which never touches fields).
func (e *env) exists(key string) bool {
	e.t.Helper()
	return e.native("exists", key) == int64(1)
}

// wantExists checks EXISTS key.
func (e *env) wantExists(key string, want bool, why string) {
	e.t.Helper()
	if got := e.exists(key); got != want {
		e.t.Errorf("EXISTS %q = %v, want %v (%s)", key, got, want, why)
	}
}

// nowMs is the server's clock in Unix milliseconds.
func (e *env) nowMs() int64 {
	e.t.Helper()
	tm, err := e.target.Client.Time(e.ctx).Result()
	if err != nil {
		e.t.Fatalf("TIME: %v", err)
	}
	return tm.UnixMilli()
}

// eventually polls cond every 10 ms until it holds, failing the scenario after pollTimeout.
func (e *env) eventually(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(pollTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("still not after %v: %s", pollTimeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fieldGone polls EXHEXISTS key field until the field is no longer there.
func (e *env) fieldGone(key, field string) {
	e.t.Helper()
	e.eventually(fmt.Sprintf("field %q of %q expired", field, key), func() bool {
		return e.do("exhexists", key, field) == int64(0)
	})
}

// exec runs a pipeline the way exhash.Client does: through the backend's PipelineExecer, if it has
// one (the Lua emulation reloads lost scripts there).
func (e *env) exec(pipe redis.Pipeliner, tx bool) ([]redis.Cmder, error) {
	if x, ok := e.target.Backend.(driver.PipelineExecer); ok {
		return x.ExecPipeline(e.ctx, pipe, tx)
	}
	return pipe.Exec(e.ctx)
}
