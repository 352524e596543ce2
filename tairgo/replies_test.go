package tair

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

func reply(v any, err error) *redis.Cmd {
	c := redis.NewCmd(context.Background())
	c.SetVal(v)
	c.SetErr(err)
	return c
}

// fill reads module-shaped replies (and the Lua emulation's false for nil) as go-redis reads the
// module's replies.
func TestFill(t *testing.T) {
	ctx := context.Background()
	check := func(name string, cmd interface{ Err() error }, got, want any, wantErr error) {
		t.Helper()
		if !errors.Is(cmd.Err(), wantErr) || (wantErr == nil && !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: %#v, %v; want %#v, %v", name, got, cmd.Err(), want, wantErr)
		}
	}
	i := redis.NewIntCmd(ctx)
	fill(i, reply(int64(7), nil))
	check("int", i, i.Val(), int64(7), nil)
	i = redis.NewIntCmd(ctx)
	fill(i, reply("12345678901234567", nil))
	check("int kept as text", i, i.Val(), int64(12345678901234567), nil)
	i = redis.NewIntCmd(ctx)
	fill(i, reply("abc", nil))
	check("not an int", i, i.Val(), nil, exhash.ErrUnexpectedReply)

	b := redis.NewBoolCmd(ctx)
	fill(b, reply(false, nil))
	check("Lua nil to a bool", b, b.Val(), false, nil)
	b = redis.NewBoolCmd(ctx)
	fill(b, reply(int64(1), nil))
	check("1 to a bool", b, b.Val(), true, nil)

	s := redis.NewStringCmd(ctx)
	fill(s, reply(false, nil))
	check("Lua nil to a string", s, s.Val(), nil, redis.Nil)
	s = redis.NewStringCmd(ctx)
	fill(s, reply(nil, redis.Nil))
	check("nil to a string", s, s.Val(), nil, redis.Nil)
	s = redis.NewStringCmd(ctx)
	fill(s, reply(nil, errors.New("ERR boom")))
	if s.Err() == nil || s.Err().Error() != "ERR boom" {
		t.Errorf("server error: %v", s.Err())
	}

	ss := redis.NewStringSliceCmd(ctx)
	fill(ss, reply([]any{"a", nil, false, int64(3)}, nil))
	check("strings", ss, ss.Val(), []string{"a", "", "", "3"}, nil)

	sl := redis.NewSliceCmd(ctx)
	fill(sl, reply([]any{[]any{"v", int64(1)}, false, true}, nil))
	check("nested nils", sl, sl.Val(), []any{[]any{"v", int64(1)}, nil, true}, nil)

	m := redis.NewMapStringStringCmd(ctx)
	fill(m, reply([]any{"f", "v", "g", "w"}, nil))
	check("flat pairs", m, m.Val(), map[string]string{"f": "v", "g": "w"}, nil)
	m = redis.NewMapStringStringCmd(ctx)
	fill(m, reply(map[any]any{"f": "v"}, nil))
	check("RESP3 map", m, m.Val(), map[string]string{"f": "v"}, nil)
	m = redis.NewMapStringStringCmd(ctx)
	fill(m, reply([]any{"f"}, nil))
	check("odd pairs", m, m.Val(), nil, exhash.ErrUnexpectedReply)
}

// merge puts each TairHash command where the backend queued its commands: several, one, or none
// (answered without the server).
func TestMerge(t *testing.T) {
	ctx := context.Background()
	plain := func(name string) redis.Cmder { return redis.NewStatusCmd(ctx, name) }
	p0, p1, q0, q1, q2, q3 := plain("p0"), plain("p1"), plain("q0"), plain("q1"), plain("q2"), plain("q3")
	a, b, c, d := plain("a"), plain("b"), plain("c"), plain("d")
	// queue: p0, a→[q0], b→[] (answered), p1, c→[q1 q2 q3], d→[] at the end
	cmds := []redis.Cmder{p0, q0, p1, q1, q2, q3}
	items := []queued{{cmd: a, from: 1, to: 2}, {cmd: b, from: 2, to: 2}, {cmd: c, from: 3, to: 6}, {cmd: d, from: 6, to: 6}}
	got := merge(cmds, items)
	want := []redis.Cmder{p0, a, b, p1, c, d}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("merge: %v, want %v", got, want)
	}
}
