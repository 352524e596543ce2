// Package reliability holds the library's reliability suites: linearizability of concurrent
// commands against a sequential model of the specification (with expiry), faults (restart with
// AOF, SCRIPT FLUSH under load, dropped connections, slot migration), hostile input and a bounded
// soak. It has no exported API; everything lives in its tests. docs/reliability.md states what
// the suites check and the figures they produce.
//
// The long forms run with -reliability.long:
//
//	go test ./reliability/ -reliability.long
package reliability
