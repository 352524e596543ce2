// Package outputtest runs an example program the way its tests do: its run function with the
// environment pointing at a server, and the exact output compared with what the program promises.
package outputtest

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
)

// Run calls run with REDIS_ADDR set to addr (empty: the program's embedded server) and TAIR_ADDR
// unset, fails t if run fails or stdout is not want, and returns what it wrote to stderr.
func Run(t *testing.T, addr, want string, run func(ctx context.Context, out, errOut io.Writer) error) string {
	t.Helper()
	t.Setenv("REDIS_ADDR", addr)
	t.Setenv("TAIR_ADDR", "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	if err := run(ctx, &out, &errOut); err != nil {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errOut.String())
	}
	if out.String() != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	return errOut.String()
}
