package hfe

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/companion"
	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// On the hash-field-expiration backend the user's key deadline is K's own expiry: the backend
// sets none of its own there, so TTL, PTTL, EXPIRETIME and PEXPIRETIME are Redis' commands on K.
// The commands that change it run Redis' command on K and give the version companion the same
// expiry (versions do not outlive their key), and the tombstone companion the earlier of its own
// and K's (spec 8.5). Writes that create the version companion later give it K's expiry
// (hfe/1_prelude.lua, share_key_expiry).

// hfeKeyExpiry: KEYS = {K, V, T}; ARGV = the command and its arguments after the key.
const hfeKeyExpiry = `local r = redis.pcall(ARGV[1], KEYS[1], unpack(ARGV, 2))
if r ~= 1 then return r end -- 0, or Redis' error as it is
local e = redis.call('pexpiretime', KEYS[1])
if e == -2 then
  redis.call('del', KEYS[2], KEYS[3])
elseif e == -1 then
  redis.call('persist', KEYS[2])
else
  redis.call('pexpireat', KEYS[2], e)
  redis.call('pexpireat', KEYS[3], e, 'lt')
end
return r`

// keyExpiry runs one of companion.ExpiryCommands on a key the backend can store.
func (h *HFE) keyExpiry(ctx context.Context, c driver.Conn, name string, args []any) *redis.Cmd {
	key := runner.ArgText(args[1])
	ttl, ver, err := companion.CompanionKeys(key)
	if err != nil {
		return runner.NotSent(ctx, args, err)
	}
	switch name {
	case "ttl", "pttl", "expiretime", "pexpiretime":
		return c.Do(ctx, args...)
	}
	argv := make([]any, 0, len(args)-1)
	argv = append(argv, name)
	argv = append(argv, args[2:]...)
	return c.Eval(ctx, hfeKeyExpiry, []string{key, ver, ttl}, argv...)
}
