package devices

import "time"

// Session is one device's session as stored.
type Session struct {
	User, Device string
	Created      time.Time // login
	LastRefresh  time.Time // last write: login, sliding refresh or rotation
	Expires      time.Time // deadline given to the server; never after Created + MaxLifetime
	IP           string    // optional metadata from Meta, at most MaxIPLength bytes
	UserAgent    string    // optional metadata from Meta, at most MaxUserAgentLength bytes

	// Refreshed reports that this Validate (or Login/Rotate) moved Expires; Middleware then
	// re-sends the cookie with the new expiry.
	Refreshed bool

	version  int64 // field version read with the record
	previous bool  // opened by the token the last Rotate replaced (within RotateGrace): not cached
}

// Meta is optional per-device metadata recorded at login. Longer values are cut to the bounds
// above.
type Meta struct {
	IP        string
	UserAgent string
}
