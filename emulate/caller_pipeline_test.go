package emulate_test

import (
	"errors"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// emulations are the scripted backends, each on the server it runs on.
var emulations = map[string]struct {
	srv func(testing.TB) *testserver.Server
	be  func() driver.Backend
}{
	"lua":        {testserver.Redis7, func() driver.Backend { return emulate.NewLua() }},
	"lua-percmd": {testserver.Redis7, func() driver.Backend { return emulate.NewLua(emulate.WithLuaOneCallPerCommand()) }},
	"hfe":        {testserver.Redis8, func() driver.Backend { return emulate.NewHFE() }},
}

// forget makes the server lose every script and function library, as a restart would.
func forget(t *testing.T, rdb redis.UniversalClient) {
	t.Helper()
	if err := rdb.ScriptFlush(t.Context()).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.FunctionFlush(t.Context()).Err(); err != nil {
		t.Fatal(err)
	}
}

// Pipelines and transactions the caller makes with go-redis and hands to Client.On get what the
// Client's own get: exact integers beyond 2^53, and recovery of code the server lost.
func TestCallerPipelines(t *testing.T) {
	for name, e := range emulations {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			srv := e.srv(t)
			rdb := srv.Client(t)
			be := e.be()
			if h, ok := be.(*emulate.HFE); ok {
				if err := h.Load(ctx, rdb); err != nil { // FCALL in pipelines: a library to lose
					t.Fatal(err)
				}
			}
			c := exhash.NewClient(rdb, exhash.WithBackend(be))
			k := srv.Prefix(t) + "k"
			const bigVer = math.MaxInt64 - 1
			if err := c.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Abs(bigVer)).Err(); err != nil {
				t.Fatal(err)
			}
			if err := c.ExHSet(ctx, k, "n", "1152921504606846975").Err(); err != nil { // 2^60 - 1
				t.Fatal(err)
			}

			for _, kind := range []string{"pipeline", "txpipeline", "watch"} {
				forget(t, rdb)
				var ver *exhash.VersionCmd
				var incr *exhash.IntCmd
				var all *exhash.ValueVersionMapCmd
				queue := func(p redis.Pipeliner) {
					on := c.On(p)
					ver = on.ExHVer(ctx, k, "f")
					incr = on.ExHIncrBy(ctx, k, "n", 1)
					all = on.ExHGetAllWithVer(ctx, k)
				}
				var err error
				switch kind {
				case "pipeline":
					p := rdb.Pipeline()
					queue(p)
					_, err = p.Exec(ctx)
				case "txpipeline": // no driver.InTransaction: the hook sees MULTI itself
					p := rdb.TxPipeline()
					queue(p)
					_, err = p.Exec(ctx)
				case "watch":
					err = rdb.Watch(ctx, func(tx *redis.Tx) error {
						_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error { queue(p); return nil })
						return err
					}, k)
				}
				if err != nil {
					t.Fatalf("%s after the server lost the code: %v", kind, err)
				}
				if got, err := ver.Result(); err != nil || got.Version != bigVer {
					t.Errorf("%s: EXHVER = %+v, %v; want %d", kind, got, err, int64(bigVer))
				}
				if got, err := incr.Result(); err != nil || got <= 1<<60-1 {
					t.Errorf("%s: EXHINCRBY = %d, %v; want an exact integer above 2^60-1", kind, got, err)
				}
				if got, err := all.Result(); err != nil || got["f"].Version != bigVer || got["f"].Value != "v" {
					t.Errorf("%s: EXHGETALLWITHVER = %+v, %v", kind, got, err)
				}
			}
			if got, err := c.ExHGet(ctx, k, "n").Result(); err != nil || got != "1152921504606846978" {
				t.Fatalf("after three increments n = %q, %v; want 1152921504606846978", got, err)
			}
		})
	}
}

// Client.Watch binds the typed commands to the transaction: reads run at once on its connection and
// TxPipelined applies only while the watched key is unchanged.
func TestClientWatch(t *testing.T) {
	for name, e := range emulations {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			srv := e.srv(t)
			rdb := srv.Client(t)
			c := exhash.NewClient(rdb, exhash.WithBackend(e.be()))
			k := srv.Prefix(t) + "k"
			if err := c.ExHSet(ctx, k, "f", "1").Err(); err != nil {
				t.Fatal(err)
			}
			forget(t, rdb)
			err := c.Watch(ctx, func(tx *exhash.Tx) error {
				v, err := tx.ExHGet(ctx, k, "f").Result()
				if err != nil {
					return err
				}
				_, err = tx.TxPipelined(ctx, func(p exhash.Pipeliner) error {
					p.ExHSet(ctx, k, "f", v+"+1")
					return nil
				})
				return err
			}, k)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.ExHGet(ctx, k, "f").Val(); got != "1+1" {
				t.Fatalf("after the transaction f = %q, want 1+1", got)
			}

			// A change between WATCH and EXEC aborts the transaction, and nothing is written.
			err = c.Watch(ctx, func(tx *exhash.Tx) error {
				if err := c.ExHSet(ctx, k, "f", "other").Err(); err != nil {
					return err
				}
				_, err := tx.TxPipelined(ctx, func(p exhash.Pipeliner) error {
					p.ExHSet(ctx, k, "f", "lost")
					return nil
				})
				return err
			}, k)
			if !errors.Is(err, redis.TxFailedErr) {
				t.Fatalf("Watch with a concurrent change = %v, want redis.TxFailedErr", err)
			}
			if got := c.ExHGet(ctx, k, "f").Val(); got != "other" {
				t.Fatalf("after the aborted transaction f = %q, want other", got)
			}
		})
	}
}

