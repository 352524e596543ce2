package emulate

import (
	"strings"

	"github.com/tairhash-go/tairhash/exhash"
)

// hfeCompanions returns the version and TTL companion names of key (TEMPORARY until naming.go lands).
func hfeCompanions(key string) (ver, ttl string, err error) {
	if strings.HasPrefix(key, "exh~") {
		return "", "", exhash.NewError("ERR " + exhash.ErrReservedKey.Error())
	}
	if open := strings.IndexByte(key, '{'); open >= 0 {
		if end := strings.IndexByte(key[open+1:], '}'); end > 0 {
			return "exh~v=" + key, "exh~t=" + key, nil
		}
	}
	if strings.IndexByte(key, '}') >= 0 {
		return "", "", exhash.NewError("ERR " + exhash.ErrUnslottableKey.Error())
	}
	return "exh~v:{" + key + "}", "exh~t:{" + key + "}", nil
}

// hfeKeyOfTTLCompanion returns the user key whose TTL companion is name (TEMPORARY until naming.go lands).
func hfeKeyOfTTLCompanion(name string) (string, bool) {
	if k, ok := strings.CutPrefix(name, "exh~t="); ok {
		return k, true
	}
	if k, ok := strings.CutPrefix(name, "exh~t:{"); ok && strings.HasSuffix(k, "}") {
		return k[:len(k)-1], true
	}
	return "", false
}

// hfeTTLCompanionPattern matches every TTL companion (SCAN MATCH).
const hfeTTLCompanionPattern = "exh~t*"
