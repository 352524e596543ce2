package emulate

import (
	"fmt"
	"strconv"
)

// argString renders one command argument as the server would receive it.
func argString(a any) string {
	switch v := a.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return "1"
		}
		return "0"
	case nil:
		return ""
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(a)
}

// argStrings renders a command's arguments as the server would receive them.
func argStrings(args []any) []string {
	a := make([]string, len(args))
	for i, x := range args {
		a[i] = argString(x)
	}
	return a
}
