package bench

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// tiny is the harness at the smallest sizes that still exercise every step.
func tiny() Config {
	c := Quick()
	c.Users, c.BigKeys, c.BigFields = 200, 2, 2000 // 4,000 big-key fields: their memory outweighs the noise of INFO used_memory
	c.Conns, c.Depth = 2, 4
	c.Rounds, c.PhaseTime = 2, 40*time.Millisecond
	c.ReclaimFields, c.ReclaimTimeout = 300, 15*time.Second
	c.ModulePath, c.ModuleAddr = os.Getenv("TAIRHASH_MODULE"), os.Getenv("TAIRHASH_ADDR")
	return c
}

// TestQuickRun runs the whole harness on tiny sizes: every system that can start must finish every
// figure without an error, and the outputs must be well formed.
func TestQuickRun(t *testing.T) {
	testserver.Redis7(t) // skips (or fails under CI) when the servers are not provisioned
	cfg := tiny()
	var progress bytes.Buffer
	cfg.Progress = &progress
	res, err := Run(context.Background(), t, cfg)
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, progress.String())
	}
	ran := map[string]bool{}
	for _, s := range res.Systems {
		if s.Status != "" && !strings.HasPrefix(s.Status, "not run: no TairHash module") {
			t.Errorf("%s: %s", s.Name, s.Status)
		}
		if s.Server != "" {
			ran[s.Name] = true
		}
	}
	for _, name := range []string{sysLua, sysLuaOne, sysLuaVK, sysLuaReap, sysLuaVKRp, sysHFE, sysHFELean, sysServer, sysHSet, sysStrings, sysZSet, sysLuaFloor, sysLuaFloorMin, sysHFEFloor, sysHFEFloorMin} {
		if !ran[name] {
			t.Errorf("%s did not run", name)
		}
	}
	for _, f := range figures() {
		for _, def := range systemDefs() {
			reclaimFig := f.name == figReclaim || f.name == figReclaimSrv || f.name == figReclaimBg
			noJob := f.name == figReclaimBg && !res.Reclaim[def.name].HasJob
			floorMem := def.floor && (f.name == figMemSession || f.name == figMemBig)
			if !ran[def.name] || (!def.expires && reclaimFig) || (def.reclaimOnly && !reclaimFig) || noJob || floorMem {
				continue
			}
			v, ok := res.Value(f.name, def.name)
			if !ok || !(v >= 0) {
				t.Errorf("%s / %s: %v, measured %v", f.name, def.name, v, ok)
			}
			if f.rounds && len(res.Rounds[f.name][def.name]) != cfg.Rounds {
				t.Errorf("%s / %s: %d rounds, want %d", f.name, def.name, len(res.Rounds[f.name][def.name]), cfg.Rounds)
			}
		}
	}
	if v, _ := res.Value(figMemSession, sysLua); v <= 0 {
		t.Errorf("memory per field of lua: %v, want > 0", v)
	}
	for _, name := range []string{sysLuaReap, sysZSet} {
		if !res.Reclaim[name].HasJob {
			t.Errorf("%s: reclamation ran without its background job", name)
		}
	}
	if r, ok := res.Ratio(figSession, sysServer, sysLua); !ok || r <= 0 {
		t.Errorf("server/lua session ratio: %v %v", r, ok)
	}

	res.Allocs = []AllocPair{{Name: "BenchmarkOverheadLua/exhget-vs-hget", TypedAllocs: 24, RawAllocs: 9}}
	var md bytes.Buffer
	res.WriteMarkdown(&md, "go test", "chart.svg")
	for _, want := range []string{"| figure | ", figSession, "## Targets", "## Ratios to " + sysHSet, "](chart.svg)", "| BenchmarkOverheadLua/exhget-vs-hget |", res.Machine.CPU} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var svg bytes.Buffer
	if err := res.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg.Bytes(), new(struct{})); err != nil {
		t.Errorf("SVG is not well-formed XML: %v", err)
	}
	if t.Failed() {
		t.Logf("progress:\n%s", progress.String())
	}
}
