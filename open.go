package tairhash

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Kind names a backend: how TairHash commands reach the server.
type Kind string

// Backend kinds, from the most to the least capable.
const (
	// KindModule: the TairHash module's own EXH* commands (Tair, or Redis with the module).
	KindModule Kind = "tairhash"
	// KindHFE: native hash-field expiration (Redis 7.4+, Redis 8, Valkey 9), package emulate's
	// HFE backend.
	KindHFE Kind = "hfe"
	// KindLua: Lua scripts over a hash and companion keys (any Redis 7.0+ or Valkey 8).
	KindLua Kind = "lua"
)

// rank orders the kinds; a cluster whose masters differ uses the lowest one they all support.
var rank = map[Kind]int{KindLua: 0, KindHFE: 1, KindModule: 2}

// Detection is what Detect found and chose.
type Detection struct {
	// Backend carries the commands; Backend.Name() names it in logs.
	Backend driver.Backend
	// Kind is KindModule, KindHFE or KindLua.
	Kind Kind
	// Forced is true when WithKind chose the kind and no probing was done.
	Forced bool
	// Nodes lists what each probed server (every master of a cluster) offers.
	Nodes []NodeCapabilities
	// Note explains a choice that is not what every node would allow on its own (masters that
	// disagree), empty otherwise.
	Note string
}

// NodeCapabilities is what one server offers.
type NodeCapabilities struct {
	Addr   string
	Module bool // EXH* commands (the TairHash module)
	HFE    bool // HPEXPIRE and friends
	HSetEx bool // HSETEX (Redis 8, Valkey 9), needed by emulate.WithoutVersions
}

// best is the most capable kind the node supports.
func (n NodeCapabilities) best() Kind {
	switch {
	case n.Module:
		return KindModule
	case n.HFE:
		return KindHFE
	}
	return KindLua
}

// String describes the detection for logs.
func (d Detection) String() string {
	s := "backend " + d.Backend.Name()
	if d.Forced {
		return s + " (forced)"
	}
	if d.Note != "" {
		s += " (" + d.Note + ")"
	}
	return s
}

// Option configures Open and Detect.
type Option func(*config)

type config struct {
	kind    Kind
	logger  *slog.Logger
	db      int
	dbSet   bool
	hfeOpts []emulate.HFEOption
	luaOpts []emulate.LuaOption
}

// WithKind skips detection and uses the given kind (KindModule, KindHFE or KindLua).
func WithKind(kind Kind) Option {
	return func(c *config) { c.kind = kind }
}

// WithLogger logs the chosen backend (Info) and disagreeing masters (Warn) to l.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithDB sets the database index the emulation backends name in their expiry notification
// channels. By default it is read from a *redis.Client's options (0 for other clients).
func WithDB(db int) Option {
	return func(c *config) { c.db, c.dbSet = db, true }
}

// WithHFEOptions passes options to emulate.NewHFE when that backend is chosen (for example
// emulate.WithoutVersions or emulate.WithLuaKeys).
func WithHFEOptions(opts ...emulate.HFEOption) Option {
	return func(c *config) { c.hfeOpts = append(c.hfeOpts, opts...) }
}

// WithLuaOptions passes options to emulate.NewLua when that backend is chosen.
func WithLuaOptions(opts ...emulate.LuaOption) Option {
	return func(c *config) { c.luaOpts = append(c.luaOpts, opts...) }
}

// Open detects the backend (see Detect) and returns a typed client over rdb; for the HFE backend
// it also preloads the backend's scripts (HFE.Load). It does not take ownership of rdb.
func Open(ctx context.Context, rdb redis.UniversalClient, opts ...Option) (*exhash.Client, error) {
	cfg := newConfig(rdb, opts)
	d, err := cfg.detect(ctx, rdb)
	if err != nil {
		return nil, err
	}
	// The HFE backend's code is installed once (a function library, or cached scripts), so that
	// pipelined commands do not carry the whole script each. A server that refuses both still
	// works, only slower: that is logged, not fatal.
	if h, ok := d.Backend.(*emulate.HFE); ok {
		if err := h.Load(ctx, rdb); err != nil {
			if cfg.logger != nil {
				cfg.logger.Warn("tairhash: could not preload the HFE backend's scripts", "err", err)
			}
		}
	}
	return exhash.NewClient(rdb, exhash.WithBackend(d.Backend)), nil
}

// Detect chooses how TairHash commands reach the servers behind rdb, by probing for commands
// rather than reading version strings: the TairHash module (EXHSET known) gives the module's
// own commands; hash-field expiration (HPEXPIRE known) the HFE backend; anything else the Lua
// emulation. On a cluster every master is probed; if they disagree the least capable kind wins
// and Note says so. WithKind skips the probes.
func Detect(ctx context.Context, rdb redis.UniversalClient, opts ...Option) (Detection, error) {
	return newConfig(rdb, opts).detect(ctx, rdb)
}

