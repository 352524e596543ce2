package exhash_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// Examples without an Output comment need a server with TairHash data and are only compiled. The
// others run as tests: they show behaviour that happens before anything is sent.

func Example() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	c := exhash.NewClient(rdb) // Native backend: the module's EXH* commands

	// A session field that expires in 30 minutes unless refreshed.
	res, err := c.ExHSetArgs(ctx, "sessions", "alice", "token-1", exhash.ExHSetArgs{}.New().Ex(30*time.Minute)).Result()
	if err != nil {
		panic(err)
	}
	fmt.Println(res) // created

	token, err := c.ExHGet(ctx, "sessions", "alice").Result()
	switch {
	case err == redis.Nil:
		fmt.Println("no session")
	case err != nil:
		panic(err)
	default:
		fmt.Println(token)
	}
}

// Refused arguments never reach the server: EX takes whole seconds, and silently truncating 1.5 s to
// 1 s would shorten the TTL.
func ExampleExHSetArgs() {
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	err := c.ExHSetArgs(context.Background(), "k", "f", "v", exhash.ExHSetArgs{}.New().Ex(1500*time.Millisecond)).Err()
	fmt.Println(errors.Is(err, exhash.ErrInvalidArgument))
	fmt.Println(err)
	// Output:
	// true
	// exhash: EXHSET: EX takes whole seconds; 1.5s would lose precision (use the millisecond form)
}

// Commands queued on a pipeline show the module arguments they will send; times are converted to the
// unit the option takes (PXAT: Unix milliseconds).
func ExampleCmd_Args() {
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	p := c.Pipeline()
	defer p.Discard()
	at := time.UnixMilli(1700000000250)
	cmd := p.ExHSetArgs(context.Background(), "k", "f", "v", exhash.ExHSetArgs{}.New().PxAt(at).Gt(3))
	fmt.Println(cmd.Args()...)
	// Output: exhset k f v PXAT 1700000000250 GT 3
}

