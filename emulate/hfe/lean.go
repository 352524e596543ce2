package hfe

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// ErrNeedsVersions is returned, before anything is sent, for a command or option that reads or
// conditions on field versions when the backend was built WithoutVersions. It matches
// exhash.ErrInvalidArgument.
var ErrNeedsVersions = errors.New("needs field versions, which this backend does not track (emulate.WithoutVersions)")

// WithoutVersions builds a backend that stores no versions, for callers that never read them: no
// version companion is written, and the common writes become plain native commands instead of a
// script:
//
//   - EXHSET key field value [EX|PX|EXAT|PXAT t | KEEPTTL] (without NX, XX, VER, ABS, GT) runs
//     HSETNX (its reply is the module's 1/0), then HSET, or HSETEX with the TTL or KEEPTTL;
//   - EXHSETNX runs HSETNX;
//   - EXHMSETWITHOPTS with every ver 0 runs HMSET (its reply is the module's OK), then HPEXPIRE
//     for each distinct TTL.
//
// On a client these run inside MULTI/EXEC; queued on a caller's pipeline they run in order
// (atomically only in a transaction pipeline). HSETEX needs Redis 8 or Valkey 9; on Redis 7.4 use
// the default backend. A TTL of 0 (or 1 ms, or the absolute time 0) keeps the script: the field
// must stay present until looked at and its expiry be published, as on the default backend. Any
// other absolute time already past cannot be recognised without the server's clock, so the
// native HSETEX removes such a field at once, publishes no expiry for it, and the key is not
// left present (EXHTTL then replies -2 where the module replies -3).
//
// Refused with ErrNeedsVersions: the VER, ABS and GT options (EXHSET, EXHINCRBY, EXHINCRBYFLOAT,
// EXHPEXPIRE family), EXHVER, EXHSETVER, EXHGETWITHVER, EXHMGETWITHVER, EXHGETALLWITHVER,
// EXHDELWITHVER with a version other than 0 and EXHMSETWITHOPTS with a ver other than 0. Every
// other command behaves as on the default backend (the script runs on the main hash only), so
// EXHSET NX/XX, EXHMSET, EXHINCRBY and the TTL commands still work and reply as the module.
func WithoutVersions() HFEOption {
	return func(h *HFE) { h.versions = false }
}

// needsVersions is the refusal for cmd.
func needsVersions(cmd, what string) plan {
	return refuse(&leanRefusal{"exhash: " + cmd + ": " + what + " " + ErrNeedsVersions.Error()})
}

type leanRefusal struct{ msg string }

func (e *leanRefusal) Error() string { return e.msg }

func (e *leanRefusal) Is(target error) bool {
	return target == ErrNeedsVersions || target == exhash.ErrInvalidArgument
}

// planLean plans a command for a backend without versions.
func planLean(a []string) plan {
	p := planFor(a)
	if p.err != nil || p.op == "fail" {
		return p
	}
	cmd := a[0]
	switch cmd {
	case "exhver", "exhsetver", "exhgetwithver", "exhmgetwithver", "exhgetallwithver":
		return needsVersions(cmd, "the command")
	case "exhdelwithver":
		for i := 2; i < len(p.argv); i += 2 {
			if p.argv[i] != "0" {
				return needsVersions(cmd, "a version other than 0")
			}
		}
	case "exhmsetwithopts":
		for i := 3; i < len(p.argv); i += 4 {
			if p.argv[i] != "0" {
				return needsVersions(cmd, "a ver other than 0")
			}
		}
		if p.argv[0] == "0" && !anyDueTTL(p.argv[1:]) {
			return leanMSetWithOpts(a[1], p.argv[1:])
		}
	case "exhset":
		if p.op == "set" && p.argv[5] != "" {
			return needsVersions(cmd, strings.ToUpper(p.argv[5]))
		}
		if p.op == "put" && !(p.argv[2] != "" && p.argv[2] != "keep" && dueTTL(p.argv[3])) {
			return leanSet(a[1], p.argv)
		}
	case "exhincrby", "exhincrbyfloat":
		if p.argv[4] != "" {
			return needsVersions(cmd, strings.ToUpper(p.argv[4]))
		}
	case "exhpexpire", "exhexpire", "exhpexpireat", "exhexpireat":
		if p.argv[3] != "" {
			return needsVersions(cmd, strings.ToUpper(p.argv[3]))
		}
	case "exhsetnx":
		return renamed(cmd)
	}
	return p
}

