package devices

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// revocationMessage is what logouts publish: "user\x00device", or "user" for all of the user's
// devices. Ids never contain NUL, so the split is unambiguous.
func revocationMessage(user, device string) string {
	if device == "" {
		return user
	}
	return user + "\x00" + device
}

// revoke drops local cache entries of user's devices (all of them when device is "") and tells
// the other app servers, in one round trip. It is called only after a write removed or replaced a
// token (a first login has nothing to revoke), and after the write returned, so the broadcast never
// overtakes it. A failed PUBLISH is not reported: the revocation itself is stored, and the other
// servers' caches forget the token within CacheMaxAge anyway, or at once when their Listener
// resubscribes.
func (s *Store) revoke(ctx context.Context, user, device string, more ...string) {
	devs := append([]string{device}, more...)
	if s.cache != nil {
		for _, d := range devs {
			s.cache.drop(user, d)
		}
	}
	_, _ = s.c.Redis().Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, d := range devs {
			p.Publish(ctx, s.o.Channel, revocationMessage(user, d))
		}
		return nil
	})
}

// Listener receives revocation broadcasts and expiry notifications and invalidates the store's
// cache accordingly. While at least one Listener runs, the cache (Options.CacheSize) is used.
type Listener struct {
	s    *Store
	ps   *redis.PubSub
	exp  *exhash.ExpiredSubscription
	wg   sync.WaitGroup
	once sync.Once
}

// Listen subscribes to the store's channel and to expiry notifications of its keys and returns
// once both subscriptions are confirmed. Close the Listener to stop. Without a cache (CacheSize 0)
// it only costs two subscriptions.
func (s *Store) Listen(ctx context.Context) (*Listener, error) {
	ps := s.c.Redis().Subscribe(ctx, s.o.Channel)
	if _, err := ps.Receive(ctx); err != nil {
		ps.Close()
		return nil, fmt.Errorf("devices: subscribe %s: %w", s.o.Channel, err)
	}
	exp, err := s.c.PSubscribeExpired(ctx, -1, globEscape(s.o.Prefix)+"*")
	if err != nil {
		ps.Close()
		return nil, fmt.Errorf("devices: subscribe to expiry notifications: %w", err)
	}
	l := &Listener{s: s, ps: ps, exp: exp}
	if s.cache != nil {
		s.cache.flush() // entries of an earlier Listener may have missed broadcasts since
		s.cache.listening.Add(1)
	}
	// With the subscription confirmations: go-redis reconnects and resubscribes by itself after the
	// connection is lost (CLIENT KILL, a server restart), and whatever was published in between
	// is lost, so every confirmation empties the cache.
	msgs := ps.ChannelWithSubscriptions()
	events := exp.PubSub().ChannelWithSubscriptions()
	l.wg.Add(2)
	go func() {
		defer l.wg.Done()
		for m := range msgs {
			switch m := m.(type) {
			case *redis.Subscription:
				l.resubscribed()
			case *redis.Message:
				user, device, _ := strings.Cut(m.Payload, "\x00")
				l.drop(user, device)
			}
		}
	}()
	go func() {
		defer l.wg.Done()
		for m := range events {
			switch m := m.(type) {
			case *redis.Subscription:
				l.resubscribed()
			case *redis.Message:
				if _, key, ok := exhash.ParseExpiredChannel(m.Channel); ok {
					if user, ok := strings.CutPrefix(key, s.o.Prefix); ok && user != "" {
						l.drop(user, m.Payload)
						s.emit(Event{Kind: EventExpired, User: user, Device: m.Payload})
					}
				}
			}
		}
	}()
	return l, nil
}

func (l *Listener) resubscribed() {
	if l.s.cache != nil {
		l.s.cache.flush()
	}
}

func (l *Listener) drop(user, device string) {
	if l.s.cache != nil && user != "" {
		l.s.cache.drop(user, device)
	}
}

// Close ends both subscriptions and empties the cache (a later Listener starts from nothing: what
// was published in between is lost). The cache stops being used when no Listener is left.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		if l.s.cache != nil {
			l.s.cache.listening.Add(-1)
			l.s.cache.flush()
		}
		err = errors.Join(l.ps.Close(), l.exp.Close())
		l.wg.Wait()
	})
	return err
}

// globEscape quotes the glob metacharacters of a PSUBSCRIBE pattern.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
