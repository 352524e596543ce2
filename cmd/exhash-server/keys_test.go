package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// rawCompanions lists every companion key of database db on the upstream itself (a raw SCAN, which
// the server would hide).
func rawCompanions(t *testing.T, up *testserver.Server, db int) []string {
	t.Helper()
	opts := up.Options()
	opts.DB = db
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	var found []string
	iter := rdb.Scan(t.Context(), 0, emulate.CompanionPrefix+"*", 1000).Iterator()
	for iter.Next(t.Context()) {
		found = append(found, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(found)
	return found
}

// withTTLFields writes key with a field expiring after ttl and a persistent field at version 7, so
// it has both companions.
func withTTLFields(t *testing.T, c *redis.Client, key string, ttl time.Duration) {
	t.Helper()
	ctx := t.Context()
	if err := c.Do(ctx, "exhset", key, "f", "v", "PX", ttl.Milliseconds()).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(ctx, "exhset", key, "p", "c", "ABS", 7).Err(); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds or the deadline passes; the fields expire on the server clock.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The module's test suite scenarios that failed through the server: key-level commands carry the
// companions (nothing outlives its key; renamed and moved keys keep their fields' TTLs and
// versions), and the listing commands do not show them.
func TestKeyCommandsThroughServer(t *testing.T) {
	up := testserver.Start(t, testserver.KindRedis7)
	addr := serve(t, "--upstream", up.Addr, "--reap-dbs", "")
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	ctx := t.Context()

	// UNLINK of three keys with TTL fields, then DBSIZE.
	for _, k := range []string{"k1", "k2", "k3"} {
		withTTLFields(t, c, k, time.Hour)
	}
	if len(rawCompanions(t, up, 0)) != 6 {
		t.Fatalf("companions after three keys: %v, want 6", rawCompanions(t, up, 0))
	}
	if n, err := c.DBSize(ctx).Result(); err != nil || n != 3 {
		t.Fatalf("DBSIZE = %d, %v; want 3", n, err)
	}
	if keys, err := c.Keys(ctx, "*").Result(); err != nil || !equalSorted(keys, "k1", "k2", "k3") {
		t.Fatalf("KEYS * = %v, %v", keys, err)
	}
	if keys, cursor, err := c.Scan(ctx, 0, "*", 1000).Result(); err != nil || cursor != 0 || !equalSorted(keys, "k1", "k2", "k3") {
		t.Fatalf("SCAN 0 MATCH * COUNT 1000 = %v %d, %v", keys, cursor, err)
	}
	if keys, _, err := c.ScanType(ctx, 0, "", 1000, "zset").Result(); err != nil || len(keys) != 0 {
		t.Fatalf("SCAN TYPE zset = %v, %v; want none (the TTL companions are sorted sets)", keys, err)
	}
	for range 50 {
		if k, err := c.RandomKey(ctx).Result(); err != nil || strings.HasPrefix(k, emulate.CompanionPrefix) {
			t.Fatalf("RANDOMKEY = %q, %v", k, err)
		}
	}
	if info, err := c.Info(ctx, "keyspace").Result(); err != nil || !strings.Contains(info, "db0:keys=3,expires=0,") {
		t.Fatalf("INFO keyspace = %q, %v; want db0:keys=3,expires=0", info, err)
	}
	if n, err := c.Unlink(ctx, "k1", "k2", "k3").Result(); err != nil || n != 3 {
		t.Fatalf("UNLINK = %d, %v; want 3", n, err)
	}
	if n, err := c.DBSize(ctx).Result(); err != nil || n != 0 {
		t.Fatalf("DBSIZE after UNLINK = %d, %v; want 0", n, err)
	}
	if got := rawCompanions(t, up, 0); len(got) != 0 {
		t.Fatalf("companions outlived their keys: %v", got)
	}
	if info, err := c.Info(ctx, "keyspace").Result(); err != nil || strings.Contains(info, "db0:") {
		t.Fatalf("INFO keyspace of an empty db0 = %q, %v", info, err)
	}

	// RENAME keeps the TTL: the field expires at its own deadline under the new name.
	withTTLFields(t, c, "r", 300*time.Millisecond)
	if err := c.Rename(ctx, "r", "r2").Err(); err != nil {
		t.Fatal(err)
	}
	if ttl, err := c.Do(ctx, "exhpttl", "r2", "f").Int64(); err != nil || ttl <= 0 {
		t.Fatalf("EXHPTTL r2 f after RENAME = %d, %v; want the TTL kept", ttl, err)
	}
	if v, err := c.Do(ctx, "exhver", "r2", "p").Int64(); err != nil || v != 7 {
		t.Fatalf("EXHVER r2 p after RENAME = %d, %v; want 7", v, err)
	}
	waitFor(t, "the renamed field to expire", func() bool { return c.Do(ctx, "exhget", "r2", "f").Err() == redis.Nil })
	if n, err := c.RenameNX(ctx, "r2", "r").Result(); err != nil || !n {
		t.Fatalf("RENAMENX = %v, %v", n, err)
	}
	if err := c.Rename(ctx, "missing", "x").Err(); err == nil || err.Error() != "ERR no such key" {
		t.Fatalf("RENAME of a missing key: %v, want ERR no such key", err)
	}

	// MOVE to database 1 keeps the TTL there; COPY copies the companions.
	withTTLFields(t, c, "m", 300*time.Millisecond)
	if ok, err := c.Move(ctx, "m", 1).Result(); err != nil || !ok {
		t.Fatalf("MOVE = %v, %v", ok, err)
	}
	if got := rawCompanions(t, up, 0); !equalSorted(got, "exh~v:{r}") {
		t.Fatalf("companions in db 0 after MOVE: %v, want r's version companion only", got)
	}
	if ok, err := c.Copy(ctx, "r", "r3", 0, false).Result(); err != nil || ok != 1 {
		t.Fatalf("COPY = %v, %v", ok, err)
	}
	if v, err := c.Do(ctx, "exhver", "r3", "p").Int64(); err != nil || v != 7 {
		t.Fatalf("EXHVER r3 p after COPY = %d, %v; want 7", v, err)
	}
	db1 := redis.NewClient(&redis.Options{Addr: addr, DB: 1, MaxRetries: -1})
	defer db1.Close()
	if ttl, err := db1.Do(ctx, "exhpttl", "m", "f").Int64(); err != nil || ttl <= 0 {
		t.Fatalf("EXHPTTL m f in db 1 after MOVE = %d, %v; want the TTL kept", ttl, err)
	}
	waitFor(t, "the moved field to expire", func() bool { return db1.Do(ctx, "exhget", "m", "f").Err() == redis.Nil })
	if n, err := db1.Del(ctx, "m").Result(); err != nil || n != 1 {
		t.Fatalf("DEL m in db 1 = %d, %v", n, err)
	}
	if got := rawCompanions(t, up, 1); len(got) != 0 {
		t.Fatalf("companions outlived their key in db 1: %v", got)
	}

	// Inside MULTI and in a pipeline, replies keep their order.
	withTTLFields(t, c, "t", time.Hour)
	var del, size *redis.IntCmd
	var keys *redis.StringSliceCmd
	if _, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Rename(ctx, "t", "t2")
		keys = p.Keys(ctx, "t*")
		del = p.Del(ctx, "t2", "r", "r3")
		size = p.DBSize(ctx)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !equalSorted(keys.Val(), "t2") || del.Val() != 3 || size.Val() != 0 {
		t.Fatalf("in MULTI: KEYS %v, DEL %d, DBSIZE %d; want [t2], 3, 0", keys.Val(), del.Val(), size.Val())
	}
	if got := rawCompanions(t, up, 0); len(got) != 0 {
		t.Fatalf("companions outlived their keys after MULTI: %v", got)
	}

	// In a pipeline, between plain commands.
	for i := range 20 {
		withTTLFields(t, c, fmt.Sprint("p", i), time.Hour)
	}
	pipe := c.Pipeline()
	var checks []func() error
	for i := range 20 {
		k := fmt.Sprint("p", i)
		set := pipe.Set(ctx, fmt.Sprint("s", i), i, 0)
		ren := pipe.Rename(ctx, k, k+"x")
		get := pipe.Get(ctx, fmt.Sprint("s", i))
		del := pipe.Del(ctx, k+"x", fmt.Sprint("s", i))
		size := pipe.DBSize(ctx)
		checks = append(checks, func() error {
			if set.Val() != "OK" || ren.Val() != "OK" || get.Val() != fmt.Sprint(i) || del.Val() != 2 || size.Val() != int64(19-i) {
				return fmt.Errorf("command %d: SET %q, RENAME %q, GET %q, DEL %d, DBSIZE %d", i, set.Val(), ren.Val(), get.Val(), del.Val(), size.Val())
			}
			return nil
		})
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for _, check := range checks {
		if err := check(); err != nil {
			t.Fatal(err)
		}
	}
	if got := rawCompanions(t, up, 0); len(got) != 0 {
		t.Fatalf("companions outlived their keys after the pipeline: %v", got)
	}
}

// A plain command naming a companion key is still refused, DEL included.
func TestKeyCommandsRefuseCompanions(t *testing.T) {
	up := testserver.Redis7(t)
	addr := serve(t, "--upstream", up.Addr, "--reap-dbs", "")
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	err := c.Del(context.Background(), emulate.CompanionPrefix+"t:{"+up.Prefix(t)+"k}").Err()
	if err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Fatalf("DEL of a companion: %v, want the reserved-key refusal", err)
	}
}

func equalSorted(got []string, want ...string) bool {
	got = slices.Clone(got)
	slices.Sort(got)
	return slices.Equal(got, want)
}
