package bench

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// An AllocPair is one command of the client-side microbenchmarks (exhash/bench_test.go): the typed
// client against a raw go-redis call of the same shape, in bytes and allocations per command.
type AllocPair struct {
	Name                    string // Benchmark…/command, without the typed/raw leaf and the -N suffix
	TypedBytes, TypedAllocs float64
	RawBytes, RawAllocs     float64
	hasTyped, hasRaw        bool
}

// ParseAllocs reads `go test -bench Overhead -benchmem` output and pairs the typed and raw lines of
// each command, in the order they appear.
func ParseAllocs(r io.Reader) ([]AllocPair, error) {
	var out []AllocPair
	index := map[string]int{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndex(name, "-"); i > 0 {
			name = name[:i] // the GOMAXPROCS suffix
		}
		base, side, ok := cutLast(name, "/")
		if !ok || (side != "typed" && side != "raw") {
			continue
		}
		var bytes, allocs float64
		var haveB, haveA bool
		for i := 1; i+1 < len(f); i++ {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "B/op":
				bytes, haveB = v, true
			case "allocs/op":
				allocs, haveA = v, true
			}
		}
		if !haveB || !haveA {
			return nil, fmt.Errorf("bench: %s: no B/op and allocs/op (run with -benchmem)", f[0])
		}
		k, seen := index[base]
		if !seen {
			k = len(out)
			index[base] = k
			out = append(out, AllocPair{Name: base})
		}
		if side == "typed" {
			out[k].TypedBytes, out[k].TypedAllocs, out[k].hasTyped = bytes, allocs, true
		} else {
			out[k].RawBytes, out[k].RawAllocs, out[k].hasRaw = bytes, allocs, true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, p := range out {
		if !p.hasTyped || !p.hasRaw {
			return nil, fmt.Errorf("bench: %s: typed or raw side missing", p.Name)
		}
	}
	return out, nil
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// writeAllocs writes the microbenchmark pairs as a table.
func writeAllocs(w io.Writer, pairs []AllocPair) {
	fmt.Fprintf(w, "## Client-side allocations\n\n")
	fmt.Fprintf(w, "`go test -run '^$' -bench Overhead -benchmem ./exhash/`: the typed client against a raw go-redis call of "+
		"the same shape on the same server (module: the same EXH* command through rdb.Do; emulations: the plain hash "+
		"command a user would otherwise send). Per command; time per op is mostly a round trip and is not shown.\n\n")
	fmt.Fprintf(w, "| benchmark | typed B/op | raw B/op | typed allocs/op | raw allocs/op | extra allocs |\n|---|---:|---:|---:|---:|---:|\n")
	for _, p := range pairs {
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.0f | %.0f | %+.0f |\n", p.Name, p.TypedBytes, p.RawBytes, p.TypedAllocs, p.RawAllocs, p.TypedAllocs-p.RawAllocs)
	}
	fmt.Fprintln(w)
}
