package tair_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
	tair "github.com/tairhash-go/tairhash/tairgo"
)

// Durations mean what they say on every backend; PXAT is in milliseconds and ABS sets the
// version (tair-go sent seconds and ABS 0).
func TestDurationsAndVersions(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		equal(t, "Ex(5s)", c.ExHSetArgs(ctx, p+"k", "a", "v", tair.ExHSetArgs{}.New().Ex(5*time.Second)), int64(1))
		between(t, "TTL of Ex(5s)", c.ExHTTL(ctx, p+"k", "a"), 1, 5)
		equal(t, "Px(3000)", c.ExHSetArgs(ctx, p+"k", "b", "v", tair.ExHSetArgs{}.New().Px(3000)), int64(1))
		between(t, "PTTL of Px(3000)", c.ExHPTTL(ctx, p+"k", "b"), 1, 3000)
		equal(t, "PxAt", c.ExHSetArgs(ctx, p+"k", "c", "v", tair.ExHSetArgs{}.New().PxAt(time.Now().Add(time.Hour))), int64(1))
		between(t, "PTTL of PxAt(+1h)", c.ExHPTTL(ctx, p+"k", "c"), 3_500_000, 3_600_000)
		equal(t, "ExHPExpire", c.ExHPExpire(ctx, p+"k", "c", 4000), true)
		between(t, "PTTL after ExHPExpire(4000)", c.ExHPTTL(ctx, p+"k", "c"), 1, 4000)
		equal(t, "ExHExpireAt", c.ExHExpireAt(ctx, p+"k", "c", int(time.Now().Add(time.Hour).Unix())), true)
		between(t, "TTL after ExHExpireAt(+1h)", c.ExHTTL(ctx, p+"k", "c"), 3500, 3601)
		equal(t, "ExHPExpireAt", c.ExHPExpireAt(ctx, p+"k", "c", int(time.Now().Add(time.Minute).UnixMilli())), true)
		between(t, "PTTL after ExHPExpireAt(+1m)", c.ExHPTTL(ctx, p+"k", "c"), 50_000, 60_000)
		equal(t, "ExHTTL of an absent field", c.ExHTTL(ctx, p+"k", "nope"), int64(-3))

		equal(t, "ExHIncrByArgs Abs", c.ExHIncrByArgs(ctx, p+"k", "n", 1, tair.ExHIncrArgs{}.New().Abs(42)), int64(1))
		equal(t, "version after Abs", c.ExHVer(ctx, p+"k", "n"), int64(42))
		equal(t, "ExHSetArgs Abs", c.ExHSetArgs(ctx, p+"k", "s", "v", tair.ExHSetArgs{}.New().Abs(7)), int64(1))
		equal(t, "version after ExHSetArgs Abs", c.ExHVer(ctx, p+"k", "s"), int64(7))
		fails(t, "stale Ver", c.ExHSetArgs(ctx, p+"k", "s", "w", tair.ExHSetArgs{}.New().Ver(3)), "update version is stale")
	})
}

func TestExHScan(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		want := map[string]string{}
		for _, f := range strings.Fields("a b c d e f g h i j k l") {
			want[f] = "v" + f
		}
		equal(t, "ExHMSet", c.ExHMSet(ctx, p+"k", want), "OK")
		got := map[string]string{}
		cursor := "0"
		for i := 0; ; i++ {
			page, err := c.ExHScan(ctx, p+"k", cursor).Result()
			if err != nil || len(page) != 2 || i > 100 {
				t.Fatalf("ExHScan %s: %v, %v", cursor, page, err)
			}
			cursor = page[0].(string)
			pairs := page[1].([]any)
			for j := 0; j+1 < len(pairs); j += 2 {
				got[pairs[j].(string)] = pairs[j+1].(string)
			}
			if cursor == "0" {
				break
			}
		}
		if !equalValues(got, want) {
			t.Fatalf("scanned %v, want %v", got, want)
		}
	})
}

