package emulate_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// A plain pipeline's consecutive scripted commands run as one call of the batch function; each
// still gets its own reply or error, in order, around the native reads and plain commands between
// them, as the module gives them. The same holds where the server lost the library (FUNCTION
// FLUSH) and where it was never loaded (the batch's script form, sent in full).
func TestHFEBatchedPipeline(t *testing.T) {
	for _, kind := range []string{testserver.KindRedis8, testserver.KindValkey9} {
		t.Run(kind, func(t *testing.T) {
			srv := testserver.Start(t, kind)
			rdb, ctx := srv.Client(t), t.Context()
			be := emulate.NewHFE()
			if err := be.Load(ctx, rdb); err != nil {
				t.Fatal(err)
			}
			c := exhash.NewClient(rdb, exhash.WithBackend(be))
			var want string
			if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
				mod := redis.NewClient(&redis.Options{Addr: addr})
				t.Cleanup(func() { _ = mod.Close() })
				want = batchScenario(t, exhash.NewClient(mod, exhash.WithBackend(exhash.Native{})), srv.Prefix(t)+strconv.Itoa(os.Getpid()))
			}
			for _, round := range []string{"loaded", "flushed", "never-loaded"} {
				switch round {
				case "flushed":
					if err := rdb.FunctionFlush(ctx).Err(); err != nil {
						t.Fatal(err)
					}
				case "never-loaded":
					c = exhash.NewClient(redis.NewClient(&redis.Options{Addr: srv.Addr}), exhash.WithBackend(emulate.NewHFE()))
				}
				before := calls(t, rdb, "fcall") + calls(t, rdb, "eval") + calls(t, rdb, "evalsha")
				got := batchScenario(t, c, srv.Prefix(t)+round)
				t.Logf("%s replies:\n%s", round, got)
				// The direct EXHSET of the set-up, the scripted run before the native EXHGET, the
				// EXHVER alone before the plain GET, and the run after it.
				n := calls(t, rdb, "fcall") + calls(t, rdb, "eval") + calls(t, rdb, "evalsha") - before
				if round == "loaded" && n != 4 {
					t.Errorf("%s: %d script calls, want 4: the runs were not joined", round, n)
				}
				if want != "" && got != want {
					t.Errorf("%s: replies differ from the module's:\nhfe    %s\nmodule %s", round, got, want)
				}
				if round != "loaded" && want == "" && got != batchScenario(t, exhash.NewClient(rdb, exhash.WithBackend(be)), srv.Prefix(t)+round+"-again") {
					t.Errorf("%s: replies differ from the loaded library's", round)
				}
			}
		})
	}
}
