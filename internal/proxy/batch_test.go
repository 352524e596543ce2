package proxy

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A client's pipelined EXH* commands run upstream as one call of the emulation's library, and
// each gets its own reply, in its place between the client's other commands: errors of the
// backend's own (arity), of the script (a stale version, a wrong type) and of plain commands stay
// with their command.
func TestPipelinedEXHCommandsAreJoined(t *testing.T) {
	addr, upstream := luaProxy(t)
	c := dialRaw(t, addr)
	c.do(cmd("PING")) // the session starts, and the upstream gets the library
	before := commandCalls(t, upstream, "fcall")
	got := c.do(
		cmd("EXHSET", "k", "a", "1"),
		cmd("EXHSET", "k", "a", "x", "VER", "9"),
		cmd("EXHGET", "k"), // arity: answered by the backend, sends nothing
		cmd("EXHINCRBY", "k", "a", "5"),
		cmd("SET", "str", "s"),
		cmd("EXHGET", "str", "f"),
		cmd("EXHMGET", "k", "a", "nope", "b"),
		cmd("INCR", "str"),
		cmd("EXHSCAN", "absent", "0"),
		cmd("EXHGETWITHVER", "k", "a"),
	)
	want := []string{
		":1\r\n", "-ERR update version is stale\r\n", "-ERR wrong number of arguments for 'exhget' command\r\n",
		":6\r\n", "+OK\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
		"*3\r\n$1\r\n6\r\n$-1\r\n$-1\r\n", "-ERR value is not an integer or out of range\r\n",
		"*2\r\n+0\r\n*0\r\n", "*2\r\n$1\r\n6\r\n:2\r\n",
	}
	for i, v := range got {
		if show(v) != want[i] {
			t.Errorf("reply %d: %q, want %q", i, show(v), want[i])
		}
	}
	// Three runs of EXH* commands, between SET and INCR: three calls.
	if n := commandCalls(t, upstream, "fcall") - before; n != 3 {
		t.Errorf("the upstream ran %d FCALLs, want 3", n)
	}
}

// The replies of joined commands are those of commands sent one at a time and of the same
// commands inside MULTI (where each is a script of its own), byte for byte, in RESP2 and RESP3;
// and those of the module itself when $TAIRHASH_ADDR has one.
func TestJoinedRepliesAreTheModules(t *testing.T) {
	addr, _ := luaProxy(t)
	prefix := "exhash-server:joined:" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
	for _, proto := range []string{"2", "3"} {
		run := func(addr, k string, how string) []string {
			c := dialRaw(t, addr)
			c.do(cmd("HELLO", proto))
			script := moduleScript(k)
			var out []string
			switch how {
			case "pipelined":
				for _, v := range c.do(script...) {
					out = append(out, show(v))
				}
			case "one at a time":
				for _, s := range script {
					out = append(out, show(c.do(s)[0]))
				}
			case "MULTI":
				got := c.do(append(append([][]string{cmd("MULTI")}, script...), cmd("EXEC"))...)
				for _, v := range got[len(got)-1].Elems {
					out = append(out, show(v))
				}
			}
			return out
		}
		joined := run(addr, prefix+proto+":joined", "pipelined")
		others := map[string][]string{
			"one at a time": run(addr, prefix+proto+":single", "one at a time"),
			"MULTI":         run(addr, prefix+proto+":multi", "MULTI"),
		}
		if module := os.Getenv("TAIRHASH_ADDR"); module != "" {
			others["the module"] = run(module, prefix+proto+":module", "pipelined")
		}
		for name, replies := range others {
			if len(replies) != len(joined) {
				t.Fatalf("RESP%s: %d replies joined, %d %s", proto, len(joined), len(replies), name)
			}
			for i := range joined {
				if replies[i] != joined[i] {
					t.Errorf("RESP%s, %v: joined %q, %s %q", proto, moduleScript("k")[i], joined[i], name, replies[i])
				}
			}
		}
	}
}

// A run whose library the upstream lost (FUNCTION FLUSH, a restart) answers each of its commands
// with the error that asks to retry, the plain commands around it as usual, and the retry finds
// the library loaded again.
func TestJoinedCommandsAfterLibraryLost(t *testing.T) {
	addr, upstream := luaProxy(t)
	c := dialRaw(t, addr)
	if v := c.do(cmd("EXHSET", "k", "f", "v"))[0]; v.Int != 1 {
		t.Fatalf("EXHSET: %s", show(v))
	}
	if v := dialRaw(t, upstream).do(cmd("FUNCTION", "FLUSH"))[0]; !v.isStatus("OK") {
		t.Fatalf("FUNCTION FLUSH: %s", show(v))
	}
	got := c.do(cmd("EXHGET", "k", "f"), cmd("EXHLEN", "k"), cmd("GET", "none"))
	for _, v := range got[:2] {
		if !v.isError() || !strings.Contains(string(v.Text), "retry the command") {
			t.Fatalf("after FUNCTION FLUSH: %s", show(v))
		}
	}
	if !got[2].Null {
		t.Fatalf("GET after the run: %s", show(got[2]))
	}
	got = c.do(cmd("EXHGET", "k", "f"), cmd("EXHLEN", "k"))
	if string(got[0].Text) != "v" || got[1].Int != 1 {
		t.Fatalf("retried: %s %s", show(got[0]), show(got[1]))
	}
}

// commandCalls is how many times the upstream ran command so far (INFO commandstats).
func commandCalls(t *testing.T, upstream, command string) int {
	t.Helper()
	info := string(dialRaw(t, upstream).do(cmd("INFO", "commandstats"))[0].Text)
	stats := infoField(info, "cmdstat_"+command)
	if stats == "" {
		return 0
	}
	calls, _, _ := strings.Cut(strings.TrimPrefix(stats, "calls="), ",")
	n, err := strconv.Atoi(calls)
	if err != nil {
		t.Fatalf("cmdstat_%s: %q", command, stats)
	}
	return n
}

// Consecutive EXH* commands inside MULTI become one call, which carries its code (EVAL): the
// transaction does not depend on what the upstream has loaded, each command gets +QUEUED and its
// own element of EXEC's reply.
func TestTransactionOfEXHCommandsIsOneCall(t *testing.T) {
	addr, upstream := luaProxy(t)
	c := dialRaw(t, addr)
	c.do(cmd("PING"))
	flushScripts(t, upstream)
	evals, shas := commandCalls(t, upstream, "eval"), commandCalls(t, upstream, "evalsha")
	got := c.do(cmd("MULTI"), cmd("EXHSET", "k", "a", "1"), cmd("EXHINCRBY", "k", "a", "2"),
		cmd("EXHGET", "k"), cmd("EXHGETWITHVER", "k", "a"), cmd("EXEC"))
	for i, v := range got[1:5] {
		if !v.isStatus("QUEUED") {
			t.Fatalf("command %d inside MULTI: %s", i+1, show(v))
		}
	}
	want := "*4\r\n:1\r\n:3\r\n-ERR wrong number of arguments for 'exhget' command\r\n*2\r\n$1\r\n3\r\n:2\r\n"
	if s := show(got[5]); s != want {
		t.Fatalf("EXEC: %q, want %q", s, want)
	}
	if n, m := commandCalls(t, upstream, "eval")-evals, commandCalls(t, upstream, "evalsha")-shas; n != 1 || m != 0 {
		t.Errorf("the transaction ran %d EVAL and %d EVALSHA, want one EVAL", n, m)
	}
}
