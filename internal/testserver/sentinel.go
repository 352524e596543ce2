package testserver

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// SentinelMaster is the master name StartSentinel monitors.
const SentinelMaster = "exhmaster"

// StartSentinel starts a Sentinel (the kind's redis-server in sentinel mode; no separate binary
// is needed) monitoring master under the name SentinelMaster with a quorum of 1 and short
// timeouts (down after 300 ms), for failover tests. It is killed when the test ends and returns
// its host:port.
func StartSentinel(tb testing.TB, kind string, master *Server) string {
	tb.Helper()
	bin, err := locate(kind)
	if err != nil {
		fail(tb, err)
	}
	port, err := freePort()
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	host, mport, _ := net.SplitHostPort(master.Addr)
	conf := filepath.Join(dir, "sentinel.conf")
	text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\n"+
		"sentinel monitor %s %s %s 1\n"+
		"sentinel down-after-milliseconds %s 300\n"+
		"sentinel failover-timeout %s 3000\n"+
		"sentinel parallel-syncs %s 1\n",
		port, dir, SentinelMaster, host, mport, SentinelMaster, SentinelMaster, SentinelMaster)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	n := &node{name: kind + "-sentinel", bin: bin, port: port, dir: dir,
		args: []string{conf, "--sentinel"}, log: filepath.Join(dir, "server.log")}
	if err := n.start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(n.kill)
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}
