package bench

import (
	"bufio"
	"os"
	"runtime"
	"strings"
)

// Machine describes where a run happened; it is printed with every table.
type Machine struct {
	CPUs       int
	CPU        string // model name from /proc/cpuinfo
	Kernel     string
	Go         string
	Servers    []string // versions of the servers started
	LoadBefore string   // /proc/loadavg at the start and at the end: other work on the machine
	LoadAfter  string
}

func machine() Machine {
	return Machine{
		CPUs:       runtime.NumCPU(),
		CPU:        cpuModel(),
		Kernel:     strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")),
		Go:         runtime.Version(),
		LoadBefore: loadAvg(),
	}
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAvg is the 1, 5 and 15 minute load averages.
func loadAvg() string {
	f := strings.Fields(readFile("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}
