package bench

// A figure is one row of the table.
type figure struct {
	name   string
	unit   string // of the absolute values: "ops/s", "ms", "B", "s", "%"
	lower  bool   // lower is better (latency, memory, time, CPU)
	rounds bool   // measured in every round (a median); otherwise measured once
}

// Figure names measured outside the throughput phases.
const (
	figP50        = "session mix: p50 latency of a pipeline"
	figP99        = "session mix: p99 latency of a pipeline"
	figSingleP50  = "no pipelines: p50 latency of a call"
	figSingleP99  = "no pipelines: p99 latency of a call"
	figMemSession = "memory per field, sessions"
	figMemBig     = "memory per field, 10k-field keys"
	figReclaim    = "reclaim expired fields, no reader"
	figReclaimSrv = "server CPU while reclaiming"
	figReclaimBg  = "reaper/cleaner CPU while reclaiming"
)

func figures() []figure {
	f := []figure{{name: figLoginNew, unit: "ops/s", rounds: true}}
	for _, p := range sessionPhases() {
		f = append(f, figure{name: p.name, unit: "ops/s", rounds: true})
	}
	f = append(f, figure{name: figBigNew, unit: "ops/s", rounds: true})
	for _, p := range bigPhases() {
		f = append(f, figure{name: p.name, unit: "ops/s", rounds: true})
	}
	return append(f,
		figure{name: figP50, unit: "ms", lower: true, rounds: true},
		figure{name: figP99, unit: "ms", lower: true, rounds: true},
		figure{name: figSingleP50, unit: "ms", lower: true, rounds: true},
		figure{name: figSingleP99, unit: "ms", lower: true, rounds: true},
		figure{name: figMemSession, unit: "B", lower: true},
		figure{name: figMemBig, unit: "B", lower: true},
		figure{name: figReclaim, unit: "s", lower: true},
		figure{name: figReclaimSrv, unit: "%", lower: true},
		figure{name: figReclaimBg, unit: "%", lower: true},
	)
}
