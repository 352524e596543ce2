package emulate

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// expireInfo answers EXHEXPIREINFO, which names no key, without a round trip: the emulation has no
// background timer of its own (the reaper is the caller's), so it reports the module's layout with
// the timer disabled.
func expireInfo(ctx context.Context, args []any) *redis.Cmd {
	if len(args) != 1 {
		return notSent(ctx, args, arityError("exhexpireinfo"))
	}
	cmd := redis.NewCmd(ctx, args...)
	cmd.SetVal(fmt.Sprint(
		"\r\n# Active expire statistics\r\n",
		"enable_active_expire:0\r\n",
		"tair_hash_active_expire_period:0\r\n",
		"tair_hash_active_expire_keys_per_loop:0\r\n",
		"tair_hash_active_expire_dbs_per_loop:0\r\n",
		"tair_hash_active_expire_last_time_msec:0\r\n",
		"tair_hash_active_expire_max_time_msec:0\r\n",
		"tair_hash_active_expire_avg_time_msec:0\r\n",
		"tair_hash_passive_expire_keys_per_loop:0\r\n",
		"\r\n# DB detail statistics\r\n",
	))
	return cmd
}
