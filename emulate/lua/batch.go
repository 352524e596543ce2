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
)

// Consecutive commands of a plain pipeline or a transaction (made by a client on one server, see
// driver.Batcher) run as one call of the library's batch function (scripts.Library): the entry
// cost of a call is paid once per batch, and the server's clock is read once for all of them.

// maxBatch bounds the commands of one call, so that one connection's pipeline does not hold the
// server for long in one piece.
const maxBatch = 64

// luaLibrary is the function library, and luaOne and luaBatch its two functions.
var luaLibrary, luaOne, luaBatch = newLuaLibrary()

// luaCode is one function of the library and its script form. Every call of it is laid out as
// FCALL function nkeys keys… args…; EVALSHA sha and EVAL source take the same places, so a queued
// call changes form by its first two arguments.
type luaCode struct {
	text     string // the library's FUNCTION LOAD text (luaLibrary only)
	function string
	source   string // the script form
	sha      string
}

func newLuaLibrary() (library, one, batch *luaCode) {
	text, batchFn, oneFn := scripts.Library()
	code := func(function, source string) *luaCode {
		sum := sha1.Sum([]byte(source))
		return &luaCode{function: function, source: source, sha: hex.EncodeToString(sum[:])}
	}
	return &luaCode{text: text}, code(oneFn, scripts.OneSource), code(batchFn, scripts.BatchSource)
}

func (k *luaCode) asFCall(args []any)   { args[0], args[1] = "fcall", k.function }
func (k *luaCode) asEvalSHA(args []any) { args[0], args[1] = "evalsha", k.sha }
func (k *luaCode) asEval(args []any)    { args[0], args[1] = "eval", k.source }

// luaCodeOf returns the function a queued call runs, in whichever form, or nil when c is not a
// call of the library.
func luaCodeOf(c redis.Cmder) *luaCode {
	args := c.Args()
	if len(args) < 2 {
		return nil
	}
	form, _ := args[0].(string)
	target, _ := args[1].(string)
	for _, k := range []*luaCode{luaOne, luaBatch} {
		switch form {
		case "fcall":
			if target == k.function {
				return k
			}
		case "evalsha":
			if target == k.sha {
				return k
			}
		case "eval":
			if len(target) == len(k.source) && target == k.source {
				return k
			}
		}
	}
	return nil
}

// single returns c when it is a queued call of one command (Do) with its usual three keys.
func single(c redis.Cmder) *redis.Cmd {
	cmd, ok := c.(*redis.Cmd)
	if !ok || luaCodeOf(c) != luaOne {
		return nil
	}
	if n, ok := c.Args()[2].(int); !ok || n != 3 || len(c.Args()) < 8 {
		return nil
	}
	return cmd
}

// Batch implements driver.Batcher: every run of consecutive calls of one command (at most
// maxBatch, all naming the same database) becomes one call of the batch function. done gives
// each call its reply from the batch's. The hook keeps one backend of a name per client, so the
// calls may be another Lua backend's: each carries its own database.
func (l *Lua) Batch(ctx context.Context, cmds []redis.Cmder) ([]redis.Cmder, func()) {
	if l.unbatched {
		return nil, nil
	}
	l.learnFromLoad()
	type joined struct {
		batch *redis.Cmd
		cmds  []*redis.Cmd
	}
	var send []redis.Cmder
	var batches []joined
	for i := 0; i < len(cmds); {
		first := single(cmds[i])
		if first == nil || i+1 == len(cmds) || single(cmds[i+1]) == nil {
			send = append(send, cmds[i])
			i++
			continue
		}
		var j joined
		var keys, argv []any
		db := first.Args()[6] // the database named in notifications, as each call carries it
		for ; i < len(cmds) && len(j.cmds) < maxBatch; i++ {
			c := single(cmds[i])
			if c == nil || c.Args()[6] != db {
				break
			}
			args := c.Args() // fcall, one, 3, K, T, V, db, command, operands…
			keys = append(keys, args[3:6]...)
			argv = append(argv, args[7], len(args)-8)
			argv = append(argv, args[8:]...)
			j.cmds = append(j.cmds, c)
		}
		call := make([]any, 0, 4+len(keys)+len(argv))
		call = append(call, "fcall", luaBatch.function, len(keys))
		call = append(call, keys...)
		call = append(call, db)
		call = append(call, argv...)
		if l.scriptsOnly.Load() {
			luaBatch.asEvalSHA(call)
		}
		j.batch = redis.NewCmd(ctx, call...)
		send = append(send, j.batch)
		batches = append(batches, j)
	}
	if len(batches) == 0 {
		return nil, nil
	}
	return send, func() {
		for _, j := range batches {
			l.split(j.batch, j.cmds)
		}
	}
}

// split gives each of cmds its reply from the batch call that ran them.
func (l *Lua) split(batch *redis.Cmd, cmds []*redis.Cmd) {
	v, err := batch.Result()
	if err == nil && batch.Args()[0] == "fcall" {
		l.functionsOK.Store(true)
	}
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
			name, _ := c.Args()[7].(string)
			runner.ExactIntegers(name, c)
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

// commandOf returns the TairHash command a call of the library runs, for driver.CommandNamer: its
// first write, or its first command when all read.
func commandOf(c redis.Cmder) (string, bool) {
	code := luaCodeOf(c)
	if code == nil {
		return "", false
	}
	args := c.Args()
	nkeys, ok := args[2].(int)
	if !ok || len(args) < 3+nkeys+2 {
		return "", false
	}
	if code == luaOne {
		name, ok := args[3+nkeys+1].(string)
		return name, ok
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
