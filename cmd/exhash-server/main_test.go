package main

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/proxy"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// freeAddr returns a loopback address nobody listens on (at the time of the call).
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// The program serves clients in front of the upstream and exits cleanly on SIGTERM.
func TestRunServesAndStopsOnSIGTERM(t *testing.T) {
	up := testserver.Redis7(t)
	listen := freeAddr(t)
	exited := make(chan error, 1)
	go func() {
		exited <- run(context.Background(), []string{"--listen", listen, "--upstream", up.Addr, "--log-level", "warn", "--shutdown-timeout", "5s"})
	}()
	c := redis.NewClient(&redis.Options{Addr: listen, MaxRetries: -1})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	key := up.Prefix(t) + "k"
	for {
		err := c.Set(ctx, key, "v", 0).Err()
		if err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("run ended before serving: %v", err)
		case <-ctx.Done():
			t.Fatalf("never served: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if v, err := c.Get(ctx, key).Result(); v != "v" {
		t.Fatalf("GET through the program: %q, %v", v, err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("run after SIGTERM: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("run did not return after SIGTERM")
	}
	if err := c.Ping(ctx).Err(); err == nil {
		t.Fatal("still serving after SIGTERM")
	}
}

// A cluster node as upstream stops the program at start with an error that says why.
func TestRunRefusesClusterUpstream(t *testing.T) {
	dir := t.TempDir()
	up := testserver.Start(t, testserver.KindRedis7, "--cluster-enabled", "yes", "--cluster-config-file", dir+"/nodes.conf")
	err := run(context.Background(), []string{"--listen", freeAddr(t), "--upstream", up.Addr})
	if !errors.Is(err, proxy.ErrClusterUpstream) {
		t.Fatalf("run with a cluster upstream: %v", err)
	}
}

// An upstream that wants a login, and no password for the server: the program starts, and a client
// that sends AUTH itself is served EXH* commands.
func TestRunWithClientsLoggingIn(t *testing.T) {
	up := testserver.Start(t, testserver.KindRedis7)
	admin := redis.NewClient(&redis.Options{Addr: up.Addr})
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.ConfigSet(ctx, "requirepass", "s3cret").Err(); err != nil {
		t.Fatal(err)
	}
	listen := freeAddr(t)
	exited := make(chan error, 1)
	runCtx, stop := context.WithCancel(context.Background())
	defer func() {
		stop()
		if err := <-exited; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	go func() {
		exited <- run(runCtx, []string{"--listen", listen, "--upstream", up.Addr, "--log-level", "warn"})
	}()
	c := redis.NewClient(&redis.Options{Addr: listen, Password: "s3cret", MaxRetries: -1})
	defer c.Close()
	for {
		err := c.Do(ctx, "EXHSET", "k", "f", "v").Err()
		if err == nil {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("run ended: %v", err)
		case <-ctx.Done():
			t.Fatalf("never served: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if v, err := c.Do(ctx, "EXHGET", "k", "f").Text(); v != "v" {
		t.Fatalf("EXHGET: %q, %v", v, err)
	}
}

// The backend that answers EXHEXPIREINFO with the reaper's figures keeps the Lua backend's own
// steps, which the server looks for: joining a client's consecutive EXH* commands into one call.
func TestExpireInfoBackendJoinsCommands(t *testing.T) {
	forDB, _ := proxy.LuaBackends()
	unused := redis.NewClient(&redis.Options{Addr: freeAddr(t)})
	defer unused.Close()
	be := withExpireInfo(forDB, emulate.NewReaper(unused))(0)
	p := unused.Pipeline()
	ctx := context.Background()
	be.Do(ctx, p, "exhset", "k", "f", "v")
	be.Do(ctx, p, "exhget", "k", "f")
	b, ok := be.(driver.Batcher)
	if !ok {
		t.Fatal("the backend does not join commands")
	}
	if send, done := b.Batch(ctx, p.Cmds()); done == nil || len(send) != 1 {
		t.Fatalf("two commands became %d calls (joined: %v)", len(send), done != nil)
	}
}
