package testserver

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// CLI runs the provisioned redis-cli against addr with the given standard input and arguments and
// returns what it printed (its raw output, as when piped). A missing redis-cli skips the test, or
// fails it under CI=true; a redis-cli that fails or runs over 10 s fails it.
func CLI(tb testing.TB, addr, stdin string, args ...string) string {
	tb.Helper()
	bin, err := locate(KindRedis7)
	if err != nil {
		fail(tb, err)
	}
	host, port, _ := net.SplitHostPort(addr)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, bin.cli, append([]string{"-h", host, "-p", port}, args...)...)
	c.Stdin = strings.NewReader(stdin)
	out, err := c.CombinedOutput()
	if err != nil {
		tb.Fatalf("redis-cli %v: %v\n%s", args, err, out)
	}
	return string(out)
}
