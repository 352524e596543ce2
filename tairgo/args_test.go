package tair_test

import (
	"reflect"
	"testing"
	"time"

	tair "github.com/tairhash-go/tairhash/tairgo"
)

// What the builders send: the fixes of tair-go's defects, and durations read either way.
func TestGetArgs(t *testing.T) {
	at := time.UnixMilli(1_700_000_000_123)
	for _, tc := range []struct {
		name string
		got  []any
		want []any
	}{
		{"Ex(5) is five seconds, as tair-go sent it", tair.ExHSetArgs{}.New().Ex(5).GetArgs(), []any{"ex", int64(5)}},
		{"Ex(5s) is five seconds too", tair.ExHSetArgs{}.New().Ex(5 * time.Second).GetArgs(), []any{"ex", int64(5)}},
		{"Ex(1.5s) keeps its milliseconds", tair.ExHSetArgs{}.New().Ex(1500 * time.Millisecond).GetArgs(), []any{"px", int64(1500)}},
		{"Px(100) is 100 ms", tair.ExHSetArgs{}.New().Px(100).GetArgs(), []any{"px", int64(100)}},
		{"Px(100ms) is 100 ms", tair.ExHSetArgs{}.New().Px(100 * time.Millisecond).GetArgs(), []any{"px", int64(100)}},
		{"Px rounds up", tair.ExHSetArgs{}.New().Px(time.Millisecond + 1).GetArgs(), []any{"px", int64(2)}},
		{"PXAT in milliseconds", tair.ExHSetArgs{}.New().PxAt(at).GetArgs(), []any{"pxat", int64(1_700_000_000_123)}},
		{"EXAT in seconds", tair.ExHSetArgs{}.New().ExAt(at).GetArgs(), []any{"exat", int64(1_700_000_000)}},
		{"options in tair-go's order", tair.ExHSetArgs{}.New().Abs(3).Nx().Ver(2).Xx().GetArgs(),
			[]any{"xx", "nx", "ver", int64(2), "abs", int64(3)}},
		{"ExHIncrArgs Abs keeps Ver", tair.ExHIncrArgs{}.New().Ver(4).Abs(7).GetArgs(), []any{"ver", int64(4), "abs", int64(7)}},
		{"ExHIncrArgs all", tair.ExHIncrArgs{}.New().KeepTTL().Gt(9).Max(8).Min(1).GetArgs(),
			[]any{"MIN", int64(1), "MAX", int64(8), "gt", int64(9), "keepttl"}},
		{"ExIncrByArgs Abs keeps Ver", tair.ExIncrByArgs{}.New().Ver(4).Abs(7).GetArgs(), []any{"ver", int64(4), "abs", int64(7)}},
		{"ExHMSetWithOpts tuple", tair.ExHMSetWithOptsArgs{}.New().Field("f").Value(3).SetVer(2).SetExp(5).GetArgs(),
			[]any{"f", 3, int64(2), int64(5)}},
		{"a builder made without New", (&tair.ExHSetArgs{}).Xx().GetArgs(), []any{"xx"}},
		{"a nil builder has no options", (*tair.ExHSetArgs)(nil).GetArgs(), nil},
		{"ExZRangeArgs", tair.ExZRangeArgs{}.New().Limit(1, 2).WithScores().GetArgs(), []any{"withscores", "limit", int64(1), int64(2)}},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) && !(len(tc.got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: got %#v, want %#v", tc.name, tc.got, tc.want)
		}
	}
}

// tair-go programs may reset Set; an option then counts only if marked again.
func TestSetIsTheRecordOfOptions(t *testing.T) {
	a := tair.ExHSetArgs{}.New().Nx()
	a.Set = map[string]bool{}
	if got := a.GetArgs(); len(got) != 0 {
		t.Fatalf("after resetting Set: %v", got)
	}
	a.Set[tair.XX] = true
	if got := a.GetArgs(); !reflect.DeepEqual(got, []any{"xx"}) {
		t.Fatalf("with Set[XX]: %v", got)
	}
}
