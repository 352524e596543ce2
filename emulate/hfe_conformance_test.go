package emulate_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/internal/conformance"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// The specification's scenarios against the HFE backend on Redis 8 and Valkey 9 (whose
// hash-field expiration follows its own rules, see docs/hfe.md), over RESP3 (go-redis' default)
// and RESP2: replies such as HGETALL's differ in shape between the two. The backend's watcher
// runs, as an application using expiry notifications would run it: it publishes the fields
// written with a deadline already passed that only plain reads look at.
func TestHFEConformance(t *testing.T) {
	for _, srv := range []*testserver.Server{testserver.Redis8(t), testserver.Valkey9(t)} {
		t.Run(srv.Name, func(t *testing.T) {
			resp2 := redis.NewClient(&redis.Options{Addr: srv.Addr, Protocol: 2})
			t.Cleanup(func() { _ = resp2.Close() })
			be := emulate.NewHFE()
			w, err := be.Watch(t.Context(), srv.Client(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = w.Close() })
			for _, c := range []struct {
				name   string
				client redis.UniversalClient
			}{{"hfe/" + srv.Name, srv.Client(t)}, {"hfe/" + srv.Name + "-resp2", resp2}} {
				conformance.Run(t, conformance.Target{
					Name:                c.name,
					Backend:             be,
					Client:              c.client,
					Prefix:              srv.Prefix,
					UnnamedServerExpiry: true,
				})
			}
		})
	}
}

// The same scenarios on a Redis 8 cluster: every key and its version companion share a slot, the
// function library is loaded on every master, the watcher hears tombstones announced on any node.
func TestHFEConformanceCluster(t *testing.T) {
	srv := testserver.Cluster8(t)
	rdb := srv.Client(t)
	be := emulate.NewHFE()
	if err := be.Load(t.Context(), rdb); err != nil {
		t.Fatal(err)
	}
	w, err := be.Watch(t.Context(), rdb)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	conformance.Run(t, conformance.Target{
		Name:                "hfe/cluster8",
		Backend:             be,
		Client:              rdb,
		Prefix:              srv.Prefix,
		UnnamedServerExpiry: true,
	})
}
