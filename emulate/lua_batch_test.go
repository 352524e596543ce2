package emulate_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// A plain pipeline's consecutive EXH* commands run as one call of the function library; each
// command still gets its own reply or error, in order, around the plain commands between them,
// as the module gives them.
func TestLuaBatchedPipeline(t *testing.T) {
	for _, srv := range []*testserver.Server{testserver.Redis7(t), testserver.Valkey8(t)} {
		t.Run(srv.Name, func(t *testing.T) {
			rdb := srv.Client(t)
			c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
			if err := c.ExHLen(t.Context(), srv.Prefix(t)+"none").Err(); err != nil { // loads the library
				t.Fatal(err)
			}
			before := calls(t, rdb, "fcall")
			got := batchScenario(t, c, srv.Prefix(t))
			t.Logf("replies:\n%s", got)
			// Two runs of EXH* commands (split by the plain GET) and the direct EXHSET of the set-up.
			if n := calls(t, rdb, "fcall") - before; n != 3 {
				t.Errorf("%d FCALLs, want 3: the runs were not joined", n)
			}
			if addr := os.Getenv("TAIRHASH_ADDR"); addr != "" {
				mod := redis.NewClient(&redis.Options{Addr: addr})
				t.Cleanup(func() { _ = mod.Close() })
				want := batchScenario(t, exhash.NewClient(mod, exhash.WithBackend(exhash.Native{})), srv.Prefix(t)+strconv.Itoa(os.Getpid()))
				if got != want {
					t.Errorf("replies differ from the module's:\nlua    %s\nmodule %s", got, want)
				}
			}
		})
	}
}

// batchScenario runs one pipeline of EXH* and plain commands and renders every reply.
func batchScenario(t *testing.T, c *exhash.Client, p string) string {
	ctx := t.Context()
	k, str := p+"batch", p+"batch-string"
	if err := c.ExHSetArgs(ctx, k, "big", "v", exhash.ExHSetArgs{}.New().Abs(math.MaxInt64-1)).Err(); err != nil {
		t.Fatal(err)
	}
	pipe := c.Pipeline()
	var out []func() string
	show := func(v any, err error) string {
		if err != nil {
			return "error " + err.Error()
		}
		return fmt.Sprint(v) // maps print sorted by key
	}
	add := func(f func() string) { out = append(out, f) }
	set := pipe.Set(ctx, str, "s", 0)
	add(func() string { return show(set.Result()) })
	a := pipe.ExHSetArgs(ctx, k, "a", "1", exhash.ExHSetArgs{}.New().Ex(time.Hour))
	add(func() string { return show(a.Result()) })
	stale := pipe.ExHSetArgs(ctx, k, "a", "2", exhash.ExHSetArgs{}.New().Ver(7))
	add(func() string { return show(stale.Result()) })
	wrong := pipe.ExHSet(ctx, str, "f", "v")
	add(func() string { return show(wrong.Result()) })
	missing := pipe.ExHGet(ctx, k, "nope")
	add(func() string { return show(missing.Result()) })
	ver := pipe.ExHVer(ctx, k, "big")
	add(func() string { return show(ver.Result()) })
	get := pipe.Get(ctx, str)
	add(func() string { return show(get.Result()) })
	incr := pipe.ExHIncrBy(ctx, k, "n", math.MaxInt64)
	add(func() string { return show(incr.Result()) })
	over := pipe.ExHIncrBy(ctx, k, "n", 1)
	add(func() string { return show(over.Result()) })
	all := pipe.ExHGetAllWithVer(ctx, k)
	add(func() string { return show(all.Result()) })
	_, err := pipe.Exec(ctx)
	lines := []string{"exec: " + show(nil, err)}
	for _, f := range out {
		lines = append(lines, f())
	}
	return strings.Join(lines, "\n")
}

// calls returns how many times the server ran command, from INFO commandstats.
func calls(t *testing.T, rdb redis.UniversalClient, command string) int {
	t.Helper()
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(info, "cmdstat_"+command+":calls=")
	if !ok {
		return 0
	}
	n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ',')])
	return n
}