// dueTTL reports whether a TTL in ms (relative, or an absolute time: TTL 0 is planned as the
// absolute time 1) has run out as it is written. Such writes keep the
// script (as on the default backend: the field stays present until looked at and its expiry is
// published); a native HSETEX would remove it silently.
func dueTTL(ms string) bool {
	n, err := strconv.ParseInt(ms, 10, 64)
	return err == nil && n <= 1
}

// anyDueTTL reports whether an EXHMSETWITHOPTS tuple list (field, value, ver, ttl-ms) has a TTL
// that has run out as it is written.
func anyDueTTL(tuples []string) bool {
	for i := 3; i < len(tuples); i += 4 {
		if dueTTL(tuples[i]) {
			return true
		}
	}
	return false
}

// hfeMaxRelMs bounds a relative TTL sent without the script: the script compares the deadline
// with the server's clock, a native command cannot, so this assumes a clock before 2100.
const hfeMaxRelMs = hfeMaxExpiry - 4102444800000

// hfeMaxExpiry is the largest expiry time Redis stores for a hash field (HFE_MAX_ABS_TIME_MSEC).
const hfeMaxExpiry = 1<<46 - 1

// leanSet is EXHSET without versions: HSETNX answers 1 (new) or 0, then the value is written with
// its TTL. argv is the script plan's: field, value, ttl mode, ttl value.
func leanSet(key string, argv []string) plan {
	f, v, mode, val := argv[0], argv[1], argv[2], argv[3]
	first := []any{"hsetnx", key, f, v}
	switch mode {
	case "":
		return plan{multi: [][]any{first, {"hset", key, f, v}}}
	case "keep":
		return plan{multi: [][]any{first, {"hsetex", key, "keepttl", "fields", "1", f, v}}}
	}
	n, _ := strconv.ParseInt(val, 10, 64)
	var ttl []any
	switch {
	case mode == "rel" && n <= 1:
		ttl = []any{"px", "0"} // expired at once
	case mode == "rel" && n <= hfeMaxRelMs:
		ttl = []any{"px", strconv.FormatInt(n-1, 10)}
	case mode == "at" && n-1 <= hfeMaxExpiry:
		ttl = []any{"pxat", strconv.FormatInt(max(n-1, 0), 10)}
	default:
		return refuse(expireTimeError("exhset"))
	}
	second := append(append([]any{"hsetex", key}, ttl...), "fields", "1", f, v)
	return plan{multi: [][]any{first, second}}
}

// leanMSetWithOpts is EXHMSETWITHOPTS without versions: HMSET answers OK, then each distinct TTL
// is applied with one HPEXPIRE (0 removes the fields at once). The last tuple of a field wins, as
// on the module. tuples are the script plan's: field, value, ver, ttl-ms.
func leanMSetWithOpts(key string, tuples []string) plan {
	if len(tuples) == 0 {
		return plan{answer: "OK"}
	}
	hmset := []any{"hmset", key}
	ttlOf := map[string]string{}
	var order []string
	for i := 0; i < len(tuples); i += 4 {
		f, ms := tuples[i], tuples[i+2+1]
		hmset = append(hmset, f, tuples[i+1])
		if _, seen := ttlOf[f]; !seen {
			order = append(order, f)
		}
		ttlOf[f] = ms
	}
	groups := map[string][]any{}
	var groupOrder []string
	for _, f := range order {
		n, _ := strconv.ParseInt(ttlOf[f], 10, 64)
		if n > hfeMaxRelMs {
			return refuse(expireTimeError("exhmsetwithopts"))
		}
		rel := strconv.FormatInt(max(n-1, 0), 10)
		if _, ok := groups[rel]; !ok {
			groupOrder = append(groupOrder, rel)
		}
		groups[rel] = append(groups[rel], f)
	}
	multi := [][]any{hmset}
	for _, rel := range groupOrder {
		fields := groups[rel]
		cmd := append([]any{"hpexpire", key, rel, "fields", strconv.Itoa(len(fields))}, fields...)
		multi = append(multi, cmd)
	}
	return plan{multi: multi}
}

// runMulti runs commands whose first reply is the module's: queued in order on a pipeline, or in
// MULTI/EXEC on a client.
func runMulti(ctx context.Context, c driver.Conn, cmds [][]any, pipelined bool) *redis.Cmd {
	if pipelined {
		first := c.Do(ctx, cmds[0]...)
		for _, args := range cmds[1:] {
			c.Do(ctx, args...)
		}
		return first
	}
	var first *redis.Cmd
	_, _ = c.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		first = pipe.Do(ctx, cmds[0]...)
		for _, args := range cmds[1:] {
			pipe.Do(ctx, args...)
		}
		return nil
	})
	return first
}
