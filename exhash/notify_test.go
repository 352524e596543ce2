package exhash_test

import (
	"testing"

	"github.com/tairhash-go/tairhash/exhash"
)

func TestExpiredChannelRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		db  int
		key string
	}{{0, "k"}, {15, "user@host"}, {3, "a__:expired"}, {0, ""}, {1024, "{tag}x"}} {
		ch := exhash.ExpiredChannel(tc.db, tc.key)
		db, key, ok := exhash.ParseExpiredChannel(ch)
		if !ok || db != tc.db || key != tc.key {
			t.Fatalf("%q parsed as %d %q %v", ch, db, key, ok)
		}
	}
	if got := exhash.ExpiredChannel(2, "k"); got != "tairhash@2@k__:expired" {
		t.Fatalf("channel %q", got)
	}
}

func TestParseExpiredChannelRejectsOthers(t *testing.T) {
	for _, ch := range []string{
		"__keyspace@0__:k", "tairhash@0@k", "tairhash@x@k__:expired", "tairhash@-1@k__:expired",
		"tairhash@01@k__:expired", "tairhash@0k__:expired", "tairhash@@k__:expired",
	} {
		if db, key, ok := exhash.ParseExpiredChannel(ch); ok {
			t.Fatalf("%q accepted as %d %q", ch, db, key)
		}
	}
}
