package tair

import (
	"context"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// TairPipeline is a go-redis pipeline with the Tair commands added. Exec returns the commands in
// the order they were queued, the Tair ones as the go-redis commands their methods returned
// (whatever an emulation backend sent in their place stays hidden). A TairPipeline is a value that
// shares its queue with its copies, as tair-go's did.
type TairPipeline struct {
	*redis.Pipeline
	tairCmdable
}

func newTairPipeline(e *engine, p redis.Pipeliner) TairPipeline {
	pipe := p.(*redis.Pipeline) // what Client.Pipeline and ClusterClient.Pipeline return
	return TairPipeline{Pipeline: pipe, tairCmdable: tairCmdable{e: e, conn: pipe, pipe: &pipeState{}}}
}

// Exec sends the queued commands and returns them with the first error, like redis.Pipeline.Exec.
func (p TairPipeline) Exec(ctx context.Context) ([]redis.Cmder, error) {
	return p.pipe.exec(ctx, p.Pipeline)
}

// Pipelined runs fn and executes the pipeline; if fn returns an error nothing is sent. fn gets a
// redis.Pipeliner that queues on this pipeline; assert it to TairCmdable to queue Tair commands.
func (p TairPipeline) Pipelined(ctx context.Context, fn func(redis.Pipeliner) error) ([]redis.Cmder, error) {
	return pipeliner{goPipeline: p.Pipeline, tairCmdable: p.tairCmdable}.Pipelined(ctx, fn)
}

// Discard drops the queued commands.
func (p TairPipeline) Discard() { p.pipe.discard(p.Pipeline) }

// goPipeline names the embedded pipeline of pipeliner so that its Pipeline method, which
// redis.Pipeliner requires, is not hidden by a field of that name (as it is on TairPipeline).
type goPipeline = redis.Pipeline

// pipeliner is the redis.Pipeliner form of a TairPipeline.
type pipeliner struct {
	*goPipeline
	tairCmdable
}

func (p pipeliner) Exec(ctx context.Context) ([]redis.Cmder, error) {
	return p.pipe.exec(ctx, p.goPipeline)
}

func (p pipeliner) Pipelined(ctx context.Context, fn func(redis.Pipeliner) error) ([]redis.Cmder, error) {
	if err := fn(p); err != nil {
		p.Discard()
		return nil, err
	}
	return p.Exec(ctx)
}

func (p pipeliner) Discard() { p.pipe.discard(p.goPipeline) }

// pipeState records the TairHash commands queued on a pipeline until Exec fills them.
type pipeState struct {
	mu    sync.Mutex
	be    driver.Backend
	items []queued
}

// queued is one TairHash command: what its method returned (cmd), what the backend made of it
// (raw), and the positions [from, to) of the pipeline's queue that the backend used for it, empty
// when the backend answered without the server.
type queued struct {
	cmd      redis.Cmder
	raw      *redis.Cmd
	from, to int
}

func (s *pipeState) queue(ctx context.Context, be driver.Backend, c conn, cmd redis.Cmder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := c.(redis.Pipeliner)
	from := p.Len()
	raw := be.Do(ctx, c, cmd.Args()...)
	s.be = be
	s.items = append(s.items, queued{cmd: cmd, raw: raw, from: from, to: p.Len()})
}

// exec runs pipe's commands, through the backend's own pipeline handling when TairHash commands
// are queued, and fills the TairHash commands.
func (s *pipeState) exec(ctx context.Context, pipe *redis.Pipeline) ([]redis.Cmder, error) {
	be, items := s.take()
	var cmds []redis.Cmder
	if x, ok := be.(driver.PipelineExecer); ok {
		cmds, _ = x.ExecPipeline(ctx, pipe, false)
	} else {
		cmds, _ = pipe.Exec(ctx)
	}
	for _, it := range items {
		fill(it.cmd, it.raw)
	}
	out := merge(cmds, items)
	for _, c := range out {
		if err := c.Err(); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (s *pipeState) discard(pipe *redis.Pipeline) {
	s.take()
	pipe.Discard()
}

func (s *pipeState) take() (driver.Backend, []queued) {
	s.mu.Lock()
	defer s.mu.Unlock()
	be, items := s.be, s.items
	s.be, s.items = nil, nil
	return be, items
}

// merge puts each TairHash command in the place of what the backend queued for it.
func merge(cmds []redis.Cmder, items []queued) []redis.Cmder {
	out := make([]redis.Cmder, 0, len(cmds)+len(items))
	next, skipTo := 0, 0
	for i := 0; ; i++ {
		for next < len(items) && items[next].from == i {
			out = append(out, items[next].cmd)
			skipTo = max(skipTo, items[next].to)
			next++
		}
		if i >= len(cmds) {
			for _, it := range items[next:] {
				out = append(out, it.cmd)
			}
			return out
		}
		if i >= skipTo {
			out = append(out, cmds[i])
		}
	}
}
