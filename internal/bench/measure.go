package bench

import (
	"context"
	"fmt"
	"strconv"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// usedMemory is what the server allocated for data, in bytes: INFO memory's used_memory less the
// clients' buffers (mem_clients_normal), which grow and shrink with the load of the moment and,
// on a busy machine, outweighed a few hundred fields (a negative memory per field was measured).
func usedMemory(ctx context.Context, rdb *redis.Client) (int64, error) {
	info, err := infoFields(ctx, rdb, "memory")
	if err != nil {
		return 0, err
	}
	used, err := strconv.ParseInt(info["used_memory"], 10, 64)
	if err != nil {
		return 0, err
	}
	clients, err := strconv.ParseInt(info["mem_clients_normal"], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("INFO memory: mem_clients_normal: %w", err)
	}
	return used - clients, nil
}

// serverCPU is the CPU time the server process has used (INFO cpu, user + system).
func serverCPU(ctx context.Context, rdb *redis.Client) (time.Duration, error) {
	info, err := infoFields(ctx, rdb, "cpu")
	if err != nil {
		return 0, err
	}
	var total float64
	for _, k := range []string{"used_cpu_user", "used_cpu_sys"} {
		v, err := strconv.ParseFloat(info[k], 64)
		if err != nil {
			return 0, fmt.Errorf("INFO cpu %s: %w", k, err)
		}
		total += v
	}
	return time.Duration(total * float64(time.Second)), nil
}

// selfCPU is the CPU time this process has used (user + system).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
