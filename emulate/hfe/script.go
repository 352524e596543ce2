package hfe

import (
	"context"
	"crypto/sha1"
	"embed"
	"encoding/hex"
	"io/fs"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/luapart"
	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/grammar"
)

// The hash-field-expiration backend's Lua code is assembled from the helpers both backends share
// (luapart) and the *.lua files beside it in name order (shared definitions, writes, increments,
// reads, dispatch), without comments (luapart.Strip), and installed in one of two forms:
//
//   - a function library (FUNCTION LOAD, then FCALL): its definitions are made once when it is
//     loaded, so a call costs little more than the commands it runs; the library is replicated
//     and persisted with the data;
//   - an EVAL script, for servers or users that cannot load functions: every call then re-creates
//     the definitions (several microseconds of server time per call).
//
// The library and its function are named after the code's digest, so that clients of different
// versions can share a server during an upgrade.
//
//go:embed *.lua
var hfeFiles embed.FS

var hfeScript = loadHFEScript()

type hfeCode struct {
	*redis.Script        // the EVAL form (EVALSHA with fallback to EVAL)
	source        string // the EVAL form's text
	library       string // the FUNCTION LOAD text
	function      string // the FCALL name

	// The same for a batch of commands (hfe_batch.go): its function in the library, and its own
	// EVAL form with that form's digest.
	batchFunction, batchSource, batchSHA string
}

func loadHFEScript() hfeCode {
	entries, err := fs.ReadDir(hfeFiles, ".")
	if err != nil {
		panic("emulate: embedded hfe scripts: " + err.Error())
	}
	var b strings.Builder
	b.WriteString(grammar.LuaConstants()) // the module's error texts, as E_* constants
	b.WriteString(luapart.Helpers)        // the clock and int64 helpers both backends share
	for _, e := range entries {
		src, err := hfeFiles.ReadFile(e.Name())
		if err != nil {
			panic("emulate: embedded hfe scripts: " + err.Error())
		}
		b.Write(src)
		b.WriteByte('\n')
	}
	body := luapart.Strip(b.String())
	sum := sha1.Sum([]byte(body))
	name := "exhash_hfe_" + hex.EncodeToString(sum[:6])
	source := body + "return dispatch(KEYS, ARGV)\n"
	batchSource := body + "return batch(KEYS, ARGV)\n"
	batchSum := sha1.Sum([]byte(batchSource))
	return hfeCode{
		Script: redis.NewScript(source),
		source: source,
		library: "#!lua name=" + name + "\n" + body + "redis.register_function('" + name + "', dispatch)\n" +
			"redis.register_function('" + name + "_batch', batch)\n",
		function:      name,
		batchFunction: name + "_batch",
		batchSource:   batchSource,
		batchSHA:      hex.EncodeToString(batchSum[:]),
	}
}

// run calls the code on a client (not a pipeline): through the function library when it can, or
// the EVAL form.
func (h *HFE) run(ctx context.Context, c redis.Scripter, keys []string, argv []any) *redis.Cmd {
	if !h.evalOnly.Load() {
		fc, ok := c.(interface {
			FCall(context.Context, string, []string, ...any) *redis.Cmd
		})
		if ok {
			cmd := fc.FCall(ctx, hfeScript.function, keys, argv...)
			if !runner.IsFunctionMissing(cmd.Err()) && !runner.IsUnknownCommand(cmd.Err()) {
				return cmd
			}
			if uc, ok := c.(redis.UniversalClient); ok && h.Load(ctx, uc) == nil && h.functions.Load() {
				if cmd = fc.FCall(ctx, hfeScript.function, keys, argv...); !runner.IsFunctionMissing(cmd.Err()) {
					return cmd
				}
			} else if runner.IsUnknownCommand(cmd.Err()) {
				h.evalOnly.Store(true) // no functions on this server
			}
		}
	}
	return hfeScript.Run(ctx, c, keys, argv...)
}

// queue adds the call to a pipeline: FCALL once Load installed the library everywhere, EVALSHA
// once it installed the script, else EVAL with the whole text (a pipeline cannot fall back).
func (h *HFE) queue(ctx context.Context, p redis.Pipeliner, keys []string, argv []any) *redis.Cmd {
	// Inside MULTI/EXEC a missing library or script would fail its command only after the others
	// ran, so the transaction does not depend on the server's cache: the first call sends the
	// whole script (EVAL also caches it), the next ones its digest.
	if scope := driver.TxScopeOf(ctx); scope != nil {
		if scope.First(hfeScript.Hash()) {
			return p.Eval(ctx, hfeScript.source, keys, argv...)
		}
		return p.EvalSha(ctx, hfeScript.Hash(), keys, argv...)
	}
	switch {
	case h.functions.Load():
		return p.FCall(ctx, hfeScript.function, keys, argv...)
	case h.scripts.Load():
		return p.EvalSha(ctx, hfeScript.Hash(), keys, argv...)
	}
	return p.Eval(ctx, hfeScript.source, keys, argv...)
}

// Load installs the backend's code on every master of rdb: the function library where FUNCTION
// LOAD is allowed, the EVAL script otherwise. Afterwards commands queued in pipelines send a
// short FCALL (or EVALSHA) instead of the script's text. tairhash.Open calls it; commands on a
// client call it by themselves when the library is missing.
//
// A server that loses the library (restart without persistence, FUNCTION FLUSH) or the script
// (restart, failover, SCRIPT FLUSH) is repaired transparently: direct calls reload and retry,
// pipelines made by exhash.Client resend the failed commands with the whole script (ExecPipeline),
// and transactions never depend on the cache (see queue).
func (h *HFE) Load(ctx context.Context, rdb redis.UniversalClient) error {
	h.loadedOn.Store(&rdb)
	fnErr := runner.ForEachMaster(ctx, rdb, func(ctx context.Context, c redis.UniversalClient) error {
		return c.FunctionLoadReplace(ctx, hfeScript.library).Err()
	})
	if fnErr == nil {
		h.functions.Store(true)
		return nil
	}
	err := runner.ForEachMaster(ctx, rdb, func(ctx context.Context, c redis.UniversalClient) error {
		if err := c.ScriptLoad(ctx, hfeScript.source).Err(); err != nil {
			return err
		}
		return c.ScriptLoad(ctx, hfeScript.batchSource).Err()
	})
	if err == nil {
		h.scripts.Store(true)
		h.evalOnly.Store(true) // functions cannot be loaded here: stop trying on every call
	}
	return err
}
