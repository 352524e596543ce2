package devices

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
	"github.com/tairhash-go/tairhash/internal/testserver"

	"github.com/stretchr/testify/require"
)

// Two app servers (two Stores on the same server) with caches: a logout, rotation or LogoutAll on
// one stops the token on the other at once, although the other had it cached.
func TestRevocationBroadcastAcrossStores(t *testing.T) {
	// Without grace window, so that the rotated token stops at once.
	each(t, Options{RotateGrace: -1}, func(t *testing.T, tg target, a *Store) {
		ctx := ctxT(t)
		b, err := New(tg.c, Options{Prefix: a.Options().Prefix, CacheSize: 100, CacheMaxAge: time.Minute, RotateGrace: -1})
		require.NoError(t, err)

		tok, _, err := a.Login(ctx, "u", "d")
		require.NoError(t, err)
		// Without a Listener the cache is not used: a deletion behind the store's back shows at once.
		_, err = b.Validate(ctx, tok)
		require.NoError(t, err)
		require.NoError(t, tg.c.ExHDel(ctx, a.Key("u"), "d").Err())
		_, err = b.Validate(ctx, tok)
		require.ErrorIs(t, err, ErrNoSession)

		l, err := b.Listen(ctx)
		require.NoError(t, err)
		defer l.Close()

		// With the Listener, b answers from its cache: a deletion without broadcast goes unseen
		// (which is what proves the invalidations below come from the broadcasts).
		// The login's own broadcast may still be on its way and evict the entry once cached (a
		// validation that overlaps an invalidation is not cached at all), hence the retries.
		eventually(t, 5*time.Second, "a validation served from the cache", func() bool {
			tok, _, err = a.Login(ctx, "u", "d")
			require.NoError(t, err)
			eventually(t, 5*time.Second, "validation cached", func() bool {
				_, err = b.Validate(ctx, tok)
				require.NoError(t, err)
				return b.cache.len() == 1
			})
			require.NoError(t, tg.c.ExHDel(ctx, a.Key("u"), "d").Err())
			_, err = b.Validate(ctx, tok)
			if err != nil {
				require.ErrorIs(t, err, ErrNoSession) // evicted by the late broadcast: try again
			}
			return err == nil
		})

		cache := func(tok string) {
			t.Helper()
			parsed, err := parseToken(tok)
			require.NoError(t, err)
			eventually(t, 5*time.Second, "validation cached", func() bool {
				_, err = b.Validate(ctx, tok)
				require.NoError(t, err)
				_, ok := b.cache.get(parsed)
				return ok
			})
		}
		revoked := func(tok string, what string) {
			t.Helper()
			eventually(t, 5*time.Second, what+" reaches the other store", func() bool {
				_, err := b.Validate(ctx, tok)
				return err != nil
			})
		}
		// A logout that finds nothing (the field is already gone) has nothing to revoke and
		// publishes nothing: b still answers from its cache.
		ok, err := a.Logout(ctx, "u", "d")
		require.NoError(t, err)
		require.False(t, ok)
		_, err = b.Validate(ctx, tok)
		require.NoError(t, err, "no broadcast without a removal")

		tok, _, err = a.Login(ctx, "u", "d")
		require.NoError(t, err)
		cache(tok)
		_, err = a.Logout(ctx, "u", "d")
		require.NoError(t, err)
		revoked(tok, "logout")

		tok, _, err = a.Login(ctx, "u", "d")
		require.NoError(t, err)
		cache(tok)
		_, _, err = a.Rotate(ctx, tok)
		require.NoError(t, err)
		revoked(tok, "rotation")

		t1, _, err := a.Login(ctx, "u", "x")
		require.NoError(t, err)
		t2, _, err := a.Login(ctx, "u", "y")
		require.NoError(t, err)
		other, _, err := a.Login(ctx, "v", "x")
		require.NoError(t, err)
		for _, tk := range []string{t1, t2, other} {
			cache(tk)
		}
		_, err = a.LogoutAll(ctx, "u")
		require.NoError(t, err)
		revoked(t1, "LogoutAll")
		revoked(t2, "LogoutAll")
		_, err = b.Validate(ctx, other)
		require.NoError(t, err, "other users stay valid")

		// Closing the last Listener stops the cache: b reads the server again.
		require.NoError(t, l.Close())
		require.NoError(t, tg.c.ExHDel(ctx, a.Key("v"), "x").Err())
		_, err = b.Validate(ctx, other)
		require.ErrorIs(t, err, ErrNoSession)
	})
}

