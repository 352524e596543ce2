// Package testserver starts real Redis-compatible servers for tests, on free loopback ports.
//
// Kinds: "redis7" (Redis 7.0), "valkey8" (Valkey 8), "redis8" (Redis 8, with hash-field
// expiration), "valkey9" (Valkey 9.1, with Valkey's hash-field expiration), "cluster" (three
// Redis 7.0 masters covering all 16384 slots) and "cluster8" (the same of Redis 8).
//
// Redis7, Valkey8, Redis8, Valkey9, Cluster and Cluster8 return a server shared by the whole test binary: it is
// started on first use and lives until the binary exits. Tests sharing a server prefix every
// key with Prefix. Start gives a test its own instance, for tests that change configuration,
// restart or kill the server.
//
// The binaries are the launchers written by tools/provision.sh (`make servers`) into
// $TAIRHASH_SERVERS/bin, by default <module root>/.cache/servers/bin; the module root is found by
// walking up from the working directory to go.mod. When a binary is missing the test is
// skipped, or fails when CI=true.
//
// Server processes never outlive the test binary: they get SIGKILL when it dies (Linux parent
// death signal), and Main stops them explicitly for packages that use it in TestMain. When a test
// that used a server fails, the server's log lines written during the test are printed.
package testserver
