package testserver_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// wantVersion is the version each shared kind must report.
var wantVersion = map[string]*regexp.Regexp{
	testserver.KindRedis7:  regexp.MustCompile(`^7\.0\.\d+$`),
	testserver.KindValkey8: regexp.MustCompile(`^8\.\d+\.\d+$`),
	testserver.KindRedis8:  regexp.MustCompile(`^8\.\d+\.\d+$`),
	testserver.KindValkey9: regexp.MustCompile(`^9\.[1-9]\d*\.\d+$`), // HGETDEL came in 9.1
	testserver.KindCluster: regexp.MustCompile(`^7\.0\.\d+$`),
}

func TestServersAnswerWithTheirVersion(t *testing.T) {
	for _, s := range testserver.All(t) {
		t.Run(s.Name, func(t *testing.T) {
			ctx := context.Background()
			c := s.Client(t)
			if err := c.Ping(ctx).Err(); err != nil {
				t.Fatalf("PING: %v", err)
			}
			if !wantVersion[s.Name].MatchString(s.Version) {
				t.Fatalf("%s reports version %q, want %v", s.Name, s.Version, wantVersion[s.Name])
			}
			if !strings.HasPrefix(s.Addr, "127.0.0.1:") || s.Addr != s.Addrs[0] {
				t.Fatalf("Addr %q, Addrs %v: want loopback, Addr first", s.Addr, s.Addrs)
			}
			// The version in INFO, read through the test's own client, is the one reported.
			info, err := c.Info(ctx, "server").Result()
			if err != nil {
				t.Fatalf("INFO server: %v", err)
			}
			if !strings.Contains(info, "_version:"+s.Version+"\r\n") {
				t.Fatalf("INFO server does not report %s:\n%s", s.Version, info)
			}
		})
	}
}

// A script reads the server's clock with TIME: its result lies between two TIME calls made
// around it, on the server's clock, never the test's.
func TestLuaReadsServerTime(t *testing.T) {
	const script = `local t = redis.call('TIME')
redis.call('SET', KEYS[1], t[1])
return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`
	for _, s := range testserver.All(t) {
		t.Run(s.Name, func(t *testing.T) {
			ctx := context.Background()
			c := s.Client(t)
			key := s.Prefix(t) + "clock"
			before := serverMillis(t, c, key)
			got, err := c.Eval(ctx, script, []string{key}).Int64()
			if err != nil {
				t.Fatalf("EVAL: %v", err)
			}
			after := serverMillis(t, c, key)
			if got < before || got > after {
				t.Fatalf("script time %d ms is not within the server's [%d, %d]", got, before, after)
			}
			if stored, err := c.Get(ctx, key).Int64(); err != nil || stored != got/1000 {
				t.Fatalf("the script stored %d (%v), want its seconds %d", stored, err, got/1000)
			}
		})
	}
}

// serverMillis reads TIME from the node serving key.
func serverMillis(t *testing.T, c redis.UniversalClient, key string) int64 {
	t.Helper()
	ctx := context.Background()
	if cc, ok := c.(*redis.ClusterClient); ok {
		node, err := cc.MasterForKey(ctx, key)
		if err != nil {
			t.Fatalf("MasterForKey: %v", err)
		}
		return serverMillis(t, node, key)
	}
	now, err := c.Time(ctx).Result()
	if err != nil {
		t.Fatalf("TIME: %v", err)
	}
	return now.UnixMilli()
}

func TestClusterHasThreeMastersCoveringAllSlots(t *testing.T) {
	for _, kind := range []func(testing.TB) *testserver.Server{testserver.Cluster, testserver.Cluster8} {
		checkCluster(t, kind(t))
	}
}

