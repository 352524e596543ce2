package proxy

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// luaProxy serves the default configuration (Lua emulation) in front of a Redis 7.0 of the test's own,
// so that the test may flush the upstream's script cache, and returns the server's and the upstream's
// addresses.
func luaProxy(t *testing.T) (addr, upstream string) {
	up := dedicated(t)
	addr, _ = startProxy(t, luaConfig(up.Addr))
	return addr, up.Addr
}

// flushScripts empties the upstream's script cache and its function libraries, as a restart or
// failover would.
func flushScripts(t *testing.T, upstream string) {
	t.Helper()
	for _, v := range dialRaw(t, upstream).do(cmd("SCRIPT", "FLUSH"), cmd("FUNCTION", "FLUSH")) {
		if !v.isStatus("OK") {
			t.Fatalf("SCRIPT FLUSH, FUNCTION FLUSH: %s", show(v))
		}
	}
}

// EXH* commands inside MULTI go upstream as the emulation's scripts, the first use of each script in
// full: a transaction right after the upstream lost its scripts still runs every command, and EXEC's
// reply holds the module's replies, one per command the client sent.
func TestLuaTransactionAfterScriptsLost(t *testing.T) {
	addr, upstream := luaProxy(t)
	c := dialRaw(t, addr)
	// A first command loads the scripts; then the upstream loses them.
	if v := c.do(cmd("EXHSET", "k", "a", "1"))[0]; v.Int != 1 {
		t.Fatalf("EXHSET: %s", show(v))
	}
	flushScripts(t, upstream)
	got := c.do(
		cmd("MULTI"),
		cmd("EXHSET", "k", "b", "2", "PX", "100000"),
		cmd("EXHSET", "k", "c", "3"), // the same script again: EVALSHA, loaded by the EVAL before it
		cmd("SET", "plain", "x"),
		cmd("EXHGET", "k", "b"),
		cmd("EXHINCRBY", "k", "a", "5"),
		cmd("EXHMGET", "k", "a", "b", "nope"),
		cmd("EXHGETWITHVER", "k", "b"),
		cmd("EXHSET", "k", "a", "wrong", "VER", "99"),
		cmd("EXHLEN", "k"),
		cmd("EXEC"),
	)
	for i, v := range got[1:10] {
		if !v.isStatus("QUEUED") {
			t.Fatalf("command %d inside MULTI: %s", i+1, show(v))
		}
	}
	want := "*9\r\n:1\r\n:1\r\n+OK\r\n$1\r\n2\r\n:6\r\n*3\r\n$1\r\n6\r\n$1\r\n2\r\n$-1\r\n" +
		"*2\r\n$1\r\n2\r\n:1\r\n-ERR update version is stale\r\n:3\r\n"
	if s := show(got[10]); s != want {
		t.Fatalf("EXEC:\n%q\nwant\n%q", s, want)
	}

	// The same through go-redis and the typed client (Native backend: plain EXH* commands), RESP3.
	flushScripts(t, upstream)
	tc := exhash.NewClient(client(t, addr))
	ctx := ctxT(t)
	var set *exhash.SetCmd
	var get *exhash.StringCmd
	var ttl *exhash.TTLCmd
	_, err := tc.TxPipelined(ctx, func(p exhash.Pipeliner) error {
		set = p.ExHSetArgs(ctx, "k2", "f", "v", exhash.ExHSetArgs{}.New().Px(time.Minute))
		get = p.ExHGet(ctx, "k2", "f")
		ttl = p.ExHPTTL(ctx, "k2", "f")
		return nil
	})
	if err != nil || set.Val() != exhash.SetCreated || get.Val() != "v" || !ttl.Val().HasTTL() || ttl.Val().TTL > time.Minute {
		t.Fatalf("TxPipelined: %v, EXHSET %v, EXHGET %q, EXHPTTL %v", err, set.Val(), get.Val(), ttl.Val())
	}
}

