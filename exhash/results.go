package exhash

import (
	"fmt"
	"time"
)

// SetResult is the outcome of EXHSET: the module's reply 1, 0 or -1 as a named value.
type SetResult int8

const (
	// SetNotApplied: NX found the field, or XX found no key or field; nothing changed (reply -1).
	SetNotApplied SetResult = -1
	// SetUpdated: an existing field was replaced (reply 0).
	SetUpdated SetResult = 0
	// SetCreated: a new field was written (reply 1).
	SetCreated SetResult = 1
)

// Applied reports whether the value was written (created or updated).
func (r SetResult) Applied() bool { return r == SetCreated || r == SetUpdated }

// String names the result.
func (r SetResult) String() string {
	switch r {
	case SetCreated:
		return "created"
	case SetUpdated:
		return "updated"
	case SetNotApplied:
		return "not applied"
	}
	return fmt.Sprintf("SetResult(%d)", int8(r))
}

// ValueVersion is a field's value with its version (EXHGETWITHVER and friends).
type ValueVersion struct {
	Value   string
	Version int64
}

// FieldValue is one field of a hash with its value (EXHSCAN pages).
type FieldValue struct {
	Field string
	Value string
}

// FieldVersion names a field with a version; EXHDELWITHVER takes a list of them.
type FieldVersion struct {
	Field   string
	Version int64
}

// Presence says whether the key and field a lookup named exist.
type Presence int8

const (
	// Present: the key exists and the field is live.
	Present Presence = iota
	// NoKey: the key does not exist.
	NoKey
	// NoField: the key exists but the field does not (or it has expired).
	NoField
)

// String names the presence.
func (p Presence) String() string {
	switch p {
	case Present:
		return "present"
	case NoKey:
		return "no key"
	case NoField:
		return "no field"
	}
	return fmt.Sprintf("Presence(%d)", int8(p))
}

// TTLResult is the reply of EXHTTL and EXHPTTL. The module's -1/-2/-3 replies are represented by
// Persistent and Presence, never by a magic duration.
type TTLResult struct {
	Presence   Presence
	Persistent bool          // the field is live and has no TTL (reply -1)
	TTL        time.Duration // time left when the field is live and has a TTL; 0 otherwise
}

// HasTTL reports whether the field exists and will expire.
func (t TTLResult) HasTTL() bool { return t.Presence == Present && !t.Persistent }

// String describes the result, e.g. "1.5s", "persistent", "no field".
func (t TTLResult) String() string {
	switch {
	case t.Presence != Present:
		return t.Presence.String()
	case t.Persistent:
		return "persistent"
	}
	return t.TTL.String()
}

// ExpireTimeResult is the reply of EXPIRETIME and PEXPIRETIME of a key (ExpireTimeKey): its
// deadline, or why there is none (-1 and -2 are Persistent and NoKey).
type ExpireTimeResult struct {
	Presence   Presence  // Present or NoKey
	Persistent bool      // the key exists and has no deadline (reply -1)
	At         time.Time // the deadline when the key has one
}

// String describes the result.
func (e ExpireTimeResult) String() string {
	switch {
	case e.Presence != Present:
		return e.Presence.String()
	case e.Persistent:
		return "persistent"
	}
	return e.At.String()
}

// VersionResult is the reply of EXHVER. The module's -1 (no key) and -2 (no field) replies are
// represented by Presence. A version that wrapped around to -1 or -2 (after 2^63 updates) cannot be
// told apart from those replies by the module's protocol; it is reported as absent.
type VersionResult struct {
	Presence Presence
	Version  int64 // the field's version when Presence is Present
}

// String describes the result.
func (v VersionResult) String() string {
	if v.Presence != Present {
		return v.Presence.String()
	}
	return fmt.Sprint(v.Version)
}

// ScanPage is one EXHSCAN reply: the cursor to continue with (0: the scan is complete) and the
// fields of this page. A page may be empty while Cursor is not 0.
type ScanPage struct {
	Cursor uint64
	Fields []FieldValue
}

// Float is the reply of EXHINCRBYFLOAT: the new value as a float64 and as the exact text the server
// sent (the module computes in 80-bit long double and prints up to 17 decimals, so Text can carry
// digits a float64 cannot). A total beyond float64's range is ±Inf in Value; Text is still exact.
type Float struct {
	Value float64
	Text  string
}
