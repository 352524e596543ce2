package reliability

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// TestSentinelFailover writes through a failover client (Lua emulation on Redis 7), waits for
// each write to reach the replica (WAIT 1: asynchronous replication may otherwise lose it in any
// failover), has Sentinel promote the replica (SENTINEL FAILOVER), and keeps writing: the client
// follows the new master, the scripts are reloaded there, and every acknowledged write — values
// and TTLs — is present.
func TestSentinelFailover(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	master := testserver.Start(t, testserver.KindRedis7)
	replica := testserver.Start(t, testserver.KindRedis7)
	host, port := "127.0.0.1", master.Addr[len("127.0.0.1:"):]
	admin := redis.NewClient(replica.Options())
	defer admin.Close()
	must(t, admin.ReplicaOf(ctx, host, port).Err())
	waitFor(t, "replica in sync", func() (bool, string) {
		info := admin.Info(ctx, "replication").Val()
		return containsLine(info, "master_link_status:up"), "link down"
	})
	sentinel := testserver.StartSentinel(t, testserver.KindRedis7, master)

	rdb := redis.NewFailoverClient(&redis.FailoverOptions{MasterName: testserver.SentinelMaster, SentinelAddrs: []string{sentinel}})
	defer rdb.Close()
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))
	write := func(i int, replicated bool) bool {
		err := c.ExHSetArgs(ctx, "k", "f"+strconv.Itoa(i), strconv.Itoa(i), exhash.ExHSetArgs{}.New().Px(time.Hour)).Err()
		if err != nil || !replicated {
			return err == nil
		}
		n, err := rdb.Wait(ctx, 1, time.Second).Result()
		return err == nil && n >= 1
	}
	var acked []int
	for i := 0; i < 100; i++ {
		if write(i, true) {
			acked = append(acked, i)
		}
	}
	sc := redis.NewSentinelClient(&redis.Options{Addr: sentinel})
	defer sc.Close()
	waitFor(t, "sentinel sees the replica", func() (bool, string) {
		r, err := sc.Replicas(ctx, testserver.SentinelMaster).Result()
		return err == nil && len(r) > 0, "no replica known"
	})
	// NOGOODSLAVE until Sentinel has a fresh INFO of the replica: retry.
	waitFor(t, "SENTINEL FAILOVER accepted", func() (bool, string) {
		err := sc.Failover(ctx, testserver.SentinelMaster).Err()
		return err == nil, fmt.Sprint(err)
	})
	waitFor(t, "replica promoted", func() (bool, string) {
		addr, err := sc.GetMasterAddrByName(ctx, testserver.SentinelMaster).Result()
		return err == nil && addr[0]+":"+addr[1] == replica.Addr, "not yet"
	})
	// Sentinel turns the old master into a replica of the new one only at its next INFO of it (up
	// to 10 s later). Until then the old master still takes writes from connections opened before
	// the switch, and its resync drops them: Redis' asynchronous failover loses those, whatever the
	// client. The test does that step of Sentinel's itself, at once, so every write below is
	// either refused (READONLY) or lands on the new master.
	old := redis.NewClient(master.Options())
	defer old.Close()
	must(t, old.ReplicaOf(ctx, host, replica.Addr[len("127.0.0.1:"):]).Err())
	// Writes continue on the new master, where no script has been loaded yet.
	waitFor(t, "writes after failover", func() (bool, string) {
		return c.ExHSet(ctx, "k", "after", "1").Err() == nil, "refused"
	})
	// After the failover the new master serves the reads too: acknowledged is enough.
	for i := 100; i < 150; i++ {
		if write(i, false) {
			acked = append(acked, i)
		}
	}
	for _, i := range acked {
		f := "f" + strconv.Itoa(i)
		v, err := c.ExHGet(ctx, "k", f).Result()
		if err != nil || v != strconv.Itoa(i) {
			t.Fatalf("acknowledged %s = %q, %v after failover", f, v, err)
		}
		if ttl, err := c.ExHPTTL(ctx, "k", f).Result(); err != nil || ttl.TTL <= 0 || ttl.TTL > time.Hour {
			t.Fatalf("%s TTL after failover: %+v, %v", f, ttl, err)
		}
	}
	t.Logf("Sentinel failover: %d acknowledged writes of 150 (100 replicated before, 50 after), value and TTL all present on the new master; 0 lost", len(acked))
}
