package bench

import (
	"context"
	"os"
	"strconv"

	"github.com/redis/go-redis/v9"
	"testing"
	"time"
)

func TestZZProfile(t *testing.T) {
	if os.Getenv("SB_PROF") == "" {
		t.Skip()
	}
	cfg := Default()
	cfg.Users, cfg.BigKeys, cfg.BigFields = 5000, 1, 10000
	cfg.Rounds, cfg.PhaseTime = 1, 100*time.Millisecond
	cfg.Systems = []string{os.Getenv("SB_PROF")}
	ctx := context.Background()
	def := cfg.selected()[0]
	s, err := startSystem(ctx, t, &cfg, def)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	res := &Results{Rounds: map[string]map[string][]float64{}, Once: map[string]map[string]float64{}}
	for r := 0; r < 1; r++ {
		pre := job{n: cfg.Users * cfg.Devices, op: func(w *worker, p redis.Pipeliner, i int) {
			w.st.login(w.ctx, p, "u"+strconv.Itoa(i/cfg.Devices), deviceName(i%cfg.Devices), w.token())
		}}
		if err := measure(ctx, res, s, &cfg, figLoginNew, 1, pre); err != nil {
			t.Fatal(err)
		}
	}
	big := job{n: cfg.BigKeys * cfg.BigFields, op: func(w *worker, p redis.Pipeliner, k int) {
		w.st.login(w.ctx, p, "big"+strconv.Itoa(k%cfg.BigKeys), "field"+strconv.Itoa(k/cfg.BigKeys), w.token())
	}}
	if err := measure(ctx, res, s, &cfg, figBigNew, 1, big); err != nil {
		t.Fatal(err)
	}
	for _, ph := range append(sessionPhases(), bigPhases()...) {
		if ph.name != os.Getenv("SB_PHASE") {
			continue
		}
		jj := job{until: time.Now().Add(5 * time.Second), op: ph.op, depth: ph.depth}
		if err := measure(ctx, res, s, &cfg, ph.name, 1, jj); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %v", ph.name, res.Rounds[ph.name])
		info, _ := s.admin.Info(ctx, "commandstats", "cpu").Result()
		t.Log(info)
	}
}
