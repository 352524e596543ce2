package lua

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/emulate/lua/scripts"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Consecutive commands of a plain pipeline (made by a client on one server, see driver.Batcher)
// run as one call of the library's batch function (scripts.Library): the helpers the scripts
// re-create on every call are made once when the library is loaded, and the entry cost of a call
// is paid once per batch. The library is sent once (FUNCTION LOAD); servers that refuse
// functions run the same code as a script (scripts.BatchSource, by EVALSHA).

// maxBatch bounds the commands of one call, so that one connection's pipeline does not hold the
// server for long in one piece.
const maxBatch = 64

var luaLibrary = newLuaLibraryCode()

// batchScript is the library's script form as a script of the backend's (PrepareTransaction).
var batchScript = &cmdScript{sha: luaLibrary.sha, src: luaLibrary.source}

type luaLibraryCode struct {
	text, function string // FUNCTION LOAD text, FCALL name
	source, sha    string // the script form
}

func newLuaLibraryCode() luaLibraryCode {
	text, function := scripts.Library()
	sum := sha1.Sum([]byte(scripts.BatchSource))
	return luaLibraryCode{text: text, function: function, source: scripts.BatchSource, sha: hex.EncodeToString(sum[:])}
}

// batchable returns the script of c when c is a queued EVALSHA of one of the backend's commands
// with its usual three keys.
func (l *Lua) batchable(c redis.Cmder) *cmdScript {
	if _, ok := c.(*redis.Cmd); !ok {
		return nil
	}
	s := l.ownScript(c)
	if s == nil {
		return nil
	}
	if n, ok := c.Args()[2].(int); !ok || n != 3 || len(c.Args()) < 7 {
		return nil
	}
	return s
}

// Batch implements driver.Batcher: every run of consecutive calls of the backend's scripts
// (at most maxBatch, all naming the same database) becomes one call of the library. done gives
// each call its reply from the batch's. The hook keeps one backend of a name per client, so the
// calls may be another Lua backend's: each carries its own database.
func (l *Lua) Batch(ctx context.Context, cmds []redis.Cmder) ([]redis.Cmder, func()) {
	if l.unbatched {
		return nil, nil
	}
	type joined struct {
		batch *redis.Cmd
		cmds  []*redis.Cmd
		names []string
	}
	var send []redis.Cmder
	var batches []joined
	for i := 0; i < len(cmds); {
		if l.batchable(cmds[i]) == nil {
			send = append(send, cmds[i])
			i++
			continue
		}
		var j joined
		var keys, argv []any
		db := cmds[i].Args()[6] // the database named in notifications, as each call carries it
		for ; i < len(cmds) && len(j.cmds) < maxBatch; i++ {
			s := l.batchable(cmds[i])
			if s == nil || cmds[i].Args()[6] != db {
				break
			}
			c := cmds[i].(*redis.Cmd)
			args := c.Args() // evalsha, sha, 3, K, T, V, db, module arguments…
			keys = append(keys, args[3:6]...)
			argv = append(argv, s.name, len(args)-7)
			argv = append(argv, args[7:]...)
			j.cmds = append(j.cmds, c)
			j.names = append(j.names, s.command)
		}
		call := make([]any, 0, 4+len(keys)+len(argv))
		if l.scriptsOnly.Load() {
			call = append(call, "evalsha", luaLibrary.sha)
		} else {
			call = append(call, "fcall", luaLibrary.function)
		}
		call = append(call, len(keys))
		call = append(call, keys...)
		call = append(call, db)
		call = append(call, argv...)
		j.batch = redis.NewCmd(ctx, call...)
		send = append(send, j.batch)
		batches = append(batches, j)
	}
	if len(batches) == 0 {
		return nil, nil
	}
	return send, func() {
		for _, j := range batches {
			l.split(j.batch, j.cmds, j.names)
		}
	}
}

// split gives each of cmds (the commands named names) its reply from the batch call that ran them.
func (l *Lua) split(batch *redis.Cmd, cmds []*redis.Cmd, names []string) {
	if load, ok := l.loads.LoadAndDelete(batch); ok && runner.Refused(load.(*redis.Cmd).Err()) {
		l.scriptsOnly.Store(true) // the library cannot be loaded: the script form from now on
	}
	v, err := batch.Result()
	pair, _ := v.([]any) // {replies, errors}: see scripts.Library
	var replies, failed []any
	if len(pair) == 2 {
		replies, _ = pair[0].([]any)
		failed, _ = pair[1].([]any)
	}
	if err == nil && (len(replies) != len(cmds) || len(failed)%2 != 0) {
		err = errors.New("tairhash: batch call answered " + strconv.Itoa(len(replies)) + " replies for " + strconv.Itoa(len(cmds)) + " commands")
	}
	if err != nil {
		for _, c := range cmds {
			c.SetErr(err)
		}
		return
	}
	for i, c := range cmds {
		if replies[i] == nil {
			c.SetErr(redis.Nil)
		} else {
			c.SetVal(replies[i])
			runner.ExactIntegers(names[i], c)
		}
	}
	for i := 0; i < len(failed); i += 2 {
		pos, _ := failed[i].(int64)
		text, _ := failed[i+1].(string)
		if pos >= 1 && int(pos) <= len(cmds) {
			cmds[pos-1].SetErr(exhash.NewError(text))
		}
	}
}