// Outside a transaction, a command whose script the upstream lost gets an error that says to retry
// (the server cannot resend it in its place: the client's later commands have already run), and the
// retry succeeds: the server loads the scripts again when it logs in itself, and otherwise the session
// sends its next scripts in full, on the client's own connection.
func TestLuaScriptsLostOutsideTransaction(t *testing.T) {
	for _, password := range []string{"", "s3cret"} {
		up := dedicated(t)
		if password != "" {
			dialRaw(t, up.Addr).do(cmd("CONFIG", "SET", "requirepass", password))
		}
		cfg := luaConfig(up.Addr)
		cfg.Upstream.Password = password
		addr, _ := startProxy(t, cfg)
		c := dialRaw(t, addr)
		if v := c.do(cmd("EXHSET", "k", "f", "v"), cmd("EXHGET", "k", "f")); v[0].Int != 1 || string(v[1].Text) != "v" {
			t.Fatalf("EXHSET, EXHGET: %s %s", show(v[0]), show(v[1]))
		}
		admin := dialRaw(t, up.Addr)
		if password != "" {
			admin.do(cmd("AUTH", password))
		}
		for _, v := range admin.do(cmd("SCRIPT", "FLUSH"), cmd("FUNCTION", "FLUSH")) {
			if !v.isStatus("OK") {
				t.Fatalf("SCRIPT FLUSH, FUNCTION FLUSH: %s", show(v))
			}
		}
		got := c.do(cmd("EXHGET", "k", "f"), cmd("GET", "k:none"))
		if !got[0].isError() || !strings.Contains(string(got[0].Text), "retry the command") || !got[1].Null {
			t.Fatalf("password %q: EXHGET after SCRIPT FLUSH: %s, then GET: %s", password, show(got[0]), show(got[1]))
		}
		if v := c.do(cmd("EXHGET", "k", "f"))[0]; string(v.Text) != "v" || v.isError() {
			t.Fatalf("password %q: EXHGET retried: %s", password, show(v))
		}
	}
}

// WATCH, MULTI, EXH* commands, EXEC through the server: EXEC runs them when the watched key did not
// change, returns nil (and runs nothing) when another client changed it, including by an EXH* command.
func TestLuaWatch(t *testing.T) {
	addr, _ := luaProxy(t)
	c, other := dialRaw(t, addr), dialRaw(t, addr)

	got := c.do(cmd("WATCH", "h"), cmd("MULTI"), cmd("EXHSET", "h", "f", "1"), cmd("EXHGET", "h", "f"), cmd("EXEC"))
	if s := show(got[4]); s != "*2\r\n:1\r\n$1\r\n1\r\n" {
		t.Fatalf("EXEC with the watched key unchanged: %q", s)
	}

	c.do(cmd("WATCH", "h"))
	if v := other.do(cmd("EXHSET", "h", "f", "2"))[0]; v.Int != 0 {
		t.Fatalf("EXHSET by another client: %s", show(v))
	}
	got = c.do(cmd("MULTI"), cmd("EXHSET", "h", "f", "3"), cmd("EXEC"), cmd("EXHGET", "h", "f"))
	if !got[2].Null || string(got[3].Text) != "2" {
		t.Fatalf("EXEC after the watched key changed: %s, then EXHGET: %s", show(got[2]), show(got[3]))
	}

	// go-redis' Watch with the typed client queuing on its transaction (driver.InTransaction).
	rc := client(t, addr)
	tc := exhash.NewClient(rc)
	ctx := ctxT(t)
	err := rc.Watch(ctx, func(tx *redis.Tx) error {
		v, err := tc.On(tx).ExHGet(ctx, "h", "f").Result()
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			tc.On(p).ExHSet(driver.InTransaction(ctx), "h", "f", v+"!")
			return nil
		})
		return err
	}, "h")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := tc.ExHGet(ctx, "h", "f").Result(); v != "2!" {
		t.Fatalf("after Watch: %q, %v", v, err)
	}
}

// DISCARD drops the EXH* commands queued since MULTI; the connection goes on outside a transaction.
func TestLuaDiscard(t *testing.T) {
	addr, _ := luaProxy(t)
	c := dialRaw(t, addr)
	got := c.do(cmd("MULTI"), cmd("EXHSET", "d", "f", "v"), cmd("EXHLEN", "d"), cmd("DISCARD"), cmd("EXHLEN", "d"), cmd("EXISTS", "d"))
	if !got[1].isStatus("QUEUED") || !got[2].isStatus("QUEUED") || !got[3].isStatus("OK") || got[4].Int != 0 || got[5].Int != 0 {
		t.Fatalf("MULTI, EXHSET, EXHLEN, DISCARD, EXHLEN, EXISTS: %q", []string{show(got[1]), show(got[2]), show(got[3]), show(got[4]), show(got[5])})
	}
	// A refused EXH* argument list inside MULTI is an element of EXEC's reply, as on the module; an
	// unknown command aborts the transaction, as Redis does.
	got = c.do(cmd("MULTI"), cmd("EXHSET", "d", "f"), cmd("EXHSET", "d", "f", "v"), cmd("EXEC"))
	if s := show(got[3]); s != "*2\r\n-ERR wrong number of arguments for 'exhset' command\r\n:1\r\n" {
		t.Fatalf("EXEC with a wrong arity: %q", s)
	}
	got = c.do(cmd("MULTI"), cmd("EXHDEL", "d", "f"), cmd("NOSUCHCOMMAND"), cmd("EXEC"), cmd("EXHLEN", "d"))
	if !strings.HasPrefix(string(got[3].Text), "EXECABORT") || got[4].Int != 1 {
		t.Fatalf("aborted transaction: EXEC %s, EXHLEN %s", show(got[3]), show(got[4]))
	}
}

