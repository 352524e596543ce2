package testserver_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// helperEnv makes TestHelperHoldsServers act as a test binary that starts servers and is then
// killed, instead of skipping.
const helperEnv = "TESTSERVER_HELPER_HOLDS_SERVERS"

// TestHelperHoldsServers, run in a child test binary, starts the shared redis7 server and a
// dedicated redis8, prints their pids and waits to be killed.
func TestHelperHoldsServers(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("runs only as the child of TestServersDieWithTheTestBinary")
	}
	for _, s := range []*testserver.Server{testserver.Redis7(t), testserver.Start(t, testserver.KindRedis8)} {
		pid, err := s.Client(t).InfoMap(context.Background(), "server").Result()
		if err != nil {
			t.Fatalf("INFO: %v", err)
		}
		fmt.Printf("server-pid %s\n", pid["Server"]["process_id"])
	}
	fmt.Println("ready")
	time.Sleep(time.Minute) // the parent kills us long before
}

// Servers die with the test binary even when it is SIGKILLed (as go test does on a timeout)
// and never reaches Main's cleanup.
func TestServersDieWithTheTestBinary(t *testing.T) {
	if os.Getenv(helperEnv) == "1" {
		t.Skip("inside the helper")
	}
	testserver.Redis7(t) // skips here, like the helper would, when nothing is provisioned
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldsServers$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	var pids []int
	lines := bufio.NewScanner(out)
	for lines.Scan() && lines.Text() != "ready" {
		if text, ok := strings.CutPrefix(lines.Text(), "server-pid "); ok {
			pid, err := strconv.Atoi(text)
			if err != nil {
				t.Fatalf("helper printed %q", lines.Text())
			}
			pids = append(pids, pid)
		}
	}
	if len(pids) != 2 {
		t.Fatalf("helper reported server pids %v, want 2", pids)
	}
	for _, pid := range pids {
		if !alive(pid) {
			t.Fatalf("server %d is not running while the helper lives", pid)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range pids {
		for alive(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("server %d outlived its killed test binary", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// alive reports whether pid is a process that is not a zombie.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name: "123 (redis-server) S ...".
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z")
}
