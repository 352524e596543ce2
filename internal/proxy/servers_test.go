package proxy

// TEMPORARY: stands in for internal/testserver (being written) with the same shape; replaced by it.

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

type tsServer struct {
	Name string
	Addr string
}

func (s *tsServer) Client(t testing.TB) redis.UniversalClient {
	c := redis.NewClient(&redis.Options{Addr: s.Addr})
	t.Cleanup(func() { c.Close() })
	return c
}

func (s *tsServer) Prefix(t testing.TB) string {
	return strings.NewReplacer("/", ":", " ", "_").Replace(t.Name()) + ":" + strconv.FormatInt(time.Now().UnixNano(), 36) + ":"
}

var (
	sharedOnce sync.Once
	shared     *tsServer
)

func redis7(t testing.TB) *tsServer {
	sharedOnce.Do(func() { shared = startServer(nil, "redis7") })
	return shared
}

func dedicated(t testing.TB, kind string, args ...string) *tsServer {
	return startServer(t, kind, args...)
}

func startServer(t testing.TB, kind string, args ...string) *tsServer {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("redis-server", append([]string{"--port", strconv.Itoa(port), "--save", "", "--appendonly", "no"}, args...)...)
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	if t != nil {
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; i < 100; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = context.Background()
	return &tsServer{Name: kind, Addr: addr}
}
