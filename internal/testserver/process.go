package testserver

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	readyTimeout = 15 * time.Second // startup, including loading an AOF or RDB file
	stopTimeout  = 10 * time.Second // graceful stop before SIGKILL
)

// node is one server process: its fixed port, data folder and arguments survive restarts.
type node struct {
	name string // kind, for messages
	bin  binaries
	port int
	dir  string
	args []string
	log  string // path of the log file (stdout and stderr, appended across restarts)

	mu     sync.Mutex
	pid    int
	exited chan struct{} // closed when the current process has been reaped; nil before start
}

// newNode prepares (does not start) a server in dir listening on 127.0.0.1:port. Arguments given
// later in extra override the defaults (the server takes the last value of an option).
func newNode(name string, bin binaries, port int, dir string, extra ...string) (*node, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	args := []string{
		"--port", strconv.Itoa(port),
		"--bind", "127.0.0.1",
		"--dir", dir,
		"--daemonize", "no",
		"--save", "",
		"--appendonly", "no",
		"--enable-debug-command", "yes", // every kind here is 7.0 or newer, where it exists
		"--logfile", "",
	}
	return &node{
		name: name, bin: bin, port: port, dir: dir,
		args: append(args, extra...),
		log:  filepath.Join(dir, "server.log"),
	}, nil
}

func (n *node) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(n.port)) }

// running reports whether the process was started and has not exited.
func (n *node) running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.exited == nil {
		return false
	}
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

// start runs the server and waits until it answers PING.
func (n *node) start() error {
	if n.running() {
		return fmt.Errorf("testserver: %s on %s is already running", n.name, n.addr())
	}
	logFile, err := os.OpenFile(n.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(n.bin.server, n.args...)
	cmd.Dir = n.dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Setpgid:   true,            // own group: Ctrl-C on go test does not hit it, kill(-pid) gets all of it
		Pdeathsig: syscall.SIGKILL, // dies with the test binary even when nobody stops it
	}
	err = spawn(cmd)
	logFile.Close() // the child has its own descriptor
	if err != nil {
		return fmt.Errorf("testserver: starting %s: %w", n.name, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	n.mu.Lock()
	n.pid, n.exited = cmd.Process.Pid, exited
	n.mu.Unlock()
	track(n)

	if err := waitReady(n.addr(), exited); err != nil {
		n.kill()
		return fmt.Errorf("testserver: %s on %s: %w\n%s", n.name, n.addr(), err, n.tail(0, 30))
	}
	return nil
}

// stop ends the server gracefully (SIGTERM: it flushes its AOF), or kills it after stopTimeout.
func (n *node) stop() { n.signal(syscall.SIGTERM, stopTimeout) }

// kill ends the server at once with SIGKILL, losing whatever it had not written.
func (n *node) kill() { n.signal(syscall.SIGKILL, 0) }

func (n *node) signal(sig syscall.Signal, grace time.Duration) {
	n.mu.Lock()
	pid, exited := n.pid, n.exited
	n.mu.Unlock()
	if exited == nil {
		return
	}
	select {
	case <-exited:
		return
	default:
	}
	// The process leads its own group (Setpgid), so -pid reaches it and anything it forked.
	_ = syscall.Kill(-pid, sig)
	if grace > 0 {
		select {
		case <-exited:
			return
		case <-time.After(grace):
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	}
	<-exited
}

// tail returns the last max lines of the log written after offset (max 0: all of them).
func (n *node) tail(offset int64, max int) string {
	data, err := os.ReadFile(n.log)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	if offset > int64(len(data)) {
		offset = 0
	}
	text := strings.TrimRight(string(data[offset:]), "\n")
	header := fmt.Sprintf("--- log of %s on %s (%s)", n.name, n.addr(), n.log)
	if text == "" {
		return header + ": no new lines ---"
	}
	lines := strings.Split(text, "\n")
	if max > 0 && len(lines) > max {
		header += fmt.Sprintf(", last %d of %d lines", max, len(lines))
		lines = lines[len(lines)-max:]
	}
	return header + " ---\n" + strings.Join(lines, "\n")
}

// logSize is the current length of the log, the offset from which tail shows new lines.
func (n *node) logSize() int64 {
	info, err := os.Stat(n.log)
	if err != nil {
		return 0
	}
	return info.Size()
}

// waitReady polls PING until the server answers PONG (not LOADING or a refused connection).
func waitReady(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(readyTimeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("the server exited during startup")
		default:
		}
		if last = ping(addr); last == nil {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %v: %v", readyTimeout, last)
}

// ping sends one inline PING on a fresh connection.
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line = strings.TrimSpace(line); line != "+PONG" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

// freePort asks the kernel for a loopback port nobody uses right now. Another process may take it
// before the server binds it; launch retries on a fresh port then.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// The parent death signal fires when the THREAD that forked the child exits, not the process.
// Go may retire threads, so every server is started from one goroutine locked to a thread that
// lives as long as the test binary.
var (
	spawnOnce sync.Once
	spawnReqs chan spawnReq
)

type spawnReq struct {
	cmd  *exec.Cmd
	done chan error
}

func spawn(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		spawnReqs = make(chan spawnReq)
		go func() {
			runtime.LockOSThread() // never unlocked: the goroutine and its thread never end
			for req := range spawnReqs {
				req.done <- req.cmd.Start()
			}
		}()
	})
	done := make(chan error, 1)
	spawnReqs <- spawnReq{cmd, done}
	return <-done
}

// Every node started by this binary, so Main can stop them all.
var (
	liveMu sync.Mutex
	live   = map[*node]bool{}
)

func track(n *node) {
	liveMu.Lock()
	live[n] = true
	liveMu.Unlock()
}

// killAll ends every server this binary started.
func killAll() {
	liveMu.Lock()
	nodes := make([]*node, 0, len(live))
	for n := range live {
		nodes = append(nodes, n)
	}
	live = map[*node]bool{}
	liveMu.Unlock()
	for _, n := range nodes {
		n.kill()
	}
}
