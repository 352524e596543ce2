package exhash

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// notResent lists the commands that change data: go-redis resends a command or pipeline whose
// connection broke before the reply arrived, and a second EXHINCRBY adds twice, a second EXHSET
// bumps the version again and answers "updated" instead of "created", a second EXHDEL answers 0.
// Reads are resent as go-redis does for any command.
var notResent = map[string]bool{
	"exhset": true, "exhsetnx": true, "exhmset": true, "exhmsetwithopts": true,
	"exhincrby": true, "exhincrbyfloat": true, "exhdel": true, "exhdelwithver": true,
	"exhexpire": true, "exhpexpire": true, "exhexpireat": true, "exhpexpireat": true,
	"exhpersist": true, "exhsetver": true,
}

// keyWrites are the key-level writes of Commands (commands_key.go). Only the typed calls are kept
// from being resent: the hook leaves the same commands sent by other code on the client alone.
var keyWrites = map[string]bool{"del": true, "unlink": true, "rename": true, "renamenx": true, "move": true, "copy": true}

type resendKey struct{}

// AllowResend returns a context under which go-redis may resend TairHash writes after a broken
// connection, as it does for any command. By default it may not: a write whose reply was lost
// fails with the connection's error instead of possibly applying twice, and the caller, who knows
// whether the write is idempotent for its purpose, decides. Reads are always resent.
func AllowResend(ctx context.Context) context.Context {
	return context.WithValue(ctx, resendKey{}, true)
}

func resendAllowed(ctx context.Context) bool { return ctx.Value(resendKey{}) != nil }

type writeKey struct{}

// sendingWrite marks the context of a direct call of a write: every command a backend sends for
// it is then kept from being resent, whatever its shape.
func sendingWrite(ctx context.Context, command string) context.Context {
	if !(notResent[command] || keyWrites[command]) || resendAllowed(ctx) {
		return ctx
	}
	return context.WithValue(ctx, writeKey{}, true)
}

// noResend wraps a command so that go-redis does not resend it, nor the pipeline holding it.
type noResend struct{ redis.Cmder }

func (noResend) NoRetry() bool { return true }

// clientHook is the go-redis hook NewClient installs: one per go-redis client, carrying the
// backends the client's Clients use (at most one per backend name, the latest).
type clientHook struct {
	backends atomic.Pointer[[]driver.Backend]
	cluster  bool // a cluster or ring client: go-redis splits a transaction by node
	batch    bool // one server: a pipeline's commands may be joined (see driver.Batcher)
}

func (h *clientHook) use(be driver.Backend) {
	for {
		old := h.backends.Load()
		var next []driver.Backend
		if old != nil {
			for _, b := range *old {
				if b.Name() != be.Name() {
					next = append(next, b)
				}
			}
		}
		next = append(next, be)
		if h.backends.CompareAndSwap(old, &next) {
			return
		}
	}
}

func (h *clientHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *clientHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if ctx.Value(writeKey{}) != nil || h.isWrite(ctx, cmd) {
			return next(ctx, noResend{cmd})
		}
		return next(ctx, cmd)
	}
}

func (h *clientHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		backends := h.backends.Load()
		if backends == nil || len(cmds) == 0 {
			return next(ctx, cmds)
		}
		sent, done := h.join(ctx, cmds, *backends)
		if strings.EqualFold(cmds[0].Name(), "multi") {
			return h.transaction(ctx, next, cmds, sent, done, *backends)
		}
		err := next(ctx, h.guard(ctx, sent))
		var retry []redis.Cmder
		for _, be := range *backends {
			if r, ok := be.(driver.Recoverer); ok {
				retry = append(retry, r.Recover(ctx, sent)...)
			}
		}
		if len(retry) > 0 {
			for _, c := range retry {
				c.SetErr(nil)
			}
			_ = next(ctx, h.guard(ctx, retry))
		}
		if done != nil {
			done()
		} else if len(retry) == 0 {
			return err
		}
		return driver.FirstError(cmds)
	}
}

