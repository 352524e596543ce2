package exhash

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// Backend carries TairHash commands to a server. It is the one seam between the typed client and the
// ways a server can hold TairHash data: the module's own EXH* commands (Native), Lua scripts over a
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

// Native is the backend for Tair and any Redis with the TairHash module: it sends the EXH* command
// unchanged. It is the thinnest backend and the reference the others are tested against.
type Native struct{}

// Name reports "tairhash".
func (Native) Name() string { return "tairhash" }

// Do sends args as they are.
func (Native) Do(ctx context.Context, c Conn, args ...any) *redis.Cmd {
	return c.Do(ctx, args...)
}

// PipelineExecer is implemented by a backend that must act around the Exec of the pipelines and
// transactions a Client makes (Pipeline, TxPipeline, Pipelined, TxPipelined): the Lua emulation
// uses it to reload scripts the server lost. ExecPipeline runs p's queued commands (tx: p is a
// MULTI/EXEC pipeline) and returns them like p.Exec.
type PipelineExecer interface {
	ExecPipeline(ctx context.Context, p redis.Pipeliner, tx bool) ([]redis.Cmder, error)
}
