package reliability

import (
	"flag"
	"testing"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// long selects the long forms of the suites (more operations, a soak of minutes). CI runs the
// short forms, which keep the whole package well under 90 s.
var long = flag.Bool("reliability.long", false, "run the long forms of the reliability suites")

func TestMain(m *testing.M) { testserver.Main(m) }

// scale returns short in the default run and long with -reliability.long.
func scale(short, longer int) int {
	if *long {
		return longer
	}
	return short
}
