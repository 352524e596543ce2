package devices

import "errors"

// Errors returned by the store, for errors.Is. Server and transport errors are returned as they
// come from the exhash client.
var (
	// ErrBadID: a user or device id is empty, longer than MaxIDLength, contains '{', '}', ':' or
	// NUL, is not valid UTF-8 or contains control or bidi characters (unless Options.AnyIDText),
	// or makes with the prefix a key name the emulations reserve. Nothing was sent to the server.
	ErrBadID = errors.New("devices: bad user or device id")

	// ErrInvalidToken: the token is malformed, truncated, forged, or was replaced (by Rotate or a
	// new login on the same device). Malformed tokens are refused before anything is sent.
	ErrInvalidToken = errors.New("devices: invalid token")

	// ErrNoSession: the device has no session (never logged in, logged out, evicted or expired).
	ErrNoSession = errors.New("devices: no such session")

	// ErrExpired: the session reached its absolute lifetime or its deadline by the application's
	// clock although the server still held it (clocks slightly apart).
	ErrExpired = errors.New("devices: session expired")

	// ErrTooManyDevices: the user already has MaxDevices devices and Options.RefuseWhenFull is set.
	ErrTooManyDevices = errors.New("devices: too many devices")

	// ErrCorruptRecord: the stored value of a device is not a record this package wrote.
	ErrCorruptRecord = errors.New("devices: corrupt session record")

	// ErrConflict: an update lost to concurrent updates of the same user more times than the store
	// retries (see Options.MaxRetries).
	ErrConflict = errors.New("devices: too much contention on the user's key")
)
