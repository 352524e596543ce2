package main

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// serve runs the program with args (plus --listen) until the test ends and returns the address once
// it answers PING.
func serve(t *testing.T, args ...string) string {
	t.Helper()
	listen := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan error, 1)
	go func() { exited <- run(ctx, append([]string{"--listen", listen, "--log-level", "warn"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-exited; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !answersPing(listen) {
		if time.Now().After(deadline) {
			t.Fatal("the program never answered PING")
		}
		select {
		case err := <-exited:
			t.Fatalf("run ended before serving: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	return listen
}

func answersPing(addr string) bool {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer conn.Close()
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	return c.Ping(context.Background()).Err() == nil
}

// cli runs redis-cli against addr and returns its output without the surrounding blank lines.
func cli(t *testing.T, addr string, stdin string, args ...string) string {
	t.Helper()
	return strings.TrimSpace(testserver.CLI(t, addr, stdin, args...)) // redis-cli adds an empty line after an error
}

// The redis-cli session of docs/exhash-server.md ("Run it"), through the program with its default
// (Lua) backend in front of Redis 7.0, prints what the document says. Keys carry the test's prefix.
func TestDocumentedSession(t *testing.T) {
	up := testserver.Redis7(t)
	addr := serve(t, "--upstream", up.Addr)
	user, cart := up.Prefix(t)+"user:1", up.Prefix(t)+"cart:1"
	start := serverSeconds(t, up)
	for _, step := range []struct {
		args []string
		want []string // any of these
	}{
		{[]string{"EXHSET", user, "name", "ada", "EX", "60"}, []string{"1"}},
		{[]string{"EXHGETWITHVER", user, "name"}, []string{"ada\n1"}},
		{[]string{"EXHSET", user, "name", "grace", "VER", "1", "KEEPTTL"}, []string{"0"}},
		{[]string{"EXHSET", user, "name", "eve", "VER", "1"}, []string{"ERR update version is stale"}},
		{[]string{"EXHTTL", user, "name"}, nil}, // 60 less the seconds passed on the server: checked below
		{[]string{"EXHSET", user, "token", "t0k", "PX", "200"}, []string{"1"}},
	} {
		if step.want == nil {
			step.want = ttlsAfter(t, up, 60, start)
		}
		if got := cli(t, addr, "", step.args...); !contains(step.want, got) {
			t.Fatalf("%v: %q, want %q", step.args, got, step.want)
		}
	}
	// The document sleeps 0.3 s; the test polls until the field has expired on the server's clock.
	deadline := time.Now().Add(10 * time.Second)
	for cli(t, addr, "", "EXHGET", user, "token") != "" {
		if time.Now().After(deadline) {
			t.Fatal("the token field never expired")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := cli(t, addr, "", "EXHGETALL", user); got != "name\ngrace" {
		t.Fatalf("EXHGETALL: %q", got)
	}
	if got := cli(t, addr, "", "SET", up.Prefix(t)+"plain", "value"); got != "OK" {
		t.Fatalf("SET: %q", got)
	}
	tx := "MULTI\nEXHSET " + cart + " apple 3 EX 30\nEXHINCRBY " + cart + " apple 2 KEEPTTL\nEXHTTL " + cart + " apple\nEXEC\n"
	var txWant []string
	for _, ttl := range ttlsAfter(t, up, 30, serverSeconds(t, up)) {
		txWant = append(txWant, "OK\nQUEUED\nQUEUED\nQUEUED\n1\n5\n"+ttl)
	}
	if got := cli(t, addr, tx); !contains(txWant, got) {
		t.Fatalf("MULTI/EXEC: %q", got)
	}
	if got := cli(t, addr, "", "MONITOR"); !strings.HasPrefix(got, "ERR exhash-server does not carry MONITOR") {
		t.Fatalf("MONITOR: %q", got)
	}
}

// serverSeconds reads the upstream's clock (fields expire on it, not on ours), in fractional seconds.
func serverSeconds(t *testing.T, s *testserver.Server) float64 {
	t.Helper()
	reply := strings.Fields(cli(t, s.Addr, "", "TIME"))
	if len(reply) != 2 {
		t.Fatalf("TIME: %q", reply)
	}
	sec, err1 := strconv.ParseFloat(reply[0], 64)
	usec, err2 := strconv.ParseFloat(reply[1], 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("TIME: %q", reply)
	}
	return sec + usec/1e6
}

// ttlsAfter lists the EXHTTL replies possible for a field given ttl seconds at server time start or
// later, as of now (read before the command is sent, so a slow machine widens the list, never
// narrows it): the whole seconds left, rounded as the module does, at start and at now + 1 s.
func ttlsAfter(t *testing.T, s *testserver.Server, ttl int, start float64) []string {
	t.Helper()
	passed := int(serverSeconds(t, s)-start) + 1
	var out []string
	for v := ttl; v >= ttl-passed-1 && v >= 0; v-- {
		out = append(out, strconv.Itoa(v))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// With --reap-dbs the program expires fields nobody reads and announces them, on every listed
// database, and EXHEXPIREINFO reports them in the module's layout.
func TestReapersAnnounceUnreadFields(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis7) // alone: EXHEXPIREINFO counts every field reaped
	addr := serve(t, "--upstream", srv.Addr, "--reap-dbs", "0, 3")
	p := srv.Prefix(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, db := range []int{0, 3} {
		rdb := redis.NewClient(&redis.Options{Addr: addr, DB: db})
		defer rdb.Close()
		sub := rdb.Subscribe(ctx, exhash.ExpiredChannel(db, p+"k"))
		defer sub.Close()
		if _, err := sub.Receive(ctx); err != nil {
			t.Fatal(err)
		}
		if err := rdb.Do(ctx, "EXHSET", p+"k", "f", "v", "PX", "50").Err(); err != nil {
			t.Fatal(err)
		}
		msg, err := sub.ReceiveMessage(ctx)
		if err != nil || msg.Payload != "f" {
			t.Fatalf("db %d: expiry notification %v, %v; want field f", db, msg, err)
		}
		if n := srv.Client(t).(*redis.Client).Exists(ctx, p+"k").Val(); db == 0 && n != 0 {
			t.Fatalf("db 0: key still there after its field was announced")
		}
	}
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	info, err := c.Do(ctx, "exhexpireinfo").Text()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\r\n# Active expire statistics\r\nenable_active_expire:1\r\n",
		"tair_hash_active_expire_dbs_per_loop:2\r\n",
		"\r\n# DB detail statistics\r\ndb: 0, active_expired_fields: 1, passive_expired_fields: 0\r\n" +
			"db: 3, active_expired_fields: 1, passive_expired_fields: 0\r\n",
	} {
		if !strings.Contains(info, want) {
			t.Fatalf("EXHEXPIREINFO = %q, want it to hold %q", info, want)
		}
	}
}
