package runner

import (
	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Lua numbers are doubles, so a script returns an integer that may not fit in 53 bits (a version,
// EXHINCRBY's result) as a decimal bulk string. exactIntegers turns those back into the integers
// the module replies, at the positions where the module has integers.
func ExactIntegers(command string, cmd *redis.Cmd) {
	v, err := cmd.Result()
	if err != nil {
		return
	}
	switch command {
	case "exhver", "exhincrby":
		cmd.SetVal(toInt(v))
	case "exhgetwithver":
		cmd.SetVal(withVersion(v))
	case "exhmgetwithver":
		if list, ok := v.([]any); ok {
			for i := range list {
				list[i] = withVersion(list[i])
			}
		}
	case "exhgetallwithver":
		if flat, ok := v.([]any); ok {
			for i := 2; i < len(flat); i += 3 {
				flat[i] = toInt(flat[i])
			}
		}
	}
}

// ExactIntegersIn applies exactIntegers to each command of an executed pipeline that command
// names (the TairHash command it ran; false for commands that are not the backend's).
func ExactIntegersIn(cmds []redis.Cmder, command func(redis.Cmder) (string, bool)) {
	for _, c := range cmds {
		if cmd, ok := c.(*redis.Cmd); ok {
			if name, ok := command(c); ok {
				ExactIntegers(name, cmd)
			}
		}
	}
}

// withVersion fixes the version of a ["value", version] pair.
func withVersion(v any) any {
	if pair, ok := v.([]any); ok && len(pair) == 2 {
		pair[1] = toInt(pair[1])
	}
	return v
}

func toInt(v any) any {
	if n, ok := driver.Integer(v); ok {
		return n
	}
	return v
}