func checkCluster(t *testing.T, s *testserver.Server) {
	t.Helper()
	ctx := context.Background()
	if len(s.Addrs) != 3 {
		t.Fatalf("Addrs %v, want 3 nodes", s.Addrs)
	}
	c := s.Client(t)
	cc, ok := c.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("Client is a %T, want *redis.ClusterClient", c)
	}
	shards, err := cc.ClusterShards(ctx).Result()
	if err != nil {
		t.Fatalf("CLUSTER SHARDS: %v", err)
	}
	covered := make([]bool, 16384)
	masters := map[string]bool{}
	for _, shard := range shards {
		if len(shard.Nodes) != 1 || shard.Nodes[0].Role != "master" {
			t.Errorf("shard %v: want one master without replicas", shard.Nodes)
		}
		masters[shard.Nodes[0].ID] = true
		for _, r := range shard.Slots {
			for slot := r.Start; slot <= r.End; slot++ {
				if covered[slot] {
					t.Fatalf("slot %d mapped twice", slot)
				}
				covered[slot] = true
			}
		}
	}
	for slot, ok := range covered {
		if !ok {
			t.Fatalf("slot %d is not served", slot)
		}
	}
	if len(masters) != 3 {
		t.Fatalf("masters %v, want 3", masters)
	}

	// Keys spread over the masters, and each lands where CLUSTER KEYSLOT says.
	prefix := s.Prefix(t)
	seen := map[string]bool{}
	for i := 0; i < 30; i++ {
		key := prefix + string(rune('a'+i%26)) + strings.Repeat("x", i)
		if err := c.Set(ctx, key, i, time.Minute).Err(); err != nil {
			t.Fatalf("SET %s: %v", key, err)
		}
		node, err := cc.MasterForKey(ctx, key)
		if err != nil {
			t.Fatalf("MasterForKey: %v", err)
		}
		if n, err := node.Exists(ctx, key).Result(); err != nil || n != 1 {
			t.Fatalf("key %s not on its master %s: %d, %v", key, node.Options().Addr, n, err)
		}
		seen[node.Options().Addr] = true
	}
	if len(seen) != 3 {
		t.Fatalf("30 keys landed on %d masters, want 3", len(seen))
	}
}

// Hash-field expiration (HSETEX, HPEXPIRE) exists on Redis 8 and Valkey 9 only.
func TestHashFieldExpirationOnlyOnRedis8AndValkey9(t *testing.T) {
	ctx := context.Background()
	for _, s := range []*testserver.Server{testserver.Redis8(t), testserver.Valkey9(t)} {
		t.Run(s.Name, func(t *testing.T) {
			hashFieldExpiration(t, s)
		})
	}
	for _, s := range []*testserver.Server{testserver.Redis7(t), testserver.Valkey8(t)} {
		t.Run(s.Name, func(t *testing.T) {
			c := s.Client(t)
			key := s.Prefix(t) + "h"
			err := c.Do(ctx, "HSETEX", key, "PX", 60000, "FIELDS", 1, "f", "v").Err()
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), "unknown command") {
				t.Fatalf("HSETEX on %s %s: %v, want an unknown command error", s.Name, s.Version, err)
			}
			if n, err := c.Exists(ctx, key).Result(); err != nil || n != 0 {
				t.Fatalf("EXISTS after a refused HSETEX = %d, %v", n, err)
			}
		})
	}
}

// hashFieldExpiration checks that s is the version its kind names and sets and reads a field TTL.
func hashFieldExpiration(t *testing.T, s *testserver.Server) {
	ctx := context.Background()
	if !wantVersion[s.Name].MatchString(s.Version) {
		t.Fatalf("%s reports version %q, want %v", s.Name, s.Version, wantVersion[s.Name])
	}
	c := s.Client(t)
	key := s.Prefix(t) + "h"
	if err := c.Do(ctx, "HSETEX", key, "PX", 60000, "FIELDS", 1, "f", "v").Err(); err != nil {
		t.Fatalf("HSETEX: %v", err)
	}
	ttl, err := c.Do(ctx, "HPTTL", key, "FIELDS", 1, "f").Int64Slice()
	if err != nil || len(ttl) != 1 || ttl[0] <= 0 || ttl[0] > 60000 {
		t.Fatalf("HPTTL = %v, %v; want one TTL in (0, 60000]", ttl, err)
	}
	set, err := c.Do(ctx, "HPEXPIRE", key, 30000, "FIELDS", 1, "f").Int64Slice()
	if err != nil || len(set) != 1 || set[0] != 1 {
		t.Fatalf("HPEXPIRE = %v, %v; want [1]", set, err)
	}
}

func TestPrefixIsUniqueAndBraceFree(t *testing.T) {
	s := testserver.Redis7(t)
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		t.Run("sub/with {braces} and spaces", func(t *testing.T) {
			p := s.Prefix(t)
			if seen[p] {
				t.Fatalf("prefix %q given twice", p)
			}
			seen[p] = true
			if strings.ContainsAny(p, "{} /") {
				t.Fatalf("prefix %q holds a brace, space or slash", p)
			}
			if !strings.Contains(p, "braces") {
				t.Fatalf("prefix %q does not name the test", p)
			}
		})
	}
}