// The expiry notifications of the emulation reach subscribers connected through the server, on the
// channel of the database the writer selected.
func TestLuaExpiredNotificationThroughTheServer(t *testing.T) {
	addr, _ := luaProxy(t)
	ctx := ctxT(t)
	for _, protocol := range []int{2, 3} {
		sub := exhash.NewClient(client(t, addr, func(o *redis.Options) { o.Protocol = protocol }))
		es, err := sub.SubscribeExpired(ctx, 3, "n")
		if err != nil {
			t.Fatal(err)
		}
		writer := client(t, addr, func(o *redis.Options) { o.DB = 3 })
		if err := writer.Do(ctx, "exhset", "n", "f", "v", "px", "5").Err(); err != nil {
			t.Fatal(err)
		}
		// The field expires on the server's clock; reading the key afterwards makes the emulation
		// remove it and publish.
		deadline := time.Now().Add(testTimeout)
		for {
			err := writer.Do(ctx, "exhget", "n", "f").Err()
			if errors.Is(err, redis.Nil) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the field did not expire: %v", err)
			}
			time.Sleep(time.Millisecond)
		}
		ev, err := es.Receive(ctx)
		if err != nil || ev.Key != "n" || ev.Field != "f" {
			t.Fatalf("RESP%d: %+v, %v", protocol, ev, err)
		}
		es.Close()
	}
}

// A long pipeline mixing EXH* commands (scripts, flushed upstream early in the batch) with plain ones
// gets every reply in order, with the Lua emulation.
func TestLuaPipelineOrder(t *testing.T) {
	up := redis7(t)
	addr, _ := startProxy(t, luaConfig(up.Addr))
	p := up.Prefix(t)
	c := dialRaw(t, addr)
	const n = 300
	var cmds [][]string
	for i := range n {
		v := strconv.Itoa(i)
		cmds = append(cmds,
			cmd("EXHSET", p+"h", "f"+v, v, "PX", "100000"), cmd("INCR", p+"n"), cmd("EXHGET", p+"h", "f"+v),
			cmd("EXHLEN", p+"h"), cmd("GET", p+"n"))
	}
	got := c.do(cmds...)
	for i := range n {
		r := got[5*i : 5*i+5]
		v, next := strconv.Itoa(i), strconv.Itoa(i+1)
		if r[0].Int != 1 || r[1].Int != int64(i+1) || string(r[2].Text) != v || r[3].Int != int64(i+1) || string(r[4].Text) != next {
			t.Fatalf("round %d: %q", i, []string{show(r[0]), show(r[1]), show(r[2]), show(r[3]), show(r[4])})
		}
	}
}

// When the scripts cannot be loaded (here an ACL user without SCRIPT), EXH* commands get an error and
// the server does not try again for every command: the upstream sees a handful of connections, not one
// per command.
func TestLuaLoadFailureIsNotRetriedPerCommand(t *testing.T) {
	up := dedicated(t)
	admin := dialRaw(t, up.Addr)
	if v := admin.do(cmd("ACL", "SETUSER", "noscript", "on", ">pw", "~*", "&*", "+@all", "-script"))[0]; !v.isStatus("OK") {
		t.Fatalf("ACL SETUSER: %s", show(v))
	}
	connections := func() int {
		info := string(admin.do(cmd("INFO", "stats"))[0].Text)
		for _, line := range strings.Split(info, "\r\n") {
			if v, ok := strings.CutPrefix(line, "total_connections_received:"); ok {
				n, _ := strconv.Atoi(v)
				return n
			}
		}
		t.Fatal("no total_connections_received in INFO stats")
		return 0
	}
	cfg := luaConfig(up.Addr)
	cfg.Upstream.Username, cfg.Upstream.Password = "noscript", "pw"
	addr, _ := startProxy(t, cfg)
	before := connections()
	c := dialRaw(t, addr)
	for i := range 20 {
		if v := c.do(cmd("EXHSET", "k", "f", "v"))[0]; !v.isError() {
			t.Fatalf("EXHSET %d without the scripts: %s", i, show(v))
		}
	}
	if n := connections() - before; n > 4 {
		t.Fatalf("the upstream received %d connections for one client's 20 commands", n)
	}
}
