// Command exhash-bench measures every TairHash backend of this module and the plain-Redis
// baselines side by side, on fresh servers it starts itself (the test servers of `make servers`),
// and prints a Markdown table of ratios. -md and -svg also write the tables and a chart to files.
//
//	go run ./cmd/exhash-bench -quick                      # a check in about a minute and a half
//	TAIRHASH_ADDR=127.0.0.1:16379 make bench              # the published run: docs/benchmarks.md and .svg
//
// The TairHash module is measured when TAIRHASH_MODULE names its .so (loaded into a fresh Redis
// 7.0) or TAIRHASH_ADDR points at a running Redis with it (its path is then read from MODULE LIST,
// or, failing that, the running server is used as it is). See docs/benchmarks.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tairhash-go/tairhash/internal/bench"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "exhash-bench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("exhash-bench", flag.ContinueOnError)
	quick := fs.Bool("quick", false, "small sizes and short phases (about a minute)")
	def := bench.Default()
	users := fs.Int("users", 0, fmt.Sprintf("session users, %d devices each (default %d; -quick %d)", def.Devices, def.Users, bench.Quick().Users))
	bigKeys := fs.Int("big-keys", 0, "keys of -big-fields fields (default 10; -quick 1)")
	bigFields := fs.Int("big-fields", 0, "fields per big key (default 10000)")
	conns := fs.Int("conns", def.Conns, "client connections")
	depth := fs.Int("depth", def.Depth, "operations per pipeline")
	singles := fs.Int("singles", def.Singles, "goroutines of the row without pipelines, one connection each")
	rounds := fs.Int("rounds", 0, "rounds per phase (default 5; -quick 3)")
	phase := fs.Duration("phase", 0, "length of one phase in one round (default 400ms; -quick 150ms)")
	reclaimFields := fs.Int("reclaim-fields", 0, "fields left to expire (default 100000; -quick 5000)")
	reclaimTimeout := fs.Duration("reclaim-timeout", 0, "longest wait for reclamation (default 150s; -quick 20s)")
	systems := fs.String("systems", "", "comma-separated subset of: "+strings.Join(bench.SystemNames(), ","))
	module := fs.String("module", os.Getenv("TAIRHASH_MODULE"), "TairHash module .so to load into a fresh Redis 7.0 ($TAIRHASH_MODULE)")
	moduleAddr := fs.String("module-addr", os.Getenv("TAIRHASH_ADDR"), "a running Redis with the TairHash module ($TAIRHASH_ADDR)")
	mdPath := fs.String("md", "", "also write the Markdown tables to this file")
	allocsPath := fs.String("allocs", "", "a file with the output of 'go test -bench Overhead -benchmem ./exhash/', added as a table")
	svgPath := fs.String("svg", "", "also write the chart of ratios (SVG) to this file; -md links to it")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return err
	}

	cfg := def
	if *quick {
		cfg = bench.Quick()
	}
	cfg.Conns, cfg.Depth, cfg.Singles = *conns, *depth, *singles
	setIf(&cfg.Users, *users)
	setIf(&cfg.BigKeys, *bigKeys)
	setIf(&cfg.BigFields, *bigFields)
	setIf(&cfg.Rounds, *rounds)
	setIf(&cfg.ReclaimFields, *reclaimFields)
	setIf(&cfg.PhaseTime, *phase)
	setIf(&cfg.ReclaimTimeout, *reclaimTimeout)
	if *systems != "" {
		cfg.Systems = strings.Split(*systems, ",")
	}
	cfg.ModulePath, cfg.ModuleAddr = *module, *moduleAddr
	cfg.Progress = os.Stderr

	var allocs []bench.AllocPair
	if *allocsPath != "" {
		f, err := os.Open(*allocsPath)
		if err != nil {
			return err
		}
		allocs, err = bench.ParseAllocs(f)
		f.Close()
		if err != nil {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tb := bench.NewTB("exhash-bench", os.Stderr)
	defer tb.Close()
	res, err := bench.Run(ctx, tb, cfg)
	if err != nil {
		return err
	}
	res.Allocs = allocs
	command := commandLine(args)
	chart := ""
	if *svgPath != "" {
		chart = *svgPath
		if *mdPath != "" {
			if rel, err := filepath.Rel(filepath.Dir(*mdPath), *svgPath); err == nil {
				chart = filepath.ToSlash(rel)
			}
		}
	}
	res.WriteMarkdown(os.Stdout, command, chart)
	if *svgPath != "" {
		if err := writeFile(*svgPath, res.WriteSVG); err != nil {
			return err
		}
	}
	if *mdPath != "" {
		return writeFile(*mdPath, func(w io.Writer) error { res.WriteMarkdown(w, command, chart); return nil })
	}
	return nil
}

// writeFile creates path and fills it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

func setIf[T int | time.Duration](dst *T, v T) {
	if v != 0 {
		*dst = v
	}
}

// commandLine is how to run this again, with the module variables that were set.
func commandLine(args []string) string {
	var parts []string
	for _, env := range []string{"TAIRHASH_MODULE", "TAIRHASH_ADDR"} {
		if v := os.Getenv(env); v != "" {
			parts = append(parts, env+"="+v)
		}
	}
	parts = append(parts, "go run ./cmd/exhash-bench")
	return strings.Join(append(parts, args...), " ")
}
