package bench

import (
	"strings"
	"testing"
)

func TestParseAllocs(t *testing.T) {
	out := `goos: linux
BenchmarkOverheadModule/exhset-ex/typed-2   	    3000	    310369 ns/op	     520 B/op	      14 allocs/op
BenchmarkOverheadModule/exhset-ex/raw-2     	    3000	     84908 ns/op	     304 B/op	       8 allocs/op
BenchmarkOverheadLua/exhget-vs-hget/raw-2   	    3000	     69187 ns/op	     304 B/op	       9 allocs/op
BenchmarkOverheadLua/exhget-vs-hget/typed-2 	    3000	    168854 ns/op	     824 B/op	      24 allocs/op
ok  	github.com/tairhash-go/tairhash/exhash	5.952s
`
	pairs, err := ParseAllocs(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []AllocPair{
		{Name: "BenchmarkOverheadModule/exhset-ex", TypedBytes: 520, TypedAllocs: 14, RawBytes: 304, RawAllocs: 8, hasTyped: true, hasRaw: true},
		{Name: "BenchmarkOverheadLua/exhget-vs-hget", TypedBytes: 824, TypedAllocs: 24, RawBytes: 304, RawAllocs: 9, hasTyped: true, hasRaw: true},
	}
	if len(pairs) != len(want) {
		t.Fatalf("got %+v", pairs)
	}
	for i := range want {
		if pairs[i] != want[i] {
			t.Errorf("pair %d: got %+v, want %+v", i, pairs[i], want[i])
		}
	}
	if _, err := ParseAllocs(strings.NewReader("BenchmarkX/a/typed-2 10 5 ns/op\n")); err == nil {
		t.Error("a line without -benchmem columns was accepted")
	}
	if _, err := ParseAllocs(strings.NewReader("BenchmarkX/a/typed-2 10 5 ns/op 1 B/op 1 allocs/op\n")); err == nil {
		t.Error("a pair without its raw side was accepted")
	}
}
