package companion

import (
	"strings"

	"github.com/tairhash-go/tairhash/exhash"
)

// Companion key names (docs/architecture.md). Every emulated key K has two companions in K's
// cluster slot: a sorted set of field deadlines and a hash of field versions; a third, the user's
// key deadline, exists only while one is set (DeadlineKey).
//
//   - K with a hash tag (a "{", at least one byte, then the first "}" after it) keeps its own tag:
//     the companions are "exh~t=" + K and "exh~v=" + K; the prefix has no brace, so the tag is K's.
//   - any other K becomes the tag: "exh~t:{" + K + "}" and "exh~v:{" + K + "}".
//
// "=" versus ":" keeps the map injective: "{a}" and "a" get different companions. No user key may
// start with CompanionPrefix, so no user key is ever another key's companion; keys without a hash
// tag that contain "}", and the empty key, are refused because wrapping them in braces would not
// give their slot.
const CompanionPrefix = "exh~"

const (
	ttlTagged, ttlWrapped = CompanionPrefix + "t=", CompanionPrefix + "t:{"
	verTagged, verWrapped = CompanionPrefix + "v=", CompanionPrefix + "v:{"
)

// DeadlineKey returns the name of key's third companion, present only while the user has set a
// key deadline (EXPIRE on the key) on the Lua emulation: the TTL companion's name with the
// letter x for t (emulate/lua/scripts/lib.lua derives it from the TTL companion the same way). Errors as
// CompanionKeys.
func DeadlineKey(key string) (string, error) {
	ttl, _, err := CompanionKeys(key)
	if err != nil {
		return "", err
	}
	return CompanionPrefix + "x" + ttl[len(CompanionPrefix)+1:], nil
}

// CompanionKeys returns the names of key's TTL sorted set and version hash, or an error matching
// exhash.ErrReservedKey or exhash.ErrUnslottableKey for a key the emulation cannot store.
func CompanionKeys(key string) (ttl, ver string, err error) {
	if err := CheckKey(key); err != nil {
		return "", "", err
	}
	if hasHashTag(key) {
		return ttlTagged + key, verTagged + key, nil
	}
	return ttlWrapped + key + "}", verWrapped + key + "}", nil
}

// CheckKey reports whether the emulation can store key: nil, or an *exhash.Error matching
// exhash.ErrReservedKey or exhash.ErrUnslottableKey.
func CheckKey(key string) error {
	if strings.HasPrefix(key, CompanionPrefix) {
		return exhash.NewError("ERR " + exhash.ErrReservedKey.Error())
	}
	// The empty key hashes to slot 0, and no wrapped name does: "{}" is not a hash tag.
	if key == "" || !hasHashTag(key) && strings.IndexByte(key, '}') >= 0 {
		return exhash.NewError("ERR " + exhash.ErrUnslottableKey.Error())
	}
	return nil
}

// KeyOfTTLCompanion returns the user key whose TTL sorted set is named name.
func KeyOfTTLCompanion(name string) (string, bool) {
	if k, ok := strings.CutPrefix(name, ttlTagged); ok && hasHashTag(k) {
		return k, true
	}
	if k, ok := strings.CutPrefix(name, ttlWrapped); ok && strings.HasSuffix(k, "}") {
		k = k[:len(k)-1]
		if CheckKey(k) == nil && !hasHashTag(k) {
			return k, true
		}
	}
	return "", false
}

// hasHashTag applies Redis Cluster's rule: the bytes between the first "{" and the first "}"
// after it are hashed instead of the whole key, when there is at least one.
func hasHashTag(key string) bool {
	open := strings.IndexByte(key, '{')
	if open < 0 {
		return false
	}
	end := strings.IndexByte(key[open+1:], '}')
	return end > 0
}
