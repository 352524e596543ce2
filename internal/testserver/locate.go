package testserver

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// The server kinds, as accepted by Start and reported by Server.Name.
const (
	KindRedis7  = "redis7"
	KindValkey8 = "valkey8"
	KindRedis8  = "redis8"
	// KindValkey9 is Valkey 9.1 (hash-field expiration, with Valkey's own rules).
	KindValkey9 = "valkey9"
	KindCluster = "cluster"
	// KindCluster8 is a three-master cluster of Redis 8 (hash-field expiration).
	KindCluster8 = "cluster8"
)

// EnvServers names the environment variable that points at the folder tools/provision.sh fills
// (it holds bin/<kind>-server and bin/<kind>-cli). Unset, <module root>/.cache/servers is used.
const EnvServers = "TAIRHASH_SERVERS"

// errNotProvisioned marks a missing binary: the test is skipped, or fails under CI.
var errNotProvisioned = errors.New("not provisioned")

// binaries are the launcher scripts of one kind.
type binaries struct {
	server, cli string
}

// serversDir finds the provisioned servers folder.
func serversDir() (string, error) {
	if dir := os.Getenv(EnvServers); dir != "" {
		return dir, nil
	}
	// go test runs each package's binary in the package folder; the module root is above it.
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".cache", "servers"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("testserver: no go.mod above the working directory; set %s: %w", EnvServers, errNotProvisioned)
		}
		dir = parent
	}
}

// locate returns the launchers of a kind (cluster runs redis7's, cluster8 redis8's).
func locate(kind string) (binaries, error) {
	switch kind {
	case KindRedis7, KindValkey8, KindRedis8, KindValkey9:
	case KindCluster:
		kind = KindRedis7
	case KindCluster8:
		kind = KindRedis8
	default:
		return binaries{}, fmt.Errorf("testserver: unknown server kind %q (want %s, %s, %s, %s, %s or %s)",
			kind, KindRedis7, KindValkey8, KindRedis8, KindValkey9, KindCluster, KindCluster8)
	}
	dir, err := serversDir()
	if err != nil {
		return binaries{}, err
	}
	b := binaries{
		server: filepath.Join(dir, "bin", kind+"-server"),
		cli:    filepath.Join(dir, "bin", kind+"-cli"),
	}
	for _, path := range []string{b.server, b.cli} {
		if info, err := os.Stat(path); err != nil || info.Mode()&0o111 == 0 {
			return binaries{}, fmt.Errorf("testserver: %s is %w (no executable %s): run `make servers`",
				kind, errNotProvisioned, path)
		}
	}
	return b, nil
}

// fail stops the test because a server cannot be had: a missing binary skips it, unless the
// environment says CI=true, where every server must be there.
func fail(tb testing.TB, err error) {
	tb.Helper()
	if errors.Is(err, errNotProvisioned) && os.Getenv("CI") != "true" {
		tb.Skipf("%v", err)
	}
	tb.Fatalf("%v", err)
}
