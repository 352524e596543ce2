package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/internal/testserver"
	"golang.org/x/sys/unix"
)

// The hostile-client suite runs the built program and attacks it the way issue #14 did. After each
// attack the process is still up, its RSS is within rssSlack of its idle baseline (plus what a limit
// allows), and a well-behaved client has been answered throughout.

const (
	rssSlack     = 64 << 20
	hostileInput = 16 << 20 // --max-input-bytes of the attacked server
	hostileWait  = 10 * time.Second
)

// buildServer builds the program into a temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "exhash-server")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running exhash-server.
type process struct {
	cmd  *exec.Cmd
	addr string
	log  *lockedWriter // its stderr
}

// startServer runs bin in front of upstream and waits until it answers PING.
func startServer(t *testing.T, bin, upstream string, args ...string) *process {
	t.Helper()
	p := &process{addr: freeAddr(t), log: &lockedWriter{}}
	p.cmd = exec.Command(bin, append([]string{"--listen", p.addr, "--upstream", upstream, "--log-level", "warn"}, args...)...)
	p.cmd.Stderr = p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
		if t.Failed() {
			t.Logf("server log:\n%s", p.log)
		}
	})
	deadline := time.Now().Add(hostileWait)
	for {
		if err := p.ping(); err == nil {
			return p
		} else if time.Now().After(deadline) {
			t.Fatalf("the server never answered: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// limitDescriptors sets the process's RLIMIT_NOFILE, soft and hard (a Go program raises its soft
// limit to the hard one at start, so the limit is set once it runs).
func (p *process) limitDescriptors(t *testing.T, n uint64) {
	t.Helper()
	if err := unix.Prlimit(p.cmd.Process.Pid, unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: n, Max: n}, nil); err != nil {
		t.Fatal(err)
	}
}

// lockedWriter collects a process's output, which the test reads while it is written.
type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// ping sends PING on a new connection.
func (p *process) ping() error {
	c, err := net.DialTimeout("tcp", p.addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(hostileWait))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != "+PONG\r\n" {
		return fmt.Errorf("PING: %q, %v", line, err)
	}
	return nil
}

// rss is the process's resident memory (VmRSS).
func (p *process) rss(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("the server process is gone: %v", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// cpu is the CPU time the process has used (user and system), in clock ticks.
func (p *process) cpu(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("the server process is gone: %v", err)
	}
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime
}

// alive fails the test if the process exited.
func (p *process) alive(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("the server process is gone: %v", err)
	}
}

// wellBehaved is a client that sends EXH* and plain commands until stopped and records failures.
type wellBehaved struct {
	stop   context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	errs   []error
	served int
}

func startWellBehaved(t *testing.T, addr, key string) *wellBehaved {
	ctx, cancel := context.WithCancel(context.Background())
	w := &wellBehaved{stop: cancel, done: make(chan struct{})}
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, PoolSize: 1, ReadTimeout: hostileWait})
	go func() {
		defer close(w.done)
		defer c.Close()
		for i := 0; ctx.Err() == nil; i++ {
			v := strconv.Itoa(i)
			err := c.Do(ctx, "EXHSET", key, "f", v).Err()
			if err == nil {
				var got string
				got, err = c.Do(ctx, "EXHGET", key, "f").Text()
				if err == nil && got != v {
					err = fmt.Errorf("EXHGET: %q, want %q", got, v)
				}
			}
			w.mu.Lock()
			if err != nil && ctx.Err() == nil {
				w.errs = append(w.errs, err)
			} else if err == nil {
				w.served++
			}
			w.mu.Unlock()
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return w
}

// check fails the test if the client got an error, or no answer since the last check.
func (w *wellBehaved) check(t *testing.T, what string) {
	t.Helper()
	deadline := time.Now().Add(hostileWait)
	w.mu.Lock()
	since := w.served
	w.mu.Unlock()
	for {
		w.mu.Lock()
		errs, served := w.errs, w.served
		w.mu.Unlock()
		if len(errs) > 0 {
			t.Fatalf("%s: the well-behaved client got %v", what, errs)
		}
		if served > since {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the well-behaved client got no answer for %v", what, hostileWait)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exchange sends b on a new connection and returns everything the server sends until it closes.
func exchange(t *testing.T, addr string, b []byte) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(hostileWait))
	if _, err := c.Write(b); err != nil && !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) {
		t.Fatal(err)
	}
	out, err := io.ReadAll(c)
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("reading until the server closes: %v (got %q)", err, out)
	}
	return string(out)
}

func TestHostileClients(t *testing.T) {
	bin := buildServer(t)
	up := testserver.Redis7(t)
	p := startServer(t, bin, up.Addr, "--command-timeout", "1s", "--max-input-bytes", strconv.Itoa(hostileInput))
	good := startWellBehaved(t, p.addr, up.Prefix(t)+"good")
	defer func() {
		good.stop()
		<-good.done
	}()
	good.check(t, "start")
	baseline := p.rss(t)
	after := func(t *testing.T, what string, allowed int64) {
		t.Helper()
		p.alive(t)
		good.check(t, what)
		if rss := p.rss(t); rss > baseline+rssSlack+allowed {
			t.Fatalf("%s: RSS %d MiB, idle baseline %d MiB", what, rss>>20, baseline>>20)
		}
	}

	t.Run("frames", func(t *testing.T) {
		for _, tc := range []struct{ in, want string }{
			{"*1\r\n$9223372036854775807\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
			{"*9223372036854775807\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
			{"*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
			{"*2\r\n$4\r\nECHO\r\n$99999999999\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
			{"PING\r\n*1\r\n+x\r\n", "+PONG\r\n-ERR Protocol error: expected '$', got '+'\r\n"},
			{"GET \"k\r\n", "-ERR Protocol error: unbalanced quotes in request\r\n"},
		} {
			if got := exchange(t, p.addr, []byte(tc.in)); got != tc.want {
				t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
			}
		}
		after(t, "frames", 0)
	})

	t.Run("garbage", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(14, 14))
		for range 50 {
			junk := make([]byte, 1+rng.IntN(4096))
			for i := range junk {
				junk[i] = byte(rng.UintN(256))
			}
			c, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Fatal(err)
			}
			c.SetDeadline(time.Now().Add(2 * time.Second))
			c.Write(junk)
			c.Close()
		}
		after(t, "garbage", 0)
	})

	t.Run("huge inline requests", func(t *testing.T) {
		// Words separated by spaces once cost memory quadratic in the line's length.
		within := strings.Repeat("a ", 30<<10) + "\r\n"
		if got := exchange(t, p.addr, []byte(within+"QUIT\r\n")); !strings.HasPrefix(got, "-ERR unknown command 'a'") {
			t.Fatalf("a 60 KiB inline command: %.80q", got)
		}
		for range 8 {
			got := exchange(t, p.addr, []byte(strings.Repeat("a ", 1<<20)))
			if got != "-ERR Protocol error: too big inline request\r\n" {
				t.Fatalf("a 2 MiB inline command: %.80q", got)
			}
		}
		after(t, "huge inline requests", 0)
	})

	t.Run("unfinished bulks", func(t *testing.T) {
		// Four clients announce 60 MiB and send 8 MiB each: the input budget (16 MiB) refuses some.
		var conns []net.Conn
		refused := 0
		for range 4 {
			c, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			conns = append(conns, c)
			c.SetDeadline(time.Now().Add(hostileWait))
			c.Write([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$62914560\r\n"))
			if _, err := c.Write(bytes.Repeat([]byte("x"), 8<<20)); err != nil {
				refused++
			}
		}
		for _, c := range conns {
			c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			if b, _ := io.ReadAll(c); strings.Contains(string(b), "--max-input-bytes") {
				refused++
			}
		}
		if refused == 0 {
			t.Fatal("32 MiB of unfinished commands passed a 16 MiB input budget")
		}
		after(t, "unfinished bulks", 2*hostileInput)
	})

	t.Run("slowloris", func(t *testing.T) {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		frame := []byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n0123456789\r\n")
		start := time.Now()
		closed := false
		for i := 0; i < len(frame) && !closed; i++ {
			c.SetDeadline(time.Now().Add(hostileWait))
			if _, err := c.Write(frame[i : i+1]); err != nil {
				closed = true
			}
			c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			if _, err := c.Read(make([]byte, 1)); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
				closed = true
			}
		}
		if !closed {
			t.Fatalf("a command sent one byte per 100 ms was still open after %v (--command-timeout 1s)", time.Since(start))
		}
		after(t, "slowloris", 0)
	})

	t.Run("1000 idle clients", func(t *testing.T) {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for range 1000 {
			c, err := net.Dial("tcp", p.addr)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		if err := p.ping(); err != nil {
			t.Fatalf("a new client beside 1000 idle ones: %v", err)
		}
		after(t, "1000 idle clients", 0)
	})
}

// With its descriptors exhausted the server backs off instead of spinning, keeps answering the
// clients it has, and serves new ones once descriptors are free again.
func TestDescriptorExhaustion(t *testing.T) {
	bin := buildServer(t)
	up := testserver.Redis7(t)
	p := startServer(t, bin, up.Addr)
	good := startWellBehaved(t, p.addr, up.Prefix(t)+"good")
	defer func() {
		good.stop()
		<-good.done
	}()
	good.check(t, "start")
	p.limitDescriptors(t, 64)
	var conns []net.Conn
	for range 100 { // past 64 descriptors: the kernel queues the rest, Accept fails with EMFILE
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	deadline := time.Now().Add(hostileWait)
	for {
		fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.cmd.Process.Pid))
		if err != nil {
			t.Fatalf("the server process is gone: %v", err)
		}
		if len(fds) >= 64 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d descriptors open after 100 connections", len(fds))
		}
		time.Sleep(10 * time.Millisecond)
	}
	before, start := p.cpu(t), time.Now()
	time.Sleep(time.Second)
	used := time.Duration(p.cpu(t)-before) * 10 * time.Millisecond // 100 ticks per second
	if used > time.Since(start)/4 {                                // backing off, it wakes once a second; spinning takes a core
		t.Fatalf("the server used %v of CPU in %v with its descriptors exhausted: spinning", used, time.Since(start))
	}
	good.check(t, "descriptors exhausted")
	for _, c := range conns {
		c.Close()
	}
	if err := p.ping(); err != nil {
		t.Fatalf("a new client once descriptors are free: %v", err)
	}
	p.alive(t)
}
