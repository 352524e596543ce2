package exhash_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/conformance"
)

// TestNativeConformance checks the specification's scenarios against a real server with the
// TairHash module at $TAIRHASH_ADDR (a loopback host:port); it is skipped without one.
func TestNativeConformance(t *testing.T) {
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		t.Skip("TAIRHASH_ADDR not set: no server with the TairHash module to run the conformance suite against")
	}
	run := time.Now().UnixNano()
	var seq atomic.Int64
	// Both protocols: replies must decode alike (RESP3 nulls, RESP2 null bulks).
	for _, proto := range []int{3, 2} {
		rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: proto})
		t.Cleanup(func() { _ = rdb.Close() })
		ctx := context.Background()
		if err := rdb.Ping(ctx).Err(); err != nil {
			t.Fatalf("TAIRHASH_ADDR=%s: %v", addr, err)
		}
		if err := rdb.Do(ctx, "exhlen", "conformance:probe").Err(); err != nil {
			t.Fatalf("TAIRHASH_ADDR=%s has no TairHash module: %v", addr, err)
		}
		conformance.Run(t, conformance.Target{
			Name:    fmt.Sprintf("tairhash-resp%d", proto),
			Backend: exhash.Native{},
			Client:  rdb,
			DB:      0,
			Module:  true,
			Prefix: func(tb testing.TB) string {
				name := strings.NewReplacer("{", "(", "}", ")").Replace(tb.Name())
				prefix := fmt.Sprintf("conformance:%d:%d:%s:", run, seq.Add(1), name)
				tb.Cleanup(func() { deleteKeys(rdb, prefix) })
				return prefix
			},
		})
	}
}

// deleteKeys removes every key starting with prefix (the server is shared with other tests).
func deleteKeys(rdb *redis.Client, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, globEscape(prefix)+"*", 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
	}
}

// globEscape quotes the glob characters of s for a SCAN MATCH pattern.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`, "]", `\]`).Replace(s)
}
