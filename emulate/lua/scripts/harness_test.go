package scripts

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// target runs TairHash commands: either the scripts through EVALSHA (emu) or, when
// TAIRHASH_ADDR names a server with the module, the module itself (ref). Tests write commands as
// the module takes them; key is the user key.
type target struct {
	name string
	conn *respConn
	emu  bool
	pre  string // key prefix unique to the test
	lib  bool   // the function library (Library), one command per FCALL
}

// companions returns the names of K's companions (docs/architecture.md, "Companion names").
func companions(k string) (ttl, ver string) {
	if i := strings.IndexByte(k, '{'); i >= 0 {
		if j := strings.IndexByte(k[i+1:], '}'); j > 0 {
			return "exh~t=" + k, "exh~v=" + k
		}
	}
	return "exh~t:{" + k + "}", "exh~v:{" + k + "}"
}

func sha(src string) string {
	h := sha1.Sum([]byte(src))
	return hex.EncodeToString(h[:])
}

// exh runs one command, args = {name, key, rest…}; the key gets the test's prefix.
func (tg *target) exh(tb testing.TB, args ...string) reply {
	tb.Helper()
	name, key := strings.ToLower(args[0]), tg.pre+args[1]
	if !tg.emu {
		return tg.conn.do(tb, append([]string{args[0], key}, args[2:]...)...)
	}
	src, ok := Source(name)
	if tg.lib && ok {
		return tg.batch(tb, [][]string{append([]string{name, key}, args[2:]...)}).arr[0]
	}
	if !ok {
		tb.Fatalf("no script for %q", name)
	}
	return tg.eval(tb, src, key, append([]string{"0"}, args[2:]...)...)
}

// eval runs src with KEYS = {key and its companions} and the given ARGV.
func (tg *target) eval(tb testing.TB, src, key string, argv ...string) reply {
	tb.Helper()
	t, v := companions(key)
	call := append([]string{"EVALSHA", sha(src), "3", key, t, v}, argv...)
	r := tg.conn.do(tb, call...)
	if r.kind == '-' && strings.HasPrefix(r.str, "NOSCRIPT") {
		tg.conn.do(tb, "SCRIPT", "LOAD", src)
		r = tg.conn.do(tb, call...)
	}
	return r
}

// batch runs commands (args = {name, key, rest…}, keys already prefixed) in one FCALL of the
// library, loading it when the server does not have it.
func (tg *target) batch(tb testing.TB, cmds [][]string) reply {
	tb.Helper()
	text, function := Library()
	var keys, argv []string
	for _, c := range cmds {
		t, v := companions(c[1])
		keys = append(keys, c[1], t, v)
		argv = append(argv, strings.ToLower(c[0]), strconv.Itoa(len(c)-2))
		argv = append(argv, c[2:]...)
	}
	call := append([]string{"FCALL", function, strconv.Itoa(len(keys))}, keys...)
	call = append(append(call, "0"), argv...)
	r := tg.conn.do(tb, call...)
	if r.kind == '-' && strings.Contains(r.str, "Function not found") {
		if l := tg.conn.do(tb, "FUNCTION", "LOAD", "REPLACE", text); l.kind == '-' {
			tb.Fatalf("FUNCTION LOAD: %s", l.str)
		}
		r = tg.conn.do(tb, call...)
	}
	if r.kind != '*' || len(r.arr) != 2 || len(r.arr[0].arr) != len(cmds) {
		tb.Fatalf("batch of %d: got %s", len(cmds), r)
	}
	out := r.arr[0]
	errs := r.arr[1].arr
	for i := 0; i+1 < len(errs); i += 2 {
		if out.arr[errs[i].n-1].kind != '_' {
			tb.Fatalf("batch: error %s at %d, whose reply is %s", errs[i+1], errs[i].n, out.arr[errs[i].n-1])
		}
		out.arr[errs[i].n-1] = reply{kind: '-', str: errs[i+1].str}
	}
	return out
}

// raw runs a plain server command (no prefixing).
func (tg *target) raw(tb testing.TB, args ...string) reply {
	tb.Helper()
	return tg.conn.do(tb, args...)
}

