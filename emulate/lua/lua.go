package lua

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/companion"
	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/emulate/lua/scripts"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/grammar"
)

// Lua is the backend for stock Redis (7.0 and later) and Valkey: every TairHash command is an
// operation of one Lua function library (package scripts) over the user's hash and two companion
// keys in its slot, timed by the server's clock. It keeps the module's replies and error strings;
// the differences are listed in docs/architecture.md (no empty keys, EXHLEN counts live fields, a
// plain hash is adopted).
//
// Every command is an FCALL of the library: of its function for one command, or, for the
// consecutive commands of a plain pipeline or a transaction on one server (driver.Batcher, see
// batch.go), of its batch function, once for up to maxBatch of them. How the library reaches
// the server (pipeline.go):
//   - a direct call that finds it missing (FUNCTION FLUSH, restart) loads it (FUNCTION LOAD, on
//     every master) and calls again;
//   - a plain pipeline made through exhash.Client's hook resends its failed calls with EVAL of the
//     library's script form (scripts.OneSource, scripts.BatchSource), which carries the code,
//     behind a FUNCTION LOAD for the pipelines after it (Recover);
//   - a transaction on one server made through the hook gets a FUNCTION LOAD of the library
//     (without REPLACE, so a server that has it only looks its name up) as its first command:
//     Redis looks a function up when EXEC runs the FCALL, so a missing library would otherwise
//     fail the calls after the transaction's other commands ran (LoadInTransaction);
//   - other transactions (a cluster's or a ring's, which go-redis splits by node, and those of
//     code without the hook, driver.InTransaction) carry the code: EVAL of the script form for the
//     first call (for every call on a cluster), EVALSHA after (PrepareTransaction).
//
// A server or user that refuses functions (NOPERM, unknown command) gets the script form, by
// EVALSHA, from then on; so does a call on a read-only replica, which Redis refuses any FCALL of
// a function that may write.
type Lua struct {
	db any // the database index as text, boxed once (every command carries it)

	unbatched   bool        // WithLuaOneCallPerCommand
	scriptsOnly atomic.Bool // the server refuses the function library: its script form
	functionsOK atomic.Bool // a function was called: a transaction may load the library (LoadInTransaction)
	lastLoad    atomic.Pointer[redis.Cmd]
}

// luaCommands are the commands the library runs.
var luaCommands = func() map[string]any {
	m := map[string]any{}
	for _, name := range scripts.Commands() {
		m[name] = name // boxed once: each call carries it
	}
	return m
}()

// LuaOption configures NewLua.
type LuaOption func(*Lua)

// WithLuaDatabase sets the database index named in expiry notification channels
// (tairhash@<db>@<key>__:expired); default 0. Lua cannot ask Redis which database a script runs
// in, so a client that SELECTs another database must say so here.
func WithLuaDatabase(db int) LuaOption {
	return func(l *Lua) { l.db = fmt.Sprint(db) }
}

// WithLuaOneCallPerCommand makes every command its own call of the library, as before batching
// (see batch.go): the same replies, more server time per command (docs/emulation.md,
// Performance). For comparison.
func WithLuaOneCallPerCommand() LuaOption {
	return func(l *Lua) { l.unbatched = true }
}

