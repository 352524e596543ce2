// Package emulate gives servers without the TairHash module the module's commands, with the same
// replies and errors (docs/semantics.md):
//
//   - Lua (package emulate/lua) for stock Redis 7.0 and later and Valkey 8: server-side Lua over
//     the user's hash and companion keys, with a Reaper for fields nobody reads;
//   - HFE (package emulate/hfe) for servers with native hash-field expiration (Redis 7.4 and
//     later, Valkey 9): Redis expires the fields, the backend keeps their versions.
//
// This package is the one users import: it names both backends and their options, so that code
// written against it does not follow the backends' internal layout. Companion keys are named by
// CompanionKeys (docs/architecture.md); both backends share the names and the key-level commands
// (DEL, RENAME, COPY, EXPIRE, …) that keep companions with their key.
package emulate

import (
	"github.com/tairhash-go/tairhash/emulate/hfe"
	"github.com/tairhash-go/tairhash/emulate/internal/companion"
	"github.com/tairhash-go/tairhash/emulate/lua"
)

// The Lua backend and its reaper (package emulate/lua).
type (
	Lua          = lua.Lua
	LuaOption    = lua.LuaOption
	Reaper       = lua.Reaper
	ReaperOption = lua.ReaperOption
	ReaperStats  = lua.ReaperStats
)

// NewLua returns the Lua emulation backend (see Lua).
func NewLua(opts ...LuaOption) *Lua { return lua.NewLua(opts...) }

// Options of the Lua backend and its reaper; see package emulate/lua.
var (
	WithLuaDatabase          = lua.WithLuaDatabase
	WithLuaOneCallPerCommand = lua.WithLuaOneCallPerCommand
	NewReaper                = lua.NewReaper
	WithReaperDatabase       = lua.WithReaperDatabase
	WithReaperDatabases      = lua.WithReaperDatabases
	WithReaperFieldsPerKey   = lua.WithReaperFieldsPerKey
	WithReaperInterval       = lua.WithReaperInterval
	WithReaperKeysPerTick    = lua.WithReaperKeysPerTick
)

// The hash-field-expiration backend, its watchers and the migration to it (package emulate/hfe).
type (
	HFE            = hfe.HFE
	HFEOption      = hfe.HFEOption
	DueWatch       = hfe.DueWatch
	HExpiredEvent  = hfe.HExpiredEvent
	HExpiredWatch  = hfe.HExpiredWatch
	MigrateOptions = hfe.MigrateOptions
	MigrateStats   = hfe.MigrateStats
)

// NewHFE returns the hash-field-expiration backend (see HFE).
func NewHFE(opts ...HFEOption) *HFE { return hfe.NewHFE(opts...) }

// Options, watchers and migration of the HFE backend; see package emulate/hfe.
var (
	WithHFEDatabase  = hfe.WithHFEDatabase
	WithHFEDueGrace  = hfe.WithHFEDueGrace
	WithLuaKeys      = hfe.WithLuaKeys
	WithoutVersions  = hfe.WithoutVersions
	WatchHExpired    = hfe.WatchHExpired
	MigrateLuaToHFE  = hfe.MigrateLuaToHFE
	ErrNeedsVersions = hfe.ErrNeedsVersions
	// ErrHashEventsDisabled: the server does not publish the hash-field events a watcher needs.
	ErrHashEventsDisabled = hfe.ErrHashEventsDisabled
)

// DueGrace is how long the HFE backend waits past a tombstone's deadline (hfe.DueGrace).
const DueGrace = hfe.DueGrace

// Companion key naming, shared by both backends (docs/architecture.md).
const CompanionPrefix = companion.CompanionPrefix

var (
	CompanionKeys     = companion.CompanionKeys
	DeadlineKey       = companion.DeadlineKey
	CheckKey          = companion.CheckKey
	KeyOfTTLCompanion = companion.KeyOfTTLCompanion
)
