package devices

import (
	"crypto/sha256"
	"sync"
	"sync/atomic"
	"time"
)

// cache keeps recent successful validations so that a hot client does not read the server on every
// request. It is consulted only while a Listener runs (listening > 0): without the revocation
// broadcasts and expiry notifications it would keep accepting revoked tokens. Entries live at most
// maxAge (which also bounds the damage of a broadcast lost during a reconnection) and never past the
// session's own deadline; beyond size the oldest entries go first.
type cache struct {
	mu        sync.Mutex
	size      int
	maxAge    time.Duration
	entries   map[[sha256.Size]byte]cacheEntry
	order     [][sha256.Size]byte // insertion order, for eviction
	gen       atomic.Uint64       // bumped by every invalidation
	listening atomic.Int32
}

type cacheEntry struct {
	sess Session
	at   time.Time
}

func newCache(size int, maxAge time.Duration) *cache {
	return &cache{size: size, maxAge: maxAge, entries: make(map[[sha256.Size]byte]cacheEntry, size)}
}

func (c *cache) epoch() uint64 { return c.gen.Load() }

func (c *cache) get(t token) (Session, bool) {
	if c.listening.Load() == 0 {
		return Session{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[t.digest]
	now := time.Now()
	if !ok || e.sess.User != t.user || e.sess.Device != t.device ||
		now.Sub(e.at) >= c.maxAge || !now.Before(e.sess.Expires) {
		return Session{}, false
	}
	s := e.sess
	s.Refreshed = false
	return s, true
}

// put stores sess unless an invalidation happened since epoch was read (before the server read that
// produced sess): the validation may predate a logout whose broadcast is already processed.
func (c *cache) put(t token, sess Session, epoch uint64) {
	if c.listening.Load() == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != epoch {
		return
	}
	if _, ok := c.entries[t.digest]; !ok {
		for len(c.entries) >= c.size && len(c.order) > 0 {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, t.digest)
	}
	c.entries[t.digest] = cacheEntry{sess: sess, at: time.Now()}
}

// drop forgets user's entries for device, or all of user's when device is "".
func (c *cache) drop(user, device string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	for k, e := range c.entries {
		if e.sess.User == user && (device == "" || e.sess.Device == device) {
			delete(c.entries, k)
		}
	}
	kept := c.order[:0]
	for _, k := range c.order {
		if _, ok := c.entries[k]; ok {
			kept = append(kept, k)
		}
	}
	c.order = kept
}

// len reports the number of cached validations.
func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
