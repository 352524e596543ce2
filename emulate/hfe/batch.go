package hfe

import (
	"context"
	"errors"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash"
)

// Consecutive scripted commands of a plain pipeline (made by a client on one server, see
// driver.Batcher) run as one call of the library's batch function: a call's entry costs the server
// about as much as the module's whole EXHSET, and is paid once per batch. Each command keeps its
// own reply or error, in its place; other commands (the native reads) stay where they were, so
// nothing is reordered. Where the library is not installed the batch goes as its own script form
// (EVALSHA after Load installed it, else EVAL, which carries the code once for the whole batch).

// maxBatch bounds the commands of one call, as the Lua backend's batches are bounded, so that one
// connection's pipeline does not hold the server for long in one piece.
const maxBatch = 64

// hfeCallArgs is where a single call's arguments for dispatch start: after FCALL, its target, the
// key count and the three keys.
const hfeCallArgs = 6

// joinable reports whether c is one of the backend's single calls as queue makes them.
func (h *HFE) joinable(c redis.Cmder) bool {
	if _, ok := c.(*redis.Cmd); !ok || !h.ownCall(c) {
		return false
	}
	args := c.Args()
	n, ok := args[2].(int)
	return ok && n == 3 && len(args) > scriptCommandArg
}

// Batch implements driver.Batcher: every run of two or more consecutive single calls (at most
// maxBatch) becomes one call of the batch function. done gives each call its reply from the
// batch's.
func (h *HFE) Batch(ctx context.Context, cmds []redis.Cmder) ([]redis.Cmder, func()) {
	type joined struct {
		batch *redis.Cmd
		cmds  []*redis.Cmd
	}
	var send []redis.Cmder
	var batches []joined
	for i := 0; i < len(cmds); {
		n := 0
		for i+n < len(cmds) && n < maxBatch && h.joinable(cmds[i+n]) {
			n++
		}
		if n < 2 {
			send = append(send, cmds[i])
			i++
			continue
		}
		size := 0
		for _, c := range cmds[i : i+n] {
			size += 1 + len(c.Args())
		}
		call := make([]any, 3, size)
		call[0], call[1] = h.batchTarget()
		call[2] = 3 * n
		j := joined{cmds: make([]*redis.Cmd, n)}
		for k, c := range cmds[i : i+n] {
			call = append(call, c.Args()[3:hfeCallArgs]...)
			j.cmds[k] = c.(*redis.Cmd)
		}
		for _, c := range j.cmds {
			args := c.Args()[hfeCallArgs:]
			call = append(call, len(args))
			call = append(call, args...)
		}
		j.batch = redis.NewCmd(ctx, call...)
		send = append(send, j.batch)
		batches = append(batches, j)
		i += n
	}
	if len(batches) == 0 {
		return nil, nil
	}
	return send, func() {
		for _, j := range batches {
			h.split(j.batch, j.cmds)
		}
	}
}

// batchTarget is how a batch is called: the library's batch function once Load installed it,
// else the batch's script form, by digest once loaded, else in full.
func (h *HFE) batchTarget() (string, string) {
	switch {
	case h.functions.Load():
		return "fcall", hfeScript.batchFunction
	case h.scripts.Load():
		return "evalsha", hfeScript.batchSHA
	}
	return "eval", hfeScript.batchSource
}

// split gives each of cmds its reply from the batch call that ran them.
func (h *HFE) split(batch *redis.Cmd, cmds []*redis.Cmd) {
	v, err := batch.Result()
	pair, _ := v.([]any) // {replies, errors}: see batch in hfe/5_main.lua
	var replies, failed []any
	if len(pair) == 2 {
		replies, _ = pair[0].([]any)
		failed, _ = pair[1].([]any)
	}
	if err == nil && (len(replies) != len(cmds) || len(failed)%2 != 0) {
		err = errors.New("tairhash: batch call answered " + strconv.Itoa(len(replies)) + " replies for " + strconv.Itoa(len(cmds)) + " commands")
	}
	for i, c := range cmds {
		switch {
		case err != nil:
			c.SetErr(err)
		case replies[i] == nil:
			c.SetErr(redis.Nil)
		default:
			c.SetVal(replies[i])
			if name, ok := h.CommandOf(c); ok {
				runner.ExactIntegers(name, c)
			}
		}
	}
	for i := 0; err == nil && i < len(failed); i += 2 {
		pos, _ := failed[i].(int64)
		text, _ := failed[i+1].(string)
		if pos >= 1 && int(pos) <= len(cmds) {
			cmds[pos-1].SetErr(exhash.NewError(text))
		}
	}
}

// batchCall reports whether c is a batch call of this backend (any of its forms).
func batchCall(c redis.Cmder) bool {
	args := c.Args()
	if len(args) < 3 {
		return false
	}
	name, _ := args[0].(string)
	target, _ := args[1].(string)
	switch name {
	case "fcall":
		return target == hfeScript.batchFunction
	case "evalsha":
		return target == hfeScript.batchSHA
	case "eval":
		return target == hfeScript.batchSource
	}
	return false
}

// batchCommandOf is CommandOf for a batch call: its first command that changes something a client
// sees, or its first command when all read.
func batchCommandOf(c redis.Cmder) (string, bool) {
	args := c.Args()
	nkeys, ok := args[2].(int)
	if !ok {
		return "", false
	}
	first := ""
	for p := 3 + nkeys; p < len(args); {
		n, _ := args[p].(int)
		// the command's arguments: db, op, command name, …
		if n < 3 || p+3 >= len(args) {
			break
		}
		name, _ := args[p+3].(string)
		if first == "" {
			first = name
		}
		if !runner.Reads[name] {
			return name, true
		}
		p += 1 + n
	}
	return first, first != ""
}