// A write whose reply is lost with its connection is not resent by go-redis (it was applied once),
// however it was sent; reads are resent, and AllowResend brings back go-redis' resending of writes.
// The module's own commands are checked too when TAIRHASH_ADDR names a server with it.
func TestWritesAreNotResent(t *testing.T) {
	for name, e := range emulations {
		t.Run(name, func(t *testing.T) {
			srv := e.srv(t)
			checkNotResent(t, srv.Addr, e.be(), srv.Prefix(t))
		})
	}
	t.Run("tairhash", func(t *testing.T) {
		addr := os.Getenv("TAIRHASH_ADDR")
		if addr == "" {
			t.Skip("TAIRHASH_ADDR not set: no server with the TairHash module")
		}
		checkNotResent(t, addr, exhash.Native{}, "notresent-"+strconv.FormatInt(time.Now().UnixNano(), 36)+"-")
	})
}

func checkNotResent(t *testing.T, addr string, be driver.Backend, prefix string) {
	ctx := t.Context()
	cut := testserver.Cut(t, addr)
	rdb := redis.NewClient(&redis.Options{Addr: cut.Addr}) // go-redis' default: 3 retries
	plain := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = rdb.Close(); _ = plain.Close() })
	c := exhash.NewClient(rdb, exhash.WithBackend(be))
	direct := exhash.NewClient(plain, exhash.WithBackend(be))
	k := prefix + "k"
	if err := direct.ExHSet(ctx, k, "n", "0").Err(); err != nil {
		t.Fatal(err)
	}
	// Loads the code on the server, so that the cut reply below is the write's, not NOSCRIPT's.
	if err := c.ExHIncrBy(ctx, k, "n", 0).Err(); err != nil {
		t.Fatal(err)
	}
	want := 0
	check := func(how string, applied int) {
		t.Helper()
		want += applied
		if got := direct.ExHGet(ctx, k, "n").Val(); got != itoa(want) {
			t.Fatalf("%s: n = %s, want %d", how, got, want)
		}
	}
	arm := func() { // after a cut, the next command would dial: connect first, so the cut hits it
		t.Helper()
		if err := rdb.Ping(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		cut.Arm()
	}
	for _, how := range []string{"direct", "Pipelined", "TxPipelined", "On(pipeline)"} {
		arm()
		var err error
		switch how {
		case "direct":
			err = c.ExHIncrBy(ctx, k, "n", 1).Err()
		case "Pipelined":
			_, err = c.Pipelined(ctx, func(p exhash.Pipeliner) error { p.ExHIncrBy(ctx, k, "n", 1); return nil })
		case "TxPipelined":
			_, err = c.TxPipelined(ctx, func(p exhash.Pipeliner) error { p.ExHIncrBy(ctx, k, "n", 1); return nil })
		case "On(pipeline)":
			p := rdb.Pipeline()
			c.On(p).ExHIncrBy(ctx, k, "n", 1)
			_, err = p.Exec(ctx)
		}
		if err == nil {
			t.Fatalf("%s: a write whose reply was cut succeeded: it was resent (cuts %d, n %s)", how, cut.Cuts(), direct.ExHGet(ctx, k, "n").Val())
		}
		check(how, 1)
	}
	if cut.Cuts() != 4 {
		t.Fatalf("%d replies cut, want 4", cut.Cuts())
	}

	arm()
	if got, err := c.ExHGet(ctx, k, "n").Result(); err != nil || got != "4" {
		t.Fatalf("a read whose reply was cut: %q, %v; want it resent and answered", got, err)
	}
	arm()
	if err := c.ExHIncrBy(exhash.AllowResend(ctx), k, "n", 1).Err(); err != nil {
		t.Fatalf("with AllowResend: %v; want go-redis to resend", err)
	}
	check("AllowResend", 2) // applied, reply lost, applied again
}

func itoa(n int) string { return strconv.Itoa(n) }

// wrappedClient is a go-redis client of a type exhash does not know, so NewClient installs no hook
// on it: the Client's own pipelines then recover through the backend's PipelineExecer.
type wrappedClient struct{ *redis.Client }

func TestClientPipelinesWithoutTheHook(t *testing.T) {
	for name, e := range emulations {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			srv := e.srv(t)
			rdb := redis.NewClient(srv.Options())
			t.Cleanup(func() { _ = rdb.Close() })
			c := exhash.NewClient(wrappedClient{rdb}, exhash.WithBackend(e.be()))
			k := srv.Prefix(t) + "k"
			if err := c.ExHSet(ctx, k, "f", "v").Err(); err != nil {
				t.Fatal(err)
			}
			forget(t, rdb)
			var get *exhash.StringCmd
			if _, err := c.Pipelined(ctx, func(p exhash.Pipeliner) error {
				p.ExHSet(ctx, k, "g", "w")
				get = p.ExHGet(ctx, k, "f")
				return nil
			}); err != nil {
				t.Fatalf("pipeline after the server lost the code, without the hook: %v", err)
			}
			if got, err := get.Result(); err != nil || got != "v" {
				t.Fatalf("EXHGET = %q, %v", got, err)
			}
		})
	}
}
