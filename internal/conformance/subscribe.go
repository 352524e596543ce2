package conformance

import (
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// subscription listens on one key's expiry channel (§7).
type subscription struct {
	e  *env
	ps *redis.PubSub
}

// expiredChannel is the channel on which expirations of key's fields are published (§7).
func (e *env) expiredChannel(key string) string {
	return "tairhash@" + strconv.Itoa(e.target.DB) + "@" + key + "__:expired"
}

// subscribe subscribes to key's expiry channel and returns once the server confirmed it, so
// every expiry from now on is delivered.
func (e *env) subscribe(key string) *subscription {
	e.t.Helper()
	ps := e.target.Client.Subscribe(e.ctx, e.expiredChannel(key))
	e.t.Cleanup(func() { _ = ps.Close() })
	if _, err := ps.ReceiveTimeout(e.ctx, pollTimeout); err != nil {
		e.t.Fatalf("SUBSCRIBE %s: %v", e.expiredChannel(key), err)
	}
	return &subscription{e: e, ps: ps}
}

// expect waits for exactly len(fields) messages and checks their payloads, in any order: the
// names of the fields that expired.
func (s *subscription) expect(fields ...string) {
	s.e.t.Helper()
	var got []string
	deadline := time.Now().Add(pollTimeout)
	for len(got) < len(fields) {
		left := time.Until(deadline)
		if left <= 0 {
			s.e.t.Errorf("expiry notifications: got %q, want %q (timed out)", got, fields)
			return
		}
		msg, err := s.ps.ReceiveTimeout(s.e.ctx, left)
		if err != nil {
			s.e.t.Errorf("expiry notifications: got %q, want %q (%v)", got, fields, err)
			return
		}
		if m, ok := msg.(*redis.Message); ok {
			got = append(got, m.Payload)
		}
	}
	want := slices.Clone(fields)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		s.e.t.Errorf("expiry notifications: got %q, want %q", got, want)
	}
}

// expectNothingBefore proves that nothing was published by the commands run so far: it makes
// field "~sentinel" of key expire and be read, then expects its notification as the very next
// message. The key must hold no expired field at this point (a write on such a key crashes the
// module, D1). A persistent field "~keep" stays behind so the key is not reclaimed as a whole.
func (s *subscription) expectNothingBefore(key string) {
	s.e.t.Helper()
	s.e.rows(
		r(anyOf{0, 1}, "exhset", key, "~keep", "1"),
		r(anyOf{0, 1}, "exhset", key, "~sentinel", "1", "px", "0"),
		r(nil, "exhget", key, "~sentinel"),
	)
	s.expect("~sentinel")
}
