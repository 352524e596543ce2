package exhash_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// unitBackend records the arguments handed to it and answers with a preset reply, without any
// network. It lets the unit tests check what the client encodes and how it decodes every reply
// shape the specification lists; behaviour of real servers is tested elsewhere against real servers.
type unitBackend struct {
	calls [][]any
	val   any
	err   error
}

func (b *unitBackend) Name() string { return "unit" }

func (b *unitBackend) Do(ctx context.Context, _ driver.Conn, args ...any) *redis.Cmd {
	b.calls = append(b.calls, args)
	cmd := redis.NewCmd(ctx, args...)
	if b.err != nil {
		cmd.SetErr(b.err)
	} else {
		cmd.SetVal(b.val)
	}
	return cmd
}

// unitClient returns a client on a go-redis client that points at a closed loopback port (nothing
// may reach it) and the recording backend.
func unitClient(t *testing.T) (*exhash.Client, *unitBackend) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	be := &unitBackend{}
	return exhash.NewClient(rdb, exhash.WithBackend(be)), be
}

// unitServerError is a server error reply as go-redis represents it: an error with RedisError().
type unitServerError string

func (e unitServerError) Error() string { return string(e) }
func (unitServerError) RedisError()     {}
