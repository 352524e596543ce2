package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// worker is one client connection's goroutine: its own random stream and token buffer.
type worker struct {
	ctx context.Context
	cfg *Config
	st  store
	rng *rand.Rand
	buf []byte
}

const tokenAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"

// token returns a fresh random token of cfg.TokenBytes bytes.
func (w *worker) token() string {
	for i := range w.buf {
		w.buf[i] = tokenAlphabet[w.rng.IntN(len(tokenAlphabet))]
	}
	return string(w.buf)
}

func (w *worker) user() string { return "u" + strconv.Itoa(w.rng.IntN(w.cfg.Users)) }
func (w *worker) dev() string  { return deviceName(w.rng.IntN(w.cfg.Devices)) }

func deviceName(i int) string { return "device" + strconv.Itoa(i) }

// An op queues one logical operation (which may be several commands) on p; i numbers the
// operations of a fixed job.
type op func(w *worker, p redis.Pipeliner, i int)

// job is the work of one measurement: n operations, or as many as fit before until when n is 0.
type job struct {
	n     int
	until time.Time
	op    op
	depth int // operations per pipeline; 0 means cfg.Depth
	// single, when set, replaces op: cfg.Singles goroutines, each making one call at a time.
	single single
}

// sample is what one measurement yields.
type sample struct {
	ops     int
	elapsed time.Duration
	lat     []time.Duration // round trip of each pipeline (Exec only), or of each single call
}

func (s sample) rate() float64 { return float64(s.ops) / s.elapsed.Seconds() }

// percentile returns the q-quantile (0..1) of the pipeline round trips.
func (s sample) percentile(q float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	l := slices.Clone(s.lat)
	slices.Sort(l)
	return l[min(len(l)-1, int(q*float64(len(l))))]
}

// drive runs j on sys with cfg.Conns goroutines, each sending pipelines of j.depth operations and
// waiting for the replies before the next (or, for j.single, cfg.Singles goroutines each making
// one call at a time). Any reply error other than nil fails the measurement.
func drive(ctx context.Context, sys *system, cfg *Config, seed uint64, j job) (sample, error) {
	var (
		next    atomic.Int64
		ops     atomic.Int64
		mu      sync.Mutex
		lat     []time.Duration
		firstEr error
		wg      sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	depth := cfg.Depth
	if j.depth > 0 {
		depth = j.depth
	}
	goroutines := cfg.Conns
	if j.single != nil {
		goroutines = cfg.Singles
	}
	start := time.Now()
	for c := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{ctx: ctx, cfg: cfg, st: sys.st, rng: rand.New(rand.NewPCG(seed, uint64(c))), buf: make([]byte, cfg.TokenBytes)}
			var mine []time.Duration
			err := func() error {
				for ctx.Err() == nil && j.single != nil {
					if time.Now().After(j.until) {
						return nil
					}
					t0 := time.Now()
					if err := j.single(w, sys); err != nil {
						return err
					}
					mine = append(mine, time.Since(t0))
					ops.Add(1)
				}
				for ctx.Err() == nil {
					from, to := 0, depth
					if j.n > 0 {
						from = int(next.Add(int64(depth))) - depth
						if from >= j.n {
							return nil
						}
						to = min(from+depth, j.n)
					} else if time.Now().After(j.until) {
						return nil
					}
					p := sys.st.pipeline(sys.work)
					for i := from; i < to; i++ {
						j.op(w, p, i)
					}
					t0 := time.Now()
					cmds, _ := p.Exec(ctx)
					mine = append(mine, time.Since(t0))
					for _, c := range cmds {
						if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
							return fmt.Errorf("%v: %w", c.Args(), err)
						}
					}
					ops.Add(int64(to - from))
				}
				return ctx.Err()
			}()
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, mine...)
			if err != nil && firstEr == nil {
				firstEr = err
				cancel()
			}
		}()
	}
	wg.Wait()
	s := sample{ops: int(ops.Load()), elapsed: time.Since(start), lat: lat}
	if firstEr == nil {
		firstEr = sys.backgroundErr()
	}
	return s, firstEr
}
