package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// seed writes n keys with the Lua backend (as clients did before the upgrade): each has a field
// with a TTL and a version, and a plain one.
func seed(t *testing.T, rdb redis.UniversalClient, n int) []string {
	t.Helper()
	lua := emulate.NewLua()
	var keys []string
	for i := range n {
		k := fmt.Sprintf("k%d", i)
		for _, args := range [][]any{
			{"exhset", k, "f", "v", "ex", "300", "abs", "7"},
			{"exhset", k, "g", "w"},
		} {
			if err := lua.Do(t.Context(), rdb, args...).Err(); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
		}
		keys = append(keys, k)
	}
	return keys
}

func ttlCompanions(t *testing.T, rdb redis.UniversalClient) int {
	t.Helper()
	return len(rdb.Keys(t.Context(), emulate.CompanionPrefix+"t*").Val())
}

// The program converts every key, records its progress, and a second run with the same state
// file does nothing; on Redis 8 and on Valkey 9.
func TestMigrateProgram(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis8, testserver.KindValkey9} {
		t.Run(kind, func(t *testing.T) { migrateProgram(t, testserver.Start(t, kind)) })
	}
}

func migrateProgram(t *testing.T, srv *testserver.Server) {
	rdb, ctx := srv.Client(t), t.Context()
	keys := seed(t, rdb, 30)
	statePath := filepath.Join(t.TempDir(), "state.json")
	args := []string{"-addr", srv.Addr, "-state", statePath, "-count", "7"}

	var out bytes.Buffer
	if code := run(ctx, args, &out); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "migrated=30") {
		t.Errorf("totals not reported as 30 migrated:\n%s", out.String())
	}
	if n := ttlCompanions(t, rdb); n != 0 {
		t.Errorf("%d TTL companions left", n)
	}
	hfe := emulate.NewHFE()
	for _, k := range keys {
		got, err := hfe.Do(ctx, rdb, "exhgetwithver", k, "f").Slice()
		if err != nil || fmt.Sprint(got) != "[v 7]" {
			t.Errorf("%s f after migration = %v, %v; want v version 7", k, got, err)
		}
		if ttl := hfe.Do(ctx, rdb, "exhttl", k, "f").Val(); ttl.(int64) < 290 || ttl.(int64) > 300 {
			t.Errorf("%s f TTL after migration = %v, want about 300 s", k, ttl)
		}
	}
	data, err := os.ReadFile(statePath)
	if err != nil || !strings.Contains(string(data), `"done": true`) {
		t.Errorf("state file %q, %v; want a finished run", data, err)
	}

	out.Reset()
	if code := run(ctx, args, &out); code != 0 || !strings.Contains(out.String(), "finished run") {
		t.Errorf("second run: exit %d:\n%s", code, out.String())
	}
}

// A state file whose master already finished skips it: a resumed run does not scan again what an
// interrupted one completed.
func TestMigrateProgramResumes(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis8)
	rdb, ctx := srv.Client(t), t.Context()
	seed(t, rdb, 5)
	statePath := filepath.Join(t.TempDir(), "state.json")
	state := fmt.Sprintf(`{"masters": {%q: {"cursor": 0, "done": true}}}`, srv.Addr)
	if err := os.WriteFile(statePath, []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := run(ctx, []string{"-addr", srv.Addr, "-state", statePath}, &out); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	if n := ttlCompanions(t, rdb); n != 5 {
		t.Errorf("%d TTL companions left, want the 5 of the master recorded as finished", n)
	}
}

// Usage errors exit 2; a server without hash-field expiration is refused before anything changes.
func TestMigrateProgramRefuses(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"-nope"}, &out); code != 2 {
		t.Errorf("unknown flag: exit %d", code)
	}
	if code := run(context.Background(), []string{"extra"}, &out); code != 2 {
		t.Errorf("extra argument: exit %d", code)
	}
	for _, srv := range []*testserver.Server{testserver.Redis7(t), testserver.Valkey8(t)} {
		out.Reset()
		if code := run(t.Context(), []string{"-addr", srv.Addr}, &out); code != 1 || !strings.Contains(out.String(), "no hash-field expiration") {
			t.Errorf("%s %s: exit %d:\n%s", srv.Name, srv.Version, code, out.String())
		}
	}
}