// recoverBatches rewrites the batch calls that failed because the server lacks the library (or,
// without functions, its script form), or is a read-only replica, into the EVAL of the script
// form, which carries the code.
// A FUNCTION LOAD goes before them so that the next pipelines find the library; when the server
// refuses it (split looks at its reply after the resend), or refuses FCALL, the backend uses the
// script form from then on.
func (l *Lua) recoverBatches(cmds []redis.Cmder) []redis.Cmder {
	var lost, missing []redis.Cmder
	for _, c := range cmds {
		args := c.Args()
		if len(args) < 2 || c.Err() == nil {
			continue
		}
		name, _ := args[0].(string)
		target, _ := args[1].(string)
		switch {
		case name == "fcall" && target == luaLibrary.function:
			switch err := c.Err(); {
			case runner.IsFunctionMissing(err):
				missing = append(missing, c)
			case runner.Refused(err):
				l.scriptsOnly.Store(true)
			case runner.OnReplica(err): // a script may run there, and fail only if it writes
			default:
				continue
			}
		case name == "evalsha" && target == luaLibrary.sha && runner.IsNoScript(c.Err()):
		default:
			continue
		}
		args[0], args[1] = "eval", luaLibrary.source // FCALL, EVALSHA and EVAL share the layout
		lost = append(lost, c)
	}
	if len(missing) > 0 {
		load := redis.NewCmd(context.Background(), "function", "load", "replace", luaLibrary.text)
		for _, c := range missing {
			l.loads.Store(c, load)
		}
		lost = append([]redis.Cmder{load}, lost...)
	}
	return lost
}

// batchCommand returns the TairHash command a batch call runs, for driver.CommandNamer: its first
// write, or its first command when all read.
func batchCommand(c redis.Cmder) (string, bool) {
	args := c.Args()
	if len(args) < 4 {
		return "", false
	}
	name, _ := args[0].(string)
	target, _ := args[1].(string)
	own := (name == "fcall" && target == luaLibrary.function) || (name == "evalsha" && target == luaLibrary.sha) ||
		(name == "eval" && target == luaLibrary.source)
	nkeys, ok := args[2].(int)
	if !own || !ok {
		return "", false
	}
	first := ""
	for p := 3 + nkeys + 1; p+1 < len(args); {
		op, _ := args[p].(string)
		argc, _ := args[p+1].(int)
		if first == "" {
			first = op
		}
		if !runner.Reads[op] {
			return op, true
		}
		p += 2 + argc
	}
	return first, first != ""
}

// callLibrary runs one command directly (not queued) as a batch of one, loading the library when
// the server lacks it; evalsha is the command's EVALSHA (see Do). It returns nil when the command
// is to take its own script instead: with WithLuaOneCallPerCommand, or where the library cannot
// be loaded.
func (l *Lua) callLibrary(ctx context.Context, conn driver.Conn, s *cmdScript, evalsha []any) *redis.Cmd {
	if l.unbatched || l.scriptsOnly.Load() {
		return nil
	}
	call := make([]any, 0, 2+len(evalsha))
	call = append(call, "fcall", luaLibrary.function)
	call = append(call, evalsha[2:7]...) // 3 K T V db
	call = append(call, s.name, len(evalsha)-7)
	call = append(call, evalsha[7:]...)
	batch := conn.Do(ctx, call...)
	if runner.IsFunctionMissing(batch.Err()) {
		var err error
		if uc, ok := conn.(redis.UniversalClient); ok {
			err = runner.ForEachMaster(ctx, uc, func(ctx context.Context, c redis.UniversalClient) error {
				return c.FunctionLoadReplace(ctx, luaLibrary.text).Err()
			})
		} else {
			err = conn.Do(ctx, "function", "load", "replace", luaLibrary.text).Err()
		}
		if err != nil {
			if runner.Refused(err) {
				l.scriptsOnly.Store(true)
			}
			return nil
		}
		batch = conn.Do(ctx, call...)
	}
	if err := batch.Err(); runner.IsFunctionMissing(err) || runner.Refused(err) {
		l.scriptsOnly.Store(true)
		return nil
	} else if runner.OnReplica(err) {
		return nil // the command's own script can read there
	}
	cmd := redis.NewCmd(ctx, call...)
	l.split(batch, []*redis.Cmd{cmd}, []string{s.command})
	return cmd
}