// A TairPipeline returns its commands in order, the TairHash ones as the go-redis commands their
// methods returned, whatever the backend queued in their place.
func TestTairPipeline(t *testing.T) {
	onEveryTarget(t, func(t *testing.T, c client, p string) {
		ctx := context.Background()
		k := p + "{k}" // one slot for the plain key and the hash on a cluster
		pipe := c.TairPipeline()
		set := pipe.ExHSet(ctx, k+"h", "f", "v")
		plain := pipe.Set(ctx, k+"s", "x", 0)
		get := pipe.ExHGet(ctx, k+"h", "f")
		absent := pipe.ExHGetWithVer(ctx, k+"h", "nope")
		incr := pipe.ExHIncrBy(ctx, k+"h", "n", 5)
		cmds, err := pipe.Exec(ctx)
		if err != redis.Nil {
			t.Fatalf("Exec error %v, want redis.Nil (the absent field)", err)
		}
		want := []redis.Cmder{set, plain, get, absent, incr}
		if len(cmds) != len(want) {
			t.Fatalf("Exec returned %d commands, want %d: %v", len(cmds), len(want), cmds)
		}
		for i := range want {
			if cmds[i] != want[i] {
				t.Fatalf("command %d is %v, want %v", i, cmds[i], want[i])
			}
		}
		equal(t, "ExHSet", set, int64(1))
		equal(t, "Set", plain, "OK")
		equal(t, "ExHGet", get, "v")
		fails(t, "ExHGetWithVer", absent, redis.Nil.Error())
		equal(t, "ExHIncrBy", incr, int64(5))

		var inside *redis.IntCmd
		cmds, err = c.TairPipeline().Pipelined(ctx, func(pl redis.Pipeliner) error {
			inside = pl.(tair.TairCmdable).ExHDel(ctx, k+"h", "f", "n")
			pl.Del(ctx, k+"s")
			return nil
		})
		if err != nil || len(cmds) != 2 || cmds[0] != inside {
			t.Fatalf("Pipelined: %v, %v", cmds, err)
		}
		equal(t, "ExHDel in Pipelined", inside, int64(2))

		discarded := c.TairPipeline()
		discarded.ExHSet(ctx, k+"h", "gone", "v")
		discarded.Discard()
		if cmds, err := discarded.Exec(ctx); err != nil || len(cmds) != 0 {
			t.Fatalf("Exec after Discard: %v, %v", cmds, err)
		}
		equal(t, "ExHExists after Discard", c.ExHExists(ctx, k+"h", "gone"), false)
	})
}

// TairString and TairZset commands are sent as they are: a server without them says so.
func TestStringAndZsetNeedTair(t *testing.T) {
	srv := testserver.Redis7(t)
	c := tair.NewTairClient(srv.Options())
	defer c.Close()
	ctx := context.Background()
	p := srv.Prefix(t)
	fails(t, "ExSet", c.ExSet(ctx, p+"s", "v"), "unknown command 'exset'")
	fails(t, "ExZAdd", c.ExZAdd(ctx, p+"z", "1#2", "m"), "unknown command 'exzadd'")
	if got := c.ExZAddManyScore(ctx, p+"z", "m", 1, 2.5).Args(); !equalValues(got, []any{"exzadd", p + "z", "1#2.5", "m"}) {
		t.Fatalf("ExZAddManyScore sent %v", got)
	}
	if got := c.ExSetVer(ctx, p+"s", 3).Args(); got[0] != "exsetver" {
		t.Fatalf("ExSetVer sent %v", got)
	}
}

// The backend can be forced; detection that fails (no server) is retried by the next command.
func TestBackendChoice(t *testing.T) {
	ctx := context.Background()
	r8 := testserver.Redis8(t)
	c := tair.NewTairClient(&redis.Options{Addr: r8.Addr, DB: 1}, tairhash.WithKind(tairhash.KindLua))
	defer c.Close()
	be, err := c.TairHashBackend(ctx)
	if err != nil || be.Name() != "lua" {
		t.Fatalf("forced Lua on Redis 8: %v, %v", be, err)
	}
	p := r8.Prefix(t)
	equal(t, "ExHSet through forced Lua", c.ExHSet(ctx, p+"k", "f", "v"), int64(1))
	equal(t, "Lua keeps a plain hash", c.HGet(ctx, p+"k", "f"), "v")

	down := testserver.Start(t, testserver.KindRedis7)
	addr := down.Addr
	down.Stop()
	d := tair.NewTairClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer d.Close()
	if err := d.ExHSet(ctx, "k", "f", "v").Err(); err == nil {
		t.Fatal("ExHSet with the server down succeeded")
	}
	if _, err := d.TairHashBackend(ctx); err == nil {
		t.Fatal("a failed detection was remembered")
	}
	var re redis.Error
	if err := d.ExHGet(ctx, "k", "f").Err(); errors.As(err, &re) {
		t.Fatalf("a transport error looks like a server reply: %v", err)
	}
}

// NewTairFailoverClient finds the master through Sentinel.
func TestFailoverClient(t *testing.T) {
	master := testserver.Start(t, testserver.KindRedis7)
	sentinel := testserver.StartSentinel(t, testserver.KindRedis7, master)
	c := tair.NewTairFailoverClient(&redis.FailoverOptions{MasterName: testserver.SentinelMaster, SentinelAddrs: []string{sentinel}})
	defer c.Close()
	ctx := context.Background()
	equal(t, "ExHSet", c.ExHSet(ctx, "k", "f", "v"), int64(1))
	equal(t, "ExHGet", c.ExHGet(ctx, "k", "f"), "v")
	direct := redis.NewClient(master.Options())
	defer direct.Close()
	equal(t, "on the master", direct.HGet(ctx, "k", "f"), "v")
}

// Commands from many goroutines on a new client share one detection and all succeed.
func TestConcurrentFirstCommands(t *testing.T) {
	srv := testserver.Redis7(t)
	c := tair.NewTairClient(srv.Options())
	defer c.Close()
	ctx := context.Background()
	p := srv.Prefix(t)
	errs := make(chan error, 20)
	for i := range 20 {
		go func() { errs <- c.ExHSet(ctx, p+"k", fmt.Sprint("f", i), "v").Err() }()
	}
	for range 20 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	equal(t, "ExHLen", c.ExHLen(ctx, p+"k"), int64(20))
}