// serverMs returns the server's time in Unix ms.
func serverMs(tb testing.TB, tg *target) int64 {
	tb.Helper()
	clock := tg.raw(tb, "TIME").arr
	sec, _ := strconv.ParseInt(clock[0].str, 10, 64)
	usec, _ := strconv.ParseInt(clock[1].str, 10, 64)
	return sec*1000 + usec/1000
}

// emuTarget gives the scripts on the server s.
func emuTarget(t *testing.T, s *testserver.Server) *target {
	return &target{name: s.Name, conn: dialRESP(t, s.Addr), emu: true, pre: s.Prefix(t)}
}

// targets returns the scripts on Redis 7 and Valkey 8, the function library on Redis 7 and
// Valkey 8 and, when TAIRHASH_ADDR is set, the real module (for checking the expectations
// themselves; never required).
func targets(t *testing.T) []*target {
	lib := emuTarget(t, testserver.Redis7(t))
	lib.name, lib.lib = "redis7-library", true
	vlib := emuTarget(t, testserver.Valkey8(t))
	vlib.name, vlib.lib = "valkey8-library", true
	tgs := []*target{emuTarget(t, testserver.Redis7(t)), emuTarget(t, testserver.Valkey8(t)), lib, vlib}
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		pre := fmt.Sprintf("%s%d:", testserver.Redis7(t).Prefix(t), time.Now().UnixNano())
		tgs = append(tgs, &target{name: "module", conn: dialRESP(t, addr), pre: pre})
	}
	return tgs
}

// step is one command and its expected reply in reply.String notation. want may end in "…" to
// match a prefix, or be ":lo..hi" for an integer in a range. emuWant, when set, replaces want for
// the scripts (a documented deviation); emuOnly steps are skipped on the module (e.g. where its
// defects could crash it, §11 D1). A step whose first word is "raw" sends a plain server command
// with args[2] prefixed as a key; "sleep" pauses for the duration in args[1].
type step struct {
	args    []string
	want    string
	emuWant string
	emuOnly bool
}

// s builds a step from a space-separated command line (no spaces inside arguments).
func s(line, want string) step { return step{args: strings.Fields(line), want: want} }

// e is s for the scripts only.
func e(line, want string) step { return step{args: strings.Fields(line), want: want, emuOnly: true} }

// d is s with a different expectation for the scripts.
func d(line, want, emuWant string) step {
	return step{args: strings.Fields(line), want: want, emuWant: emuWant}
}

// sa is s with explicit arguments (binary or with spaces).
func sa(want string, args ...string) step { return step{args: args, want: want} }

func runSteps(t *testing.T, tg *target, steps []step) {
	t.Helper()
	for i, st := range steps {
		if st.emuOnly && !tg.emu {
			continue
		}
		want := st.want
		if tg.emu && st.emuWant != "" {
			want = st.emuWant
		}
		var got string
		switch strings.ToLower(st.args[0]) {
		case "sleep":
			dur, err := time.ParseDuration(st.args[1])
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(dur)
			continue
		case "raw":
			args := append([]string{}, st.args[1:]...)
			if len(args) > 1 {
				args[1] = tg.pre + args[1]
			}
			got = tg.raw(t, args...).String()
		default:
			got = tg.exh(t, st.args...).String()
			if tg.emu && len(st.args) > 1 {
				checkStorage(t, tg, tg.pre+st.args[1])
			}
		}
		if !matches(got, want) {
			t.Fatalf("%s step %d %q: got %s, want %s", tg.name, i, st.args, got, want)
		}
	}
}

var rangeWant = regexp.MustCompile(`^:(-?\d+)\.\.(-?\d+)$`)

func matches(got, want string) bool {
	if p, ok := strings.CutSuffix(want, "…"); ok {
		return strings.HasPrefix(got, p)
	}
	if m := rangeWant.FindStringSubmatch(want); m != nil && strings.HasPrefix(got, ":") {
		n, _ := strconv.ParseInt(got[1:], 10, 64)
		lo, _ := strconv.ParseInt(m[1], 10, 64)
		hi, _ := strconv.ParseInt(m[2], 10, 64)
		return lo <= n && n <= hi
	}
	return got == want
}

// scenario runs the steps on every target, on a fresh key "k" (and others) per target.
func scenario(t *testing.T, steps ...step) {
	t.Helper()
	for _, tg := range targets(t) {
		runSteps(t, tg, steps)
	}
}
