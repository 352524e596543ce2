package emulate_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// The listing commands through a backend's Do leave the companions out, on each emulation, while
// the database holds them (checked with a raw SCAN).
func TestListingCommandsHideCompanions(t *testing.T) {
	for _, tg := range []struct {
		name, kind string
		be         driver.Backend
	}{
		{"lua-redis7", testserver.KindRedis7, emulate.NewLua()},
		{"lua-valkey8", testserver.KindValkey8, emulate.NewLua()},
		{"hfe-redis8", testserver.KindRedis8, emulate.NewHFE()},
	} {
		t.Run(tg.name, func(t *testing.T) {
			srv := testserver.Start(t, tg.kind) // alone: DBSIZE counts the whole database
			rdb := srv.Client(t)
			c := exhash.NewClient(rdb, exhash.WithBackend(tg.be))
			ctx := t.Context()
			for i := range 3 {
				session(t, c, fmt.Sprint("k", i), time.Hour)
			}
			if got := companionsOf(t, rdb, "k"); len(got) == 0 {
				t.Fatal("no companions: the checks below would prove nothing")
			}
			do := func(args ...any) *redis.Cmd { return tg.be.Do(ctx, rdb, args...) }
			if n, err := do("dbsize").Int64(); err != nil || n != 3 {
				t.Fatalf("dbsize = %d, %v; want 3", n, err)
			}
			if keys, err := do("keys", "*").StringSlice(); err != nil || !slices.Equal(sorted(keys), []string{"k0", "k1", "k2"}) {
				t.Fatalf("keys * = %v, %v", keys, err)
			}
			page, err := do("scan", "0", "COUNT", "1000").Slice()
			if err != nil || len(page) != 2 || page[0] != "0" || len(page[1].([]any)) != 3 {
				t.Fatalf("scan 0 = %v, %v", page, err)
			}
			for _, k := range page[1].([]any) {
				if strings.HasPrefix(k.(string), emulate.CompanionPrefix) {
					t.Fatalf("scan returned a companion: %v", page)
				}
			}
			if err := do("scan", "0", "TYPE").Err(); err == nil || !strings.Contains(err.Error(), "syntax") {
				t.Fatalf("scan with a bad option: %v, want Redis' syntax error", err)
			}
			for range 30 {
				if k, err := do("randomkey").Text(); err != nil || strings.HasPrefix(k, emulate.CompanionPrefix) {
					t.Fatalf("randomkey = %q, %v", k, err)
				}
			}
			if info, err := do("info", "keyspace").Text(); err != nil || !strings.Contains(info, "db0:keys=3,expires=0,") {
				t.Fatalf("info keyspace = %q, %v; want db0:keys=3,expires=0", info, err)
			}
			if err := do("dbsize", "x").Err(); err == nil || !strings.Contains(err.Error(), "wrong number of arguments") {
				t.Fatalf("dbsize x: %v, want the arity error", err)
			}
		})
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
