package bench

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Results holds everything one run measured.
type Results struct {
	Config  Config
	Machine Machine
	Systems []SystemInfo // table order
	// Ref is the column ratios are taken against: the module when it ran, else the hset ceiling.
	Ref string
	// Rounds holds, per figure and system, one value per round (throughput in ops/s, latency in ms).
	Rounds map[string]map[string][]float64
	// Once holds figures measured once per system (memory in bytes per field, reclamation).
	Once map[string]map[string]float64
	// Reclaim details per system, for the notes under the table.
	Reclaim  map[string]ReclaimResult
	Started  time.Time
	Duration time.Duration
	// Allocs are the client-side microbenchmarks, when the caller read them in (ParseAllocs).
	Allocs []AllocPair
}

// SystemInfo describes a column.
type SystemInfo struct {
	Name, About, Server string
	Shared              bool   // the server was not started for this run
	Status              string // "" when it ran to the end; otherwise why not
}

func (r *Results) put(fig, sys string, v float64) {
	if r.Rounds[fig] == nil {
		r.Rounds[fig] = map[string][]float64{}
	}
	r.Rounds[fig][sys] = append(r.Rounds[fig][sys], v)
}

func (r *Results) putOnce(fig, sys string, v float64) {
	if r.Once[fig] == nil {
		r.Once[fig] = map[string]float64{}
	}
	r.Once[fig][sys] = v
}

// Run measures every system cfg selects, on servers it starts through testserver (tb is a
// *testing.T in the smoke test, a *TB in cmd/exhash-bench). A system that cannot start or fails is
// reported as such in the results; Run fails only when nothing could be measured.
func Run(ctx context.Context, tb testing.TB, cfg Config) (*Results, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg.resolveModule(ctx)
	res := &Results{Config: cfg, Machine: machine(), Started: time.Now(),
		Rounds: map[string]map[string][]float64{}, Once: map[string]map[string]float64{}, Reclaim: map[string]ReclaimResult{}}
	logf := func(format string, args ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
		}
	}

	var running []*system
	defer func() {
		for _, s := range running {
			_ = s.close()
		}
	}()
	status := map[string]string{}
	for _, def := range cfg.selected() {
		info := SystemInfo{Name: def.name, About: def.about}
		if def.reclaimOnly {
			res.Systems = append(res.Systems, info) // started by reclaimAll
			continue
		}
		s, err := startSystem(ctx, tb, &cfg, def)
		if err != nil {
			info.Status = "not run: " + err.Error()
			logf("%s: %v", def.name, err)
		} else {
			info.Server, info.Shared = s.version, s.shared
			running = append(running, s)
			res.Machine.Servers = appendUnique(res.Machine.Servers, s.version)
		}
		res.Systems = append(res.Systems, info)
	}
	if len(running) == 0 {
		return res, errors.New("no system could start (run `make servers`)")
	}
	res.Ref = refFallback
	for _, s := range running {
		if s.def.name == sysModule {
			res.Ref = sysModule
		}
	}

	// fail takes a system out of the run and records why.
	fail := func(s *system, what string, err error) {
		status[s.def.name] = fmt.Sprintf("failed during %s: %v", what, err)
		logf("%s: %s", s.def.name, status[s.def.name])
		running = slices.DeleteFunc(running, func(x *system) bool { return x == s })
		_ = s.close()
	}
	// each runs f on every running system, in an order rotated by round so that no system is
	// always first or last after another.
	each := func(round int, what string, f func(s *system) error) {
		order := slices.Clone(running)
		if len(order) > 0 {
			k := round % len(order)
			order = append(order[k:], order[:k]...)
		}
		for _, s := range order {
			if err := f(s); err != nil {
				fail(s, what, err)
			}
		}
	}

	logf("preload: %d users × %d devices, %d keys × %d fields, %d rounds", cfg.Users, cfg.Devices, cfg.BigKeys, cfg.BigFields, cfg.Rounds)
	mem0 := map[*system]int64{}
	each(0, "memory baseline", func(s *system) (err error) { mem0[s], err = usedMemory(ctx, s.admin); return })
	for r := range cfg.Rounds {
		from, to := chunk(cfg.Users, cfg.Rounds, r)
		j := job{n: (to - from) * cfg.Devices, op: func(w *worker, p redis.Pipeliner, i int) {
			k := from*cfg.Devices + i
			w.st.login(w.ctx, p, "u"+strconv.Itoa(k/cfg.Devices), deviceName(k%cfg.Devices), w.token())
		}}
		each(r, "preload", func(s *system) error { return measure(ctx, res, s, &cfg, figLoginNew, seed(r, figLoginNew), j) })
	}
	mem1 := map[*system]int64{}
	each(0, "memory", func(s *system) (err error) {
		if mem1[s], err = usedMemory(ctx, s.admin); err == nil && !s.def.floor {
			res.putOnce(figMemSession, s.def.name, float64(mem1[s]-mem0[s])/float64(cfg.fields()))
		}
		return
	})
	bigTotal := cfg.BigKeys * cfg.BigFields
	for r := range cfg.Rounds {
		from, to := chunk(bigTotal, cfg.Rounds, r)
		j := job{n: to - from, op: func(w *worker, p redis.Pipeliner, i int) {
			k := from + i
			w.st.login(w.ctx, p, "big"+strconv.Itoa(k%cfg.BigKeys), "field"+strconv.Itoa(k/cfg.BigKeys), w.token())
		}}
		each(r, "big-key preload", func(s *system) error { return measure(ctx, res, s, &cfg, figBigNew, seed(r, figBigNew), j) })
	}
	each(0, "memory", func(s *system) error {
		m, err := usedMemory(ctx, s.admin)
		if err == nil && !s.def.floor {
			res.putOnce(figMemBig, s.def.name, float64(m-mem1[s])/float64(bigTotal))
		}
		return err
	})

	phases := append(sessionPhases(), bigPhases()...)
	for r := range cfg.Rounds {
		logf("round %d/%d", r+1, cfg.Rounds)
		for _, ph := range phases {
			each(r, ph.name, func(s *system) error {
				j := job{until: time.Now().Add(cfg.PhaseTime), op: ph.op, depth: ph.depth, single: ph.single}
				return measure(ctx, res, s, &cfg, ph.name, seed(r, ph.name), j)
			})
		}
	}
	for _, s := range running {
		_ = s.close()
	}
	running = nil

	reclaimAll(ctx, tb, &cfg, res, logf)

	for i := range res.Systems {
		if st := status[res.Systems[i].Name]; st != "" {
			res.Systems[i].Status = st
		}
	}
	res.Machine.LoadAfter = loadAvg()
	res.Duration = time.Since(res.Started)
	return res, nil
}

