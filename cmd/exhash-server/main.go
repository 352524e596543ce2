// Command exhash-server speaks the TairHash protocol (EXH* commands) in front of a stock Redis or Valkey
// server. EXH* commands are answered by the Lua emulation of package emulate (or passed to a server with
// the TairHash module with --backend native); every other command goes to the upstream unchanged, on an
// upstream connection of the client's own. See docs/exhash-server.md.
//
// Every flag can also be set through the environment variable named in its help (the flag wins).
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"

	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/proxy"
)

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "exhash-server:", err)
		os.Exit(1)
	}
}

// options are the command line, after flags and environment.
type options struct {
	listen, upstream, user, password, backend, logLevel string
	tls                                                 bool
	tlsCA, tlsCert, tlsKey, tlsServerName               string
	tlsInsecure                                         bool
	maxCommand, maxPending, maxPendingBytes             int
	maxClients, maxInputBytes                           int
	commandTimeout, idleTimeout                         time.Duration
	allowCompanionKeys                                  bool
	metricsAddr                                         string
	shutdownTimeout                                     time.Duration
	reapDBs                                             string
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("exhash-server", flag.ContinueOnError)
	str := func(p *string, name, env, def, help string) {
		if v, ok := os.LookupEnv(env); ok {
			def = v
		}
		fs.StringVar(p, name, def, help+" ($"+env+")")
	}
	boolean := func(p *bool, name, env, help string) {
		def, _ := strconv.ParseBool(os.Getenv(env))
		fs.BoolVar(p, name, def, help+" ($"+env+")")
	}
	integer := func(p *int, name, env string, def int, help string) {
		if v, err := strconv.Atoi(os.Getenv(env)); err == nil {
			def = v
		}
		fs.IntVar(p, name, def, help+" ($"+env+")")
	}
	duration := func(p *time.Duration, name, env string, def time.Duration, help string) {
		if v, err := time.ParseDuration(os.Getenv(env)); err == nil {
			def = v
		}
		fs.DurationVar(p, name, def, help+" ($"+env+")")
	}
	str(&o.listen, "listen", "EXHASH_LISTEN", "127.0.0.1:6380", "address to accept clients on")
	str(&o.upstream, "upstream", "EXHASH_UPSTREAM", "127.0.0.1:6379", "address of the Redis or Valkey server behind this one")
	str(&o.user, "upstream-user", "EXHASH_UPSTREAM_USER", "", "ACL user to log in to the upstream as")
	str(&o.password, "upstream-password", "EXHASH_UPSTREAM_PASSWORD", "", "password for the upstream (prefer the environment variable: flags show in ps)")
	boolean(&o.tls, "upstream-tls", "EXHASH_UPSTREAM_TLS", "connect to the upstream over TLS")
	str(&o.tlsCA, "upstream-tls-ca", "EXHASH_UPSTREAM_TLS_CA", "", "PEM file of the CA that signed the upstream's certificate (default: system roots)")
	str(&o.tlsCert, "upstream-tls-cert", "EXHASH_UPSTREAM_TLS_CERT", "", "PEM client certificate for the upstream (with --upstream-tls-key)")
	str(&o.tlsKey, "upstream-tls-key", "EXHASH_UPSTREAM_TLS_KEY", "", "PEM key of the client certificate")
	str(&o.tlsServerName, "upstream-tls-server-name", "EXHASH_UPSTREAM_TLS_SERVER_NAME", "", "name to verify the upstream's certificate against (default: the host of --upstream)")
	boolean(&o.tlsInsecure, "upstream-tls-insecure", "EXHASH_UPSTREAM_TLS_INSECURE", "do not verify the upstream's certificate (testing only)")
	str(&o.backend, "backend", "EXHASH_BACKEND", defaultBackend, "how EXH* commands are answered: "+backendNames())
	str(&o.logLevel, "log-level", "EXHASH_LOG_LEVEL", "info", "debug, info, warn or error")
	integer(&o.maxCommand, "max-command-bytes", "EXHASH_MAX_COMMAND_BYTES", proxy.DefaultMaxCommandBytes, "largest client command accepted")
	integer(&o.maxPending, "max-pending", "EXHASH_MAX_PENDING", proxy.DefaultMaxPending, "unanswered commands per client before the server stops reading it")
	integer(&o.maxPendingBytes, "max-pending-bytes", "EXHASH_MAX_PENDING_BYTES", proxy.DefaultMaxPendingBytes, "bytes of unanswered commands per client before the server stops reading it")
	integer(&o.maxClients, "max-clients", "EXHASH_MAX_CLIENTS", proxy.DefaultMaxClients, "clients connected at once; one more gets \"ERR max number of clients reached\"")
	integer(&o.maxInputBytes, "max-input-bytes", "EXHASH_MAX_INPUT_BYTES", proxy.DefaultMaxInputBytes, "bytes held for commands being received, all clients together; the client that would pass it is disconnected")
	duration(&o.commandTimeout, "command-timeout", "EXHASH_COMMAND_TIMEOUT", proxy.DefaultCommandTimeout, "longest time from a command's first byte to its last before the client is disconnected (0: none)")
	duration(&o.idleTimeout, "idle-timeout", "EXHASH_IDLE_TIMEOUT", 0, "disconnect a client idle that long, unless it waits for a reply or is subscribed (0: never)")
	boolean(&o.allowCompanionKeys, "allow-companion-keys", "EXHASH_ALLOW_COMPANION_KEYS", "let plain commands name keys starting with exh~, the lua backend's companion keys (repairs only)")
	str(&o.metricsAddr, "metrics-addr", "EXHASH_METRICS_ADDR", "", "address to serve Prometheus metrics on, at /metrics (empty: none)")
	duration(&o.shutdownTimeout, "shutdown-timeout", "EXHASH_SHUTDOWN_TIMEOUT", 10*time.Second, "how long SIGINT/SIGTERM waits for replies on their way before closing connections")
	str(&o.reapDBs, "reap-dbs", "EXHASH_REAP_DBS", "0", "databases whose expired fields the lua backend removes and announces without waiting for a command (comma-separated; empty: none)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return o, nil
}

func (o options) tlsConfig() (*tls.Config, error) {
	if !o.tls {
		return nil, nil
	}
	cfg := &tls.Config{ServerName: o.tlsServerName, InsecureSkipVerify: o.tlsInsecure, MinVersion: tls.VersionTLS12}
	if o.tlsCA != "" {
		pem, err := os.ReadFile(o.tlsCA)
		if err != nil {
			return nil, err
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", o.tlsCA)
		}
	}
	if o.tlsCert != "" || o.tlsKey != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// run serves until SIGINT, SIGTERM or the end of ctx, then shuts down gracefully.
func run(ctx context.Context, args []string) error {
	o, err := parse(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	be, ok := backends[o.backend]
	if !ok {
		return fmt.Errorf("--backend %q: want one of %s", o.backend, backendNames())
	}
	tlsCfg, err := o.tlsConfig()
	if err != nil {
		return fmt.Errorf("upstream TLS: %w", err)
	}
	up := proxy.Upstream{Addr: o.upstream, Username: o.user, Password: o.password, TLS: tlsCfg}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	info, err := proxy.Probe(ctx, up)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	dbs, err := reapDatabases(o)
	if err != nil {
		return err
	}
	if info.ClientsLogIn {
		log.Info("the upstream wants a login and the server has no credentials: clients send AUTH themselves")
		if len(dbs) > 0 {
			log.Warn("not reaping expired fields: the reaper would need --upstream-password", "reap_dbs", o.reapDBs)
			dbs = nil
		}
	}
	reaper, reaping := startReaper(ctx, up, dbs, log)
	defer reaping()
	metrics, stopMetrics, err := serveMetrics(o.metricsAddr, reaper, log)
	if err != nil {
		return err
	}
	defer stopMetrics()
	srv := proxy.New(proxy.Config{
		Upstream: up, Backend: withExpireInfo(be.forDB, reaper), Load: be.load, Logger: log,
		MaxCommandBytes: o.maxCommand, MaxPending: o.maxPending, MaxPendingBytes: o.maxPendingBytes,
		MaxClients: o.maxClients, MaxInputBytes: o.maxInputBytes,
		CommandTimeout: noneIfZero(o.commandTimeout), IdleTimeout: o.idleTimeout,
		AllowCompanionKeys: o.allowCompanionKeys || o.backend != "lua", KeyCommands: o.backend == "lua",
		Metrics: metrics,
	})
	warnDescriptors(o.maxClients, log)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("serving", "listen", ln.Addr().String(), "upstream", o.upstream,
		"upstream_version", info.Version, "backend", o.backend, "tls", tlsCfg != nil)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal ends the process at once
	log.Info("shutting down", "timeout", o.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("closed connections that had replies pending", "err", err)
	}
	return <-served
}

// warnDescriptors warns when the process may run out of file descriptors before --max-clients:
// each client takes two (its own connection and its upstream one). The server copes (its accept loop
// backs off), but clients then wait instead of getting Redis' "max number of clients" error.
func warnDescriptors(maxClients int, log *slog.Logger) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	if need := uint64(2*maxClients + 64); lim.Cur < need {
		log.Warn("the descriptor limit is below what --max-clients needs (two per client)",
			"limit", lim.Cur, "max_clients", maxClients, "needed", need)
	}
}

// noneIfZero maps a flag's 0 ("none") to proxy.Config's negative duration.
func noneIfZero(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// backend is one way of answering EXH* commands.
type backend struct {
	forDB func(db int) driver.Backend                        // the backend for a client on database db
	load  func(context.Context, redis.UniversalClient) error // what it installs on the upstream, or nil
}

// backends are the ways EXH* commands can be answered, by --backend name.
var backends = map[string]backend{
	"lua":    luaBackend(),
	"native": {forDB: func(int) driver.Backend { return exhash.Native{} }},
}

const defaultBackend = "lua"

func luaBackend() backend {
	forDB, load := proxy.LuaBackends()
	return backend{forDB: forDB, load: load}
}

func backendNames() string {
	names := slices.Sorted(maps.Keys(backends))
	return strings.Join(names, ", ")
}

// reapDatabases parses --reap-dbs; only the lua backend has fields to reap (the module expires
// its own).
func reapDatabases(o options) ([]int, error) {
	if o.backend != "lua" || strings.TrimSpace(o.reapDBs) == "" {
		return nil, nil
	}
	var dbs []int
	for _, s := range strings.Split(o.reapDBs, ",") {
		db, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || db < 0 {
			return nil, fmt.Errorf("--reap-dbs: %q is not a database index", s)
		}
		dbs = append(dbs, db)
	}
	return dbs, nil
}

// startReaper runs one emulate.Reaper for the databases, walking them in order on its own upstream
// connections, so fields of keys no client reads still expire with their notifications (otherwise
// Redis reclaims such keys silently, scripts.KeyExpiryGrace after their last deadline), and the
// notifications of several databases come in database order, as the module's timer sends them. It
// returns nil when there is nothing to reap; stop stops it.
func startReaper(ctx context.Context, up proxy.Upstream, dbs []int, log *slog.Logger) (reaper *emulate.Reaper, stop func()) {
	if len(dbs) == 0 {
		return nil, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	opts := up.RedisOptions()
	opts.DB = dbs[0]
	rdb := redis.NewClient(opts)
	reaper = emulate.NewReaper(rdb, emulate.WithReaperDatabases(dbs...))
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer rdb.Close()
		_ = reaper.Run(ctx)
	}()
	log.Debug("reaping", "dbs", dbs)
	return reaper, func() {
		cancel()
		<-done
	}
}

// withExpireInfo answers EXHEXPIREINFO with the reaper's figures, in the module's layout, in place
// of the backend's (which knows of no reaper).
func withExpireInfo(forDB func(int) driver.Backend, reaper *emulate.Reaper) func(int) driver.Backend {
	if reaper == nil {
		return forDB
	}
	return func(db int) driver.Backend { return expireInfoBackend{forDB(db), reaper} }
}

type expireInfoBackend struct {
	driver.Backend
	reaper *emulate.Reaper
}

// The wrapper keeps the steps of the backend's own that the server takes around its commands:
// joining a client's consecutive commands, preparing transactions, recovering lost scripts and
// the integer pass of replies.
var (
	_ driver.Batcher        = expireInfoBackend{}
	_ driver.Recoverer      = expireInfoBackend{}
	_ driver.PipelineExecer = expireInfoBackend{}
)

func (b expireInfoBackend) Batch(ctx context.Context, cmds []redis.Cmder) ([]redis.Cmder, func()) {
	if x, ok := b.Backend.(driver.Batcher); ok {
		return x.Batch(ctx, cmds)
	}
	return nil, nil
}

func (b expireInfoBackend) PrepareTransaction(cmds []redis.Cmder, cluster bool) {
	if x, ok := b.Backend.(driver.Recoverer); ok {
		x.PrepareTransaction(cmds, cluster)
	}
}

func (b expireInfoBackend) Recover(ctx context.Context, cmds []redis.Cmder) []redis.Cmder {
	if x, ok := b.Backend.(driver.Recoverer); ok {
		return x.Recover(ctx, cmds)
	}
	return nil
}

func (b expireInfoBackend) ExecPipeline(ctx context.Context, p redis.Pipeliner, tx bool) ([]redis.Cmder, error) {
	if x, ok := b.Backend.(driver.PipelineExecer); ok {
		return x.ExecPipeline(ctx, p, tx)
	}
	return p.Exec(ctx)
}

func (b expireInfoBackend) Do(ctx context.Context, c driver.Conn, args ...any) *redis.Cmd {
	if name, _ := args[0].(string); name != "exhexpireinfo" || len(args) != 1 {
		return b.Backend.Do(ctx, c, args...) // the backend answers a wrong arity too
	}
	cmd := redis.NewCmd(ctx, args...)
	cmd.SetVal(b.reaper.ExpireInfo())
	return cmd
}

// serveMetrics serves Prometheus metrics on addr (none when addr is empty): the server's, the fields
// the reaper removed, and the Go runtime's and the process's. stop closes the listener.
func serveMetrics(addr string, reaper *emulate.Reaper, log *slog.Logger) (m *proxy.Metrics, stop func(), err error) {
	if addr == "" {
		return nil, func() {}, nil
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "exhash_server_reaper_fields_removed_total",
		Help: "Expired fields the reaper (--reap-dbs) removed and announced.",
	}, func() float64 {
		if reaper == nil {
			return 0
		}
		return float64(reaper.Stats().FieldsReaped)
	}))
	m = proxy.NewMetrics(reg)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	log.Info("serving metrics", "addr", ln.Addr().String())
	return m, func() { _ = hs.Close() }, nil
}
