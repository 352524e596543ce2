package proxy

import (
	"bytes"
	"strings"
	"testing"
)

// verbatimScript is a mix of commands whose replies cover every RESP2 and RESP3 type, errors, empty and
// large values. Keys are under {p}, replaced per test.
func verbatimScript(p string) [][]string {
	big := strings.Repeat("0123456789abcdef", 1<<16) // 1 MiB: streamed, not buffered
	return [][]string{
		cmd("SET", p+"s", "v"), cmd("GET", p+"s"), cmd("GET", p+"missing"), cmd("INCR", p+"s"),
		cmd("SET", p+"big", big), cmd("GET", p+"big"), cmd("SET", p+"empty", ""), cmd("GET", p+"empty"),
		cmd("HSET", p+"h", "a", "1", "b", "2"), cmd("HGETALL", p+"h"), cmd("HGETALL", p+"missing"),
		cmd("SADD", p+"set", "x"), cmd("SMEMBERS", p+"set"),
		cmd("ZADD", p+"z", "1.5", "m"), cmd("ZSCORE", p+"z", "m"), cmd("ZRANGE", p+"z", "0", "-1", "WITHSCORES"),
		cmd("LRANGE", p+"missing", "0", "-1"), cmd("TYPE", p+"h"), cmd("OBJECT", "ENCODING", p+"h"),
		cmd("NOSUCHCOMMAND", "x"), cmd("GET"), cmd("PING"), cmd("PING", "hi"), cmd("ECHO", "a\r\nb"),
		cmd("EVAL", "return {1, {2, 'x'}, false, {err='bad'}, redis.status_reply('FINE')}", "0"),
		cmd("EXISTS", p+"s", p+"missing"), cmd("DEL", p+"s", p+"big", p+"h"),
		cmd("DEBUG", "PROTOCOL", "string"), cmd("DEBUG", "PROTOCOL", "integer"),
		cmd("DEBUG", "PROTOCOL", "double"), cmd("DEBUG", "PROTOCOL", "bignum"),
		cmd("DEBUG", "PROTOCOL", "null"), cmd("DEBUG", "PROTOCOL", "array"),
		cmd("DEBUG", "PROTOCOL", "set"), cmd("DEBUG", "PROTOCOL", "map"),
		cmd("DEBUG", "PROTOCOL", "attrib"), cmd("DEBUG", "PROTOCOL", "verbatim"),
		cmd("DEBUG", "PROTOCOL", "true"), cmd("DEBUG", "PROTOCOL", "false"),
	}
}

// runScript sends the script pipelined, after HELLO <proto>, and returns the bytes of the replies after
// HELLO's (which holds the connection id, different on each connection).
func runScript(t *testing.T, addr, proto, prefix string) []byte {
	c := dialRaw(t, addr)
	if hello := c.do(cmd("HELLO", proto)); hello[0].isError() {
		t.Fatalf("HELLO %s: %s", proto, show(hello[0]))
	}
	c.seen.Reset()
	c.do(verbatimScript(prefix)...)
	return bytes.Clone(c.seen.Bytes())
}

// Every reply to a command the server passes through is the upstream's, byte for byte, in RESP2 and in
// RESP3 (after HELLO 3, which passes through too).
func TestPassThroughIsVerbatim(t *testing.T) {
	up := dedicated(t, "--enable-debug-command", "yes")
	addr := proxyFor(t, up.Addr)
	for _, proto := range []string{"2", "3"} {
		p := up.Prefix(t)
		direct := runScript(t, up.Addr, proto, p+"direct:")
		proxied := runScript(t, addr, proto, p+"proxied:")
		if !bytes.Equal(direct, proxied) {
			i := 0
			for i < len(direct) && i < len(proxied) && direct[i] == proxied[i] {
				i++
			}
			t.Fatalf("RESP%s: replies differ at byte %d of %d/%d:\ndirect  %q\nproxied %q", proto, i,
				len(direct), len(proxied), direct[i:min(len(direct), i+80)], proxied[i:min(len(proxied), i+80)])
		}
	}
}

