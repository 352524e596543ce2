// Package runner holds what both emulations need to run their server-side code: error
// classification of script and function calls, loading on every master, and commands answered
// without the server.
package runner

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/grammar"
)

// NotSent returns a command that was never sent and fails with err.
func NotSent(ctx context.Context, args []any, err error) *redis.Cmd {
	cmd := redis.NewCmd(ctx, args...)
	cmd.SetErr(err)
	return cmd
}

// ArgText renders one command argument as the server would receive it; exhash passes command
// names and keys as strings, so the common case costs no formatting.
func ArgText(a any) string {
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

// ArgStrings renders a command's arguments as the server would receive them (for grammar.Parse).
func ArgStrings(args []any) []string {
	a := make([]string, len(args))
	for i, x := range args {
		a[i] = ArgText(x)
	}
	return a
}

// IsNoScript reports the error of an EVALSHA whose script the server does not have.
func IsNoScript(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT")
}

// ForEachMaster runs fn on every master of a cluster, every shard of a ring, or the one server.
func ForEachMaster(ctx context.Context, rdb redis.UniversalClient, fn func(context.Context, redis.UniversalClient) error) error {
	node := func(ctx context.Context, c *redis.Client) error { return fn(ctx, c) }
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, node)
	case *redis.Ring:
		return c.ForEachShard(ctx, node)
	}
	return fn(ctx, rdb)
}

// IsFunctionMissing reports the error FCALL gives when the library is not loaded.
func IsFunctionMissing(err error) bool {
	return err != nil && strings.Contains(err.Error(), "Function not found")
}

// IsUnknownCommand reports the error of a command the server does not know.
func IsUnknownCommand(err error) bool {
	return err != nil && strings.HasPrefix(strings.ToLower(err.Error()), "err unknown command")
}

// Refused reports the errors of a server or user that may not use functions.
func Refused(err error) bool {
	return IsUnknownCommand(err) || (err != nil && strings.HasPrefix(err.Error(), "NOPERM"))
}

// OnReplica reports the error of an FCALL on a read-only replica: Redis refuses every function that
// may write, even when the commands in it only read, where a script is refused only the writes it
// makes.
func OnReplica(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "READONLY")
}

// Answered returns a command that was not sent and replies v.
func Answered(ctx context.Context, args []any, v any) *redis.Cmd {
	cmd := redis.NewCmd(ctx, args...)
	cmd.SetVal(v)
	return cmd
}

// ArityError is the module's reply to a wrong number of arguments for cmd.
func ArityError(cmd string) error { return exhash.NewError(fmt.Sprintf("ERR "+grammar.Arity, cmd)) }

// SyntaxError is the module's reply to options it does not take.
var SyntaxError = exhash.NewError("ERR " + grammar.Syntax)

// Resend runs again, in their order and in one more round trip, commands of an executed pipeline
// that were rewritten into a form that cannot fail the same way. It reports whether there were any.
func Resend(ctx context.Context, p redis.Pipeliner, cmds []redis.Cmder) bool {
	if len(cmds) == 0 {
		return false
	}
	for _, c := range cmds {
		c.SetErr(nil)
		_ = p.Process(ctx, c)
	}
	_, _ = p.Exec(ctx)
	return true
}

// Reads are the TairHash commands that change nothing a client sees (they may remove due fields
// or publish tombstones on the way): a batch of only these may be sent again.
var Reads = map[string]bool{
	"exhget": true, "exhgetwithver": true, "exhmget": true, "exhmgetwithver": true,
	"exhttl": true, "exhpttl": true, "exhver": true, "exhlen": true, "exhexists": true,
	"exhstrlen": true, "exhkeys": true, "exhvals": true, "exhgetall": true,
	"exhgetallwithver": true, "exhscan": true,
}
