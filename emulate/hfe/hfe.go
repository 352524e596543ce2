package hfe

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate/internal/companion"
	"github.com/tairhash-go/tairhash/emulate/internal/runner"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// HFE is the backend for servers with native hash-field expiration (Redis 7.4 and later, Valkey 9):
// the TairHash key K is a plain hash whose fields Redis itself expires (HPEXPIREAT), so expired
// fields are reclaimed actively by the server and small hashes keep their compact encoding.
//
// Versions live in the version companion hash named by this package's naming rules (same cluster
// slot as K). Only versions other than 1 are stored; each version field expires together with its
// data field. Commands that check or change versions run as one script, so every command is atomic
// as on the module. Plain reads go straight to native commands: EXHGET (HGET), EXHMGET (HMGET),
// EXHEXISTS (HEXISTS), EXHSTRLEN (HSTRLEN), EXHKEYS (HKEYS), EXHVALS (HVALS), EXHSCAN (HSCAN) and,
// on a client (not in a pipeline), EXHGETALL (HGETALL, turned into the module's flat array when
// the client speaks RESP3).
//
// Differences from the module, by design or because of what Redis offers:
//   - Like the Lua backend: no empty keys are left behind, and EXHLEN counts live fields only.
//   - A field whose deadline has passed when it is written (a TTL of 0, a past absolute time, or
//     1 ms) cannot be stored by Redis; it leaves the hash at once and is kept as a tombstone in
//     the key's TTL companion, so that, as on the module, the key stays present until something
//     looks at it and the expiry is published when it is removed (not when DEL takes the key).
//     Scripted commands and the watcher of Watch publish it; plain reads do not see tombstones.
//   - Fields that Redis expires publish no tairhash@<db>@<key>__:expired message: Redis only
//     emits the keyspace event "hexpired" for the key, without field names (see WatchHExpired).
//     A key whose fields all expired that way is gone at once (the module keeps it until its
//     expirer or a command removes the fields), so commands then reply as for an absent key.
//   - Deadlines beyond what Redis stores for a hash field (2^46-1 ms since 1970, in the year 4199)
//     are refused with "ERR invalid expire time in '<command>' command".
//   - Integer replies beyond ±10^15 (EXHINCRBY, versions) come from the script as decimal
//     strings; Do turns them back into integers on a client, but inside a pipeline or
//     transaction they stay strings.
//   - The scripted commands run as a function library (FCALL) that Load installs; where
//     functions cannot be loaded they run as an EVAL script, which costs more server time.
//     Inside a pipeline a command cannot install anything, so until Load has run it sends the
//     script's whole text (EVAL, about 10 KB); see Load.
//
// docs/hfe.md describes the design. Keys written by the Lua backend (before the server was
// upgraded) are converted by the first command that runs the script on them; see MigrateLuaToHFE
// for converting them all, and WithLuaKeys for reads during the migration.
type HFE struct {
	db       string
	versions bool
	luaKeys  bool
	dueGrace time.Duration // see WithHFEDueGrace

	functions atomic.Bool                           // Load installed the function library on every master
	scripts   atomic.Bool                           // Load installed the EVAL script on every master
	evalOnly  atomic.Bool                           // the server has no functions: call the EVAL form directly
	loadedOn  atomic.Pointer[redis.UniversalClient] // the client Load last ran on, to run it again
}

// HFEOption configures NewHFE.
type HFEOption func(*HFE)

// WithHFEDatabase sets the database index the client uses (default 0). It only names the channel of
// the expiry notifications the backend publishes.
func WithHFEDatabase(db int) HFEOption {
	return func(h *HFE) { h.db = strconv.Itoa(db) }
}

// WithLuaKeys makes the native reads go through the script too, so that a key still in the Lua
// backend's layout is converted before it is read. Use it from the upgrade of the server until
// MigrateLuaToHFE has finished; without it, such a key shows fields whose deadline has passed to
// EXHGET, EXHMGET, EXHEXISTS, EXHSTRLEN, EXHKEYS, EXHVALS, EXHGETALL and EXHSCAN until a write or
// another scripted command touches it.
func WithLuaKeys() HFEOption {
	return func(h *HFE) { h.luaKeys = true }
}

