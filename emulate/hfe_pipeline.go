package emulate

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"
)

// ExecPipeline implements exhash.PipelineExecer for pipelines made by exhash.Client. A plain
// pipeline's commands run independently, so those that failed because the server lost the
// backend's library or script are sent again, in their order, as EVAL of the whole script, and
// the library is reloaded for the next pipelines. Transactions need nothing here (see queue).
func (h *HFE) ExecPipeline(ctx context.Context, p redis.Pipeliner, tx bool) ([]redis.Cmder, error) {
	cmds, err := p.Exec(ctx)
	defer exactIntegersIn(cmds, h.commandOf)
	if tx {
		return cmds, err
	}
	if !resendFailed(ctx, p, cmds, func(c redis.Cmder) bool {
		if !(isFunctionMissing(c.Err()) || isNoScript(c.Err())) || !h.ownCall(c) {
			return false
		}
		args := c.Args()
		args[0], args[1] = "eval", hfeScript.source // FCALL and EVALSHA share the argument layout
		return true
	}) {
		return cmds, err
	}
	// Install the code again where Load installed it before; without such a client, queue sends
	// the whole script (EVAL) from now on, which works everywhere.
	h.functions.Store(false)
	h.scripts.Store(false)
	if rdb := h.loadedOn.Load(); rdb != nil {
		_ = h.Load(ctx, *rdb)
	}
	return cmds, firstError(cmds)
}

// scriptCommandArg is where a call of the backend's code carries the TairHash command name:
// after FCALL/EVALSHA/EVAL, its target, the key count, the three keys, the database and the op.
const scriptCommandArg = 8

// commandOf returns the TairHash command that c runs, when c is a call of this backend's code.
func (h *HFE) commandOf(c redis.Cmder) (string, bool) {
	if !h.ownCall(c) || len(c.Args()) <= scriptCommandArg {
		return "", false
	}
	name, ok := c.Args()[scriptCommandArg].(string)
	return name, ok
}

// ownCall reports whether c is this backend's FCALL, EVALSHA or EVAL.
func (h *HFE) ownCall(c redis.Cmder) bool {
	args := c.Args()
	if len(args) < 2 {
		return false
	}
	name, _ := args[0].(string)
	target, _ := args[1].(string)
	switch strings.ToLower(name) {
	case "fcall":
		return target == hfeScript.function
	case "evalsha":
		return target == hfeScript.Hash()
	case "eval":
		return target == hfeScript.source
	}
	return false
}
