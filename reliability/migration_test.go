package reliability

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// TestSlotMigrationUnderTraffic moves the slot of an emulated key from one master to another
// (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE of every key in the slot, SETSLOT NODE — what
// redis-cli --cluster reshard does) while a writer increments fields of that key. The key and
// its companions move together, every acknowledged increment is present afterwards, TTLs and
// versions move with the data, and none of it is left on the old master. With retries off,
// commands refused during the move (TRYAGAIN while the key and its companions sit on
// different nodes) are counted as not acknowledged, never as lost.
func TestSlotMigrationUnderTraffic(t *testing.T) {
	t.Parallel()
	srv := testserver.Start(t, testserver.KindCluster)
	ctx := context.Background()
	o := srv.ClusterOptions()
	o.MaxRetries = -1
	rdb := redis.NewClusterClient(o)
	t.Cleanup(func() { _ = rdb.Close() })
	c := exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua()))

	const key = "migrating"
	must(t, c.ExHSetArgs(ctx, key, "ttl", "x", exhash.ExHSetArgs{}.New().Px(time.Hour)).Err())
	slot := int(rdb.ClusterKeySlot(ctx, key).Val())
	src, dst, others := slotOwners(t, ctx, srv, slot)

	const workers = 3
	acked, tried := make([]int64, workers), make([]int64, workers)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			f := "w" + strconv.Itoa(w)
			for !stop.Load() {
				tried[w]++
				if err := c.ExHIncrBy(ctx, key, f, 1).Err(); err == nil {
					acked[w]++
				}
			}
		}(w)
	}
	time.Sleep(50 * time.Millisecond) // traffic under way before the move starts
	moved := migrateSlot(t, ctx, slot, src, dst, others)
	time.Sleep(50 * time.Millisecond) // and after it ends
	stop.Store(true)
	wg.Wait()

	var total int64
	for w := range acked {
		got, err := c.ExHGet(ctx, key, "w"+strconv.Itoa(w)).Result()
		n, _ := strconv.ParseInt(got, 10, 64)
		if err != nil || n < acked[w] || n > tried[w] {
			t.Fatalf("counter %d = %q (%v): acknowledged %d, attempted %d", w, got, err, acked[w], tried[w])
		}
		total += acked[w]
	}
	if ttl, err := c.ExHPTTL(ctx, key, "ttl").Result(); err != nil || ttl.TTL <= 0 || ttl.TTL > time.Hour {
		t.Fatalf("TTL after the move: %+v, %v", ttl, err)
	}
	if n := src.node.DBSize(ctx).Val(); n != 0 {
		t.Fatalf("%d keys left on the old master", n)
	}
	ttlKey, verKey, err := emulate.CompanionKeys(key)
	must(t, err)
	if n := dst.node.Exists(ctx, key, ttlKey, verKey).Val(); n != 3 {
		t.Fatalf("the new master holds %d of the key and its 2 companions", n)
	}
	t.Logf("slot %d moved (%d keys) under traffic: %d acknowledged increments of %d attempted, all present; 0 lost", slot, moved, total, sum(tried))
}

type master struct {
	id, host string
	port     int
	node     *redis.Client
}

// slotOwners returns the master serving slot, another master to move it to, and the rest.
func slotOwners(t *testing.T, ctx context.Context, srv *testserver.Server, slot int) (src, dst master, others []master) {
	t.Helper()
	var all []master
	for _, addr := range srv.Addrs {
		n := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { _ = n.Close() })
		if role, _ := n.Do(ctx, "ROLE").Slice(); len(role) == 0 || role[0] != "master" {
			continue
		}
		host, port, _ := net.SplitHostPort(addr)
		p, _ := strconv.Atoi(port)
		all = append(all, master{id: n.ClusterMyID(ctx).Val(), host: host, port: p, node: n})
	}
	owner := ""
	shards, err := all[0].node.ClusterShards(ctx).Result()
	must(t, err)
	for _, sh := range shards {
		for _, r := range sh.Slots {
			if int(r.Start) <= slot && slot <= int(r.End) {
				for _, n := range sh.Nodes {
					if n.Role == "master" {
						owner = n.ID
					}
				}
			}
		}
	}
	for _, m := range all {
		switch {
		case m.id == owner:
			src = m
		case dst.id == "":
			dst = m
		default:
			others = append(others, m)
		}
	}
	if src.id == "" || dst.id == "" {
		t.Fatalf("slot %d: no owner or no other master among %d", slot, len(all))
	}
	return src, dst, others
}

// migrateSlot moves slot from src to dst as redis-cli --cluster reshard does and returns the
// number of keys moved.
func migrateSlot(t *testing.T, ctx context.Context, slot int, src, dst master, others []master) int {
	t.Helper()
	must(t, dst.node.Do(ctx, "CLUSTER", "SETSLOT", slot, "IMPORTING", src.id).Err())
	must(t, src.node.Do(ctx, "CLUSTER", "SETSLOT", slot, "MIGRATING", dst.id).Err())
	moved := 0
	for deadline := time.Now().Add(time.Minute); ; {
		if time.Now().After(deadline) {
			t.Fatalf("slot %d still holds keys on its source after a minute (%d moved)", slot, moved)
		}
		keys, err := src.node.ClusterGetKeysInSlot(ctx, slot, 1).Result()
		must(t, err)
		if len(keys) == 0 {
			break
		}
		// One key at a time, so a script can find its key and companions on different nodes.
		err = src.node.Migrate(ctx, dst.host, strconv.Itoa(dst.port), keys[0], 0, 5*time.Second).Err()
		if err != nil && !errors.Is(err, redis.Nil) && !strings.Contains(err.Error(), "NOKEY") {
			t.Fatalf("MIGRATE %q: %v", keys[0], err)
		}
		moved++
		time.Sleep(5 * time.Millisecond)
	}
	for _, m := range append([]master{dst, src}, others...) {
		must(t, m.node.Do(ctx, "CLUSTER", "SETSLOT", slot, "NODE", dst.id).Err())
	}
	return moved
}

func sum(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}
