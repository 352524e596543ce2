package devices

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tairhash-go/tairhash/emulate"
)

// Defaults of Options.
const (
	DefaultPrefix          = "session:"
	DefaultIdleTimeout     = 24 * time.Hour
	DefaultMaxLifetime     = 30 * 24 * time.Hour
	DefaultRefreshInterval = time.Minute
	DefaultMaxRetries      = 32
	DefaultCacheMaxAge     = 5 * time.Second
	DefaultCookieName      = "session"
	DefaultRotateGrace     = 30 * time.Second
)

// Options configures a Store. The zero value gives the defaults above.
type Options struct {
	// Prefix is put before the user id to make the user's key. It must not contain '{' or '}' (each
	// user's key then hashes to its own cluster slot) and must not start with "exh~" (reserved by
	// the emulations).
	Prefix string

	// IdleTimeout is how long a device stays logged in without use (sliding expiry).
	IdleTimeout time.Duration
	// MaxLifetime caps a session counted from login, however often it is used (absolute expiry).
	MaxLifetime time.Duration
	// RefreshInterval is the least time between two refreshes of a device's expiry by Validate, so
	// a busy client does not write on every request. It is capped at IdleTimeout/2.
	RefreshInterval time.Duration

	// RotateGrace is how long the token a Rotate replaced keeps working (requests in flight, and a
	// Rotate retried after its reply was lost). 0: DefaultRotateGrace; negative: not at all.
	RotateGrace time.Duration

	// MaxDevices bounds the devices per user (0: no bound). A login on one device too many evicts
	// the device that logged in first, or fails with ErrTooManyDevices when RefuseWhenFull is set.
	MaxDevices     int
	RefuseWhenFull bool

	// MaxRetries bounds how often an update that lost a race (WATCH conflict, stale version) is
	// retried before ErrConflict.
	MaxRetries int

	// Channel is where logouts, evictions and rotations are published (default Prefix+"revoked").
	Channel string

	// CacheSize > 0 keeps up to that many recent validations in process while a Listener runs (see
	// Listen); CacheMaxAge bounds how long one is trusted without asking the server.
	CacheSize   int
	CacheMaxAge time.Duration

	// AnyIDText lets ids hold any bytes but the structural ones ('{', '}', ':', NUL): by default ids
	// must be valid UTF-8 without control characters or bidi controls (ErrBadID).
	AnyIDText bool

	// OnEvent, when set, is called with every change to sessions (see Event): in the calling
	// goroutine after the server confirmed the change (or lost the reply: Event.Uncertain) and
	// before the method returns, and for expiries in a Listener's goroutine. It must not block
	// for long.
	OnEvent func(Event)

	// Cookie configures Middleware, SetCookie and ClearCookie.
	Cookie CookieOptions
	// Unauthorized answers requests Middleware refuses (default: 401 with a short text body).
	Unauthorized http.Handler
}

// CookieOptions describe the session cookie. Defaults: name "session", path "/", HttpOnly,
// Secure, SameSite=Lax.
type CookieOptions struct {
	Name     string
	Path     string
	Domain   string
	Insecure bool          // drop the Secure attribute (plain-HTTP development only)
	SameSite http.SameSite // 0: Lax
}

func (o Options) withDefaults() (Options, error) {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if strings.ContainsAny(o.Prefix, "{}\x00") {
		return o, fmt.Errorf("%w: prefix %q contains a brace or NUL", ErrBadID, o.Prefix)
	}
	if strings.HasPrefix(o.Prefix, emulate.CompanionPrefix) {
		return o, fmt.Errorf("%w: prefix %q uses the reserved %s", ErrBadID, o.Prefix, emulate.CompanionPrefix)
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxLifetime == 0 {
		o.MaxLifetime = DefaultMaxLifetime
	}
	if o.RefreshInterval == 0 {
		o.RefreshInterval = DefaultRefreshInterval
	}
	if o.IdleTimeout < time.Millisecond || o.MaxLifetime < time.Millisecond || o.RefreshInterval < 0 {
		return o, fmt.Errorf("devices: IdleTimeout and MaxLifetime must be at least 1ms, RefreshInterval not negative")
	}
	if o.RefreshInterval > o.IdleTimeout/2 {
		o.RefreshInterval = o.IdleTimeout / 2
	}
	if o.RotateGrace == 0 {
		o.RotateGrace = DefaultRotateGrace
	}
	if o.MaxDevices < 0 || o.CacheSize < 0 {
		return o, fmt.Errorf("devices: MaxDevices and CacheSize must not be negative")
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = DefaultMaxRetries
	}
	if o.Channel == "" {
		o.Channel = o.Prefix + "revoked"
	}
	if o.CacheMaxAge <= 0 {
		o.CacheMaxAge = DefaultCacheMaxAge
	}
	if o.Cookie.Name == "" {
		o.Cookie.Name = DefaultCookieName
	}
	if o.Cookie.Path == "" {
		o.Cookie.Path = "/"
	}
	if o.Cookie.SameSite == 0 {
		o.Cookie.SameSite = http.SameSiteLaxMode
	}
	if o.Cookie.SameSite == http.SameSiteNoneMode && o.Cookie.Insecure {
		// Browsers drop a SameSite=None cookie without Secure: every login would silently fail.
		return o, fmt.Errorf("devices: cookie SameSite=None needs Secure (CookieOptions.Insecure is set)")
	}
	return o, nil
}
