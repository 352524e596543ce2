package testserver_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// recorder is a testing.TB that records how a helper ended the test instead of ending it.
type recorder struct {
	testing.TB
	failed         bool // what Failed reports
	skipped, fatal string
	logs           []string
	cleanups       []func()
}

func (r *recorder) Helper()                 {}
func (r *recorder) Failed() bool            { return r.failed }
func (r *recorder) Cleanup(f func())        { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Logf(f string, a ...any) { r.logs = append(r.logs, fmt.Sprintf(f, a...)) }
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls f with the recorder on its own goroutine, which Skipf and Fatalf end, then runs
// the cleanups f registered, last first.
func (r *recorder) run(f func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	r.cleanups = nil
}

// A missing binary skips the test and names `make servers`; with CI=true it fails the test.
func TestMissingBinary(t *testing.T) {
	t.Setenv(testserver.EnvServers, t.TempDir())
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		r := &recorder{TB: t}
		r.run(func(tb testing.TB) { testserver.Start(tb, testserver.KindRedis8) })
		got, other := r.skipped, r.fatal
		if ci == "true" {
			got, other = r.fatal, r.skipped
		}
		if !strings.Contains(got, "make servers") || !strings.Contains(got, "redis8") || other != "" {
			t.Errorf("CI=%q: skipped %q, failed %q; want one naming redis8 and make servers", ci, r.skipped, r.fatal)
		}
	}
	r := &recorder{TB: t}
	r.run(func(tb testing.TB) { testserver.Start(tb, "redis6") })
	if !strings.Contains(r.fatal, "unknown server kind") {
		t.Errorf("unknown kind: skipped %q, failed %q", r.skipped, r.fatal)
	}
}

// A server that cannot start fails the test with the server's own complaint.
func TestStartFailureShowsTheLog(t *testing.T) {
	testserver.Redis7(t) // skips when nothing is provisioned
	r := &recorder{TB: t}
	r.run(func(tb testing.TB) { testserver.Start(tb, testserver.KindRedis7, "--no-such-directive", "1") })
	if !strings.Contains(r.fatal, "no-such-directive") || !strings.Contains(r.fatal, "exited during startup") {
		t.Fatalf("Start with a bad argument failed with %q", r.fatal)
	}
}

// A failed test prints what the server logged while it ran, and only that.
func TestFailedTestPrintsTheServerLog(t *testing.T) {
	testserver.Redis7(t)
	ctx := context.Background()
	s := testserver.Start(t, testserver.KindRedis7)
	if err := s.Client(t).Do(ctx, "DEBUG", "LOG", "before-the-test").Err(); err != nil {
		t.Fatalf("DEBUG LOG: %v", err)
	}
	r := &recorder{TB: t, failed: true}
	r.run(func(tb testing.TB) {
		c := s.Client(tb)
		if err := c.Do(ctx, "DEBUG", "LOG", "marker-of-the-failed-test").Err(); err != nil {
			t.Errorf("DEBUG LOG: %v", err)
		}
	})
	logs := strings.Join(r.logs, "\n")
	if !strings.Contains(logs, "marker-of-the-failed-test") || strings.Contains(logs, "before-the-test") {
		t.Fatalf("a failed test printed:\n%s", logs)
	}
	if !strings.Contains(s.Log(), "before-the-test") {
		t.Fatalf("Log() lacks an earlier line:\n%s", s.Log())
	}
}
