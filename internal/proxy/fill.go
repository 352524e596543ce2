package proxy

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// serverError is an error reply from the upstream. Like go-redis' own, it satisfies redis.Error, so code
// that tells server errors from transport errors (the exhash decoders do) treats it as a server reply.
type serverError string

func (e serverError) Error() string { return string(e) }

// RedisError marks serverError as a reply of the server.
func (serverError) RedisError() {}

// fill stores the upstream's reply v in cmd, as go-redis would have after sending cmd itself. The
// server sends a backend's commands in the client's stream (to keep their order) and reads the replies
// in its own reader, so it hands each reply to the command object here.
func fill(cmd redis.Cmder, v Value) {
	if v.isError() {
		cmd.SetErr(serverError(v.Text))
		return
	}
	if v.Null {
		cmd.SetErr(redis.Nil)
		return
	}
	val := goValue(v)
	switch c := cmd.(type) {
	case *redis.Cmd:
		c.SetVal(val)
	case *redis.StatusCmd:
		setTyped(c, val, c.SetVal)
	case *redis.StringCmd:
		setTyped(c, val, c.SetVal)
	case *redis.IntCmd:
		setTyped(c, val, c.SetVal)
	case *redis.BoolCmd:
		if n, ok := val.(int64); ok {
			c.SetVal(n == 1)
			return
		}
		setTyped(c, val, c.SetVal)
	case *redis.SliceCmd:
		setTyped(c, val, c.SetVal)
	default:
		cmd.SetErr(fmt.Errorf("exhash-server: cannot store a reply in a %T", cmd))
	}
}

// setTyped stores val with set when it has the type the command holds, and an error otherwise.
func setTyped[T any](cmd redis.Cmder, val any, set func(T)) {
	t, ok := val.(T)
	if !ok {
		cmd.SetErr(fmt.Errorf("exhash-server: reply %v does not fit a %T", val, cmd))
		return
	}
	set(t)
}

// goValue converts a reply to the Go value go-redis gives for it in a *redis.Cmd.
func goValue(v Value) any {
	switch {
	case v.isError():
		return serverError(v.Text)
	case v.Null:
		return nil
	}
	switch v.Kind {
	case '+', '$':
		return string(v.Text)
	case '=': // verbatim string: "txt:" or "mkd:" before the text
		if len(v.Text) >= 4 {
			return string(v.Text[4:])
		}
		return string(v.Text)
	case ':':
		return v.Int
	case '#':
		return v.Bool
	case ',':
		f, err := strconv.ParseFloat(string(v.Text), 64)
		if err != nil {
			return string(v.Text)
		}
		return f
	case '(':
		n, ok := new(big.Int).SetString(string(v.Text), 10)
		if !ok {
			return string(v.Text)
		}
		return n
	case '%':
		m := make(map[any]any, len(v.Elems)/2)
		for i := 0; i+1 < len(v.Elems); i += 2 {
			k := goValue(v.Elems[i])
			switch k.(type) {
			case []any, map[any]any: // not usable as a map key
				k = fmt.Sprint(k)
			}
			m[k] = goValue(v.Elems[i+1])
		}
		return m
	}
	elems := make([]any, len(v.Elems))
	for i, e := range v.Elems {
		elems[i] = goValue(e)
	}
	return elems
}
