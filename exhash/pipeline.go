package exhash

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Pipeliner is a go-redis Pipeliner that also has the typed TairHash commands: plain Redis and
// TairHash commands can be queued together and run by one Exec.
//
// If a TairHash command was refused by client-side validation, Exec of a transaction (TxPipeline,
// TxPipelined) sends nothing and returns that refusal, like Redis aborting a MULTI whose commands
// could not be queued; Exec of a plain pipeline runs the other commands and returns the refusal if
// no command failed before it.
type Pipeliner interface {
	redis.Pipeliner
	Cmdable
}

// refusals collects client-side refusals of commands queued on one pipeline.
type refusals struct{ errs []error }

func (r *refusals) add(err error) { r.errs = append(r.errs, err) }

func (r *refusals) first() error {
	if len(r.errs) == 0 {
		return nil
	}
	return r.errs[0]
}

type pipeline struct {
	redis.Pipeliner
	Commands
	tx bool
	// byBackend: Exec goes through the backend's PipelineExecer, for go-redis clients without the
	// hook, which otherwise does that work (see NewClient).
	byBackend bool
}

func newPipeline(be driver.Backend, p redis.Pipeliner, tx, hooked bool) *pipeline {
	cs := Commands{be: be, conn: p, rec: &refusals{}}
	if tx {
		cs.tx = &driver.TxScope{}
	}
	_, byBackend := be.(driver.PipelineExecer)
	return &pipeline{Pipeliner: p, Commands: cs, tx: tx, byBackend: byBackend && !hooked}
}

// Pipeline returns a pipeline carrying both plain Redis and typed TairHash commands.
func (c *Client) Pipeline() Pipeliner { return newPipeline(c.be, c.rdb.Pipeline(), false, c.hooked) }

// TxPipeline returns a pipeline wrapped in MULTI/EXEC. Note that the module reports arity, syntax
// and version errors of queued EXH* commands inside the EXEC reply: the other commands still run.
func (c *Client) TxPipeline() Pipeliner { return newPipeline(c.be, c.rdb.TxPipeline(), true, c.hooked) }

// Pipelined runs fn with a new pipeline and executes it, like redis.Client.Pipelined. If fn returns
// an error nothing is sent.
//
// The returned commands are what went over the wire: on the emulations a TairHash command is the
// backend's script or function call (its Args are not the EXH* command). Read TairHash results from
// the typed commands fn queued (their Result, Val, Err), and use the returned slice for the plain
// go-redis commands, or for the error of each command in order.
func (c *Client) Pipelined(ctx context.Context, fn func(Pipeliner) error) ([]redis.Cmder, error) {
	return run(ctx, c.Pipeline(), fn)
}

// TxPipelined is Pipelined in a MULTI/EXEC transaction.
func (c *Client) TxPipelined(ctx context.Context, fn func(Pipeliner) error) ([]redis.Cmder, error) {
	return run(ctx, c.TxPipeline(), fn)
}

func run(ctx context.Context, p Pipeliner, fn func(Pipeliner) error) ([]redis.Cmder, error) {
	if err := fn(p); err != nil {
		p.Discard()
		return nil, err
	}
	return p.Exec(ctx)
}

// Exec sends the queued commands; see Pipeliner for how refused commands are handled. A server error
// of the first failed command is returned as an *Error.
func (p *pipeline) Exec(ctx context.Context) ([]redis.Cmder, error) {
	refused := p.rec.first()
	p.rec.errs = nil
	if refused != nil && p.tx {
		cmds := append([]redis.Cmder(nil), p.Pipeliner.Cmds()...)
		for _, cmd := range cmds {
			cmd.SetErr(refused)
		}
		p.Pipeliner.Discard()
		return cmds, refused
	}
	defer p.resetScope()
	var cmds []redis.Cmder
	var err error
	if p.byBackend {
		cmds, err = p.be.(driver.PipelineExecer).ExecPipeline(ctx, p.Pipeliner, p.tx)
	} else {
		cmds, err = p.Pipeliner.Exec(ctx)
	}
	if err == nil && refused != nil {
		err = refused
	}
	return cmds, WrapError(err)
}

// Discard drops the queued commands, including the record of refused ones.
func (p *pipeline) Discard() {
	p.rec.errs = nil
	p.resetScope()
	p.Pipeliner.Discard()
}

// Pipelined runs fn on this pipeline and executes it.
func (p *pipeline) Pipelined(ctx context.Context, fn func(redis.Pipeliner) error) ([]redis.Cmder, error) {
	if err := fn(p); err != nil {
		return nil, err
	}
	return p.Exec(ctx)
}

// resetScope starts a new transaction scope: the pipeline may be used for another MULTI/EXEC.
func (p *pipeline) resetScope() {
	if p.tx {
		p.Commands.tx = &driver.TxScope{}
	}
}
