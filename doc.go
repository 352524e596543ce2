// Package tairhash is the entry point of tairhash-go: per-field TTL and per-field versions on a hash
// (the TairHash data model) for every Go service, whatever server it talks to.
//
// Open probes the server and returns a typed client (package exhash) on the best backend it offers:
// the module's own commands on Tair, hash-field expiration on Redis 7.4+/8 and Valkey 9, the Lua
// emulation on Redis 7.0 and Valkey 8 (package emulate). Package devices is a multi-device session
// store on top; package tairgo is tair-go's API for programs ported from it; backend authors use
// package exhash/driver.
//
// Options follow one rule across the module's packages: a constructor takes functional options
// named With… (or Without…), such as WithKind here, exhash.WithBackend, emulate.WithLuaDatabase or
// emulate.WithReaperInterval; the two components with many settings take an options struct whose
// zero value means the defaults (devices.Options, emulate.MigrateOptions).
package tairhash
