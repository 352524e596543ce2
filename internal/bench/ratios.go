package bench

import (
	"math"
	"slices"
)

// median of xs (NaN when empty).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// Value is the figure's median over rounds (or its single measurement) for sys; ok is false when
// it was not measured.
func (r *Results) Value(fig, sys string) (float64, bool) {
	if v, ok := r.Rounds[fig][sys]; ok && len(v) > 0 {
		return median(v), true
	}
	v, ok := r.Once[fig][sys]
	return v, ok
}

// Ratio is sys / ref for a figure: for figures measured in every round, the median of the
// per-round ratios (both measured in the same round, minutes apart at most, so a slow spell of the
// machine cancels out); otherwise the ratio of the two single measurements.
func (r *Results) Ratio(fig, sys, ref string) (float64, bool) {
	if a, b := r.Rounds[fig][sys], r.Rounds[fig][ref]; len(a) > 0 || len(b) > 0 {
		var ratios []float64
		for i := 0; i < len(a) && i < len(b); i++ {
			if b[i] > 0 {
				ratios = append(ratios, a[i]/b[i])
			}
		}
		if len(ratios) == 0 {
			return 0, false
		}
		return median(ratios), true
	}
	a, okA := r.Once[fig][sys]
	b, okB := r.Once[fig][ref]
	if !okA || !okB || b <= 0 {
		return 0, false
	}
	return a / b, true
}

// A Target is a goal from the issues: a ratio of one system to another on one figure.
type Target struct {
	What     string
	Sys, Ref string
	Fig      string
	AtMost   bool // the ratio must be at most Bound (memory); otherwise at least
	Bound    float64
}

// Targets are the goals stated in the issues (the speed ratios of issue 17, the memory bounds of
// the first wave, which issue 17 keeps).
func Targets() []Target {
	return []Target{
		{What: "Lua on Redis 7.0 vs module: login write", Sys: sysLua, Ref: sysModule, Fig: figWrite, Bound: 0.65},
		{What: "Lua on Redis 7.0 vs module: validate", Sys: sysLua, Ref: sysModule, Fig: figRead, Bound: 0.8},
		{What: "Lua on Redis 7.0 vs module: list", Sys: sysLua, Ref: sysModule, Fig: figList, Bound: 0.8},
		{What: "Lua on Redis 7.0 vs module: session mix", Sys: sysLua, Ref: sysModule, Fig: figSession, Bound: 0.7},
		{What: "Lua on Redis 7.0 vs module: no pipelines", Sys: sysLua, Ref: sysModule, Fig: figSingle, Bound: 0.55},
		{What: "Lua on Redis 7.0 vs module: memory per field", Sys: sysLua, Ref: sysModule, Fig: figMemSession, AtMost: true, Bound: 0.3},
		{What: "HFE with versions on Redis 8 vs module: login write", Sys: sysHFE, Ref: sysModule, Fig: figWrite, Bound: 0.9},
		{What: "HFE with versions on Redis 8 vs module: validate", Sys: sysHFE, Ref: sysModule, Fig: figRead, Bound: 1.5},
		{What: "HFE with versions on Redis 8 vs module: no pipelines", Sys: sysHFE, Ref: sysModule, Fig: figSingle, Bound: 0.8},
		{What: "HFE on Redis 8 vs module: memory per field", Sys: sysHFE, Ref: sysModule, Fig: figMemSession, AtMost: true, Bound: 0.2},
		{What: "exhash-server vs library direct (Lua, Redis 7.0): session mix", Sys: sysServer, Ref: sysLua, Fig: figSession, Bound: 0.85},
	}
}

// Check returns the measured ratio and whether the target is met; ok is false when either side
// was not measured.
func (t Target) Check(r *Results) (ratio float64, met, ok bool) {
	ratio, ok = r.Ratio(t.Fig, t.Sys, t.Ref)
	if !ok {
		return 0, false, false
	}
	if t.AtMost {
		return ratio, ratio <= t.Bound, true
	}
	return ratio, ratio >= t.Bound, true
}
