package devices

import (
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// EventKind says what happened to a user's sessions.
type EventKind int

const (
	EventLogin        EventKind = iota + 1 // Device logged in (Meta; Replaced: it had a session)
	EventRotate                            // Device's token was replaced (Retry: with the previous token)
	EventLogout                            // Devices: the one device Logout ended
	EventLogoutOthers                      // Devices: those LogoutOthers ended; Device: the one kept
	EventLogoutAll                         // Devices: those LogoutAll ended
	EventEvicted                           // Devices: evicted by MaxDevices for Device's login
	EventExpired                           // Device's field expired on the server (seen by a Listener)
)

var eventNames = [...]string{"", "login", "rotate", "logout", "logout-others", "logout-all", "evicted", "expired"}

func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "unknown"
}

// Event is one change to a user's sessions, for an audit trail (Options.OnEvent).
type Event struct {
	Kind    EventKind
	User    string
	Device  string
	Devices []string
	Meta    Meta // EventLogin
	// Replaced: EventLogin on a device that had a session. Retry: EventRotate with the token an
	// earlier rotation replaced, within RotateGrace (usually a retry after a lost reply).
	Replaced, Retry bool
	// Uncertain: the request reached the connection but its reply did not come back (a cut
	// connection, a timeout), so the change may or may not have been applied. Reported so that
	// no change the store caused goes unreported; the method itself returned the error.
	Uncertain bool
	Time      time.Time // when the store learnt of it
}

// emit hands ev to Options.OnEvent, if set.
func (s *Store) emit(ev Event) {
	if s.o.OnEvent != nil {
		ev.Time = time.Now()
		s.o.OnEvent(ev)
	}
}

// emitUnlessRefused reports ev when err leaves the change possible: err is nil (confirmed) or a
// transport error (Uncertain). An error reply from the server or a refusal by this package means
// nothing was changed.
func (s *Store) emitUnlessRefused(ev Event, err error) {
	if err != nil {
		var reply redis.Error
		if errors.As(err, &reply) || errors.Is(err, redis.TxFailedErr) || errors.Is(err, ErrConflict) ||
			errors.Is(err, ErrTooManyDevices) || isAuthError(err) {
			return
		}
		ev.Uncertain = true
	}
	s.emit(ev)
}