// measure runs one job and records its throughput (and, for the session mix, latencies).
func measure(ctx context.Context, res *Results, s *system, cfg *Config, fig string, sd uint64, j job) error {
	smp, err := drive(ctx, s, cfg, sd, j)
	if err != nil {
		return err
	}
	res.put(fig, s.def.name, smp.rate())
	switch fig {
	case figSession:
		res.put(figP50, s.def.name, ms(smp.percentile(0.50)))
		res.put(figP99, s.def.name, ms(smp.percentile(0.99)))
	case figSingle:
		res.put(figSingleP50, s.def.name, ms(smp.percentile(0.50)))
		res.put(figSingleP99, s.def.name, ms(smp.percentile(0.99)))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// seed makes every system see the same random operations in a given round and phase.
func seed(round int, name string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", round, name)
	return h.Sum64()
}

// chunk is the r-th of k near-equal parts of [0, n).
func chunk(n, k, r int) (int, int) { return n * r / k, n * (r + 1) / k }

func appendUnique(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func (c *Config) check() error {
	switch {
	case c.Users < 1 || c.Devices < 1 || c.TokenBytes < 1 || c.BigKeys < 1 || c.BigFields < 1:
		return errors.New("bench: sizes must be positive")
	case c.Conns < 1 || c.Depth < 1 || c.Singles < 1 || c.Rounds < 1 || c.PhaseTime <= 0:
		return errors.New("bench: conns, depth, singles, rounds and phase time must be positive")
	case c.ReclaimFields < c.Devices:
		return errors.New("bench: reclaim fields must be at least the number of devices")
	}
	known := map[string]bool{}
	for _, d := range systemDefs() {
		known[d.name] = true
	}
	for _, name := range c.Systems {
		if !known[name] {
			return fmt.Errorf("bench: unknown system %q (want one of %v)", name, SystemNames())
		}
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return nil
}

// SystemNames lists the systems in table order.
func SystemNames() []string {
	var out []string
	for _, d := range systemDefs() {
		out = append(out, d.name)
	}
	return out
}

func (c *Config) selected() []systemDef {
	var out []systemDef
	for _, d := range systemDefs() {
		if len(c.Systems) == 0 || slices.Contains(c.Systems, d.name) {
			out = append(out, d)
		}
	}
	return out
}
