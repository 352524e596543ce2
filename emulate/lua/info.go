package lua

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/emulate/internal/runner"
)

// expireStats is what an EXHEXPIREINFO reply reports, in the module's layout.
type expireStats struct {
	enabled                 bool
	periodMs, keysPerLoop   int64
	dbsPerLoop              int
	lastMs, maxMs, avgMs    int64
	activeExpiredFieldsByDB map[int]int64
}

// text formats the reply the module gives: its settings, then one line per database.
func (s expireStats) text() string {
	var b strings.Builder
	enabled := 0
	if s.enabled {
		enabled = 1
	}
	fmt.Fprintf(&b, "\r\n# Active expire statistics\r\n"+
		"enable_active_expire:%d\r\n"+
		"tair_hash_active_expire_period:%d\r\n"+
		"tair_hash_active_expire_keys_per_loop:%d\r\n"+
		"tair_hash_active_expire_dbs_per_loop:%d\r\n"+
		"tair_hash_active_expire_last_time_msec:%d\r\n"+
		"tair_hash_active_expire_max_time_msec:%d\r\n"+
		"tair_hash_active_expire_avg_time_msec:%d\r\n"+
		"tair_hash_passive_expire_keys_per_loop:0\r\n"+
		"\r\n# DB detail statistics\r\n",
		enabled, s.periodMs, s.keysPerLoop, s.dbsPerLoop, s.lastMs, s.maxMs, s.avgMs)
	for _, db := range slices.Sorted(maps.Keys(s.activeExpiredFieldsByDB)) {
		fmt.Fprintf(&b, "db: %d, active_expired_fields: %d, passive_expired_fields: 0\r\n", db, s.activeExpiredFieldsByDB[db])
	}
	return b.String()
}

// expireInfo answers EXHEXPIREINFO, which names no key, without a round trip: the emulation has no
// background timer of its own (the reaper is the caller's; see Reaper.ExpireInfo), so it reports
// the module's layout with the timer disabled.
func expireInfo(ctx context.Context, args []any) *redis.Cmd {
	if len(args) != 1 {
		return runner.NotSent(ctx, args, runner.ArityError("exhexpireinfo"))
	}
	cmd := redis.NewCmd(ctx, args...)
	cmd.SetVal(expireStats{}.text())
	return cmd
}