// Typed commands and plain go-redis commands share one transaction; results are read after Exec.
func ExampleClient_TxPipelined() {
	ctx := context.Background()
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	var ver *exhash.VersionCmd
	var hits *redis.IntCmd
	_, err := c.TxPipelined(ctx, func(p exhash.Pipeliner) error {
		p.ExHSetArgs(ctx, "doc", "title", "Hello", exhash.ExHSetArgs{}.New().KeepTTL())
		ver = p.ExHVer(ctx, "doc", "title")
		hits = p.Incr(ctx, "doc:writes")
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(ver.Val().Version, hits.Val())
}

// On binds the typed commands to a pipeline the caller owns, e.g. one it also uses for other work.
func ExampleClient_On() {
	ctx := context.Background()
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	pipe := c.Redis().Pipeline()
	get := c.On(pipe).ExHGetWithVer(ctx, "doc", "title")
	pipe.Expire(ctx, "doc", time.Hour)
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		panic(err)
	}
	if vv, err := get.Result(); err == nil {
		fmt.Println(vv.Value, vv.Version)
	}
}

// Optimistic concurrency: write only if nobody changed the field since it was read.
func ExampleCommands_ExHSetArgs() {
	ctx := context.Background()
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	cur, err := c.ExHGetWithVer(ctx, "doc", "title").Result()
	if err != nil {
		panic(err)
	}
	err = c.ExHSetArgs(ctx, "doc", "title", cur.Value+"!", exhash.ExHSetArgs{}.New().Ver(cur.Version)).Err()
	if errors.Is(err, exhash.ErrStaleVersion) {
		fmt.Println("changed concurrently; retry")
	}
}

// The -1/-2/-3 replies of EXHTTL arrive as distinct results.
func ExampleCommands_ExHPTTL() {
	ctx := context.Background()
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	ttl, err := c.ExHPTTL(ctx, "sessions", "alice").Result()
	if err != nil {
		panic(err)
	}
	switch {
	case ttl.Presence == exhash.NoKey, ttl.Presence == exhash.NoField:
		fmt.Println("no such session:", ttl)
	case ttl.Persistent:
		fmt.Println("never expires")
	default:
		fmt.Println("expires in", ttl.TTL)
	}
}

func ExampleCommands_ExHIncrByFloatArgs() {
	ctx := context.Background()
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	total, err := c.ExHIncrByFloatArgs(ctx, "wallet", "alice", 2.5,
		exhash.ExHIncrArgs{}.New().MinFloat(0).KeepTTL()).Result()
	if errors.Is(err, exhash.ErrOverflow) {
		fmt.Println("would go below 0")
		return
	}
	fmt.Println(total.Value, total.Text) // the text keeps the server's exact digits
}

func ExampleClient_ExHScanAll() {
	ctx := context.Background()
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	for fv, err := range c.ExHScanAll(ctx, "sessions", exhash.ExHScanArgs{}.New().Match("a*").Count(100)) {
		if err != nil {
			panic(err)
		}
		fmt.Println(fv.Field, fv.Value)
	}
}

func ExampleClient_SubscribeExpired() {
	ctx := context.Background()
	c := exhash.NewClient(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	sub, err := c.SubscribeExpired(ctx, 0, "sessions")
	if err != nil {
		panic(err)
	}
	defer sub.Close()
	for ev := range sub.Channel() {
		fmt.Printf("session of %s expired\n", ev.Field)
	}
}

func ExampleParseExpiredChannel() {
	db, key, ok := exhash.ParseExpiredChannel("tairhash@0@sessions__:expired")
	fmt.Println(db, key, ok)
	fmt.Println(exhash.ExpiredChannel(3, "user@example"))
	// Output:
	// 0 sessions true
	// tairhash@3@user@example__:expired
}

// Optimistic locking: read a field, write what depends on it, and let EXEC apply the write only if
// the key did not change in between (otherwise redis.TxFailedErr: read again and retry).
func ExampleClient_Watch() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	c := exhash.NewClient(rdb)

	for {
		err := c.Watch(ctx, func(tx *exhash.Tx) error {
			visits, err := tx.ExHGet(ctx, "counters", "visits").Result()
			if err != nil && err != redis.Nil {
				return err
			}
			n, _ := strconv.Atoi(visits) // 0 when absent
			_, err = tx.TxPipelined(ctx, func(p exhash.Pipeliner) error {
				p.ExHSet(ctx, "counters", "visits", fmt.Sprint(n+1))
				return nil
			})
			return err
		}, "counters")
		if err != redis.TxFailedErr {
			fmt.Println(err)
			return
		}
	}
}

// Writes are not resent by go-redis after a broken connection: the reply was lost, not necessarily
// the write. A caller whose write is idempotent (here: it sets an absolute version) may allow it.
func ExampleAllowResend() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	c := exhash.NewClient(rdb)

	err := c.ExHSetArgs(exhash.AllowResend(ctx), "profiles", "alice", "v7", exhash.ExHSetArgs{}.New().Abs(7)).Err()
	fmt.Println(err)
}

// Versions make an update conditional without WATCH: read the value with its version, write with
// VER; a concurrent writer in between makes the write fail with ErrStaleVersion.
func ExampleCommands_ExHGetWithVer() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	c := exhash.NewClient(rdb)

	cur, err := c.ExHGetWithVer(ctx, "profiles", "alice").Result()
	if err != nil && err != redis.Nil {
		panic(err)
	}
	err = c.ExHSetArgs(ctx, "profiles", "alice", cur.Value+"+", exhash.ExHSetArgs{}.New().Ver(cur.Version)).Err()
	switch {
	case errors.Is(err, exhash.ErrStaleVersion):
		fmt.Println("changed meanwhile: read again")
	case err != nil:
		panic(err)
	}
}

// DelKeys removes a TairHash key with everything the backend keeps for it (on the emulations, the
// companion keys of its deadlines and versions): "log out everywhere" in one call.
func ExampleCommands_DelKeys() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()
	c := exhash.NewClient(rdb)

	n, err := c.DelKeys(ctx, "sessions:alice").Result()
	fmt.Println(n, err) // 1 <nil> when the key existed
}
