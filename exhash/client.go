package exhash

import (
	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Client runs typed TairHash commands through a driver.Backend over a go-redis client. It is safe for
// concurrent use when the go-redis client is. The typed methods come from the embedded Commands;
// Pipeline, TxPipeline, Pipelined, TxPipelined and On give the same methods on pipelines and
// transactions.
type Client struct {
	Commands
	rdb    redis.UniversalClient
	hooked bool // rdb carries the hook (see NewClient), which recovers its pipelines itself
}

// Option configures NewClient.
type Option func(*Client)

// WithBackend selects how commands reach the server (default Native: the module's EXH* commands).
// A nil backend keeps the default.
func WithBackend(be driver.Backend) Option {
	return func(c *Client) {
		if be != nil {
			c.be = be
		}
	}
}

// NewClient returns a client that sends TairHash commands through rdb. It does not take ownership
// of rdb: closing rdb is the caller's job.
//
// NewClient adds one go-redis hook to rdb (once per go-redis client, however many Clients are made
// over it). The hook applies two rules to every pipeline and transaction of rdb, including those the
// caller makes and hands to On, and the transactions of rdb.Watch:
//   - code the server lost (SCRIPT FLUSH, FUNCTION FLUSH, restart, failover) is sent again with the
//     commands that need it, as direct calls do (see driver.Recoverer);
//   - TairHash writes are not resent by go-redis after a broken connection, because a lost reply
//     does not mean the write was not applied (see AllowResend).
//
// Clients over a *redis.Conn or another UniversalClient implementation get neither rule.
func NewClient(rdb redis.UniversalClient, opts ...Option) *Client {
	c := &Client{rdb: rdb}
	c.be = Native{}
	for _, o := range opts {
		o(c)
	}
	c.conn = rdb
	c.hooked = install(rdb, c.be)
	return c
}

// Redis returns the go-redis client the Client sends through.
func (c *Client) Redis() redis.UniversalClient { return c.rdb }

// Backend returns the backend commands go through.
func (c *Client) Backend() driver.Backend { return c.be }

// On returns the typed commands bound to conn, typically a go-redis Pipeliner the caller also
// queues plain Redis commands on (or a *redis.Tx inside Watch). Commands queued this way run when the
// caller executes the pipeline; read their results after Exec. A command refused by client-side
// validation queues nothing and reports the refusal through its Err, so check it (or use
// Client.Pipelined, which does so for you).
func (c *Client) On(conn driver.Conn) Commands { return Commands{be: c.be, conn: conn} }

// Commands is the set of typed TairHash commands bound to one connection (a client, a pipeline or
// a transaction) and one backend. Its methods only queue or run commands; it holds no other state
// and is cheap to copy. Obtain it from Client.On (or use a Client or Pipeliner, which embed it); the
// zero value has no backend.
type Commands struct {
	be   driver.Backend
	conn driver.Conn
	rec  *refusals       // set on pipelines made by Client, nil otherwise
	tx   *driver.TxScope // set on transactions made by Client, nil otherwise
}
