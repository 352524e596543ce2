package bench

import (
	"context"
	"errors"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// A phase is one timed workload; each gives a throughput figure (operations per second).
type phase struct {
	name   string
	about  string
	op     op
	depth  int    // operations per pipeline when not Config.Depth
	single single // instead of op: Config.Singles goroutines, one call at a time, no pipeline
}

// Single operations of the multi-device session workload on random users and devices.
func opLogin(w *worker, p redis.Pipeliner, _ int) { w.st.login(w.ctx, p, w.user(), w.dev(), w.token()) }
func opValidate(w *worker, p redis.Pipeliner, _ int) {
	w.st.validate(w.ctx, p, w.user(), w.dev())
}
func opList(w *worker, p redis.Pipeliner, _ int)    { w.st.list(w.ctx, p, w.user()) }
func opLogout(w *worker, p redis.Pipeliner, _ int)  { w.st.logout(w.ctx, p, w.user(), w.dev()) }
func opRefresh(w *worker, p redis.Pipeliner, _ int) { w.st.refresh(w.ctx, p, w.user(), w.dev()) }

// opValidateSliding validates a token and, one time in ten, slides its TTL (what a session check
// does when the token is past a refresh point).
func opValidateSliding(w *worker, p redis.Pipeliner, _ int) {
	user, dev := w.user(), w.dev()
	w.st.validate(w.ctx, p, user, dev)
	if w.rng.IntN(10) == 0 {
		w.st.refresh(w.ctx, p, user, dev)
	}
}

// mix picks one of ops with the given weights (percent) for every operation.
func mix(weighted ...any) op {
	var ops []op
	var cum []int
	total := 0
	for i := 0; i < len(weighted); i += 2 {
		total += weighted[i].(int)
		cum = append(cum, total)
		ops = append(ops, weighted[i+1].(func(*worker, redis.Pipeliner, int)))
	}
	return func(w *worker, p redis.Pipeliner, i int) {
		r := w.rng.IntN(total)
		for k, c := range cum {
			if r < c {
				ops[k](w, p, i)
				return
			}
		}
	}
}

// Big-key operations: a random field of a random key of BigFields fields.
func bigUser(w *worker) string { return "big" + strconv.Itoa(w.rng.IntN(w.cfg.BigKeys)) }
func bigField(w *worker) string {
	return "field" + strconv.Itoa(w.rng.IntN(w.cfg.BigFields))
}

func opBigWrite(w *worker, p redis.Pipeliner, _ int) {
	w.st.login(w.ctx, p, bigUser(w), bigField(w), w.token())
}
func opBigRead(w *worker, p redis.Pipeliner, _ int) { w.st.validate(w.ctx, p, bigUser(w), bigField(w)) }
func opBigList(w *worker, p redis.Pipeliner, _ int) { w.st.list(w.ctx, p, bigUser(w)) }

// Figure names of the throughput phases, in table order.
const (
	figLoginNew   = "login, new field (EXHSET EX)"
	figWrite      = "write: login (EXHSET EX)"
	figRead       = "read: validate (EXHGET)"
	figList       = "list devices (EXHGETALL)"
	figSession    = "session mix"
	figWriteHeavy = "write-heavy mix"
	figReadHeavy  = "read-heavy mix"
	figSingle     = "no pipelines: login write + validate"
	figBigNew     = "big key: new field"
	figBigWrite   = "big key: write"
	figBigRead    = "big key: read"
	figBigList    = "big key: EXHGETALL (10k fields)"
)

func sessionPhases() []phase {
	return []phase{
		{figWrite, "EXHSET key device token EX 3600 on a random existing device (a new token)", opLogin, 0, nil},
		{figRead, "EXHGET of a random device", opValidate, 0, nil},
		{figList, "EXHGETALL of a random user (5 devices)", opList, 0, nil},
		{figSession, "75% validate with sliding refresh (EXHGET, 1 in 10 also EXHPEXPIRE), 10% list, 10% login, 5% logout",
			mix(75, opValidateSliding, 10, opList, 10, opLogin, 5, opLogout), 0, nil},
		{figWriteHeavy, "50% login, 30% refresh (EXHPEXPIRE), 10% logout, 10% validate",
			mix(50, opLogin, 30, opRefresh, 10, opLogout, 10, opValidate), 0, nil},
		{figReadHeavy, "90% validate, 9% list, 1% login", mix(90, opValidate, 9, opList, 1, opLogin), 0, nil},
		// One command per operation, so that the row times the single-call path alone (the session
		// mix's sliding refresh is two commands, and its listing a reply of another size); writes
		// and reads alike, as both paths differ.
		{figSingle, "64 goroutines (-singles), each sending one command at a time and waiting for its reply, no pipelines: " +
			"50% login (EXHSET EX), 50% validate (EXHGET); for the baselines, an operation's commands in one round trip",
			nil, 0, singleLoginValidate},
	}
}

// single is one operation of the row without pipelines, sent as a call of its own.
type single func(w *worker, sys *system) error

// singleCaller is a store whose operations can also be sent one call each, without a pipeline:
// the typed client's stores, whose single calls take a path of their own.
type singleCaller interface {
	loginNow(ctx context.Context, user, dev, token string) error
	validateNow(ctx context.Context, user, dev string) error
}

// singleLoginValidate is a login or a validation, one call; for a baseline of plain commands, the
// operation's commands in one round trip (one command for hset; a login is three for strings).
func singleLoginValidate(w *worker, sys *system) error {
	login := w.rng.IntN(2) == 0
	user, dev := w.user(), w.dev()
	if c, ok := sys.st.(singleCaller); ok {
		if login {
			return c.loginNow(w.ctx, user, dev, w.token())
		}
		return c.validateNow(w.ctx, user, dev)
	}
	p := sys.st.pipeline(sys.work)
	if login {
		sys.st.login(w.ctx, p, user, dev, w.token())
	} else {
		sys.st.validate(w.ctx, p, user, dev)
	}
	if _, err := p.Exec(w.ctx); !errors.Is(err, redis.Nil) {
		return err
	}
	return nil
}

func bigPhases() []phase {
	return []phase{
		{figBigWrite, "EXHSET EX of a random field of a 10k-field key", opBigWrite, 0, nil},
		{figBigRead, "EXHGET of a random field of a 10k-field key", opBigRead, 0, nil},
		// One per pipeline: each reply is about half a megabyte, and 16 scripted ones queued behind
		// other connections' made a phase overrun its time by seconds.
		{figBigList, "EXHGETALL of a 10k-field key, one per pipeline (each reply is some 500 kB)", opBigList, 1, nil},
	}
}