// NewHFE returns the hash-field-expiration backend.
func NewHFE(opts ...HFEOption) *HFE {
	h := &HFE{db: "0", versions: true, dueGrace: DueGrace}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Name reports "hfe", or "hfe-noversions" when built WithoutVersions.
func (h *HFE) Name() string {
	if !h.versions {
		return "hfe-noversions"
	}
	return "hfe"
}

// String returns Name.
func (h *HFE) String() string { return h.Name() }

// Do runs or queues one TairHash command (see driver.Backend).
func (h *HFE) Do(ctx context.Context, c driver.Conn, args ...any) *redis.Cmd {
	if len(args) == 0 {
		return runner.NotSent(ctx, args, errReply("ERR empty command"))
	}
	a := make([]string, len(args))
	for i, x := range args {
		a[i] = argString(x)
	}
	a[0] = strings.ToLower(a[0])
	if cmd, ok := companion.Command(ctx, c, a[0], args); ok {
		return cmd
	}
	if companion.ExpiryCommands[a[0]] {
		return h.keyExpiry(ctx, c, a[0], args)
	}
	var p plan
	if h.versions {
		p = planFor(a)
	} else {
		p = planLean(a)
	}
	if p.err != nil {
		return runner.NotSent(ctx, args, p.err)
	}
	if a[0] == "exhexpireinfo" {
		return runner.Answered(ctx, args, hfeExpireInfo)
	}
	if p.answer != nil {
		return runner.Answered(ctx, args, p.answer)
	}
	key := a[1]
	if err := companion.CheckKey(key); err != nil {
		return runner.NotSent(ctx, args, err)
	}
	_, pipelined := c.(redis.Pipeliner)
	switch {
	case p.multi != nil && !h.luaKeys:
		return runMulti(ctx, c, p.multi, pipelined)
	case p.multi != nil:
		p = planFor(a) // the scripted plan, for WithLuaKeys
	case p.rename != nil && !h.luaKeys:
		native := make([]any, len(args))
		native[0] = p.rename
		copy(native[1:], args[1:])
		return c.Do(ctx, native...)
	case p.rename != nil:
		p.op, p.argv = "native", append([]string{p.rename.(string)}, a[2:]...)
	case p.op == "native" && !h.luaKeys: // the script's native operation, sent as it is
		native := []any{p.argv[0], args[1]}
		for _, s := range p.argv[1:] {
			native = append(native, s)
		}
		return c.Do(ctx, native...)
	case p.getall && !h.luaKeys && !pipelined:
		return getAll(ctx, c, key)
	}
	ttl, ver, _ := companion.CompanionKeys(key)
	keys := []string{key, ver, ttl}
	argv := make([]any, 0, 4+len(p.argv))
	argv = append(argv, h.db, p.op, a[0], h.versionsFlag())
	for _, s := range p.argv {
		argv = append(argv, s)
	}
	if p, ok := c.(redis.Pipeliner); ok {
		return h.queue(ctx, p, keys, argv)
	}
	cmd := h.run(ctx, c, keys, argv)
	runner.ExactIntegers(a[0], cmd)
	return cmd
}

func (h *HFE) versionsFlag() string {
	if h.versions {
		return "1"
	}
	return "0"
}

// getAll runs HGETALL on a client and gives the module's flat array even under RESP3, where
// HGETALL answers a map.
func getAll(ctx context.Context, c driver.Conn, key string) *redis.Cmd {
	cmd := c.Do(ctx, "hgetall", key)
	if m, ok := cmd.Val().(map[any]any); ok && cmd.Err() == nil {
		flat := make([]any, 0, 2*len(m))
		for f, v := range m {
			flat = append(flat, f, v)
		}
		cmd.SetVal(flat)
	}
	return cmd
}

// hfeExpireInfo is the EXHEXPIREINFO reply: Redis does the expiring, so there are no statistics
// of the module's expirer to report.
const hfeExpireInfo = "\r\n# Active expire statistics\r\nenable_active_expire:1\r\n" +
	"expire_backend:hfe (the server expires hash fields itself; see INFO stats expired_subkeys)\r\n"
