package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
)

// WriteMarkdown writes the tables of r: ratios to the reference column and to the ceiling, the
// medians behind them, the targets from the issues, the systems and the machine. command is printed
// as the way to reproduce it; chart, when not empty, is the address of the SVG (WriteSVG) to show.
func (r *Results) WriteMarkdown(w io.Writer, command, chart string) {
	c := r.Config
	m := r.Machine
	cols := r.columns()
	fmt.Fprintf(w, "# exhash-bench results\n\n")
	fmt.Fprintf(w, "Made by `%s` on %s (%s of wall time).\n\n", command, r.Started.UTC().Format("2006-01-02 15:04 UTC"), r.Duration.Round(time.Second))
	fmt.Fprintf(w, "To reproduce from a fresh clone: `make servers` (Redis 7.0, Valkey 8, Redis 8 into .cache/servers), then "+
		"`TAIRHASH_ADDR=host:port make bench` (tables and chart into docs/; `BENCH_FLAGS=-quick` for a short check). "+
		"The module column needs TAIRHASH_ADDR (a Redis with the TairHash module; when its .so path is readable here the "+
		"module is loaded into a fresh Redis 7.0 of the harness's own) or TAIRHASH_MODULE (the .so); without either "+
		"it is left out and ratios are taken to hset.\n\n")
	fmt.Fprintf(w, "- Machine: %d × %s, Linux %s, %s; load average %s at the start, %s at the end.\n", m.CPUs, m.CPU, m.Kernel, m.Go, m.LoadBefore, m.LoadAfter)
	fmt.Fprintf(w, "- Servers: %s; client and servers share the machine, loopback only.\n", strings.Join(m.Servers, ", "))
	fmt.Fprintf(w, "- Sizes: %d users × %d devices (%d fields), %d-byte tokens; %d key(s) × %d fields; %d fields to reclaim.\n",
		c.Users, c.Devices, c.fields(), c.TokenBytes, c.BigKeys, c.BigFields, c.ReclaimFields)
	fmt.Fprintf(w, "- Load: %d connections × pipelines of %d operations; %d rounds of %v per phase, systems interleaved in every round.\n\n",
		c.Conns, c.Depth, c.Rounds, c.PhaseTime)
	fmt.Fprintf(w, "Noise: the client, every server and the in-process exhash-server share %d CPU(s), possibly with other "+
		"work (see the load averages). Absolute rates move from run to run; ratios are taken between systems "+
		"measured in the same round, one after the other, which cancels most of a slow spell. Treat differences "+
		"under about 10%% as noise.\n\n", m.CPUs)
	if chart != "" {
		fmt.Fprintf(w, "![Ratios to %s](%s)\n\n", r.Ref, chart)
	}

	refs := []string{r.Ref}
	if r.Ref != refFallback && slices.Contains(cols, refFallback) {
		refs = append(refs, refFallback)
	}
	for _, ref := range refs {
		title := ref
		if ref == refFallback {
			title += " (the ceiling: no TTL at all)"
		}
		fmt.Fprintf(w, "## Ratios to %s\n\n", title)
		fmt.Fprintf(w, "Throughput rows: higher is better; latency, memory, time and CPU rows: lower is better. "+
			"Throughput and latency cells are the median over rounds of the ratio measured within one round; "+
			"memory and reclamation are measured once per system (on a fresh server). — means not measured.\n\n")
		r.writeRatios(w, cols, ref)
	}

	fmt.Fprintf(w, "## Medians\n\n")
	fmt.Fprintf(w, "| figure | unit | %s |\n|---|---|%s\n", strings.Join(cols, " | "), strings.Repeat("---:|", len(cols)))
	for _, f := range figures() {
		fmt.Fprintf(w, "| %s | %s |", f.name, f.unit)
		for _, s := range cols {
			v, ok := r.Value(f.name, s)
			fmt.Fprintf(w, " %s |", fmtValue(v, ok, f.unit))
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "\n## Targets\n\n| target | goal | measured | |\n|---|---:|---:|---|\n")
	for _, t := range Targets() {
		ratio, met, ok := t.Check(r)
		goal := "≥ "
		if t.AtMost {
			goal = "≤ "
		}
		verdict := "not measured"
		switch {
		case ok && met:
			verdict = "met"
		case ok:
			verdict = "**missed**"
		}
		fmt.Fprintf(w, "| %s | %s%.2f× | %s | %s |\n", t.What, goal, t.Bound, fmtRatio(ratio, ok), verdict)
	}

	fmt.Fprintln(w)
	if len(r.Allocs) > 0 {
		writeAllocs(w, r.Allocs)
	}
	fmt.Fprintf(w, "## Systems\n\n")
	for _, s := range r.Systems {
		line := fmt.Sprintf("- **%s**: %s", s.Name, s.About)
		if s.Server != "" {
			line += " — " + s.Server
		}
		if s.Shared {
			line += " (a shared server, not started for this run: its memory figures include others' data)"
		}
		if s.Status != "" {
			line += ". " + s.Status
		}
		fmt.Fprintln(w, line)
	}

	fmt.Fprintf(w, "\n## Phases\n\n")
	fmt.Fprintf(w, "- %s: the preload, every device of every user once, in %d chunks interleaved across systems.\n", figLoginNew, c.Rounds)
	for _, p := range append(sessionPhases(), bigPhases()...) {
		fmt.Fprintf(w, "- %s: %s.\n", p.name, p.about)
	}
	fmt.Fprintf(w, "- Latency: the round trip of one pipeline of %d operations (Exec) in the session mix; of one call in the row without pipelines (%d goroutines there).\n", c.Depth, c.Singles)
	fmt.Fprintf(w, "- Memory per field: INFO used_memory less the clients' buffers (mem_clients_normal) after the preload minus before, divided by the fields written.\n")
	fmt.Fprintf(w, "- Reclamation: %d fields (%d per key) written on a fresh server, then all given one deadline; "+
		"time from that deadline until DBSIZE is 0, nobody reading (timeout %v). CPU: the server's (INFO cpu) and, "+
		"for systems with a reaper or cleaner (run in this process), this process's, over that time, in %% of one core. "+
		"The module's reclamation, paced by its own timer, is waited for while the others run one after the other.\n",
		c.ReclaimFields, c.Devices, c.ReclaimTimeout)

	if len(r.Reclaim) > 0 {
		fmt.Fprintf(w, "\n## Reclamation details\n\n")
		for _, s := range cols {
			rr, ok := r.Reclaim[s]
			if !ok {
				continue
			}
			state := fmt.Sprintf("all gone after %.2f s", rr.Wall.Seconds())
			if !rr.Done {
				state = fmt.Sprintf("**not done** after %.0f s: %d of %d keys left (%.0f%% reclaimed)",
					rr.Wall.Seconds(), rr.KeysLeft, rr.KeysAt, 100*(1-float64(rr.KeysLeft)/float64(max(rr.KeysAt, 1))))
			}
			late := ""
			if rr.Late > 0 {
				late = fmt.Sprintf("; **setting the deadlines ended %.2f s after it** (some fields were deleted by EXHPEXPIREAT itself)", rr.Late.Seconds())
			}
			job := ""
			if rr.HasJob {
				job = fmt.Sprintf(", reaper/cleaner (this process) CPU %.2f s", rr.SelfCPU.Seconds())
			}
			fmt.Fprintf(w, "- %s: %d keys at the deadline, %s; server CPU %.2f s%s%s.\n",
				s, rr.KeysAt, state, rr.ServerCPU.Seconds(), job, late)
		}
	}
}

// writeRatios writes one table of every figure's ratio to ref.
func (r *Results) writeRatios(w io.Writer, cols []string, ref string) {
	fmt.Fprintf(w, "| figure | %s |\n|---|%s\n", strings.Join(cols, " | "), strings.Repeat("---:|", len(cols)))
	for _, f := range figures() {
		fmt.Fprintf(w, "| %s |", f.name)
		for _, s := range cols {
			v, ok := r.Ratio(f.name, s, ref)
			fmt.Fprintf(w, " %s |", fmtRatio(v, ok))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

// columns are the systems that have at least one figure, in table order.
func (r *Results) columns() []string {
	var out []string
	for _, s := range r.Systems {
		if s.Server != "" {
			out = append(out, s.Name)
		}
	}
	return out
}

func fmtRatio(v float64, ok bool) string {
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	switch {
	case v >= 10:
		return fmt.Sprintf("%.0f×", v)
	case v >= 0.1:
		return fmt.Sprintf("%.2f×", v)
	}
	return fmt.Sprintf("%.3f×", v)
}

func fmtValue(v float64, ok bool, unit string) string {
	if !ok || math.IsNaN(v) {
		return "—"
	}
	switch unit {
	case "ops/s":
		switch {
		case v >= 1e6:
			return fmt.Sprintf("%.2fM", v/1e6)
		case v >= 1e4:
			return fmt.Sprintf("%.0fk", v/1e3)
		case v >= 1e3:
			return fmt.Sprintf("%.1fk", v/1e3)
		}
		return fmt.Sprintf("%.0f", v)
	case "ms", "s":
		if v >= 10 {
			return fmt.Sprintf("%.1f", v)
		}
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.0f", v)
}
