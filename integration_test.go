package tairhash_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash"
	"github.com/tairhash-go/tairhash/examples/multidevice/story"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// storyOutput is what examples/multidevice must print, exactly (issue: the canonical story).
const storyOutput = `Waiting 6 seconds...
user1:{field: pad, value: token_124}
user2:{field: pad, value: token_456}
user2:{field: pc, value: token_457}
`

// storyScale runs the story five times faster: TTLs of 1 s and 2 s, a wait of 1.2 s. The margins
// (0.2 s after the phone's expiry, 0.8 s before the pads') survive a loaded two-core machine.
const storyScale = 0.2

// The story on every backend the servers offer, chosen by detection as a user would get it, plus
// the Lua emulation forced on Redis 8 and the native backend on the module when TAIRHASH_ADDR is set.
func TestStoryOnEveryBackend(t *testing.T) {
	type target struct {
		name string
		rdb  redis.UniversalClient
		opts []tairhash.Option
		want tairhash.Kind // detected backend
	}
	var targets []target
	for _, srv := range testserver.All(t) {
		want := tairhash.KindLua
		if srv.Name == testserver.KindRedis8 {
			want = tairhash.KindHFE
		}
		targets = append(targets, target{srv.Name, srv.Client(t), nil, want})
	}
	r8 := testserver.Redis8(t)
	targets = append(targets, target{"redis8-lua", redis.NewClient(&redis.Options{Addr: r8.Addr, DB: 1}),
		[]tairhash.Option{tairhash.WithKind(tairhash.KindLua), tairhash.WithDB(1)}, tairhash.KindLua})
	if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
		targets = append(targets, target{"module", redis.NewClient(&redis.Options{Addr: addr, DB: 2}), nil, tairhash.KindModule})
	} else {
		t.Log("TAIRHASH_ADDR not set: the story is not run on the TairHash module")
	}

	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel() // one server each: the story's fixed keys do not collide
			ctx := context.Background()
			d, err := tairhash.Detect(ctx, tg.rdb, tg.opts...)
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if d.Kind != tg.want {
				t.Fatalf("Detect chose %s, want %s", d.Kind, tg.want)
			}
			var out bytes.Buffer
			if err := story.Run(ctx, &out, exhash.NewClient(tg.rdb, exhash.WithBackend(d.Backend)), storyScale); err != nil {
				t.Fatal(err)
			}
			if out.String() != storyOutput {
				t.Fatalf("story on %s printed\n%s\nwant\n%s", d, out.String(), storyOutput)
			}
		})
	}
}

// The program itself, as a newcomer runs it: with nothing configured (embedded server), and with
// REDIS_ADDR pointing at Redis 7.0 and at Redis 8.
func TestMultideviceProgram(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "multidevice")
	build := exec.Command("go", "build", "-o", bin, "./examples/multidevice")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	runs := []struct {
		name, env, backend string
	}{
		{"embedded", "", "backend lua (embedded server)"},
		{"redis7", "REDIS_ADDR=" + testserver.Redis7(t).Addr, "backend lua (REDIS_ADDR "},
		{"redis8", "REDIS_ADDR=" + testserver.Redis8(t).Addr, "backend hfe (REDIS_ADDR "},
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(bin, "-time-scale", "0.2")
			cmd.Env = append(os.Environ(), "REDIS_ADDR=", "TAIR_ADDR=")
			if r.env != "" {
				cmd.Env = append(cmd.Env, r.env)
			}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v\nstderr: %s", err, stderr.String())
			}
			if stdout.String() != storyOutput {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), storyOutput)
			}
			if !strings.HasPrefix(stderr.String(), r.backend) {
				t.Errorf("stderr = %q, want it to start with %q", stderr.String(), r.backend)
			}
		})
	}
}

// The smaller examples run with nothing configured (embedded server) and print what they promise.
func TestSmallExamples(t *testing.T) {
	for _, ex := range []struct {
		dir  string
		want []string // lines, in this order
	}{
		{"./examples/expiry-notifications", []string{
			"expired: key user1, field phone (db 0)",
			"expired: key user1, field pad (db 0)",
		}},
	} {
		t.Run(filepath.Base(ex.dir), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command("go", "run", ex.dir)
			cmd.Env = append(os.Environ(), "REDIS_ADDR=", "TAIR_ADDR=")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v\nstderr: %s", err, stderr.String())
			}
			if got, want := stdout.String(), strings.Join(ex.want, "\n")+"\n"; got != want {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
