package hfe

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// ExecPipeline implements driver.PipelineExecer for code that runs the backend on pipelines of its
// own (the protocol server). A plain pipeline's commands run independently, so those that failed
// because the server lost the backend's library or script are sent again (see Recover).
// Transactions need nothing here (see queue).
func (h *HFE) ExecPipeline(ctx context.Context, p redis.Pipeliner, tx bool) ([]redis.Cmder, error) {
	cmds, err := p.Exec(ctx)
	defer runner.ExactIntegersIn(cmds, h.singleCommandOf)
	if !tx && runner.Resend(ctx, p, h.Recover(ctx, cmds)) {
		err = driver.FirstError(cmds)
	}
	return cmds, err
}

// Recover implements driver.Recoverer: the backend's calls that failed because the server lost its
// library or script become the EVAL of the whole script, and the library is installed again for
// the next pipelines.
func (h *HFE) Recover(ctx context.Context, cmds []redis.Cmder) []redis.Cmder {
	var lost []redis.Cmder
	for _, c := range cmds {
		if !runner.IsFunctionMissing(c.Err()) && !runner.IsNoScript(c.Err()) {
			continue
		}
		args := c.Args()
		switch { // FCALL, EVALSHA and EVAL share the argument layout
		case h.ownCall(c):
			args[0], args[1] = "eval", hfeScript.source
		case batchCall(c):
			args[0], args[1] = "eval", hfeScript.batchSource
		default:
			continue
		}
		lost = append(lost, c)
	}
	if len(lost) == 0 {
		return nil
	}
	// Install the code again where Load installed it before; without such a client, queue sends
	// the whole script (EVAL) from now on, which works everywhere.
	h.functions.Store(false)
	h.scripts.Store(false)
	if rdb := h.loadedOn.Load(); rdb != nil {
		_ = h.Load(ctx, *rdb)
	}
	return lost
}

// PrepareTransaction implements driver.Recoverer: in one MULTI/EXEC the backend's first call of
// each form, single or batch (every call, on a cluster), is the EVAL of its whole script, which
// loads it, and the others its EVALSHA, so that the transaction does not depend on the server's
// cache.
func (h *HFE) PrepareTransaction(cmds []redis.Cmder, cluster bool) {
	loaded := map[string]bool{}
	for _, c := range cmds {
		source, sha := hfeScript.source, hfeScript.Hash()
		switch {
		case batchCall(c):
			source, sha = hfeScript.batchSource, hfeScript.batchSHA
		case !h.ownCall(c):
			continue
		}
		args := c.Args()
		switch {
		case cluster || !loaded[sha]:
			args[0], args[1] = "eval", source
		case !strings.EqualFold(args[0].(string), "eval"):
			args[0], args[1] = "evalsha", sha
		}
		loaded[sha] = true
	}
}

// scriptCommandArg is where a call of the backend's code carries the TairHash command name:
// after FCALL/EVALSHA/EVAL, its target, the key count, the three keys, the database and the op.
const scriptCommandArg = 8

// CommandOf implements driver.CommandNamer: the TairHash command that c runs, when c is a call of
// this backend's code (for a batch, see batchCommandOf).
func (h *HFE) CommandOf(c redis.Cmder) (string, bool) {
	if batchCall(c) {
		return batchCommandOf(c)
	}
	return h.singleCommandOf(c)
}

// singleCommandOf is CommandOf for the backend's single calls only: their replies are the
// command's own.
func (h *HFE) singleCommandOf(c redis.Cmder) (string, bool) {
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
