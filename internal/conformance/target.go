package conformance

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Target is one backend on one server to check against the specification.
type Target struct {
	// Name names the group of subtests, e.g. "tairhash" or "lua/redis7".
	Name string
	// Backend carries every TairHash command of the scenarios.
	Backend driver.Backend
	// Client is where commands go (it may be a cluster client). Scenarios also use it directly
	// for native commands (EXISTS, SET, HSET, TIME, SUBSCRIBE).
	Client redis.UniversalClient
	// DB is the database index Client uses, for notification channel names.
	DB int
	// Module is true for the real TairHash module: expectations that depend on the module's
	// defects (§11 of the specification: empty keys left behind, EXHLEN counting expired fields
	// not removed yet, fields expiring only when named) follow the module, and scenarios that
	// would crash it (D1) are skipped. False for this project's backends, which must follow the
	// corrected behaviour of docs/architecture.md: no empty keys, EXHLEN counts live fields only,
	// every access first removes all of the key's due fields.
	Module bool
	// UnnamedServerExpiry is true for backends whose fields the server itself expires without
	// telling which (native hash-field expiration: Redis emits the keyspace event hexpired per
	// key, without field names; docs/hfe.md). A field that expires that way is then checked to
	// be gone with nothing published on the key's channel, instead of being published by name.
	UnnamedServerExpiry bool
	// Prefix returns a key prefix unique to the test (servers are shared); every key a scenario
	// touches starts with it. It must not contain '{' or '}'.
	Prefix func(t testing.TB) string
}

// scenario is one subtest: a behaviour of the specification checked end to end.
type scenario struct {
	name string
	run  func(e *env)
}

// groups lists every scenario, file by file (one file per area of the specification).
func groups() [][]scenario {
	return [][]scenario{
		grammarScenarios,
		arityScenarios,
		setScenarios,
		setTTLScenarios,
		multiSetScenarios,
		readScenarios,
		incrScenarios,
		floatScenarios,
		expireScenarios,
		ttlVerScenarios,
		deleteScenarios,
		lenScenarios,
		walkScenarios,
		scanScenarios,
		lifecycleScenarios,
		expiryScenarios,
		notifyScenarios,
		wrongTypeScenarios,
		binaryScenarios,
		multiExecScenarios,
		moduleOnlyScenarios,
	}
}

// scenarios returns every scenario in a stable order.
func scenarios() []scenario {
	var all []scenario
	for _, g := range groups() {
		all = append(all, g...)
	}
	return all
}

// Run checks target against every scenario, each a parallel subtest of a subtest named
// target.Name.
func Run(t *testing.T, target Target) {
	t.Helper()
	t.Run(target.Name, func(t *testing.T) {
		for _, s := range scenarios() {
			t.Run(s.name, func(t *testing.T) {
				t.Parallel()
				s.run(newEnv(t, target))
			})
		}
	})
}
