package emulate_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// leanSequence is a session of commands without version features; K is replaced by a key.
var leanSequence = [][]any{
	{"exhset", "K", "a", "1"},
	{"exhset", "K", "a", "2"},
	{"exhset", "K", "b", "1", "px", "100000"},
	{"exhset", "K", "b", "2", "keepttl"},
	{"exhset", "K", "c", "1", "ex", "100"},
	{"exhset", "K", "c", "2", "exat", "4102444800"},
	{"exhset", "K", "d", "1", "pxat", "4102444800000"},
	{"exhset", "K", "e", "1", "px", "0"},
	{"exhset", "K", "a", "3", "px", "1"},
	{"exhset", "K", "f", "1", "keepttl"},
	{"exhsetnx", "K", "f", "2"},
	{"exhsetnx", "K", "g", "2"},
	{"exhmsetwithopts", "K", "h", "1", "0", "100", "i", "1", "0", "0", "h", "2", "0", "200"},
	{"exhmsetwithopts", "K"},
	{"exhset", "K", "j", "1", "nx"},
	{"exhset", "K", "j", "2", "xx"},
	{"exhmset", "K", "k", "1", "j", "3"},
	{"exhincrby", "K", "n", "5", "px", "100000", "max", "10"},
	{"exhincrbyfloat", "K", "x", "1.5", "keepttl"},
	{"exhpexpire", "K", "g", "100000"},
	{"exhpersist", "K", "g"},
	{"exhdelwithver", "K", "k", "0"},
	{"exhdel", "K", "j", "zz"},
	{"exhget", "K", "a"},
	{"exhmget", "K", "a", "b", "c", "e"},
	{"exhexists", "K", "d"},
	{"exhstrlen", "K", "h"},
	{"exhpttl", "K", "h"},
	{"exhttl", "K", "c"},
	{"exhttl", "K", "b"},
	{"exhttl", "K", "g"},
	{"exhlen", "K"},
	{"exhlen", "K", "noexp"},
	{"exhset", "K", "z", "1", "ex", "99999999999999"},
	{"exhset", "K", "z", "1", "nx", "xx"},
	{"exhset", "K"},
}

// Without versions the backend answers every other command exactly as the default backend does,
// on Redis 8 and on Valkey 9 (whose HSETEX is the lean backend's common write).
func TestHFEWithoutVersionsMatchesDefault(t *testing.T) {
	for _, srv := range []*testserver.Server{testserver.Redis8(t), testserver.Valkey9(t)} {
		t.Run(srv.Name, func(t *testing.T) { withoutVersionsMatchesDefault(t, srv) })
	}
}

func withoutVersionsMatchesDefault(t *testing.T, srv *testserver.Server) {
	rdb, pre := srv.Client(t), srv.Prefix(t)
	ctx := t.Context()
	lean, full := emulate.NewHFE(emulate.WithoutVersions()), emulate.NewHFE()
	run := func(be driver.Backend, key string, args []any) string {
		args = append([]any(nil), args...)
		if len(args) > 1 {
			args[1] = key
		}
		v, err := be.Do(ctx, rdb, args...).Result()
		if err != nil && err != redis.Nil {
			return "error: " + err.Error()
		}
		if ttl, ok := v.(int64); ok && (args[0] == "exhpttl" || args[0] == "exhttl") && ttl > 1000 {
			v = (ttl + 5000) / 10000 // a few ms apart: rounded, so 200000 and 199998 agree
		}
		return fmt.Sprint(v)
	}
	for i, args := range leanSequence {
		got, want := run(lean, pre+"lean", args), run(full, pre+"full", args)
		if got != want {
			t.Errorf("%d %v: without versions %s, default %s", i, args, got, want)
		}
	}
	for _, name := range []string{"lean", "full"} {
		h := rdb.HGetAll(ctx, pre+name).Val()
		if name == "lean" && fmt.Sprint(h) != fmt.Sprint(rdb.HGetAll(ctx, pre+"full").Val()) {
			t.Errorf("contents differ: %v vs %v", h, rdb.HGetAll(ctx, pre+"full").Val())
		}
	}
	if n := rdb.Exists(ctx, "exh~v:{"+pre+"lean}").Val(); n != 0 {
		t.Errorf("a version companion was written without versions")
	}
}

