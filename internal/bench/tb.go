package bench

import (
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
)

// TB lets a program (cmd/exhash-bench) start servers with internal/testserver, which takes a
// testing.TB: the same launchers and settings as the tests, no second way to run a server.
//
// Only the methods testserver calls are implemented; the embedded interface is nil, so a call to
// any other method panics (the smoke test would show it). Fatalf and Skipf end the caller by
// panicking with a *Stop, which the harness recovers where it starts a server.
type TB struct {
	testing.TB // nil: satisfies the interface's unexported method

	name string
	log  io.Writer

	mu       sync.Mutex
	cleanups []func()
	failed   bool
	dirs     []string
}

// Stop is the panic value of TB.Fatalf and TB.Skipf.
type Stop struct {
	Skip bool   // Skipf: the server is not provisioned
	Msg  string // the message testserver gave
}

func (s *Stop) Error() string { return s.Msg }

// NewTB returns a TB named name that writes Logf lines to log.
func NewTB(name string, log io.Writer) *TB { return &TB{name: name, log: log} }

// Close runs the cleanups (stopping the servers) in reverse order and removes the temporary folders.
func (t *TB) Close() {
	t.mu.Lock()
	fns := t.cleanups
	t.cleanups = nil
	dirs := t.dirs
	t.dirs = nil
	t.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
	for _, d := range dirs {
		_ = os.RemoveAll(d)
	}
}

// Helper does nothing: there is no test output to attribute lines to.
func (t *TB) Helper() {}

// Name returns the name given to NewTB.
func (t *TB) Name() string { return t.name }

// Cleanup registers fn to run at Close.
func (t *TB) Cleanup(fn func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, fn)
}

// Failed reports whether Fatalf was called.
func (t *TB) Failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failed
}

// Logf writes a line to the log writer.
func (t *TB) Logf(format string, args ...any) { fmt.Fprintf(t.log, format+"\n", args...) }

// Fatalf marks the TB failed and panics with a *Stop.
func (t *TB) Fatalf(format string, args ...any) {
	t.mu.Lock()
	t.failed = true
	t.mu.Unlock()
	panic(&Stop{Msg: fmt.Sprintf(format, args...)})
}

// Skipf panics with a *Stop marked Skip.
func (t *TB) Skipf(format string, args ...any) {
	panic(&Stop{Skip: true, Msg: fmt.Sprintf(format, args...)})
}

// TempDir returns a new temporary folder, removed at Close.
func (t *TB) TempDir() string {
	d, err := os.MkdirTemp("", "exhash-bench-")
	if err != nil {
		t.Fatalf("TempDir: %v", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.dirs = append(t.dirs, d)
	return d
}
