package devices

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"time"
)

// Bounds of the optional metadata kept per device; longer values are cut, so a client sending a
// huge User-Agent cannot grow the user's key.
const (
	MaxIPLength        = 64
	MaxUserAgentLength = 256
)

// Record formats: 1 without, 2 with the token a rotation replaced (the first byte of the value).
const (
	recordFormat        = 1
	recordFormatRotated = 2
)

// record is what one device's field holds. Encoded as: format byte, SHA-256 digest, created,
// last refresh and deadline as uvarint Unix milliseconds, then IP and user agent as uvarint length +
// bytes: about 55 bytes for a session without metadata. Format 2 (after a Rotate) appends the
// replaced token's digest and the rotation time (uvarint Unix ms), which keep the previous token
// working for Options.RotateGrace.
type record struct {
	digest    [sha256.Size]byte
	created   int64 // Unix ms
	refreshed int64 // Unix ms of the last write (login, refresh, rotate)
	expires   int64 // Unix ms deadline given to the server
	ip, ua    string
	prev      [sha256.Size]byte // digest of the token the last rotation replaced
	rotated   int64             // Unix ms of that rotation; 0: no previous token
}

func (r *record) encode() string {
	b := make([]byte, 0, 1+2*sha256.Size+4*binary.MaxVarintLen64+4+len(r.ip)+len(r.ua))
	if r.rotated > 0 {
		b = append(b, recordFormatRotated)
	} else {
		b = append(b, recordFormat)
	}
	b = append(b, r.digest[:]...)
	b = binary.AppendUvarint(b, uint64(r.created))
	b = binary.AppendUvarint(b, uint64(r.refreshed))
	b = binary.AppendUvarint(b, uint64(r.expires))
	b = binary.AppendUvarint(b, uint64(len(r.ip)))
	b = append(b, r.ip...)
	b = binary.AppendUvarint(b, uint64(len(r.ua)))
	b = append(b, r.ua...)
	if r.rotated > 0 {
		b = append(b, r.prev[:]...)
		b = binary.AppendUvarint(b, uint64(r.rotated))
	}
	return string(b)
}

func decodeRecord(s string) (record, error) {
	var r record
	b := []byte(s)
	if len(b) < 1+sha256.Size || (b[0] != recordFormat && b[0] != recordFormatRotated) {
		return r, ErrCorruptRecord
	}
	rotated := b[0] == recordFormatRotated
	copy(r.digest[:], b[1:1+sha256.Size])
	b = b[1+sha256.Size:]
	var nums [3]int64
	for i := range nums {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > 1<<62 {
			return r, ErrCorruptRecord
		}
		nums[i], b = int64(v), b[n:]
	}
	r.created, r.refreshed, r.expires = nums[0], nums[1], nums[2]
	var strs [2]string
	for i := range strs {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return r, ErrCorruptRecord
		}
		strs[i], b = string(b[n:n+int(l)]), b[n+int(l):]
	}
	if rotated {
		if len(b) < sha256.Size {
			return r, ErrCorruptRecord
		}
		copy(r.prev[:], b[:sha256.Size])
		v, n := binary.Uvarint(b[sha256.Size:])
		if n <= 0 || v == 0 || v > 1<<62 {
			return r, ErrCorruptRecord
		}
		r.rotated, b = int64(v), b[sha256.Size+n:]
	}
	if len(b) != 0 {
		return r, fmt.Errorf("%w: %d trailing bytes", ErrCorruptRecord, len(b))
	}
	r.ip, r.ua = strs[0], strs[1]
	return r, nil
}

// match says which of the record's tokens t is.
type match int

const (
	noMatch       match = iota
	currentToken        // the device's token
	previousToken       // the token the last Rotate replaced, within the grace window
)

// match compares digests in constant time (both, always), so response timing reveals nothing
// about the secret. The previous token counts until rotated + grace (grace ≤ 0: never).
func (r *record) match(t token, grace time.Duration, now int64) match {
	cur := subtle.ConstantTimeCompare(r.digest[:], t.digest[:]) == 1
	prev := subtle.ConstantTimeCompare(r.prev[:], t.digest[:]) == 1
	switch {
	case cur:
		return currentToken
	case prev && r.rotated > 0 && now < r.rotated+grace.Milliseconds():
		return previousToken
	}
	return noMatch
}

func (r *record) session(user, device string, version int64) Session {
	return Session{
		User: user, Device: device,
		Created: time.UnixMilli(r.created), LastRefresh: time.UnixMilli(r.refreshed),
		Expires: time.UnixMilli(r.expires), IP: r.ip, UserAgent: r.ua, version: version,
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