// A client whose user may not call functions, or may call but not load them, still gets batches,
// through the library's script form; and a server that lost the library (FUNCTION FLUSH) gets it
// again. A pipeline of more commands than one batch takes needs one load, not one per batch.
func TestLuaBatchWithoutFunctions(t *testing.T) {
	srv := testserver.Redis7(t)
	ctx := t.Context()
	admin := srv.Client(t)
	noCall, noLoad := "nofcall"+strconv.Itoa(os.Getpid()), "noload"+strconv.Itoa(os.Getpid())
	for user, denied := range map[string][]string{noCall: {"-function", "-fcall"}, noLoad: {"-function"}} {
		acl := []any{"ACL", "SETUSER", user, "on", ">pw", "~*", "&*", "+@all"}
		for _, d := range denied {
			acl = append(acl, d)
		}
		if err := admin.Do(ctx, acl...).Err(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = admin.Do(context.Background(), "ACL", "DELUSER", user).Err() })
	}
	for _, who := range []string{"default", noCall, noLoad} {
		t.Run(who, func(t *testing.T) {
			opt := &redis.Options{Addr: srv.Addr}
			if who != "default" {
				opt.Username, opt.Password = who, "pw"
			}
			rdb := redis.NewClient(opt)
			t.Cleanup(func() { _ = rdb.Close() })
			c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
			k := srv.Prefix(t) + who
			for round := 0; round < 3; round++ {
				if err := admin.FunctionFlush(ctx).Err(); err != nil {
					t.Fatal(err)
				}
				if err := admin.ScriptFlush(ctx).Err(); err != nil {
					t.Fatal(err)
				}
				var incr *exhash.Cmd[int64]
				var get *exhash.Cmd[string]
				_, err := c.Pipelined(ctx, func(p exhash.Pipeliner) error {
					for i := 0; i < 200; i++ { // several batches
						p.ExHSet(ctx, k, "s"+strconv.Itoa(i), "x")
					}
					p.ExHSet(ctx, k, "s", "x")
					incr = p.ExHIncrBy(ctx, k, "n", 2)
					get = p.ExHGet(ctx, k, "s")
					return nil
				})
				if err != nil || incr.Val() != int64(2*(round+1)) || get.Val() != "x" {
					t.Fatalf("round %d: %v; EXHINCRBY %d, %v; EXHGET %q, %v", round, err, incr.Val(), incr.Err(), get.Val(), get.Err())
				}
				if n, err := c.ExHIncrBy(ctx, k, "n", 1).Result(); err != nil || n != int64(2*(round+1)+1) {
					t.Fatalf("round %d: direct EXHINCRBY = %d, %v", round, n, err)
				}
				if err := c.ExHIncrBy(ctx, k, "n", -1).Err(); err != nil {
					t.Fatal(err)
				}
			}
			if !errors.Is(c.ExHGet(ctx, k, "none").Err(), redis.Nil) {
				t.Fatal("EXHGET of a missing field: want redis.Nil")
			}
			if who == "default" { // the library is there and used
				before := calls(t, admin, "fcall")
				if _, err := c.Pipelined(ctx, func(p exhash.Pipeliner) error {
					p.ExHGet(ctx, k, "s")
					p.ExHGet(ctx, k, "n")
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if n := calls(t, admin, "fcall") - before; n != 1 {
					t.Fatalf("%d FCALLs for a pipeline of two reads, want 1", n)
				}
			}
		})
	}
}

// A read-only replica refuses every FCALL of a function that may write, even one that only
// reads, where a script is refused only the writes it makes: reads keep working there, directly
// and in pipelines, and writes get the replica's error.
func TestLuaBatchOnReplica(t *testing.T) {
	ctx := t.Context()
	master := testserver.Start(t, testserver.KindRedis7)
	host, port, _ := strings.Cut(master.Addr, ":")
	replica := testserver.Start(t, testserver.KindRedis7, "--replicaof", host, port)
	k := "replica-reads"
	writer := exhash.NewClient(master.Client(t), exhash.WithBackend(emulate.NewLua()))
	if err := writer.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Ex(time.Hour)).Err(); err != nil {
		t.Fatal(err)
	}
	rdb := replica.Client(t)
	for deadline := time.Now().Add(20 * time.Second); rdb.Exists(ctx, k).Val() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the replica did not get the key")
		}
	}
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	if v, err := c.ExHGet(ctx, k, "f").Result(); err != nil || v != "v" {
		t.Fatalf("direct EXHGET on the replica: %q, %v", v, err)
	}
	for round := 0; round < 2; round++ {
		var get *exhash.Cmd[string]
		var set *exhash.SetCmd
		_, err := c.Pipelined(ctx, func(p exhash.Pipeliner) error {
			get = p.ExHGet(ctx, k, "f")
			set = p.ExHSet(ctx, k, "g", "w")
			return nil
		})
		if err == nil || !strings.HasPrefix(set.Err().Error(), "READONLY") {
			t.Fatalf("round %d: EXHSET on the replica: %v (Exec: %v), want READONLY", round, set.Err(), err)
		}
		if v, err := get.Result(); err != nil || v != "v" {
			t.Fatalf("round %d: pipelined EXHGET on the replica: %q, %v", round, v, err)
		}
	}
}
