package tair

import (
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"

	"github.com/tairhash-go/tairhash/exhash"
)

// fill gives cmd, one of the go-redis command types the TairHash methods return, the result that
// go-redis would have read from the module's reply, taking the module-shaped reply of raw. An
// emulation backend's nil may come as false (Lua's nil under RESP3); it counts as nil.
func fill(cmd redis.Cmder, raw *redis.Cmd) {
	v, err := raw.Result()
	if err != nil && err != redis.Nil {
		cmd.SetErr(err)
		return
	}
	if v == false {
		v = nil
	}
	if c, ok := cmd.(*redis.BoolCmd); ok {
		fillBool(c, v) // go-redis reads a nil reply to a BoolCmd as false, not as an error
		return
	}
	if v == nil {
		cmd.SetErr(redis.Nil)
		return
	}
	switch c := cmd.(type) {
	case *redis.IntCmd:
		n, ok := driver.Integer(v)
		if !ok {
			c.SetErr(unexpected(c, v))
			return
		}
		c.SetVal(n)
	case *redis.StringCmd:
		s, ok := text(v)
		if !ok {
			c.SetErr(unexpected(c, v))
			return
		}
		c.SetVal(s)
	case *redis.StatusCmd:
		s, ok := text(v)
		if !ok {
			c.SetErr(unexpected(c, v))
			return
		}
		c.SetVal(s)
	case *redis.SliceCmd:
		list, ok := v.([]any)
		if !ok {
			c.SetErr(unexpected(c, v))
			return
		}
		c.SetVal(nilsOf(list))
	case *redis.StringSliceCmd:
		list, ok := stringList(v)
		if !ok {
			c.SetErr(unexpected(c, v))
			return
		}
		c.SetVal(list)
	case *redis.MapStringStringCmd:
		m, ok := stringMap(v)
		if !ok {
			c.SetErr(unexpected(c, v))
			return
		}
		c.SetVal(m)
	default:
		cmd.SetErr(fmt.Errorf("tairgo: no reply conversion for %T", cmd))
	}
}

func unexpected(cmd redis.Cmder, v any) error {
	return fmt.Errorf("%w to %s: %T %v", exhash.ErrUnexpectedReply, cmd.Name(), v, v)
}

// fillBool reads 1 as true, like go-redis (and "OK", which no TairHash command answers).
func fillBool(c *redis.BoolCmd, v any) {
	switch x := v.(type) {
	case nil:
		c.SetVal(false)
	case int64:
		c.SetVal(x == 1)
	case string:
		c.SetVal(x == "OK")
	default:
		c.SetErr(unexpected(c, v))
	}
}

// text reads a bulk string; go-redis also reads an integer reply as its decimal text.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return "", false
}

// nilsOf turns the false of Lua nils into nil at every depth, as go-redis reads the module's nils.
func nilsOf(list []any) []any {
	for i, x := range list {
		switch y := x.(type) {
		case bool:
			if !y {
				list[i] = nil
			}
		case []any:
			list[i] = nilsOf(y)
		}
	}
	return list
}

// stringList reads an array of strings; go-redis reads a nil element as "".
func stringList(v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(list))
	for i, x := range list {
		if x == nil || x == false {
			continue
		}
		if out[i], ok = text(x); !ok {
			return nil, false
		}
	}
	return out, true
}

// stringMap reads field/value pairs, flat (the module's array) or as a RESP3 map.
func stringMap(v any) (map[string]string, bool) {
	if m, ok := v.(map[any]any); ok {
		out := make(map[string]string, len(m))
		for k, x := range m {
			ks, ok1 := text(k)
			xs, ok2 := text(x)
			if !ok1 || !ok2 {
				return nil, false
			}
			out[ks] = xs
		}
		return out, true
	}
	list, ok := stringList(v)
	if !ok || len(list)%2 != 0 {
		return nil, false
	}
	out := make(map[string]string, len(list)/2)
	for i := 0; i < len(list); i += 2 {
		out[list[i]] = list[i+1]
	}
	return out, true
}
