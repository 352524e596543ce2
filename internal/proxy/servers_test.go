package proxy

import (
	"testing"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

func TestMain(m *testing.M) { testserver.Main(m) }

// redis7 is the Redis 7.0 server shared by the tests of this package.
func redis7(tb testing.TB) *testserver.Server { return testserver.Redis7(tb) }

// dedicated starts a Redis 7.0 server for one test, with extra server arguments.
func dedicated(tb testing.TB, args ...string) *testserver.Server {
	return testserver.Start(tb, testserver.KindRedis7, args...)
}
