package proxy

import (
	"context"
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Defaults for the bounds in Config. Together they bound what one client connection can make the server
// hold: the command it is receiving (at most twice the bytes received so far, at most MaxCommandBytes,
// and all clients together at most MaxInputBytes), the arguments of at most MaxPending unanswered
// commands, capped by MaxPendingBytes, and 64 KiB of buffers each way. Replies are streamed, except
// those of EXH* commands, which are decoded to answer in the module's shape and so are held once, like
// any go-redis client would.
const (
	DefaultMaxCommandBytes = 64 << 20
	DefaultMaxPending      = 1024
	DefaultMaxPendingBytes = 16 << 20
	DefaultDialTimeout     = 5 * time.Second
	DefaultMaxClients      = 10000 // Redis' maxclients default
	DefaultMaxInputBytes   = 256 << 20
	DefaultCommandTimeout  = 30 * time.Second
)

// Config describes a server.
type Config struct {
	// Upstream is the stock Redis (or Valkey) server behind this one.
	Upstream Upstream

	// Backend returns the backend that answers EXH* commands for a client whose connection has database
	// db selected (the Lua emulation writes db into its expiry notification channels). Nil means
	// exhash.Native{} for every database: the upstream has the TairHash module.
	Backend func(db int) driver.Backend

	// Load installs on the upstream what the backend needs there (the Lua emulation: its scripts),
	// through c, a client of the upstream. It runs before the first client's first command, and again
	// once the upstream may have lost it: after a NOSCRIPT reply, or after an upstream connection
	// broke (a restart). Nil: nothing to install.
	Load func(ctx context.Context, c redis.UniversalClient) error

	// Logger receives connection and error events; nil means slog.Default().
	Logger *slog.Logger

	// MaxCommandBytes bounds one client command; a client that sends a larger one gets an error and is
	// disconnected. 0 means DefaultMaxCommandBytes.
	MaxCommandBytes int
	// MaxPending bounds the commands of one client sent upstream but not yet answered; past it the
	// server stops reading that client until replies drain. 0 means DefaultMaxPending.
	MaxPending int
	// MaxPendingBytes bounds the size of those commands (a single larger command still passes, alone).
	// 0 means DefaultMaxPendingBytes.
	MaxPendingBytes int
	// MaxClients bounds the clients connected at once; one more gets Redis' "ERR max number of
	// clients reached" and is disconnected. 0 means DefaultMaxClients.
	MaxClients int
	// MaxInputBytes bounds the bytes held for commands being received, all clients together; the
	// client whose command would pass it gets an error and is disconnected. 0 means
	// DefaultMaxInputBytes.
	MaxInputBytes int
	// CommandTimeout bounds the time from a command's first byte to its last; a client slower than
	// that is disconnected. 0 means DefaultCommandTimeout, negative none.
	CommandTimeout time.Duration
	// IdleTimeout disconnects a client that sends nothing for that long while no reply is pending and
	// it is not subscribed (Redis' timeout). 0 means none.
	IdleTimeout time.Duration

	// AllowCompanionKeys lets plain commands name keys starting with the Lua emulation's companion
	// prefix (exh~), for repairs; by default they are refused (see companionRefusal).
	AllowCompanionKeys bool

	// KeyCommands hands the key-level commands (keyCommands: DEL, RENAME, SCAN, DBSIZE, …) to the
	// backend too, as the emulations carry and hide their companion keys there; a server in front of
	// the module passes them through.
	KeyCommands bool

	// Metrics receives the server's counts; nil: none are kept.
	Metrics *Metrics

	// batchFlushOnly turns off the early flushes of EXH* commands in a pipelined batch (see
	// session.handle); only the benchmark sets it, to measure what they gain.
	batchFlushOnly bool
}

// Upstream says how to reach and log in to the upstream server. Every client connection gets its own
// upstream connection, made with these settings when the client sends its first command.
type Upstream struct {
	Addr        string        // host:port
	Username    string        // ACL user; empty means "default"
	Password    string        // sent with AUTH before any client command when not empty
	TLS         *tls.Config   // nil means plain TCP
	DialTimeout time.Duration // 0 means DefaultDialTimeout
}

func (c *Config) withDefaults() Config {
	d := *c
	if d.Backend == nil {
		d.Backend = func(int) driver.Backend { return exhash.Native{} }
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.MaxCommandBytes <= 0 {
		d.MaxCommandBytes = DefaultMaxCommandBytes
	}
	if d.MaxPending <= 0 {
		d.MaxPending = DefaultMaxPending
	}
	if d.MaxPendingBytes <= 0 {
		d.MaxPendingBytes = DefaultMaxPendingBytes
	}
	if d.MaxClients <= 0 {
		d.MaxClients = DefaultMaxClients
	}
	if d.MaxInputBytes <= 0 {
		d.MaxInputBytes = DefaultMaxInputBytes
	}
	switch {
	case d.CommandTimeout == 0:
		d.CommandTimeout = DefaultCommandTimeout
	case d.CommandTimeout < 0:
		d.CommandTimeout = 0
	}
	if d.Upstream.DialTimeout <= 0 {
		d.Upstream.DialTimeout = DefaultDialTimeout
	}
	return d
}

// RedisOptions are go-redis options for a client of the upstream (Config.Load runs on one).
func (u Upstream) RedisOptions() *redis.Options {
	return &redis.Options{
		Addr: u.Addr, Username: u.Username, Password: u.Password, TLSConfig: u.TLS,
		DialTimeout: u.DialTimeout, Protocol: 2, DisableIdentity: true,
	}
}