// join offers cmds to the first backend that joins consecutive commands into one call
// (driver.Batcher), on a client of one server: it returns the commands to send, and done, which
// gives each of cmds its reply after they ran (nil when nothing was joined).
func (h *clientHook) join(ctx context.Context, cmds []redis.Cmder, backends []driver.Backend) ([]redis.Cmder, func()) {
	if !h.batch {
		return cmds, nil
	}
	for _, be := range backends {
		if b, ok := be.(driver.Batcher); ok {
			if sent, done := b.Batch(ctx, cmds); done != nil {
				return sent, done
			}
		}
	}
	return cmds, nil
}

// transaction runs one MULTI/EXEC (cmds, sent in place of them: see join) so that no command
// depends on code the server may have lost: a call failing inside EXEC would only be seen after
// the transaction's other commands ran. On one server, a backend may add a command that installs
// its code (driver.TransactionLoader); otherwise its calls carry the code
// (driver.Recoverer.PrepareTransaction). The caller sees its own commands' errors only.
func (h *clientHook) transaction(ctx context.Context, next redis.ProcessPipelineHook, cmds, sent []redis.Cmder, done func(), backends []driver.Backend) error {
	for _, be := range backends {
		if l, ok := be.(driver.TransactionLoader); ok && !h.cluster {
			sent = l.LoadInTransaction(sent)
		} else if r, ok := be.(driver.Recoverer); ok {
			r.PrepareTransaction(sent, h.cluster)
		}
	}
	err := next(ctx, h.guard(ctx, sent))
	if done != nil {
		done()
	}
	if first := driver.FirstError(cmds); first != nil || err == nil {
		return first
	}
	for _, c := range sent {
		if c.Err() == err && !slices.Contains(cmds, c) {
			return nil // the error of a command a backend added
		}
	}
	return err
}

// guard returns cmds with every TairHash write wrapped by noResend, or cmds itself when there is
// none (go-redis does not resend a pipeline that holds a command it may not resend).
func (h *clientHook) guard(ctx context.Context, cmds []redis.Cmder) []redis.Cmder {
	var out []redis.Cmder
	for i, c := range cmds {
		if !h.isWrite(ctx, c) {
			continue
		}
		if out == nil {
			out = append([]redis.Cmder(nil), cmds...)
		}
		out[i] = noResend{c}
	}
	if out == nil {
		return cmds
	}
	return out
}

func (h *clientHook) isWrite(ctx context.Context, c redis.Cmder) bool {
	if resendAllowed(ctx) {
		return false
	}
	if name := strings.ToLower(c.Name()); notResent[name] {
		return true // the module's own command (Native)
	}
	backends := h.backends.Load()
	if backends == nil {
		return false
	}
	for _, be := range *backends {
		if n, ok := be.(driver.CommandNamer); ok {
			if command, ok := n.CommandOf(c); ok {
				return notResent[command]
			}
		}
	}
	return false
}

// hooks holds the hook installed on each go-redis client, so that making many Clients over one
// go-redis client (one per request, say) adds one hook, not many. Clients are held weakly: an entry
// goes when its go-redis client is collected.
var hooks sync.Map // weak.Pointer to the go-redis client → *clientHook

// install adds be to the hook of rdb, installing the hook first if rdb has none, and reports
// whether rdb has the hook: a client type this package does not know gets neither the recovery
// nor the resend rule.
func install(rdb redis.UniversalClient, be driver.Backend) bool {
	h := &clientHook{}
	var key any
	var forget func()
	switch c := rdb.(type) {
	case *redis.Client:
		key, forget = weakEntry(c)
		h.batch = true // one server
	case *redis.ClusterClient:
		key, forget = weakEntry(c)
		h.cluster = true
	case *redis.Ring:
		key, forget = weakEntry(c)
		h.cluster = true // its transactions are split by shard too
	default:
		return false
	}
	if got, loaded := hooks.LoadOrStore(key, h); loaded {
		got.(*clientHook).use(be)
		return true
	}
	h.use(be)
	rdb.AddHook(h)
	forget()
	return true
}

// weakEntry returns the key of c in hooks and a function that arranges for the entry to go once c
// is collected.
func weakEntry[T any](c *T) (key any, forget func()) {
	k := weak.Make(c)
	return k, func() { runtime.AddCleanup(c, func(k weak.Pointer[T]) { hooks.Delete(k) }, k) }
}
