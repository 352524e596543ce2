package emulate_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"
)

// Versions and EXHINCRBY results too big for a Lua number leave the scripts as strings; the typed
// replies must carry them as exact integers whether a command runs alone, in a pipeline or in a
// transaction, on either emulation backend.
func TestExactIntegersInPipelines(t *testing.T) {
	backends := map[string]struct {
		srv func(testing.TB) *testserver.Server
		be  func() driver.Backend
	}{
		"lua":          {testserver.Redis7, func() driver.Backend { return emulate.NewLua() }},
		"lua-percmd":   {testserver.Redis7, func() driver.Backend { return emulate.NewLua(emulate.WithLuaOneCallPerCommand()) }},
		"hfe-eval":     {testserver.Redis8, func() driver.Backend { return emulate.NewHFE() }},
		"hfe-function": {testserver.Redis8, func() driver.Backend { return emulate.NewHFE() }},
	}
	for name, b := range backends {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			srv := b.srv(t)
			rdb := srv.Client(t)
			be := b.be()
			if h, ok := be.(*emulate.HFE); ok && name == "hfe-function" { // FCALL instead of EVAL
				if err := h.Load(ctx, rdb); err != nil {
					t.Fatal(err)
				}
			}
			c := exhash.NewClient(rdb, exhash.WithBackend(be))
			k := srv.Prefix(t) + "big"
			const bigVer = math.MaxInt64 - 1
			const bigInt = int64(1) << 60
			if err := c.ExHSetArgs(ctx, k, "f", "v", exhash.ExHSetArgs{}.New().Abs(bigVer)).Err(); err != nil {
				t.Fatal(err)
			}
			if err := c.ExHSet(ctx, k, "n", strconv.FormatInt(bigInt, 10)).Err(); err != nil {
				t.Fatal(err)
			}
			for _, tx := range []bool{false, true} {
				p := c.Pipeline()
				if tx {
					p = c.TxPipeline()
				}
				ver := p.ExHVer(ctx, k, "f")
				one := p.ExHGetWithVer(ctx, k, "f")
				some := p.ExHMGetWithVer(ctx, k, "f")
				all := p.ExHGetAllWithVer(ctx, k)
				incr := p.ExHIncrBy(ctx, k, "n", 1)
				if _, err := p.Exec(ctx); err != nil {
					t.Fatalf("tx=%v: %v", tx, err)
				}
				if got, err := ver.Result(); err != nil || got.Version != bigVer {
					t.Errorf("tx=%v EXHVER = %v, %v; want %d", tx, got, err, int64(bigVer))
				}
				if got, err := one.Result(); err != nil || got.Version != bigVer {
					t.Errorf("tx=%v EXHGETWITHVER = %+v, %v", tx, got, err)
				}
				if got, err := some.Result(); err != nil || len(got) != 1 || got[0] == nil || got[0].Version != bigVer {
					t.Errorf("tx=%v EXHMGETWITHVER = %+v, %v", tx, got, err)
				}
				if got, err := all.Result(); err != nil || got["f"].Version != bigVer {
					t.Errorf("tx=%v EXHGETALLWITHVER = %+v, %v", tx, got, err)
				}
				want := bigInt + 1
				if tx {
					want++
				}
				if got, err := incr.Result(); err != nil || got != want {
					t.Errorf("tx=%v EXHINCRBY = %v, %v; want %d", tx, got, err, want)
				}
			}
		})
	}
}
