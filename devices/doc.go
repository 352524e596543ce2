// Package devices is a multi-device session store on TairHash per-field TTLs: one key per user
// (Options.Prefix + user id), one field per device, one TTL per device. It runs on every exhash
// backend (the TairHash module, the Lua emulation, native hash-field expiration) and on a cluster,
// because everything a user owns lives under one key and so in one slot.
//
// A token names its user and device and carries 256 random bits:
//
//	v1.<base64url(user)>.<base64url(device)>.<base64url(secret)>
//
// so Validate is one field read and there is no global token index. Only the SHA-256 digest of the
// secret is stored; a dump of the server yields no usable token.
//
// Validate slides the device's expiry (IdleTimeout) at most once per RefreshInterval and never past
// created + MaxLifetime. Rotate replaces the token of a device using field versions, so a racing
// Validate cannot bring the old token back; the old token keeps working for RotateGrace, which
// makes Rotate safe to retry after a lost reply. MaxDevices bounds the devices of one user,
// evicting the oldest or refusing the login, atomically. Logouts are published on a channel, which
// Listen uses to invalidate an optional in-process cache of recent validations on every app server.
// Options.OnEvent receives every change (logins, rotations, logouts, evictions, expiries) for an
// audit trail. Middleware, SetCookie and ClearCookie wire the store into net/http.
//
// The design and its reasons are in docs/devices.md.
package devices
