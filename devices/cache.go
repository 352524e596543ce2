package devices

import (
	"container/list"
	"crypto/sha256"
	"sync"
	"sync/atomic"
	"time"
)

// cache keeps recent successful validations so that a hot client does not read the server on every
// request. It is consulted only while a Listener runs (listening > 0): without the revocation
// broadcasts and expiry notifications it would keep accepting revoked tokens. The Listener empties
// it whenever a subscription is (re)confirmed and when it closes, since broadcasts sent while it
// was not subscribed are lost. Entries live at most maxAge and never past the session's own
// deadline; beyond size the oldest entries go first.
type cache struct {
	mu        sync.Mutex
	size      int
	maxAge    time.Duration
	entries   map[[sha256.Size]byte]*cacheEntry
	byUser    map[string][]*cacheEntry // so that a broadcast costs O(devices of the user)
	order     *list.List               // of *cacheEntry, oldest first, for eviction
	gen       atomic.Uint64            // bumped by every invalidation
	listening atomic.Int32
}

type cacheEntry struct {
	digest [sha256.Size]byte
	sess   Session
	at     time.Time
	elem   *list.Element // in order
}

func newCache(size int, maxAge time.Duration) *cache {
	c := &cache{size: size, maxAge: maxAge}
	c.reset()
	return c
}

func (c *cache) reset() {
	c.entries = make(map[[sha256.Size]byte]*cacheEntry)
	c.byUser = make(map[string][]*cacheEntry)
	c.order = list.New()
}

func (c *cache) epoch() uint64 { return c.gen.Load() }

func (c *cache) get(t token) (Session, bool) {
	if c.listening.Load() == 0 {
		return Session{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[t.digest]
	if !ok {
		return Session{}, false
	}
	now := time.Now()
	if e.sess.User != t.user || e.sess.Device != t.device ||
		now.Sub(e.at) >= c.maxAge || !now.Before(e.sess.Expires) {
		return Session{}, false
	}
	s := e.sess
	s.Refreshed = false
	return s, true
}

// put stores sess unless an invalidation happened since epoch was read (before the server read that
// produced sess): the validation may predate a logout whose broadcast is already processed. The
// listening check is under the lock so that nothing is stored after the last Listener's flush.
func (c *cache) put(t token, sess Session, epoch uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != epoch || c.listening.Load() == 0 {
		return
	}
	if old, ok := c.entries[t.digest]; ok {
		c.remove(old)
	}
	for len(c.entries) >= c.size {
		c.remove(c.order.Front().Value.(*cacheEntry))
	}
	e := &cacheEntry{digest: t.digest, sess: sess, at: time.Now()}
	e.elem = c.order.PushBack(e)
	c.entries[t.digest] = e
	c.byUser[sess.User] = append(c.byUser[sess.User], e)
}

// remove forgets one entry; the caller holds mu.
func (c *cache) remove(e *cacheEntry) {
	delete(c.entries, e.digest)
	c.order.Remove(e.elem)
	user := e.sess.User
	devs := c.byUser[user]
	for i, x := range devs {
		if x == e { // swap with the last: order among a user's entries does not matter
			devs[i] = devs[len(devs)-1]
			devs[len(devs)-1] = nil
			devs = devs[:len(devs)-1]
			break
		}
	}
	if len(devs) == 0 {
		delete(c.byUser, user)
	} else {
		c.byUser[user] = devs
	}
}

// drop forgets user's entries for device, or all of user's when device is "".
func (c *cache) drop(user, device string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	// Backwards: remove moves the user's last entry into the removed one's place, which this
	// loop has then already seen.
	devs := c.byUser[user]
	for i := len(devs) - 1; i >= 0; i-- {
		if e := devs[i]; device == "" || e.sess.Device == device {
			c.remove(e)
		}
	}
}

// flush forgets everything.
func (c *cache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	c.reset()
}

// len reports the number of cached validations.
func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
