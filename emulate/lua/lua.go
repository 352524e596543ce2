package lua

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/companion"
	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/emulate/lua/scripts"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Lua is the backend for stock Redis (7.0 and later) and Valkey: every TairHash command is one
// Lua script (package emulate/lua/scripts) over the user's hash and two companion keys in its slot, timed by
// the server's clock. It keeps the module's replies and error strings; the differences are listed
// in docs/architecture.md (no empty keys, EXHLEN counts live fields, a plain hash is adopted).
//
// Direct calls, and the consecutive commands of a plain pipeline on one server (driver.Batcher, see
// lua_batch.go), run as one FCALL of the scripts' function library each; a server that lost the
// library (FUNCTION FLUSH, restart) gets it again (FUNCTION LOAD) and one that refuses functions
// runs the library as a script. In transactions, pipelines of a cluster or ring client, pipelines
// of code without exhash.Client's hook, and with WithLuaOneCallPerCommand, every command is its own
// script, sent with EVALSHA. A server
// that lost the scripts (SCRIPT FLUSH, restart, failover) answers NOSCRIPT, and the backend
// resends the command with EVAL, which also reloads the script: at once for a direct call, after
// Exec for pipelines. In a transaction (a context from driver.InTransaction, which exhash.Client's
// TxPipeline supplies) the first command of each script is sent with EVAL, because a NOSCRIPT
// inside EXEC would only be seen after the transaction's other commands had run.
type Lua struct {
	db      any                   // the database index as text, boxed once (every command carries it)
	scripts map[string]*cmdScript // by command name
	bySHA   map[string]*cmdScript

	unbatched   bool        // WithLuaOneCallPerCommand
	scriptsOnly atomic.Bool // the server refuses the function library: batches use its script form
	loads       sync.Map    // batch call → the FUNCTION LOAD sent before it was resent (recoverBatches)
}

type cmdScript struct {
	command, sha, src string
	name, digest      any // command and sha boxed once: each queued command carries them
}

// LuaOption configures NewLua.
type LuaOption func(*Lua)

// WithLuaDatabase sets the database index named in expiry notification channels
// (tairhash@<db>@<key>__:expired); default 0. Lua cannot ask Redis which database a script runs
// in, so a client that SELECTs another database must say so here.
func WithLuaDatabase(db int) LuaOption {
	return func(l *Lua) { l.db = fmt.Sprint(db) }
}

// WithLuaOneCallPerCommand makes every command its own script call (EVALSHA), as before the function
// library and batching (see lua_batch.go): the same replies, more server time per command
// (docs/emulation.md, Performance). For comparison, and for servers where FCALL is unwanted.
func WithLuaOneCallPerCommand() LuaOption {
	return func(l *Lua) { l.unbatched = true }
}

// NewLua returns the Lua emulation backend.
func NewLua(opts ...LuaOption) *Lua {
	l := &Lua{db: "0", scripts: map[string]*cmdScript{}, bySHA: map[string]*cmdScript{}}
	for _, name := range scripts.Commands() {
		src, _ := scripts.Source(name)
		s := newLuaScript(name, src)
		l.scripts[name] = s
		l.bySHA[s.sha] = s
	}
	for _, o := range opts {
		o(l)
	}
	return l
}

func newLuaScript(command, src string) *cmdScript {
	sum := sha1.Sum([]byte(src))
	sha := hex.EncodeToString(sum[:])
	return &cmdScript{command: command, sha: sha, src: src, name: command, digest: sha}
}

// Name reports "lua".
func (l *Lua) Name() string { return "lua" }

// Do runs one TairHash command as its script. args[0] is the lower-case command name.
func (l *Lua) Do(ctx context.Context, conn driver.Conn, args ...any) *redis.Cmd {
	name := strings.ToLower(runner.ArgText(args[0]))
	if name == "exhexpireinfo" {
		return expireInfo(ctx, args)
	}
	if cmd, ok := companion.Command(ctx, conn, name, args); ok {
		return cmd
	}
	s, ok := l.scripts[name]
	if !ok {
		return runner.NotSent(ctx, args, exhash.NewError(fmt.Sprintf("ERR unknown command '%s'", args[0])))
	}
	if len(args) < 2 {
		return runner.NotSent(ctx, args, runner.ArityError(name))
	}
	key := runner.ArgText(args[1])
	ttl, ver, err := companion.CompanionKeys(key)
	if err != nil {
		return runner.NotSent(ctx, args, err)
	}
	// EVALSHA sha 3 K T V db args…, built once: a queued command is sent as it is, and the other
	// ways (EVAL, the library) rewrite or copy it.
	call := make([]any, 0, 5+len(args))
	call = append(call, "evalsha", s.digest, 3, key, ttl, ver, l.db)
	call = append(call, args[2:]...)

	if scope := driver.TxScopeOf(ctx); scope != nil && scope.First(s.sha) {
		call[0], call[1] = "eval", s.src // see Lua: loads the script inside MULTI
		return conn.Do(ctx, call...)
	}
	if _, queued := conn.(redis.Pipeliner); queued {
		return conn.Do(ctx, call...)
	}
	if cmd := l.callLibrary(ctx, conn, s, call); cmd != nil {
		return cmd
	}
	cmd := conn.Do(ctx, call...)
	if runner.IsNoScript(cmd.Err()) {
		call[0], call[1] = "eval", s.src
		cmd = conn.Do(ctx, call...)
	}
	runner.ExactIntegers(name, cmd)
	return cmd
}
