package tairhash_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README's Go snippets compile: each one becomes the body of a function in a throwaway program
// of this module, with the names a snippet takes from its surroundings (ctx, rdb, ip, ua, app, w)
// declared around it. Only unused variables and imports are forgiven: a snippet shows calls, not a
// whole program.
func TestReadmeSnippetsCompile(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 2 {
		t.Fatalf("found %d Go snippets in README.md; the test expects the usage and devices ones", len(blocks))
	}
	var funcs strings.Builder
	for i, b := range blocks {
		body := regexp.MustCompile(`(?s)^import \(.*?\)\n`).ReplaceAllString(b[1], "") // imports are provided below
		returns := ""
		if strings.Contains(body, "return err") {
			returns = " error"
			body += "return nil\n"
		}
		funcs.WriteString("func snippet" + string(rune('a'+i)) + "()" + returns + " {\n" + body + "}\n\n")
	}
	src := `package main

import (
	"context"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash"
	"github.com/tairhash-go/tairhash/devices"
	"github.com/tairhash-go/tairhash/exhash"
	tair "github.com/tairhash-go/tairhash/tairgo"
)

var (
	ctx    context.Context
	rdb    *redis.Client
	ip, ua string
	app    http.Handler
	w      http.ResponseWriter
)

func main() {}

` + funcs.String()
	if err := os.MkdirAll(".cache", 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(".cache", "readme-snippets-") // inside the module, so its imports resolve
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("go", "build", "-gcflags=-e", "-o", os.DevNull, "./"+dir).CombinedOutput()
	var errs []string
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.Contains(line, ".go:") || strings.Contains(line, "and not used") {
			continue
		}
		errs = append(errs, line)
	}
	if len(errs) > 0 {
		t.Fatalf("README snippets do not compile:\n%s\n\nprogram:\n%s", strings.Join(errs, "\n"), src)
	}
}
