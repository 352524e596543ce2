package bench

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// ReclaimResult is what one reclamation measurement saw.
type ReclaimResult struct {
	Fields    int
	Wall      time.Duration // from the common deadline until the server held no key (or the timeout)
	Done      bool          // every key was gone before the timeout
	KeysAt    int64         // DBSIZE at the deadline
	KeysLeft  int64         // DBSIZE at the end
	ServerCPU time.Duration // CPU the server used meanwhile
	SelfCPU   time.Duration // CPU this process used meanwhile (the reaper or cleaner; polling is negligible)
	Late      time.Duration // the expiry pass ended this long after the deadline (counted in Wall)
	Server    string        // version of the server it ran on
	HasJob    bool          // a reaper or cleaner ran in this process: SelfCPU is its cost
}

// reclaimPoll is how often DBSIZE is read while waiting: DBSIZE touches no key, so it does not
// expire anything itself.
const reclaimPoll = 20 * time.Millisecond

// reclaimAll measures reclamation on fresh servers, one system after the other so that the
// process CPU figure belongs to one reaper; the module, whose background expiry is paced by a
// 1-second timer, waits in the background while the others run (its poller costs nothing).
func reclaimAll(ctx context.Context, tb testing.TB, cfg *Config, res *Results, logf func(string, ...any)) {
	var defs []systemDef
	for _, d := range cfg.selected() {
		if d.expires && (d.reclaimOnly || ranOK(res, d.name)) {
			defs = append(defs, d)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	record := func(d systemDef, r ReclaimResult, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			logf("%s: reclaim: %v", d.name, err)
			res.setStatus(d.name, "reclamation failed: "+err.Error())
			return
		}
		res.Reclaim[d.name] = r
		res.setServer(d.name, r.Server)
		if r.Done {
			res.putOnce(figReclaim, d.name, r.Wall.Seconds())
		}
		res.putOnce(figReclaimSrv, d.name, 100*r.ServerCPU.Seconds()/r.Wall.Seconds())
		if r.HasJob {
			res.putOnce(figReclaimBg, d.name, 100*r.SelfCPU.Seconds()/r.Wall.Seconds())
		}
		logf("%s: reclaimed %d fields: done=%v in %v (server CPU %v, process CPU %v)", d.name, r.Fields, r.Done, r.Wall.Round(time.Millisecond), r.ServerCPU, r.SelfCPU)
	}
	for _, d := range defs {
		logf("reclaim: %s, %d fields", d.name, cfg.ReclaimFields)
		if d.name == sysModule {
			armed := make(chan struct{})
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := reclaim(ctx, tb, cfg, d, func() { close(armed) })
				record(d, r, err)
			}()
			<-armed
			continue
		}
		r, err := reclaim(ctx, tb, cfg, d, func() {})
		record(d, r, err)
	}
	wg.Wait()
}

func ranOK(res *Results, name string) bool {
	for _, s := range res.Systems {
		if s.Name == name {
			return s.Status == "" && s.Server != ""
		}
	}
	return false
}

// setServer records the server of a system measured only by reclamation.
func (r *Results) setServer(name, server string) {
	for i := range r.Systems {
		if r.Systems[i].Name == name && r.Systems[i].Server == "" {
			r.Systems[i].Server = server
			r.Machine.Servers = appendUnique(r.Machine.Servers, server)
		}
	}
}

func (r *Results) setStatus(name, status string) {
	for i := range r.Systems {
		if r.Systems[i].Name == name && r.Systems[i].Status == "" {
			r.Systems[i].Status = status
		}
	}
}

// reclaim writes cfg.ReclaimFields session fields on a fresh server, gives them all one deadline,
// and times how long the server takes to hold no key at all with nobody reading. armed is called
// once the deadline is set (or the attempt failed).
func reclaim(ctx context.Context, tb testing.TB, cfg *Config, def systemDef, armed func()) (r ReclaimResult, err error) {
	defer func() {
		if armed != nil {
			armed()
		}
	}()
	s, err := startSystem(ctx, tb, cfg, def)
	if err != nil {
		return r, err
	}
	defer func() {
		if cerr := s.close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	r.Fields, r.Server, r.HasJob = cfg.ReclaimFields, s.version, s.hasJob
	user := func(i int) string { return "r" + strconv.Itoa(i/cfg.Devices) }
	// Written with a long TTL first, then all given one deadline: no field can expire while its
	// key is still being written (the module crashes on writes to such keys, §11 D1).
	load := job{n: r.Fields, op: func(w *worker, p redis.Pipeliner, i int) {
		w.st.login(w.ctx, p, user(i), deviceName(i%cfg.Devices), w.token())
	}}
	smp, err := drive(ctx, s, cfg, 1, load)
	if err != nil {
		return r, fmt.Errorf("load: %w", err)
	}
	// The deadline must fall after the last EXHPEXPIREAT: one with a past time deletes the field
	// there and then, which is not what is measured (and, on some backends, leaves a record behind
	// for a later command to clear). Setting deadlines is allowed three times as long as the load.
	at := time.Now().Add(3*smp.elapsed + 500*time.Millisecond)
	expire := job{n: r.Fields, op: func(w *worker, p redis.Pipeliner, i int) {
		w.st.expireAt(w.ctx, p, user(i), deviceName(i%cfg.Devices), at)
	}}
	if _, err := drive(ctx, s, cfg, 2, expire); err != nil {
		return r, fmt.Errorf("expire: %w", err)
	}
	armed()
	armed = nil
	if late := time.Since(at); late > 0 {
		r.Late = late
	}
	time.Sleep(time.Until(at))

	if r.KeysAt, err = s.admin.DBSize(ctx).Result(); err != nil {
		return r, err
	}
	cpu0, err := serverCPU(ctx, s.admin)
	if err != nil {
		return r, err
	}
	runtime.GC() // the garbage of the load, collected now rather than counted as the reaper's CPU
	self0 := selfCPU()
	for {
		n, err := s.admin.DBSize(ctx).Result()
		if err != nil {
			return r, err
		}
		r.KeysLeft = n
		if n == 0 {
			r.Done = true
			break
		}
		if time.Since(at) > cfg.ReclaimTimeout {
			break
		}
		if err := s.backgroundErr(); err != nil {
			return r, err
		}
		time.Sleep(reclaimPoll)
	}
	r.Wall = time.Since(at)
	r.SelfCPU = selfCPU() - self0
	cpu1, err := serverCPU(ctx, s.admin)
	r.ServerCPU = cpu1 - cpu0
	return r, err
}