// NewLua returns the Lua emulation backend.
func NewLua(opts ...LuaOption) *Lua {
	l := &Lua{db: "0"}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Name reports "lua".
func (l *Lua) Name() string { return "lua" }

// Do runs one TairHash command as a call of the library. args[0] is the lower-case command name.
func (l *Lua) Do(ctx context.Context, conn driver.Conn, args ...any) *redis.Cmd {
	name := strings.ToLower(runner.ArgText(args[0]))
	if name == "exhexpireinfo" {
		return expireInfo(ctx, args)
	}
	if cmd, ok := companion.Command(ctx, conn, name, args); ok {
		return cmd
	}
	boxed, ok := luaCommands[name]
	if !ok {
		return runner.NotSent(ctx, args, exhash.NewError(fmt.Sprintf("ERR unknown command '%s'", args[0])))
	}
	var op *grammar.Op
	if !grammar.Known(name) { // Redis' key expiry commands
		if len(args) < 2 {
			return runner.NotSent(ctx, args, runner.ArityError(name))
		}
		op = &grammar.Op{Cmd: name, Key: runner.ArgText(args[1])}
	} else {
		op = grammar.Parse(runner.ArgStrings(args))
	}
	if op.Err != "" {
		return runner.NotSent(ctx, args, exhash.NewError(op.Err))
	}
	ttl, ver, err := companion.CompanionKeys(op.Key)
	if err != nil {
		return runner.NotSent(ctx, args, err)
	}
	// FCALL one 3 K T V db cmd operands…, built once: a queued call is sent as it is, and the
	// other forms (EVALSHA, EVAL of the script form, a batch) rewrite or copy it. The operands are
	// the command's, checked and normalised (scripts.AppendArgs), or Redis' own arguments for its
	// key expiry commands.
	call := make([]any, 0, 8+len(args)+4)
	call = append(call, "fcall", luaOne.function, 3, op.Key, ttl, ver, l.db, boxed)
	if grammar.Known(op.Cmd) {
		call = scripts.AppendArgs(call, op)
	} else {
		call = append(call, args[2:]...)
	}
	if l.scriptsOnly.Load() || driver.LibraryUnsure(ctx) {
		luaOne.asEvalSHA(call)
	}
	if scope := driver.TxScopeOf(ctx); scope != nil {
		// Code without exhash's hook may queue it: see Lua (PrepareTransaction).
		if scope.First(luaOne.sha) {
			luaOne.asEval(call)
		} else {
			luaOne.asEvalSHA(call)
		}
		return conn.Do(ctx, call...)
	}
	if _, queued := conn.(redis.Pipeliner); queued {
		return conn.Do(ctx, call...)
	}
	cmd := l.direct(ctx, conn, call)
	runner.ExactIntegers(name, cmd)
	return cmd
}

// direct runs a call of one command at once, loading the library when the server lacks it, and
// taking the script form where functions are refused.
func (l *Lua) direct(ctx context.Context, conn driver.Conn, call []any) *redis.Cmd {
	cmd := conn.Do(ctx, call...)
	if call[0] == "fcall" {
		switch err := cmd.Err(); {
		case runner.IsFunctionMissing(err):
			err = l.load(ctx, conn)
			if err == nil {
				if cmd = conn.Do(ctx, call...); !runner.IsFunctionMissing(cmd.Err()) {
					break
				}
			}
			if runner.Refused(err) {
				l.scriptsOnly.Store(true)
			}
			luaOne.asEvalSHA(call) // the code travels with the call
			cmd = conn.Do(ctx, call...)
		case runner.Refused(err):
			l.scriptsOnly.Store(true)
			luaOne.asEvalSHA(call)
			cmd = conn.Do(ctx, call...)
		case runner.OnReplica(err): // a script may run there, and fail only if it writes
			luaOne.asEvalSHA(call)
			cmd = conn.Do(ctx, call...)
		}
		if call[0] == "fcall" {
			l.functionsOK.Store(true)
		}
	}
	if runner.IsNoScript(cmd.Err()) {
		luaOne.asEval(call)
		cmd = conn.Do(ctx, call...)
	}
	return cmd
}

// load installs the library on the server of conn, on every master of a cluster or ring.
func (l *Lua) load(ctx context.Context, conn driver.Conn) error {
	if uc, ok := conn.(redis.UniversalClient); ok {
		return runner.ForEachMaster(ctx, uc, func(ctx context.Context, c redis.UniversalClient) error {
			return c.FunctionLoadReplace(ctx, luaLibrary.text).Err()
		})
	}
	return conn.Do(ctx, "function", "load", "replace", luaLibrary.text).Err()
}
