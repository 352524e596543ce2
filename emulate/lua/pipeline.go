package lua

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// ExecPipeline implements driver.PipelineExecer for code that runs a backend on pipelines of its
// own (the protocol server): transactions need nothing here (see Lua); in a plain pipeline the
// commands that failed with NOSCRIPT are sent again with EVAL, in their order, after the rest.
func (l *Lua) ExecPipeline(ctx context.Context, p redis.Pipeliner, tx bool) ([]redis.Cmder, error) {
	cmds, err := p.Exec(ctx)
	if !tx && runner.Resend(ctx, p, l.Recover(ctx, cmds)) {
		err = driver.FirstError(cmds)
	}
	runner.ExactIntegersIn(cmds, l.scriptCommand)
	return cmds, err
}

// Recover implements driver.Recoverer: it rewrites the backend's commands that failed with
// NOSCRIPT into the EVAL of their script, which also loads it again.
func (l *Lua) Recover(_ context.Context, cmds []redis.Cmder) []redis.Cmder {
	var lost []redis.Cmder
	for _, c := range cmds {
		if s := l.ownScript(c); s != nil && runner.IsNoScript(c.Err()) {
			asEval(c, s)
			lost = append(lost, c)
		}
	}
	return append(lost, l.recoverBatches(cmds)...)
}

// PrepareTransaction implements driver.Recoverer: in one MULTI/EXEC the first call of each script
// (every call, on a cluster) is sent as EVAL, which loads the script for the calls after it. A
// batch call (Batch, which exhash-server uses inside transactions too) goes as the library's
// script form: EVAL first, EVALSHA after, as the library itself may be missing.
func (l *Lua) PrepareTransaction(cmds []redis.Cmder, cluster bool) {
	var sent map[*cmdScript]bool
	for _, c := range cmds {
		args := c.Args()
		if len(args) < 2 {
			continue
		}
		var s *cmdScript
		name, _ := args[0].(string)
		switch text, _ := args[1].(string); strings.ToLower(name) {
		case "eval":
			s = l.bySource(text)
			if text == batchScript.src {
				s = batchScript
			}
		case "evalsha", "fcall":
			if s = l.bySHA[text]; text == batchScript.sha || text == luaLibrary.function {
				s = batchScript
				args[0], args[1] = "evalsha", s.sha // FCALL and EVALSHA share the layout
			}
			if s != nil && (cluster || !sent[s]) {
				asEval(c, s)
			}
		}
		if s != nil {
			if sent == nil {
				sent = map[*cmdScript]bool{}
			}
			sent[s] = true
		}
	}
}

// ownScript returns the script an EVALSHA command runs, if it is one of this backend's.
func (l *Lua) ownScript(c redis.Cmder) *cmdScript {
	args := c.Args()
	if len(args) < 2 {
		return nil
	}
	if name, _ := args[0].(string); !strings.EqualFold(name, "evalsha") {
		return nil
	}
	sha, _ := args[1].(string)
	return l.bySHA[sha]
}

// asEval rewrites a queued EVALSHA of s into the EVAL of its source (go-redis sends a command's
// argument slice as it is when the pipeline runs).
func asEval(c redis.Cmder, s *cmdScript) {
	args := c.Args()
	args[0], args[1] = "eval", s.src
}

// CommandOf implements driver.CommandNamer: the TairHash command that c runs, when c is one of
// this backend's scripts.
func (l *Lua) CommandOf(c redis.Cmder) (string, bool) {
	if name, ok := batchCommand(c); ok {
		return name, true
	}
	return l.scriptCommand(c)
}

// scriptCommand is the TairHash command that c runs when c is one of this backend's per-command
// scripts. A joined call (see lua_batch.go) is not one: its replies are many commands' and are
// made exact by the batch itself, so the integer pass of ExecPipeline must not name it.
func (l *Lua) scriptCommand(c redis.Cmder) (string, bool) {
	args := c.Args()
	if len(args) < 2 {
		return "", false
	}
	s, _ := args[1].(string)
	var script *cmdScript
	if name, _ := args[0].(string); strings.EqualFold(name, "eval") {
		script = l.bySource(s)
	} else {
		script = l.bySHA[s]
	}
	if script == nil {
		return "", false
	}
	return script.command, true
}

func (l *Lua) bySource(src string) *cmdScript {
	for _, s := range l.scripts {
		if s.src == src {
			return s
		}
	}
	return nil
}
