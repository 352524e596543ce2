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
// the other app servers, in one round trip. A failed PUBLISH is not reported: the revocation itself
// is already stored, and other servers' caches forget the token within CacheMaxAge anyway.
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

// pipelinedRevoke queues a write with queue and, on a single server, the revocation of user's
// device in the same round trip: a pipeline runs in order on one connection, so the broadcast
// never overtakes the write. The local cache is dropped in any case. It reports whether the
// revocation was published; on a cluster the channel may live on another node than the user's key,
// so the caller publishes after the write returned (revoke) instead. The write's error is left in
// its command.
func (s *Store) pipelinedRevoke(ctx context.Context, user, device string, queue func(exhash.Pipeliner)) bool {
	if s.cache != nil {
		s.cache.drop(user, device)
	}
	_, cluster := s.c.Redis().(*redis.ClusterClient)
	_, _ = s.c.Pipelined(ctx, func(p exhash.Pipeliner) error {
		queue(p)
		if !cluster {
			p.Publish(ctx, s.o.Channel, revocationMessage(user, device))
		}
		return nil
	})
	return !cluster
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
	msgs := ps.Channel()
	events := exp.Channel()
	l.wg.Add(2)
	go func() {
		defer l.wg.Done()
		for m := range msgs {
			user, device, _ := strings.Cut(m.Payload, "\x00")
			l.drop(user, device)
		}
	}()
	go func() {
		defer l.wg.Done()
		for e := range events {
			if user, ok := strings.CutPrefix(e.Key, s.o.Prefix); ok {
				l.drop(user, e.Field)
			}
		}
	}()
	if s.cache != nil {
		s.cache.listening.Add(1)
	}
	return l, nil
}

func (l *Listener) drop(user, device string) {
	if l.s.cache != nil && user != "" {
		l.s.cache.drop(user, device)
	}
}

// Close ends both subscriptions. The cache stops being used when no Listener is left.
func (l *Listener) Close() error {
	var err error
	l.once.Do(func() {
		if l.s.cache != nil {
			l.s.cache.listening.Add(-1)
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
