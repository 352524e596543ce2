package reliability

import "sync/atomic"

// opsChecked counts the operations proven linearizable in this run (logged by the suites; the
// figures in docs/reliability.md come from these logs).
var opsChecked atomic.Int64
