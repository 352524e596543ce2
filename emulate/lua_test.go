package emulate_test

import (
	"context"
	"errors"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// A server that lost its scripts and function library (SCRIPT FLUSH, FUNCTION FLUSH, restart,
// failover) answers NOSCRIPT or "Function not found"; the backend recovers without the caller
// seeing it: on direct calls, in pipelines and in MULTI/EXEC.
func TestLuaRecoversLostScripts(t *testing.T) {
	for _, srv := range []*testserver.Server{testserver.Redis7(t), testserver.Cluster(t)} {
		for _, perCommand := range []bool{false, true} {
			t.Run(srv.Name+map[bool]string{true: "-percmd"}[perCommand], func(t *testing.T) {
				var opts []emulate.LuaOption
				if perCommand {
					opts = append(opts, emulate.WithLuaOneCallPerCommand())
				}
				luaRecovers(t, srv, emulate.NewLua(opts...))
			})
		}
	}
}

func luaRecovers(t *testing.T, srv *testserver.Server, be *emulate.Lua) {
	rdb := srv.Client(t)
	c := exhash.NewClient(rdb, exhash.WithBackend(be))
	p := srv.Prefix(t)
	ctx := context.Background()
	flush := func() {
		t.Helper()
		var err error
		if cc, ok := rdb.(*redis.ClusterClient); ok {
			err = cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error {
				return errors.Join(n.ScriptFlush(ctx).Err(), n.FunctionFlush(ctx).Err())
			})
		} else {
			err = errors.Join(rdb.ScriptFlush(ctx).Err(), rdb.FunctionFlush(ctx).Err())
		}
		if err != nil {
			t.Fatal(err)
		}
	}

	flush()
	if n, err := c.ExHSet(ctx, p+"k", "a", "1").Result(); err != nil || n != exhash.SetCreated {
		t.Fatalf("direct EXHSET after SCRIPT FLUSH: %v, %v", n, err)
	}

	flush()
	var get *exhash.Cmd[string]
	var incr *exhash.Cmd[int64]
	_, err := c.Pipelined(ctx, func(pipe exhash.Pipeliner) error {
		pipe.ExHSet(ctx, p+"k", "b", "2")
		incr = pipe.ExHIncrBy(ctx, p+"k", "a", 5)
		get = pipe.ExHGet(ctx, p+"k", "b")
		return nil
	})
	if err != nil || incr.Val() != 6 || get.Val() != "2" {
		t.Fatalf("pipeline after SCRIPT FLUSH: %v; EXHINCRBY %d, %v; EXHGET %q, %v",
			err, incr.Val(), incr.Err(), get.Val(), get.Err())
	}

	flush()
	var ver *exhash.Cmd[exhash.VersionResult]
	_, err = c.TxPipelined(ctx, func(pipe exhash.Pipeliner) error {
		pipe.ExHSet(ctx, p+"k", "c", "3")
		incr = pipe.ExHIncrBy(ctx, p+"k", "a", 1)
		ver = pipe.ExHVer(ctx, p+"k", "a")
		return nil
	})
	if err != nil || incr.Val() != 7 || ver.Err() != nil {
		t.Fatalf("MULTI after SCRIPT FLUSH: %v; EXHINCRBY %d, %v; EXHVER %v", err, incr.Val(), incr.Err(), ver.Err())
	}
	all, err := c.ExHGetAll(ctx, p+"k").Result()
	if err != nil || len(all) != 3 || all["a"] != "7" {
		t.Fatalf("EXHGETALL = %v, %v; want a=7, b, c", all, err)
	}
}

// Keys of other types are never clobbered, and neither are companions' names taken by other types;
// the user gets WRONGTYPE.
func TestLuaNeverClobbersOtherTypes(t *testing.T) {
	srv := testserver.Redis7(t)
	rdb := srv.Client(t)
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	p := srv.Prefix(t)
	ctx := context.Background()
	rdb.Set(ctx, p+"str", "keep", 0)
	ttl, _, _ := emulate.CompanionKeys(p + "h")
	rdb.Set(ctx, ttl, "mine", 0) // someone else's string where a companion would go
	for _, k := range []string{p + "str", p + "h"} {
		err := c.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Ex(60e9)).Err()
		if !errors.Is(err, exhash.ErrWrongType) {
			t.Errorf("EXHSET on %q: %v, want WRONGTYPE", k, err)
		}
	}
	if v := rdb.Get(ctx, p+"str").Val(); v != "keep" {
		t.Errorf("string overwritten: %q", v)
	}
	if v := rdb.Get(ctx, ttl).Val(); v != "mine" {
		t.Errorf("foreign companion-named string overwritten: %q", v)
	}
	if n := rdb.Exists(ctx, p+"h").Val(); n != 0 {
		t.Errorf("EXHSET created %q although it failed", p+"h")
	}
}