// newConfig applies opts; the database defaults to the client's own.
func newConfig(rdb redis.UniversalClient, opts []Option) *config {
	cfg := &config{}
	for _, o := range opts {
		o(cfg)
	}
	if !cfg.dbSet {
		if c, ok := rdb.(*redis.Client); ok {
			cfg.db = c.Options().DB
		}
	}
	return cfg
}

func (cfg *config) detect(ctx context.Context, rdb redis.UniversalClient) (Detection, error) {
	d := Detection{Kind: cfg.kind, Forced: cfg.kind != ""}
	if !d.Forced {
		nodes, err := probeAll(ctx, rdb)
		if err != nil {
			return Detection{}, err
		}
		d.Nodes = nodes
		d.Kind, d.Note = choose(nodes)
	}
	be, err := cfg.backend(d.Kind)
	if err != nil {
		return Detection{}, err
	}
	d.Backend = be
	if cfg.logger != nil {
		if d.Note != "" {
			cfg.logger.Warn("tairhash: masters differ", "backend", be.Name(), "note", d.Note)
		}
		cfg.logger.Info("tairhash: backend chosen", "backend", be.Name(), "forced", d.Forced, "nodes", len(d.Nodes))
	}
	return d, nil
}

// choose picks the kind every node supports.
func choose(nodes []NodeCapabilities) (kind Kind, note string) {
	kind = KindModule
	var kinds []string
	for _, n := range nodes {
		b := n.best()
		kinds = append(kinds, n.Addr+": "+string(b))
		if rank[b] < rank[kind] {
			kind = b
		}
	}
	for _, n := range nodes {
		if n.best() != kind {
			return kind, "masters differ (" + strings.Join(kinds, ", ") + "); using " + string(kind) + ", which all support"
		}
	}
	return kind, ""
}

// backend builds the backend of a kind.
func (c *config) backend(kind Kind) (driver.Backend, error) {
	switch kind {
	case KindModule:
		return exhash.Native{}, nil
	case KindHFE:
		return emulate.NewHFE(append([]emulate.HFEOption{emulate.WithHFEDatabase(c.db)}, c.hfeOpts...)...), nil
	case KindLua:
		return emulate.NewLua(append([]emulate.LuaOption{emulate.WithLuaDatabase(c.db)}, c.luaOpts...)...), nil
	}
	return nil, fmt.Errorf("tairhash: unknown backend kind %q (want %q, %q or %q)", kind, KindModule, KindHFE, KindLua)
}

// probeAll probes every master of a cluster (every shard of a ring), or the one server.
func probeAll(ctx context.Context, rdb redis.UniversalClient) ([]NodeCapabilities, error) {
	var (
		mu    sync.Mutex
		nodes []NodeCapabilities
	)
	probeNode := func(ctx context.Context, c *redis.Client) error {
		n, err := probe(ctx, c, c.Options().Addr)
		if err != nil {
			return err
		}
		mu.Lock()
		nodes = append(nodes, n)
		mu.Unlock()
		return nil
	}
	var err error
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, probeNode)
	case *redis.Ring:
		err = c.ForEachShard(ctx, probeNode)
	default:
		var n NodeCapabilities
		n, err = probe(ctx, rdb, "")
		nodes = append(nodes, n)
	}
	if err != nil {
		return nil, err
	}
	return nodes, nil
}

// probe asks one server which commands it knows: COMMAND INFO, or, where COMMAND is not
// allowed, the commands themselves on a key that cannot exist.
func probe(ctx context.Context, c interface {
	Do(ctx context.Context, args ...any) *redis.Cmd
}, addr string) (NodeCapabilities, error) {
	n := NodeCapabilities{Addr: addr}
	info, err := c.Do(ctx, "command", "info", "exhset", "hpexpire", "hsetex").Slice()
	if err == nil && len(info) == 3 {
		n.Module, n.HFE, n.HSetEx = info[0] != nil, info[1] != nil, info[2] != nil
		return n, nil
	}
	const key = "exh~probe" // reserved for the library: no user key has this name
	for _, p := range []struct {
		known *bool
		args  []any
	}{
		{&n.Module, []any{"exhlen", key}},
		{&n.HFE, []any{"hpttl", key, "fields", "1", "f"}},
		{&n.HSetEx, []any{"hsetex", key, "fxx", "fields", "1", "f", "v"}},
	} {
		err := c.Do(ctx, p.args...).Err()
		if err != nil && !isServerError(err) {
			return n, fmt.Errorf("tairhash: probing %s: %w", addr, err)
		}
		*p.known = err == nil || !strings.HasPrefix(strings.ToLower(err.Error()), "err unknown command")
	}
	return n, nil
}

func isServerError(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && err != redis.Nil
}
