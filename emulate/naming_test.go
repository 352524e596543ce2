package emulate_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Companion names: a key's own hash tag is kept, any other key is wrapped; the map is injective
// and reversible; keys that cannot be stored are refused with the documented sentinels.
func TestCompanionNaming(t *testing.T) {
	for _, c := range []struct{ key, ttl, ver string }{
		{"user1", "exh~t:{user1}", "exh~v:{user1}"},
		{"{a}", "exh~t={a}", "exh~v={a}"},
		{"a", "exh~t:{a}", "exh~v:{a}"},
		{"x{tag}y", "exh~t=x{tag}y", "exh~v=x{tag}y"},
		{"k\x00\xff{", "exh~t:{k\x00\xff{}", "exh~v:{k\x00\xff{}"},
	} {
		ttl, ver, err := emulate.CompanionKeys(c.key)
		if err != nil || ttl != c.ttl || ver != c.ver {
			t.Errorf("CompanionKeys(%q) = %q, %q, %v; want %q, %q", c.key, ttl, ver, err, c.ttl, c.ver)
		}
		if k, ok := emulate.KeyOfTTLCompanion(ttl); !ok || k != c.key {
			t.Errorf("KeyOfTTLCompanion(%q) = %q, %v; want %q", ttl, k, ok, c.key)
		}
	}
	for _, c := range []struct {
		key  string
		want error
	}{
		{"exh~t:{a}", exhash.ErrReservedKey},
		{"exh~anything", exhash.ErrReservedKey},
		{"k}", exhash.ErrUnslottableKey},
		{"}{", exhash.ErrUnslottableKey},
		{"{}k", exhash.ErrUnslottableKey},
		{"", exhash.ErrUnslottableKey}, // slot 0, which "exh~t:{}" is not in // "{}" is no tag, and wrapping would make "{{}" one
	} {
		if _, _, err := emulate.CompanionKeys(c.key); !errors.Is(err, c.want) {
			t.Errorf("CompanionKeys(%q) error %v, want %v", c.key, err, c.want)
		}
	}
	// Names that are not companions of any storable key are recognised as such.
	for _, name := range []string{"exh~t:{k", "exh~t=nokey", "exh~t:{{a}}", "exh~v:{a}", "user"} {
		if k, ok := emulate.KeyOfTTLCompanion(name); ok {
			t.Errorf("KeyOfTTLCompanion(%q) = %q, want not a companion", name, k)
		}
	}
}

// The companions land in their key's cluster slot, as the cluster itself computes it.
func TestCompanionsShareTheSlot(t *testing.T) {
	rdb := testserver.Cluster(t).Client(t)
	ctx := context.Background()
	for _, key := range []string{"user1", "{a}", "x{tag}y", "k\x00\xff{", "a{b}c{d}"} {
		ttl, ver, err := emulate.CompanionKeys(key)
		if err != nil {
			t.Fatal(err)
		}
		want := rdb.ClusterKeySlot(ctx, key).Val()
		for _, c := range []string{ttl, ver} {
			if got := rdb.ClusterKeySlot(ctx, c).Val(); got != want {
				t.Errorf("slot of %q = %d, slot of its key %q = %d", c, got, key, want)
			}
		}
	}
}
