package tairhash_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash"
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Each server gets the backend its commands allow, and the client works on it.
func TestOpenDetects(t *testing.T) {
	want := map[string]string{
		testserver.KindRedis7:   "lua",
		testserver.KindValkey8:  "lua",
		testserver.KindRedis8:   "hfe",
		testserver.KindValkey9:  "hfe",
		testserver.KindCluster:  "lua",
		testserver.KindCluster8: "hfe",
	}
	for _, srv := range append(testserver.All(t), testserver.Valkey9(t), testserver.Cluster8(t)) {
		t.Run(srv.Name, func(t *testing.T) {
			rdb := srv.Client(t)
			var logs bytes.Buffer
			d, err := tairhash.Detect(t.Context(), rdb, tairhash.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			if string(d.Kind) != want[srv.Name] || d.Backend.Name() != want[srv.Name] || d.Forced || d.Note != "" {
				t.Errorf("detected %+v, want %s", d, want[srv.Name])
			}
			if got := d.String(); got != "backend "+want[srv.Name] {
				t.Errorf("Detection.String() = %q, want %q", got, "backend "+want[srv.Name])
			}
			if len(d.Nodes) != len(srv.Addrs) {
				t.Errorf("probed %d nodes, want %d", len(d.Nodes), len(srv.Addrs))
			}
			if !strings.Contains(logs.String(), "backend="+want[srv.Name]) {
				t.Errorf("log %q does not name the backend", logs.String())
			}
			if want[srv.Name] == "hfe" { // Open preloads the HFE backend's library on every master
				forEachNode(t, rdb, func(n *redis.Client) { n.FunctionFlush(t.Context()) })
				if _, err := tairhash.Open(t.Context(), rdb); err != nil {
					t.Fatal(err)
				}
				forEachNode(t, rdb, func(n *redis.Client) {
					if libs := n.FunctionList(t.Context(), redis.FunctionListQuery{}).Val(); len(libs) == 0 {
						t.Errorf("no function library on %s after Open chose hfe", n.Options().Addr)
					}
				})
			}
			roundTrip(t, rdb, srv.Prefix(t), tairhash.WithKind(d.Kind))
		})
	}
}

// forEachNode calls f with a client of each master of rdb (rdb itself when it is not a cluster).
func forEachNode(t *testing.T, rdb redis.UniversalClient, f func(*redis.Client)) {
	t.Helper()
	cc, ok := rdb.(*redis.ClusterClient)
	if !ok {
		f(rdb.(*redis.Client))
		return
	}
	if err := cc.ForEachMaster(t.Context(), func(_ context.Context, n *redis.Client) error { f(n); return nil }); err != nil {
		t.Fatal(err)
	}
}

// roundTrip opens a client and checks one write and read with a TTL and a version.
func roundTrip(t *testing.T, rdb redis.UniversalClient, pre string, opts ...tairhash.Option) {
	t.Helper()
	ctx := t.Context()
	c, err := tairhash.Open(ctx, rdb, opts...)
	if err != nil {
		t.Fatal(err)
	}
	k := pre + "{user}"
	if _, err := c.ExHSetArgs(ctx, k, "phone", "t1", exhash.ExHSetArgs{}.New().Px(time.Minute)).Result(); err != nil {
		t.Fatalf("%s: EXHSET: %v", c.Backend().Name(), err)
	}
	if _, err := c.ExHSet(ctx, k, "phone", "t2").Result(); err != nil {
		t.Fatal(err)
	}
	got, err := c.ExHGetWithVer(ctx, k, "phone").Result()
	if err != nil || got.Value != "t2" || got.Version != 2 {
		t.Errorf("%s: EXHGETWITHVER = %+v, %v; want t2 version 2", c.Backend().Name(), got, err)
	}
}

// The real module, when one is running (TAIRHASH_ADDR).
func TestOpenDetectsModule(t *testing.T) {
	addr := os.Getenv("TAIRHASH_ADDR")
	if addr == "" {
		t.Skip("TAIRHASH_ADDR not set")
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { _ = rdb.Close() })
	d, err := tairhash.Detect(t.Context(), rdb)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != tairhash.KindModule || d.Backend != (exhash.Native{}) || !d.Nodes[0].Module {
		t.Errorf("detected %+v, want the module", d)
	}
	if got := d.String(); got != "backend "+d.Backend.Name() {
		t.Errorf("Detection.String() = %q", got)
	}
	roundTrip(t, rdb, "open-test-"+time.Now().Format("150405.000000")+"-")
}

// Where COMMAND is not allowed, the commands themselves are tried.
func TestDetectWithoutCommandInfo(t *testing.T) {
	want := map[string]string{testserver.KindRedis8: "hfe", testserver.KindValkey9: "hfe", testserver.KindRedis7: "lua"}
	for _, kind := range []string{testserver.KindRedis8, testserver.KindValkey9, testserver.KindRedis7} {
		srv := testserver.Start(t, kind, "--rename-command", "COMMAND", "")
		rdb := srv.Client(t)
		d, err := tairhash.Detect(t.Context(), rdb)
		if err != nil {
			t.Fatal(err)
		}
		if string(d.Kind) != want[kind] {
			t.Errorf("%s without COMMAND: detected %s, want %s", kind, d.Kind, want[kind])
		}
		if hfe := want[kind] == "hfe"; d.Nodes[0].HSetEx != hfe {
			t.Errorf("%s: HSETEX found %v, want %v: %+v", kind, d.Nodes[0].HSetEx, hfe, d.Nodes)
		}
		// The probes leave nothing behind.
		if n := rdb.DBSize(t.Context()).Val(); n != 0 {
			t.Errorf("%s: %d keys after probing, want 0", kind, n)
		}
	}
}

// WithKind forces a backend without talking to the server; options reach the emulation.
func TestDetectForced(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	d, err := tairhash.Detect(t.Context(), rdb, tairhash.WithKind(tairhash.KindHFE),
		tairhash.WithHFEOptions(emulate.WithoutVersions()))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Forced || d.Backend.Name() != "hfe-noversions" || !strings.Contains(d.String(), "forced") {
		t.Errorf("forced detection = %+v (%s)", d, d)
	}
	if _, err := tairhash.Detect(t.Context(), rdb, tairhash.WithKind("memcached")); err == nil {
		t.Error("an unknown kind was accepted")
	}
	if _, err := tairhash.Detect(t.Context(), rdb); err == nil {
		t.Error("detection against no server succeeded")
	}
}

// Servers that disagree (here the shards of a ring: Redis 7.0 and Redis 8) get the backend they
// all support, and the detection says why.
func TestDetectDisagreeingServers(t *testing.T) {
	r7, r8 := testserver.Redis7(t), testserver.Redis8(t)
	ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"old": r7.Addr, "new": r8.Addr}})
	t.Cleanup(func() { _ = ring.Close() })
	var logs bytes.Buffer
	d, err := tairhash.Detect(t.Context(), ring, tairhash.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != tairhash.KindLua || !strings.Contains(d.Note, "masters differ") || len(d.Nodes) != 2 {
		t.Errorf("detected %+v, want lua with a note", d)
	}
	if !strings.Contains(d.String(), "backend lua (masters differ") {
		t.Errorf("Detection.String() = %q, want the backend and why", d.String())
	}
	if !strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("no warning logged: %q", logs.String())
	}
}
