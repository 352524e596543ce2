package lua

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// ExecPipeline implements driver.PipelineExecer for code that runs a backend on pipelines of its
// own (the protocol server): transactions need nothing here (see Lua); in a plain pipeline the
// calls that failed because the server lacks the library are sent again (Recover), in their
// order, after the rest.
func (l *Lua) ExecPipeline(ctx context.Context, p redis.Pipeliner, tx bool) ([]redis.Cmder, error) {
	cmds, err := p.Exec(ctx)
	if !tx && runner.Resend(ctx, p, l.Recover(ctx, cmds)) {
		err = driver.FirstError(cmds)
	}
	runner.ExactIntegersIn(cmds, l.scriptCommand)
	return cmds, err
}

// Recover implements driver.Recoverer: it rewrites the calls that failed because the server lacks
// the library (or, for the script form, the script), refuses functions, or is a read-only replica
// into the EVAL of the script form, which carries the code. A FUNCTION LOAD goes before them so
// that the next pipelines find the library; when the server refuses it, the backend uses the
// script form from the next pipeline on (learnFromLoad).
func (l *Lua) Recover(_ context.Context, cmds []redis.Cmder) []redis.Cmder {
	l.learnFromLoad()
	var lost []redis.Cmder
	missing := false
	for _, c := range cmds {
		code := luaCodeOf(c)
		if code == nil || c.Err() == nil {
			continue
		}
		switch err, form := c.Err(), c.Args()[0]; {
		case form == "fcall" && runner.IsFunctionMissing(err):
			missing = true
		case form == "fcall" && runner.Refused(err):
			l.scriptsOnly.Store(true)
		case form == "fcall" && runner.OnReplica(err): // a script may run there, and fail only if it writes
		case form == "evalsha" && runner.IsNoScript(err):
		default:
			continue
		}
		code.asEval(c.Args())
		lost = append(lost, c)
	}
	if missing {
		load := redis.NewCmd(context.Background(), "function", "load", "replace", luaLibrary.text)
		l.lastLoad.Store(load)
		lost = append([]redis.Cmder{load}, lost...)
	}
	return lost
}

// learnFromLoad switches to the script form when the last FUNCTION LOAD that Recover sent was
// refused.
func (l *Lua) learnFromLoad() {
	if load := l.lastLoad.Load(); load != nil && runner.Refused(load.Err()) && l.lastLoad.CompareAndSwap(load, nil) {
		l.scriptsOnly.Store(true)
	}
}

// PrepareTransaction implements driver.Recoverer: in one MULTI/EXEC the calls of the library go in
// its script form, the first of each function (every one, on a cluster) as EVAL, which loads it
// for the calls after it.
func (l *Lua) PrepareTransaction(cmds []redis.Cmder, cluster bool) {
	var sent map[*luaCode]bool
	for _, c := range cmds {
		code := luaCodeOf(c)
		if code == nil {
			continue
		}
		if cluster || !sent[code] {
			code.asEval(c.Args())
		} else {
			code.asEvalSHA(c.Args())
		}
		if sent == nil {
			sent = map[*luaCode]bool{}
		}
		sent[code] = true
	}
}

// LoadInTransaction implements driver.TransactionLoader: the calls of the library in cmds (one
// MULTI/EXEC on one server) go as FCALLs, behind a FUNCTION LOAD of the library as the
// transaction's first command. Redis looks a function up only when EXEC runs the FCALL; the load
// (without REPLACE: a server that has the library answers that it exists, without compiling it)
// makes sure it is there. Until a function call succeeded, and where functions are refused, the
// calls carry their code instead (PrepareTransaction): a refused FUNCTION LOAD would abort the
// whole transaction.
func (l *Lua) LoadInTransaction(cmds []redis.Cmder) []redis.Cmder {
	if l.scriptsOnly.Load() || !l.functionsOK.Load() || len(cmds) < 2 {
		l.PrepareTransaction(cmds, false)
		return cmds
	}
	ours := false
	for _, c := range cmds {
		if code := luaCodeOf(c); code != nil {
			code.asFCall(c.Args())
			ours = true
		}
	}
	if !ours {
		return cmds
	}
	load := redis.NewCmd(context.Background(), "function", "load", luaLibrary.text)
	send := make([]redis.Cmder, 0, len(cmds)+1)
	send = append(send, cmds[0], load) // after MULTI
	return append(send, cmds[1:]...)
}

// CommandOf implements driver.CommandNamer: the TairHash command that c runs, when c is a call of
// this backend's library (of a batch, its first write).
func (l *Lua) CommandOf(c redis.Cmder) (string, bool) { return commandOf(c) }

// scriptCommand is the TairHash command that c runs when c is a call of one command. A batch call
// is not one: its replies are many commands' and are made exact by the batch itself, so the
// integer pass of ExecPipeline must not name it.
func (l *Lua) scriptCommand(c redis.Cmder) (string, bool) {
	if luaCodeOf(c) != luaOne {
		return "", false
	}
	return commandOf(c)
}
