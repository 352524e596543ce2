package bench

import (
	"io"
	"time"
)

// Config sizes one run of the harness. Default is the published run; Quick a check in seconds.
type Config struct {
	Users      int // session users, each logged in on Devices devices
	Devices    int
	TokenBytes int // length of a session token
	BigKeys    int // keys of BigFields fields each
	BigFields  int

	Conns int // client connections, one goroutine each
	Depth int // commands (logical operations) per pipeline
	// Singles is the goroutines of the row without pipelines, each sending one command at a time
	// on a connection of its own.
	Singles int

	Rounds    int           // rounds of every phase; figures are medians over rounds
	PhaseTime time.Duration // length of one timed phase in one round

	ReclaimFields  int           // fields left to expire with no client reading
	ReclaimTimeout time.Duration // give up waiting for reclamation after this

	// Systems restricts the run to these names (see Systems); empty means every one that can run.
	Systems []string

	// ModulePath is a TairHash module (.so) to load into a fresh Redis 7.0; ModuleAddr a running
	// Redis with the module, used when ModulePath is empty (shared, so its memory figure is marked).
	ModulePath string
	ModuleAddr string

	// Progress receives one line per step; nil means none.
	Progress io.Writer
}

// Default is the published configuration: 100k users × 5 devices, 10 keys of 10k fields,
// 8 connections × pipelines of 16 (64 connections for the row without pipelines), 5 rounds of 0.4 s per phase, 100k fields to reclaim (about 8 minutes).
func Default() Config {
	return Config{
		Users: 100_000, Devices: 5, TokenBytes: 40,
		BigKeys: 10, BigFields: 10_000,
		Conns: 8, Depth: 16, Singles: 64,
		Rounds: 5, PhaseTime: 400 * time.Millisecond,
		ReclaimFields: 100_000, ReclaimTimeout: 150 * time.Second,
	}
}

// Quick is Default scaled down to run in well under a minute, for CI-like checks.
func Quick() Config {
	c := Default()
	c.Users, c.BigKeys, c.BigFields = 5_000, 1, 10_000
	c.Rounds, c.PhaseTime = 3, 150*time.Millisecond
	c.ReclaimFields, c.ReclaimTimeout = 5_000, 20*time.Second
	return c
}

// fields is the number of session fields the preload writes.
func (c Config) fields() int { return c.Users * c.Devices }