// redis-cli prints the same thing through the server as straight from Redis, in RESP2 and RESP3.
func TestRedisCLIPassThrough(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	p := up.Prefix(t)
	for _, c := range [][]string{
		{"SET", "{p}k", "v"}, {"GET", "{p}k"}, {"GET", "{p}nothing"}, {"PING"},
		{"HSET", "{p}h", "f", "1"}, {"HGETALL", "{p}h"}, {"INCR", "{p}k"}, {"TYPE", "{p}h"},
		{"-3", "HGETALL", "{p}h"}, {"-3", "ZSCORE", "{p}nothing", "m"}, {"-3", "PING"},
	} {
		with := func(prefix string) []string {
			out := make([]string, len(c))
			for i, a := range c {
				out[i] = strings.ReplaceAll(a, "{p}", prefix)
			}
			return out
		}
		direct := redisCLI(t, up.Addr, with(p+"direct:")...)
		proxied := redisCLI(t, addr, with(p+"proxied:")...)
		if direct != proxied {
			t.Errorf("redis-cli %v:\ndirect  %q\nproxied %q", c, direct, proxied)
		}
	}
}

// Commands the server cannot carry get an error that names them; the connection goes on, and inside
// MULTI the refusal aborts the transaction like any command Redis refuses.
func TestRefusedCommands(t *testing.T) {
	up := redis7(t)
	c := dialRaw(t, proxyFor(t, up.Addr))
	for _, tc := range []struct {
		cmd  []string
		want string
	}{
		{cmd("MONITOR"), "MONITOR"},
		{cmd("CLIENT", "REPLY", "OFF"), "CLIENT REPLY OFF|SKIP"},
		{cmd("client", "reply", "skip"), "CLIENT REPLY OFF|SKIP"},
		{cmd("SYNC"), "SYNC"},
		{cmd("PSYNC", "?", "-1"), "PSYNC"},
	} {
		got := c.do(tc.cmd)[0]
		if !got.isError() || !strings.Contains(string(got.Text), "exhash-server does not carry "+tc.want) {
			t.Errorf("%v: %s", tc.cmd, show(got))
		}
	}
	if got := c.do(cmd("CLIENT", "REPLY", "ON"))[0]; !got.isStatus("OK") {
		t.Errorf("CLIENT REPLY ON: %s", show(got))
	}
	got := c.do(cmd("MULTI"), cmd("PING"), cmd("MONITOR"), cmd("EXEC"))
	if !got[2].isError() || !strings.HasPrefix(string(got[3].Text), "EXECABORT") {
		t.Errorf("MONITOR inside MULTI: %s, EXEC: %s", show(got[2]), show(got[3]))
	}
	if got := c.do(cmd("PING"))[0]; !got.isStatus("PONG") {
		t.Errorf("after the refusals: %s", show(got))
	}
}

// QUIT answers and closes; RESET answers and the connection is back to its initial state.
func TestQuitAndReset(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	c := dialRaw(t, addr)
	got := c.do(cmd("SELECT", "2"), cmd("MULTI"), cmd("RESET"), cmd("EXHTTL", "k", "f"))
	if !got[2].isStatus("RESET") || string(got[3].Text) != "db=0" {
		t.Errorf("RESET: %s, then the backend got %s", show(got[2]), show(got[3]))
	}
	c.write(encode(cmd("QUIT"), cmd("PING")))
	if got := c.read(); !got.isStatus("OK") {
		t.Errorf("QUIT: %s", show(got))
	}
	c.expectClosed()
}

// BLPOP blocks on the client's own upstream connection and returns what another client pushes.
func TestBlockingCommand(t *testing.T) {
	up := redis7(t)
	addr := proxyFor(t, up.Addr)
	key := up.Prefix(t) + "list"
	blocked := dialRaw(t, addr)
	blocked.write(encode(cmd("BLPOP", key, "0")))
	// Push only once BLPOP is waiting, so the value must travel through the blocked connection.
	waitBlocked(t, up.Addr)
	dialRaw(t, addr).do(cmd("RPUSH", key, "hello"))
	got := blocked.read()
	if len(got.Elems) != 2 || string(got.Elems[1].Text) != "hello" {
		t.Fatalf("BLPOP: %s", show(got))
	}
}
