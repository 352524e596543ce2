package emulate

import (
	"context"
	"errors"
	"strings"

	"github.com/redis/go-redis/v9"
)

// ExecPipeline implements exhash.PipelineExecer: it runs a pipeline made by exhash.Client so that
// scripts the server lost are reloaded without the caller noticing.
//
//   - MULTI/EXEC: nothing to do here; Do sent each script in full once (see Lua).
//   - plain pipeline: commands run independently, so the ones that failed with NOSCRIPT are sent
//     again with EVAL, in their order, after the rest.
func (l *Lua) ExecPipeline(ctx context.Context, p redis.Pipeliner, tx bool) ([]redis.Cmder, error) {
	if tx {
		cmds, err := p.Exec(ctx)
		exactIntegersIn(cmds, l.commandOf)
		return cmds, err
	}

	cmds, err := p.Exec(ctx)
	if resendFailed(ctx, p, cmds, func(c redis.Cmder) bool {
		s := l.ownScript(c)
		if s == nil || !isNoScript(c.Err()) {
			return false
		}
		asEval(c, s)
		return true
	}) {
		err = firstError(cmds)
	}
	exactIntegersIn(cmds, l.commandOf)
	return cmds, err
}

// resendFailed runs again, in their order and in one more round trip, the commands of an
// executed pipeline that rewrite turned into a form that cannot fail the same way (it reports
// whether it rewrote c). It reports whether any was resent.
func resendFailed(ctx context.Context, p redis.Pipeliner, cmds []redis.Cmder, rewrite func(redis.Cmder) bool) bool {
	var retry []redis.Cmder
	for _, c := range cmds {
		if rewrite(c) {
			c.SetErr(nil)
			retry = append(retry, c)
		}
	}
	if len(retry) == 0 {
		return false
	}
	for _, c := range retry {
		_ = p.Process(ctx, c)
	}
	_, _ = p.Exec(ctx)
	return true
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

// commandOf returns the TairHash command that c runs, when c is one of this backend's scripts.
func (l *Lua) commandOf(c redis.Cmder) (string, bool) {
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

func firstError(cmds []redis.Cmder) error {
	for _, c := range cmds {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
	}
	return nil
}
