package testserver

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// rootPrefix starts the name of each test binary's folder for shared servers, followed by the
// binary's pid, so a later binary can tell which folders belong to binaries that are gone.
const rootPrefix = "tairhash-testserver-"

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// root returns this test binary's folder for the data and logs of shared servers. It lives in the
// system's temporary folder and is removed by Main; folders left by binaries that died or did not
// use Main are removed by the next binary that starts a server.
func root() (string, error) {
	rootOnce.Do(func() {
		removeStaleRoots()
		rootDir, rootErr = os.MkdirTemp("", fmt.Sprintf("%s%d-", rootPrefix, os.Getpid()))
	})
	return rootDir, rootErr
}

func removeStaleRoots() {
	paths, _ := filepath.Glob(filepath.Join(os.TempDir(), rootPrefix+"*"))
	for _, path := range paths {
		pidText, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(path), rootPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() {
			continue
		}
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			_ = os.RemoveAll(path)
		}
	}
}

// removeRoot deletes this binary's folder (after its servers are stopped).
func removeRoot() {
	rootOnce.Do(func() {}) // orders this read after the folder's creation
	if rootDir != "" {
		_ = os.RemoveAll(rootDir)
	}
}