func TestCacheBounds(t *testing.T) {
	c := newCache(2, 50*time.Millisecond)
	c.listening.Add(1)
	mk := func(user string) (token, Session) {
		var tk token
		tk.user, tk.device = user, "d"
		tk.digest[0] = user[0]
		return tk, Session{User: user, Device: "d", Expires: time.Now().Add(time.Hour)}
	}
	ta, sa := mk("a")
	tb, sb := mk("b")
	tc, sc := mk("c")
	c.put(ta, sa, c.epoch())
	c.put(tb, sb, c.epoch())
	c.put(tc, sc, c.epoch())
	if _, ok := c.get(ta); ok {
		t.Fatal("the oldest entry should have been evicted beyond the size")
	}
	if _, ok := c.get(tc); !ok {
		t.Fatal("newest entry missing")
	}
	epoch := c.epoch()
	c.drop("zzz", "")
	c.put(ta, sa, epoch)
	if _, ok := c.get(ta); ok {
		t.Fatal("a validation read before an invalidation must not be cached")
	}
	time.Sleep(60 * time.Millisecond)
	if _, ok := c.get(tc); ok {
		t.Fatal("entries older than maxAge must not be used")
	}
	td, sd := mk("d")
	sd.Expires = time.Now().Add(-time.Millisecond)
	c.put(td, sd, c.epoch())
	if _, ok := c.get(td); ok {
		t.Fatal("an entry past its session's expiry must not be used")
	}
}

// The Listener also drops cached validations of devices whose field expired on the server (the
// entry would not be used past its deadline anyway; this frees it and covers clock offsets).
func TestCacheDropsExpiredDevices(t *testing.T) {
	each(t, Options{IdleTimeout: 300 * time.Millisecond, CacheSize: 10, CacheMaxAge: time.Minute}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		l, err := s.Listen(ctx)
		require.NoError(t, err)
		defer l.Close()
		tok, _, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		eventually(t, 5*time.Second, "validation cached", func() bool {
			_, err := s.Validate(ctx, tok)
			require.NoError(t, err)
			return s.cache.len() == 1
		})
		// Whatever the notifications, a cached validation is never used past the deadline.
		eventually(t, 5*time.Second, "cached session stops validating at its deadline", func() bool {
			_, err := s.Validate(ctx, tok)
			if err != nil && !errors.Is(err, ErrExpired) {
				require.ErrorIs(t, err, ErrNoSession)
			}
			return err != nil
		})
		if strings.HasSuffix(tg.name, "-hfe") {
			t.Log("Redis's own field expiry publishes no tairhash@ notification (docs/hfe.md): entries go by deadline only")
			return
		}
		// Touching the key lets the Lua emulation notice the expiry (as any read would).
		eventually(t, 5*time.Second, "expiry notification drops the entry", func() bool {
			_, err := s.Active(ctx, "u")
			require.NoError(t, err)
			return s.cache.len() == 0
		})
	})
}

// dedicated runs fn on a server of its own for each standalone kind (for tests that kill
// connections or restart the server), with the backend targets uses.
func dedicated(t *testing.T, fn func(t *testing.T, tg target, srv *testserver.Server)) {
	for _, kind := range []string{testserver.KindRedis7, testserver.KindValkey8, testserver.KindRedis8} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			srv := testserver.Start(t, kind)
			var be driver.Backend = emulate.NewLua()
			if kind == testserver.KindRedis8 {
				be = emulate.NewHFE()
			}
			fn(t, target{kind, exhash.NewClient(srv.Client(t), exhash.WithBackend(be)), srv.Prefix(t)}, srv)
		})
	}
}

