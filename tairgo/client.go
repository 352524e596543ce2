package tair

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// TairClient is a go-redis client with the Tair commands added: every method of the embedded
// *redis.Client is there, and the TairHash, TairString and TairZset methods come from the embedded
// command set. It is safe for concurrent use.
type TairClient struct {
	*redis.Client
	tairCmdable
}

// NewTairClient returns a client for one server (or, with NewTairFailoverClient, a Sentinel
// group). It does not connect: the TairHash backend (the module, hash-field expiration or Lua) is
// chosen at the first TairHash command, or forced with tairhash.WithKind in opts.
func NewTairClient(opt *redis.Options, opts ...tairhash.Option) *TairClient {
	return newTairClient(redis.NewClient(opt), opts)
}

// NewTairFailoverClient returns a TairClient that finds its master through Sentinel (tair-go has
// no such constructor; it is NewTairClient for redis.NewFailoverClient).
func NewTairFailoverClient(opt *redis.FailoverOptions, opts ...tairhash.Option) *TairClient {
	return newTairClient(redis.NewFailoverClient(opt), opts)
}

func newTairClient(rdb *redis.Client, opts []tairhash.Option) *TairClient {
	return &TairClient{Client: rdb, tairCmdable: tairCmdable{e: &engine{rdb: rdb, opts: opts}, conn: rdb}}
}

// TairPipeline returns a pipeline that queues Tair commands next to any go-redis command; read the
// commands' results after Exec.
func (c *TairClient) TairPipeline() TairPipeline {
	return newTairPipeline(c.e, c.Client.Pipeline())
}

// TairPipelined runs fn with a new TairPipeline (passed as a redis.Pipeliner; assert it to
// TairPipeline to queue Tair commands) and executes it. If fn returns an error nothing is sent.
func (c *TairClient) TairPipelined(ctx context.Context, fn func(redis.Pipeliner) error) ([]redis.Cmder, error) {
	return c.TairPipeline().Pipelined(ctx, fn)
}

// TairClusterOptions configures NewTairClusterClient.
type TairClusterOptions struct {
	*redis.ClusterOptions
}

// TairClusterClient is a go-redis cluster client with the Tair commands added, like TairClient.
type TairClusterClient struct {
	*redis.ClusterClient
	tairCmdable
}

// NewTairClusterClient returns a cluster client. Like NewTairClient it does not connect; the
// TairHash backend is chosen at the first TairHash command from what every master offers.
func NewTairClusterClient(opt *TairClusterOptions, opts ...tairhash.Option) *TairClusterClient {
	rdb := redis.NewClusterClient(opt.ClusterOptions)
	return &TairClusterClient{ClusterClient: rdb, tairCmdable: tairCmdable{e: &engine{rdb: rdb, opts: opts}, conn: rdb}}
}

// TairPipeline returns a pipeline for Tair and go-redis commands (not in tair-go, whose cluster
// client had none).
func (c *TairClusterClient) TairPipeline() TairPipeline {
	return newTairPipeline(c.e, c.ClusterClient.Pipeline())
}

// TairPipelined is TairClient.TairPipelined on the cluster.
func (c *TairClusterClient) TairPipelined(ctx context.Context, fn func(redis.Pipeliner) error) ([]redis.Cmder, error) {
	return c.TairPipeline().Pipelined(ctx, fn)
}

// engine holds the TairHash backend of one client, chosen once, at the first command that needs
// it. A failed detection is not remembered: the next command tries again.
type engine struct {
	rdb  redis.UniversalClient
	opts []tairhash.Option

	mu sync.Mutex
	be driver.Backend
}

func (e *engine) backend(ctx context.Context) (driver.Backend, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.be == nil {
		c, err := tairhash.Open(ctx, e.rdb, e.opts...)
		if err != nil {
			return nil, err
		}
		e.be = c.Backend()
	}
	return e.be, nil
}

// conn is what commands go through: a client or a pipeline.
type conn interface {
	driver.Conn
	Process(ctx context.Context, cmd redis.Cmder) error
}

// tairCmdable is the Tair command set bound to one client or pipeline.
type tairCmdable struct {
	e    *engine
	conn conn
	pipe *pipeState // set on pipelines
}

// TairHashBackend returns the backend TairHash commands go through, choosing it first if no
// command has done so yet: its Name() is "tairhash" (the module), "hfe" or "lua".
func (c tairCmdable) TairHashBackend(ctx context.Context) (driver.Backend, error) {
	return c.e.backend(ctx)
}

// hash runs (or, on a pipeline, queues) a TairHash command through the backend; cmd's arguments
// are the module's, and its result is filled from the backend's module-shaped reply.
func (c tairCmdable) hash(ctx context.Context, cmd redis.Cmder) {
	be, err := c.e.backend(ctx)
	if err != nil {
		cmd.SetErr(err)
		return
	}
	if c.pipe != nil {
		c.pipe.queue(ctx, be, c.conn, cmd)
		return
	}
	fill(cmd, be.Do(ctx, c.conn, cmd.Args()...))
}

// send runs (or queues) a command as it is: the TairString and TairZset commands, which only Tair
// knows.
func (c tairCmdable) send(ctx context.Context, cmd redis.Cmder) {
	_ = c.conn.Process(ctx, cmd)
}
