package proxy

import (
	"bytes"
	"os"
	"strconv"
	"testing"
	"time"
)

// moduleAddr returns the address of a server with the TairHash module ($TAIRHASH_ADDR), or skips.
func moduleAddr(t *testing.T) string {
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		t.Skip("TAIRHASH_ADDR not set: no server with the TairHash module")
	}
	if v := dialRaw(t, addr).do(cmd("EXHLEN", "exhash-server:probe"))[0]; v.isError() {
		t.Fatalf("TAIRHASH_ADDR=%s has no TairHash module: %s", addr, show(v))
	}
	return addr
}

// moduleScript exercises every reply shape of the module: integers, bulk strings, nil, arrays with
// holes, the +OK of EXHMSET, EXHSCAN's +0 cursor on an absent key, and error strings.
func moduleScript(k string) [][]string {
	return [][]string{
		cmd("EXHSET", k, "f", "v"), cmd("EXHSET", k, "f", "w", "VER", "1"), cmd("EXHSET", k, "f", "x", "VER", "9"),
		cmd("EXHGET", k, "f"), cmd("EXHGET", k, "nope"), cmd("EXHGETWITHVER", k, "f"),
		cmd("EXHMSET", k, "a", "1", "b", "2"), cmd("EXHMGET", k, "a", "nope", "b"),
		cmd("EXHMGETWITHVER", k, "a", "nope"), cmd("EXHINCRBY", k, "a", "5"), cmd("EXHINCRBYFLOAT", k, "b", "0.5"),
		cmd("EXHINCRBY", k, "f", "1"), cmd("EXHTTL", k, "f"), cmd("EXHTTL", k, "nope"), cmd("EXHTTL", k+":absent", "f"),
		cmd("EXHVER", k, "f"), cmd("EXHLEN", k), cmd("EXHEXISTS", k, "a"), cmd("EXHSTRLEN", k, "f"),
		cmd("EXHSCAN", k+":absent", "0"), cmd("EXHSET", k, "f"), cmd("EXHSET", k, "f", "v", "NX", "XX"),
		cmd("EXHDEL", k, "a", "nope"), cmd("EXHSETVER", k, "f", "0"), cmd("SET", k+":str", "s"),
		cmd("EXHGET", k+":str", "f"), cmd("EXHKEYS", k+":absent"), cmd("EXHGETALL", k+":absent"),
	}
}

// In front of a server with the module, the Native backend's replies reach the client exactly as the
// module sends them, in RESP2 and RESP3, directly and inside MULTI/EXEC.
func TestModuleRepliesAreVerbatim(t *testing.T) {
	addr := moduleAddr(t)
	proxied, _ := startProxy(t, Config{Upstream: Upstream{Addr: addr}}) // Native backend
	prefix := "exhash-server:" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
	for _, proto := range []string{"2", "3"} {
		run := func(addr, k string, tx bool) []byte {
			c := dialRaw(t, addr)
			c.do(cmd("HELLO", proto))
			c.seen.Reset()
			script := moduleScript(k)
			if tx {
				script = append(append([][]string{cmd("MULTI")}, script...), cmd("EXEC"))
			}
			c.do(script...)
			return bytes.Clone(c.seen.Bytes())
		}
		for _, tx := range []bool{false, true} {
			name := "RESP" + proto + map[bool]string{false: "", true: " MULTI"}[tx]
			direct := run(addr, prefix+name+":d", tx)
			through := run(proxied, prefix+name+":p", tx)
			if !bytes.Equal(direct, through) {
				t.Errorf("%s: replies differ:\ndirect  %q\nproxied %q", name, direct, through)
			}
		}
	}
}

// An expiry notification of the module reaches a subscriber connected through the server.
func TestModuleExpiryNotification(t *testing.T) {
	addr := moduleAddr(t)
	proxied, _ := startProxy(t, Config{Upstream: Upstream{Addr: addr}})
	key := "exhash-server:" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":expiring"
	sub := dialRaw(t, proxied)
	channel := "tairhash@0@" + key + "__:expired"
	sub.do(cmd("SUBSCRIBE", channel))
	c := dialRaw(t, proxied)
	c.do(cmd("EXHSET", key, "f", "v", "PX", "20"))
	deadline := time.Now().Add(testTimeout)
	for v := c.do(cmd("EXHGET", key, "f"))[0]; !v.Null; v = c.do(cmd("EXHGET", key, "f"))[0] {
		if time.Now().After(deadline) {
			t.Fatal("the field never expired")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if v := sub.read(); len(v.Elems) != 3 || string(v.Elems[1].Text) != channel || string(v.Elems[2].Text) != "f" {
		t.Fatalf("notification: %q", show(v))
	}
}