// Commands and options that need versions are refused before anything is sent.
func TestHFEWithoutVersionsRefuses(t *testing.T) {
	srv := testserver.Redis8(t)
	rdb, pre := srv.Client(t), srv.Prefix(t)
	be := emulate.NewHFE(emulate.WithoutVersions())
	k := pre + "k"
	for _, args := range [][]any{
		{"exhset", k, "f", "v", "ver", "1"},
		{"exhset", k, "f", "v", "abs", "2"},
		{"exhset", k, "f", "v", "px", "100", "gt", "2"},
		{"exhincrby", k, "f", "1", "ver", "1"},
		{"exhincrbyfloat", k, "f", "1", "abs", "3"},
		{"exhpexpire", k, "f", "100", "gt", "3"},
		{"exhver", k, "f"},
		{"exhsetver", k, "f", "3"},
		{"exhgetwithver", k, "f"},
		{"exhmgetwithver", k, "f"},
		{"exhgetallwithver", k},
		{"exhdelwithver", k, "f", "0", "g", "2"},
		{"exhmsetwithopts", k, "f", "v", "0", "10", "g", "v", "1", "10"},
	} {
		err := be.Do(t.Context(), rdb, args...).Err()
		if !errors.Is(err, emulate.ErrNeedsVersions) || !errors.Is(err, exhash.ErrInvalidArgument) {
			t.Errorf("%v: err = %v, want ErrNeedsVersions", args, err)
		}
	}
	if n := rdb.Exists(t.Context(), k).Val(); n != 0 {
		t.Errorf("a refused command created the key")
	}
	// Syntax errors stay the module's.
	if err := be.Do(t.Context(), rdb, "exhset", k, "f", "v", "ver", "x").Err(); err == nil || err.Error() != "ERR syntax error" {
		t.Errorf("bad VER value: err = %v, want the module's syntax error", err)
	}
}

// The common writes run as plain commands: no script is called on the server.
func TestHFEWithoutVersionsRunsNoScript(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis8, testserver.KindValkey9} {
		t.Run(kind, func(t *testing.T) { withoutVersionsRunsNoScript(t, testserver.Start(t, kind)) })
	}
}

func withoutVersionsRunsNoScript(t *testing.T, srv *testserver.Server) {
	rdb, ctx := srv.Client(t), t.Context()
	be := emulate.NewHFE(emulate.WithoutVersions())
	rdb.ConfigResetStat(ctx)
	for _, args := range [][]any{
		{"exhset", "k", "f", "v"},
		{"exhset", "k", "f", "v", "ex", "100"},
		{"exhset", "k", "g", "v", "keepttl"},
		{"exhsetnx", "k", "h", "v"},
		{"exhmsetwithopts", "k", "a", "1", "0", "100000", "b", "2", "0", "200000"},
		{"exhget", "k", "f"},
		{"exhmget", "k", "f", "g"},
		{"exhgetall", "k"},
	} {
		if err := be.Do(ctx, rdb, args...).Err(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	stats := rdb.Info(ctx, "commandstats").Val()
	for _, cmd := range []string{"cmdstat_eval:", "cmdstat_evalsha:", "cmdstat_fcall:"} {
		if strings.Contains(stats, cmd) {
			t.Errorf("a script ran: %s", stats)
		}
	}
	if got := rdb.HGetAll(ctx, "k").Val(); fmt.Sprint(got) != "map[a:1 b:2 f:v g:v h:v]" {
		t.Errorf("contents = %v", got)
	}
	// A TTL that has run out as it is written keeps the script: the key stays present until
	// looked at, as on the default backend.
	for _, args := range [][]any{{"exhset", "due", "f", "v", "px", "0"}, {"exhmsetwithopts", "due2", "f", "v", "0", "0"}} {
		if err := be.Do(ctx, rdb, args...).Err(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if got := be.Do(ctx, rdb, "exhttl", args[1], "f").Val(); got != int64(-3) {
			t.Errorf("EXHTTL after %v = %v, want -3 (key present, field expired)", args, got)
		}
	}
}
