package emulate_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Regression for module defects D3 (EXHPERSIST, KEEPTTL and EXHINCRBY TTLs diverge in the AOF)
// and D5 (fields whose version is <= 0 are lost by an AOF rewrite): after a rewrite, further
// writes and a restart that loads the AOF, the emulated keys read exactly as before.
func TestLuaSurvivesAOFRewriteAndRestart(t *testing.T) {
	srv := testserver.Start(t, testserver.KindRedis7, "--appendonly", "yes", "--save", "")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	lua := emulate.NewLua()
	rdb := srv.Client(t)
	do := func(args ...any) *redis.Cmd {
		t.Helper()
		cmd := lua.Do(ctx, rdb, args...)
		if err := cmd.Err(); err != nil && err != redis.Nil {
			t.Fatalf("%v: %v", args, err)
		}
		return cmd
	}
	const maxVer = "9223372036854775807"
	write := func(k string) {
		do("exhset", k, "persisted", "v", "ex", "1000")
		do("exhpersist", k, "persisted")
		do("exhset", k, "kept", "v", "ex", "1000")
		do("exhset", k, "kept", "w", "keepttl")
		do("exhincrby", k, "counter", "5", "ex", "1000")
		do("exhincrby", k, "counter", "1", "ex", "2000")
		do("exhset", k, "wrapped", "v", "abs", maxVer)
		do("exhset", k, "wrapped", "w") // version wraps to int64 min (D5: version <= 0)
		do("exhset", k, "abs1", "v", "abs", "1")
		do("exhset", k, "plain", "v")
	}
	// snapshot is what a reader sees: every field with value and version, and whether it has a
	// TTL (the seconds left move on while the server restarts).
	snapshot := func(k string) []string {
		var out []string
		all := do("exhgetallwithver", k).Val().([]any)
		for i := 0; i < len(all); i += 3 {
			f := fmt.Sprint(all[i])
			ttl := do("exhttl", k, f).Val().(int64)
			out = append(out, fmt.Sprintf("%s=%v ver %v ttl>0 %v", f, all[i+1], all[i+2], ttl > 0))
		}
		return out
	}

	write("before-rewrite")
	if err := rdb.BgRewriteAOF(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	for {
		info, err := rdb.Info(ctx, "persistence").Result()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(info, "aof_rewrite_in_progress:1") && !strings.Contains(info, "aof_rewrite_scheduled:1") {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("AOF rewrite did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	write("after-rewrite")
	want := map[string][]string{}
	for _, k := range []string{"before-rewrite", "after-rewrite"} {
		want[k] = snapshot(k)
		if len(want[k]) != 6 {
			t.Fatalf("%s before restart: %q, want 6 fields", k, want[k])
		}
	}

	srv.Restart(t)
	rdb = srv.Client(t)
	for _, k := range []string{"before-rewrite", "after-rewrite"} {
		if got := snapshot(k); !reflect.DeepEqual(got, want[k]) {
			t.Fatalf("%s after restart:\n got  %q\n want %q", k, got, want[k])
		}
	}
}