// A token revoked while the Listener's connection was down (its broadcast lost) is never served
// from the cache once the subscription is back: every (re)subscription empties the cache.
func TestCacheFlushedWhenPubSubReconnects(t *testing.T) {
	dedicated(t, func(t *testing.T, tg target, srv *testserver.Server) {
		ctx := ctxT(t)
		b, err := New(tg.c, Options{Prefix: tg.prefix, CacheSize: 100, CacheMaxAge: time.Hour})
		require.NoError(t, err)
		l, err := b.Listen(ctx)
		require.NoError(t, err)
		defer l.Close()
		tok, _, err := b.Login(ctx, "u", "d")
		require.NoError(t, err)
		cached(t, b, tok)

		n, err := tg.c.Redis().ClientKillByFilter(ctx, "TYPE", "pubsub").Result()
		require.NoError(t, err)
		require.EqualValues(t, 2, n, "the Listener's two subscriptions")
		// Revoked behind the store's back: no broadcast, as if it had been lost with the connection.
		require.NoError(t, tg.c.ExHDel(ctx, b.Key("u"), "d").Err())
		eventually(t, 10*time.Second, "the resubscription empties the cache", func() bool {
			_, err := b.Validate(ctx, tok)
			if err != nil {
				require.ErrorIs(t, err, ErrNoSession)
			}
			return err != nil
		})
		// Broadcasts arrive again: a cached token is revoked by another store's logout.
		a, err := New(tg.c, Options{Prefix: tg.prefix})
		require.NoError(t, err)
		tok, _, err = a.Login(ctx, "u", "d")
		require.NoError(t, err)
		cached(t, b, tok)
		_, err = a.Logout(ctx, "u", "d")
		require.NoError(t, err)
		eventually(t, 5*time.Second, "logout broadcast after the reconnection", func() bool {
			_, err := b.Validate(ctx, tok)
			return errors.Is(err, ErrNoSession)
		})

		// A server restart (without persistence: every session is gone) empties the cache too.
		tok, _, err = a.Login(ctx, "u", "d")
		require.NoError(t, err)
		cached(t, b, tok)
		srv.Restart(t)
		eventually(t, 20*time.Second, "the resubscription after the restart empties the cache", func() bool {
			_, err := b.Validate(ctx, tok)
			return errors.Is(err, ErrNoSession)
		})
	})
}

// cached validates tok until s serves it from its cache.
func cached(t *testing.T, s *Store, tok string) {
	t.Helper()
	parsed, err := parseToken(tok)
	require.NoError(t, err)
	eventually(t, 5*time.Second, "validation cached", func() bool {
		_, err := s.Validate(context.Background(), tok)
		require.NoError(t, err)
		_, ok := s.cache.get(parsed)
		return ok
	})
}

// Closing the Listener empties the cache, so a token revoked while no Listener ran is not served
// when one runs again.
func TestCacheFlushedWhenListenerReopens(t *testing.T) {
	each(t, Options{CacheSize: 100, CacheMaxAge: time.Hour}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		l, err := s.Listen(ctx)
		require.NoError(t, err)
		tok, _, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		cached(t, s, tok)
		require.NoError(t, l.Close())
		require.Zero(t, s.cache.len())
		require.NoError(t, tg.c.ExHDel(ctx, s.Key("u"), "d").Err()) // no broadcast
		l, err = s.Listen(ctx)
		require.NoError(t, err)
		defer l.Close()
		_, err = s.Validate(ctx, tok)
		require.ErrorIs(t, err, ErrNoSession)
	})
}

// Only a replaced or removed token is broadcast: not a first login, nor a logout that found nothing.
func TestPublishOnlyRevocations(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		ps := tg.c.Redis().Subscribe(ctx, s.Options().Channel)
		defer ps.Close()
		_, err := ps.Receive(ctx)
		require.NoError(t, err)
		_, _, err = s.Login(ctx, "u", "first")
		require.NoError(t, err)
		ok, err := s.Logout(ctx, "u", "never")
		require.NoError(t, err)
		require.False(t, ok)
		n, err := s.LogoutOthers(ctx, "u", "first")
		require.NoError(t, err)
		require.Zero(t, n)
		require.NoError(t, tg.c.Redis().Publish(ctx, s.Options().Channel, "marker").Err())
		next := func() string {
			t.Helper()
			m, err := ps.ReceiveMessage(ctx)
			require.NoError(t, err)
			return m.Payload
		}
		require.Equal(t, "marker", next(), "nothing published before the marker")
		_, _, err = s.Login(ctx, "u", "first")
		require.NoError(t, err)
		require.Equal(t, "u\x00first", next(), "a second login replaces the token")
		_, err = s.Logout(ctx, "u", "first")
		require.NoError(t, err)
		require.Equal(t, "u\x00first", next())
	})
}
