// Package driver is for authors of backends: the interfaces through which package exhash's typed
// client hands TairHash commands to a backend (the module's own commands, the emulations of package
// emulate), and the optional ones its go-redis hook uses around pipelines and transactions. Users of
// the typed client do not need it: they pick a backend with exhash.WithBackend or tairhash.Open.
package driver

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Backend carries TairHash commands to a server. It is the one seam between the typed client and the
// ways a server can hold TairHash data: the module's own EXH* commands (exhash.Native), Lua scripts over a
// hash and companion keys, or native hash-field expiration (both in package emulate).
//
// Every backend takes a command exactly as the TairHash module does and produces the module's reply,
// so the typed client, the devices store and the protocol server decode one reply shape only.
type Backend interface {
	// Name identifies the backend in logs and errors, e.g. "tairhash", "lua", "hfe".
	Name() string

	// Do runs or queues one TairHash command on c, which may be a client or a go-redis Pipeliner
	// (plain or MULTI/EXEC). args[0] is the command name in lower case ("exhset") and the rest are its
	// arguments as the module takes them. The returned command's reply has the module's shape for
	// every backend: integers, bulk strings, nil (a Lua backend may yield false for nil), arrays of
	// these, or a server error with the module's text.
	Do(ctx context.Context, c Conn, args ...any) *redis.Cmd
}

// Conn is what a backend sends commands through: any go-redis client (single node, failover,
// cluster, ring, a *redis.Conn) or a Pipeliner, plain or transactional.
type Conn interface {
	redis.Cmdable
	Do(ctx context.Context, args ...any) *redis.Cmd
}

// PipelineExecer is implemented by a backend that must act around the Exec of the pipelines and
// transactions a Client makes (Pipeline, TxPipeline, Pipelined, TxPipelined): the Lua emulation
// uses it to reload scripts the server lost. ExecPipeline runs p's queued commands (tx: p is a
// MULTI/EXEC pipeline) and returns them like p.Exec.
type PipelineExecer interface {
	ExecPipeline(ctx context.Context, p redis.Pipeliner, tx bool) ([]redis.Cmder, error)
}

// Recoverer is implemented by backends whose calls depend on code the server caches (scripts, a
// function library), which a server loses on SCRIPT FLUSH, FUNCTION FLUSH, restart or failover.
// exhash.NewClient installs a go-redis hook on its client that calls these methods for every pipeline and
// transaction of that client, including the ones the caller makes and passes to exhash.Client.On, and the
// transactions of go-redis' Watch.
type Recoverer interface {
	// PrepareTransaction rewrites in place the backend's calls among cmds, the commands of one
	// MULTI/EXEC about to be sent, so that none depends on the server's cache: a command failing
	// inside EXEC would only be seen after the transaction's other commands had run. With
	// cluster set, go-redis may split the transaction by slot across nodes, so every call must carry
	// the code, not only the first of each kind.
	PrepareTransaction(cmds []redis.Cmder, cluster bool)
	// Recover rewrites the commands of an executed plain pipeline that failed because the server
	// had lost the backend's code into calls that carry the code, and returns them in order; the
	// hook sends them again in one more round trip.
	Recover(ctx context.Context, cmds []redis.Cmder) []redis.Cmder
}

// TransactionLoader is implemented by backends whose transactions are cheaper with a command that
// installs their code added in front of their calls than with the code in the calls
// (Recoverer.PrepareTransaction). exhash's hook uses it, in place of PrepareTransaction, for the
// transactions of a client on one server: LoadInTransaction returns the commands to send in place
// of cmds (MULTI first, EXEC last). The errors of the commands it adds are not the transaction's.
type TransactionLoader interface {
	LoadInTransaction(cmds []redis.Cmder) []redis.Cmder
}

// Batcher is implemented by backends that can run consecutive commands of a plain pipeline in one
// server call. The hook offers it the pipelines of a client on one server (not a cluster nor a
// ring, which spread a pipeline's commands by key): Batch returns the commands to send in place
// of cmds, and done, which after they ran (and were recovered, see Recoverer) gives each of cmds
// its own reply; done is nil when Batch joined nothing.
type Batcher interface {
	Batch(ctx context.Context, cmds []redis.Cmder) (send []redis.Cmder, done func())
}

// CommandNamer is implemented by backends that can tell which TairHash command one of their queued
// calls runs, so the hook can keep writes from being resent (see exhash.AllowResend).
type CommandNamer interface {
	CommandOf(c redis.Cmder) (command string, ok bool)
}

// TxScope is the state of one MULTI/EXEC transaction that a backend may need while commands are
// queued in it. The Lua emulation uses it to send each script in full once per transaction: a
// NOSCRIPT error inside EXEC would only show after the transaction's other commands had run.
type TxScope struct {
	mu   sync.Mutex
	seen map[string]bool
}

// First reports whether name is mentioned for the first time in this transaction.
func (s *TxScope) First(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen[name] {
		return false
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[name] = true
	return true
}

type txScopeKey struct{}

// InTransaction returns a context that tells backends the commands queued with it go into one
// MULTI/EXEC. A Client needs none: its TxPipeline, TxPipelined and Watch do this themselves, and
// the hook exhash.NewClient installs prepares any transaction of its go-redis client (Client.On on a
// caller's TxPipeline included). Use it when calling Backend.Do on a transaction without a Client,
// with one such context per transaction.
func InTransaction(ctx context.Context) context.Context {
	return context.WithValue(ctx, txScopeKey{}, &TxScope{})
}

// WithTxScope returns a context that puts the commands queued with it into the transaction scope s
// (exhash's pipelines keep one scope per MULTI/EXEC this way).
func WithTxScope(ctx context.Context, s *TxScope) context.Context {
	return context.WithValue(ctx, txScopeKey{}, s)
}

// TxScopeOf returns the transaction scope InTransaction put in ctx, or nil outside a transaction.
func TxScopeOf(ctx context.Context) *TxScope {
	s, _ := ctx.Value(txScopeKey{}).(*TxScope)
	return s
}

type withoutLibraryKey struct{}

// WithoutLibrary returns a context telling backends that the server may lack the function library
// they install (code that cannot load it, such as the protocol server without credentials of its
// own): they queue calls that do not need it (the Lua emulation: its script form, by EVALSHA).
func WithoutLibrary(ctx context.Context) context.Context {
	return context.WithValue(ctx, withoutLibraryKey{}, true)
}

// LibraryUnsure reports whether ctx comes from WithoutLibrary.
func LibraryUnsure(ctx context.Context) bool { return ctx.Value(withoutLibraryKey{}) != nil }

// FirstError returns the error of the first command of cmds that failed, redis.Nil aside: what
// go-redis' Exec returns for a pipeline, for code that runs some of its commands again.
func FirstError(cmds []redis.Cmder) error {
	for _, c := range cmds {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
	}
	return nil
}

// Integer reads an integer at a position where the module replies one. The emulations' scripts
// return integers beyond 2^53 (versions, EXHINCRBY results) as exact decimal strings, because Lua
// numbers are doubles; whoever decodes a backend's reply accepts that form too, so every reply path
// is exact: direct calls, pipelines and transactions, whoever made them.
func Integer(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case string:
		i, err := strconv.ParseInt(n, 10, 64)
		return i, err == nil
	}
	return 0, false
}
