package exhash

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// Tx is a go-redis transaction (optimistic locking with WATCH) that also has the typed TairHash
// commands: direct calls on it run at once on the transaction's connection (reads to decide what
// to write), and TxPipelined queues the writes that EXEC applies only if no watched key changed.
type Tx struct {
	*redis.Tx
	Commands
	hooked bool // see Client
}

// Watch runs fn in a transaction watching keys, like go-redis' Watch, with the TairHash commands
// bound to the transaction: unlike Client.On on a *redis.Tx, nothing else is needed for the
// emulations' code to go with the transaction. fn's error, or redis.TxFailedErr when a watched key
// changed before EXEC, is returned.
//
// The emulations keep a key's field deadlines and versions in companion keys (see package emulate):
// watch the TairHash key itself; a change to any field, its TTL or its version changes the key.
func (c *Client) Watch(ctx context.Context, fn func(*Tx) error, keys ...string) error {
	return c.rdb.Watch(ctx, func(tx *redis.Tx) error {
		return fn(&Tx{Tx: tx, Commands: Commands{be: c.be, conn: tx}, hooked: c.hooked})
	}, keys...)
}

// TxPipeline returns a MULTI/EXEC pipeline on the transaction's connection, with the typed commands.
func (t *Tx) TxPipeline() Pipeliner { return newPipeline(t.be, t.Tx.TxPipeline(), true, t.hooked) }

// TxPipelined runs fn on a new TxPipeline and executes it: the queued commands apply only if no
// watched key changed (otherwise the error is redis.TxFailedErr).
func (t *Tx) TxPipelined(ctx context.Context, fn func(Pipeliner) error) ([]redis.Cmder, error) {
	return run(ctx, t.TxPipeline(), fn)
}

// Pipelined is TxPipelined: inside WATCH, the queued commands go into MULTI/EXEC.
func (t *Tx) Pipelined(ctx context.Context, fn func(Pipeliner) error) ([]redis.Cmder, error) {
	return t.TxPipelined(ctx, fn)
}
