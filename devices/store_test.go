package devices

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/testserver"

	"github.com/stretchr/testify/require"
)

func TestLoginValidateActive(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		before := time.Now().Add(-time.Second)
		tok, sess, err := s.LoginWith(ctx, "alice", "phone", Meta{IP: "192.0.2.1", UserAgent: strings.Repeat("u", 1000)})
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(tok, "v1."), tok)
		require.Equal(t, "alice", sess.User)
		require.Len(t, sess.UserAgent, MaxUserAgentLength, "metadata is capped")

		got, err := s.Validate(ctx, tok)
		require.NoError(t, err)
		require.Equal(t, "alice", got.User)
		require.Equal(t, "phone", got.Device)
		require.Equal(t, "192.0.2.1", got.IP)
		require.True(t, got.Created.After(before))
		require.WithinDuration(t, got.Created.Add(DefaultIdleTimeout), got.Expires, time.Second)
		require.False(t, got.Refreshed, "refreshed at most once per RefreshInterval")

		eventually(t, 5*time.Second, "a later login time", func() bool { return time.Since(sess.Created) > 2*time.Millisecond })
		tok2 := must[string](t)(func() (string, error) { tk, _, err := s.Login(ctx, "alice", "laptop"); return tk, err }())
		act, err := s.Active(ctx, "alice")
		require.NoError(t, err)
		require.Len(t, act, 2)
		require.Equal(t, "phone", act[0].Device, "oldest login first")
		require.Equal(t, "laptop", act[1].Device)

		// The stored value holds a digest, never the secret.
		raw, err := tg.c.ExHGet(ctx, s.Key("alice"), "laptop").Result()
		require.NoError(t, err)
		secret := tok2[strings.LastIndexByte(tok2, '.')+1:]
		sec, _ := base64.RawURLEncoding.DecodeString(secret)
		require.NotContains(t, raw, string(sec))
		require.NotContains(t, raw, secret)

		// Another user is untouched and empty.
		act, err = s.Active(ctx, "bob")
		require.NoError(t, err)
		require.Empty(t, act)
	})
}

func TestLogouts(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		toks := map[string]string{}
		for _, d := range []string{"a", "b", "c", "d"} {
			tk, _, err := s.Login(ctx, "u", d)
			require.NoError(t, err)
			toks[d] = tk
		}
		other, _, err := s.Login(ctx, "v", "a")
		require.NoError(t, err)

		ok, err := s.Logout(ctx, "u", "a")
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = s.Logout(ctx, "u", "a")
		require.NoError(t, err)
		require.False(t, ok, "second logout finds nothing")
		_, err = s.Validate(ctx, toks["a"])
		require.ErrorIs(t, err, ErrNoSession)

		n, err := s.LogoutOthers(ctx, "u", "b")
		require.NoError(t, err)
		require.Equal(t, 2, n)
		_, err = s.Validate(ctx, toks["b"])
		require.NoError(t, err)
		for _, d := range []string{"c", "d"} {
			_, err = s.Validate(ctx, toks[d])
			require.ErrorIs(t, err, ErrNoSession)
		}

		n, err = s.LogoutAll(ctx, "u")
		require.NoError(t, err)
		require.Equal(t, 1, n)
		_, err = s.Validate(ctx, toks["b"])
		require.ErrorIs(t, err, ErrNoSession)
		n, err = s.LogoutAll(ctx, "u")
		require.NoError(t, err)
		require.Zero(t, n)

		// The emulations' companion keys go with the last field: the user's key is gone.
		require.EqualValues(t, 0, tg.c.Redis().Exists(ctx, s.Key("u")).Val())
		_, err = s.Validate(ctx, other)
		require.NoError(t, err, "other users keep their sessions")
	})
}

func TestIdleExpiry(t *testing.T) {
	each(t, Options{IdleTimeout: 150 * time.Millisecond}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		tok, sess, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		require.WithinDuration(t, sess.Created.Add(150*time.Millisecond), sess.Expires, time.Millisecond)
		// Polled with Active, which never refreshes (Validate would slide the expiry).
		eventually(t, 5*time.Second, "expired device leaves Active", func() bool {
			act, err := s.Active(ctx, "u")
			require.NoError(t, err)
			return len(act) == 0
		})
		_, err = s.Validate(ctx, tok)
		require.ErrorIs(t, err, ErrNoSession)
	})
}

func TestSlidingAndAbsoluteExpiry(t *testing.T) {
	// An idle timeout a loaded machine's stalls do not reach between two uses 100 ms apart.
	opts := Options{IdleTimeout: time.Second, RefreshInterval: 50 * time.Millisecond, MaxLifetime: 2500 * time.Millisecond}
	each(t, opts, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		tok, first, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		// Used every 100 ms, the session outlives its idle timeout...
		refreshed := 0
		for time.Since(first.Created) < 1700*time.Millisecond {
			time.Sleep(100 * time.Millisecond)
			sess, err := s.Validate(ctx, tok)
			require.NoError(t, err, "in use after %v", time.Since(first.Created))
			require.False(t, sess.Expires.After(first.Created.Add(opts.MaxLifetime)), "never past the absolute lifetime")
			if sess.Refreshed {
				refreshed++
				ttl, err := tg.c.ExHPTTL(ctx, s.Key("u"), "d").Result()
				require.NoError(t, err)
				// The server's deadline slid with the session's (HPTTL's reply time only makes the
				// estimate earlier).
				serverDeadline := time.Now().Add(ttl.TTL)
				require.WithinDuration(t, sess.Expires, serverDeadline, 250*time.Millisecond, "the server's TTL slid too (%v)", ttl)
			}
		}
		require.Greater(t, refreshed, 1)
		// ...but not its absolute lifetime, however much it is used.
		eventually(t, 5*time.Second, "absolute lifetime ends the session", func() bool {
			_, err := s.Validate(ctx, tok)
			return errors.Is(err, ErrNoSession) || errors.Is(err, ErrExpired)
		})
		require.Less(t, time.Since(first.Created), opts.MaxLifetime+3*time.Second)
	})
}

func TestRotate(t *testing.T) {
	each(t, Options{RotateGrace: -1}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		old, first, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		nw, sess, err := s.Rotate(ctx, old)
		require.NoError(t, err)
		require.NotEqual(t, old, nw)
		require.True(t, sess.Created.Equal(first.Created), "rotation keeps the absolute lifetime")
		_, err = s.Validate(ctx, old)
		require.ErrorIs(t, err, ErrInvalidToken)
		_, _, err = s.Rotate(ctx, old)
		require.ErrorIs(t, err, ErrInvalidToken)
		_, err = s.Validate(ctx, nw)
		require.NoError(t, err)
	})
}

// Within RotateGrace the replaced token still validates and may rotate again (a retry: the token
// it produces replaces the first one); the grace window is measured by the validating store's
// option from the first rotation, and the previous token is never cached.
func TestRotateGrace(t *testing.T) {
	each(t, Options{RotateGrace: time.Hour, CacheSize: 10, CacheMaxAge: time.Hour}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		l, err := s.Listen(ctx)
		require.NoError(t, err)
		defer l.Close()
		strict, err := New(tg.c, Options{Prefix: s.Options().Prefix, RotateGrace: -1})
		require.NoError(t, err)
		short, err := New(tg.c, Options{Prefix: s.Options().Prefix, RotateGrace: time.Millisecond})
		require.NoError(t, err)

		old, _, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		first, _, err := s.Rotate(ctx, old)
		require.NoError(t, err)
		_, err = s.Validate(ctx, old)
		require.NoError(t, err, "within the grace window")
		require.Zero(t, s.cache.len(), "a validation by the previous token is not cached")
		_, err = strict.Validate(ctx, old)
		require.ErrorIs(t, err, ErrInvalidToken)

		second, _, err := s.Rotate(ctx, old) // the retry of a Rotate whose reply was lost
		require.NoError(t, err)
		_, err = s.Validate(ctx, second)
		require.NoError(t, err)
		_, err = s.Validate(ctx, first)
		require.ErrorIs(t, err, ErrInvalidToken, "the retry replaced the lost token")
		_, err = s.Validate(ctx, old)
		require.NoError(t, err, "the retry kept the original grace window")
		eventually(t, 5*time.Second, "a grace window of 1 ms ends", func() bool {
			_, err := short.Validate(ctx, old)
			if err != nil {
				require.ErrorIs(t, err, ErrInvalidToken)
			}
			return err != nil
		})

		// The record keeps the previous token (format 2) until a refresh after the window drops it.
		raw := func() byte {
			v, err := tg.c.ExHGet(ctx, s.Key("u"), "d").Result()
			require.NoError(t, err)
			return v[0]
		}
		require.EqualValues(t, recordFormatRotated, raw())
		refresher, err := New(tg.c, Options{Prefix: s.Options().Prefix, RotateGrace: time.Millisecond, RefreshInterval: time.Millisecond})
		require.NoError(t, err)
		eventually(t, 5*time.Second, "a refresh after the grace window", func() bool {
			sess, err := refresher.Validate(ctx, second)
			require.NoError(t, err)
			return sess.Refreshed
		})
		require.EqualValues(t, recordFormat, raw())
		_, err = s.Validate(ctx, old)
		require.ErrorIs(t, err, ErrInvalidToken, "forgotten")
		second, _, err = s.Rotate(ctx, second)
		require.NoError(t, err)

		// Rotating with the current token starts a new window for it, and only it.
		third, _, err := s.Rotate(ctx, second)
		require.NoError(t, err)
		_, err = s.Validate(ctx, second)
		require.NoError(t, err)
		_, err = s.Validate(ctx, old)
		require.ErrorIs(t, err, ErrInvalidToken, "only the last replaced token has a grace window")
		_, err = s.Validate(ctx, third)
		require.NoError(t, err)
		_, err = s.Logout(ctx, "u", "d")
		require.NoError(t, err)
		_, err = s.Validate(ctx, second)
		require.ErrorIs(t, err, ErrNoSession, "a logout ends the grace window too")
	})
}

func TestMaxDevices(t *testing.T) {
	each(t, Options{MaxDevices: 2}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		a, _, err := s.Login(ctx, "u", "a")
		require.NoError(t, err)
		time.Sleep(2 * time.Millisecond) // distinct creation times
		_, _, err = s.Login(ctx, "u", "b")
		require.NoError(t, err)
		time.Sleep(2 * time.Millisecond)
		_, _, err = s.Login(ctx, "u", "b") // same device again: replaces, evicts nothing
		require.NoError(t, err)
		_, err = s.Validate(ctx, a)
		require.NoError(t, err)
		_, _, err = s.Login(ctx, "u", "c")
		require.NoError(t, err)
		_, err = s.Validate(ctx, a)
		require.ErrorIs(t, err, ErrNoSession, "the oldest device was evicted")
		act, err := s.Active(ctx, "u")
		require.NoError(t, err)
		require.Len(t, act, 2)

		refuse, err := New(tg.c, Options{Prefix: s.Options().Prefix, MaxDevices: 2, RefuseWhenFull: true})
		require.NoError(t, err)
		_, _, err = refuse.Login(ctx, "u", "d")
		require.ErrorIs(t, err, ErrTooManyDevices)
		_, _, err = refuse.Login(ctx, "u", "c")
		require.NoError(t, err, "an existing device may log in again")
		act, err = s.Active(ctx, "u")
		require.NoError(t, err)
		require.Len(t, act, 2)

		// MaxDevices lowered: the next login, even of a known device, brings the user within it.
		one, err := New(tg.c, Options{Prefix: s.Options().Prefix, MaxDevices: 1})
		require.NoError(t, err)
		_, _, err = one.Login(ctx, "u", "c")
		require.NoError(t, err)
		act, err = s.Active(ctx, "u")
		require.NoError(t, err)
		require.Len(t, act, 1)
		require.Equal(t, "c", act[0].Device)
	})
}

func TestBadInput(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		good, _, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		_, _, err = s.Login(ctx, "v", "d")
		require.NoError(t, err)

		bad := []string{"", strings.Repeat("x", MaxIDLength+1), "a{b", "a}b", "a:b", "a\x00b", "u:d",
			"a\nb", "a\rb", "a\tb", "a\x7fb", "a\u0085b", "\xff", "a\xc3", "a\u202eb", "a\u2066b", "\u200f"}
		for _, id := range bad {
			_, _, err := s.Login(ctx, id, "d")
			require.ErrorIs(t, err, ErrBadID, "user %q", id)
			_, _, err = s.Login(ctx, "u", id)
			require.ErrorIs(t, err, ErrBadID, "device %q", id)
			_, err = s.Logout(ctx, id, "d")
			require.ErrorIs(t, err, ErrBadID)
			_, err = s.LogoutAll(ctx, id)
			require.ErrorIs(t, err, ErrBadID)
			_, err = s.LogoutOthers(ctx, "u", id)
			require.ErrorIs(t, err, ErrBadID)
			_, err = s.Active(ctx, id)
			require.ErrorIs(t, err, ErrBadID)
		}
		_, _, err = s.Login(ctx, strings.Repeat("x", MaxIDLength), "d")
		require.NoError(t, err, "ids of MaxIDLength bytes are fine")

		enc := base64.RawURLEncoding.EncodeToString
		parts := strings.Split(good, ".")
		var rnd [32]byte
		_, _ = rand.Read(rnd[:])
		forged := []string{
			"", "v1", good[:len(good)-1], good + "A", good + ".x", "v2" + good[2:],
			strings.Join([]string{"v1", parts[1], parts[2], enc(rnd[:])}, "."),        // forged secret
			strings.Join([]string{"v1", enc([]byte("v")), parts[2], parts[3]}, "."),   // another user's name
			strings.Join([]string{"v1", parts[1], enc([]byte("e")), parts[3]}, "."),   // another device
			strings.Join([]string{"v1", enc([]byte("u:d")), parts[2], parts[3]}, "."), // id with ':'
			strings.Join([]string{"v1", parts[1] + "=", parts[2], parts[3]}, "."),     // padding
			strings.Join([]string{"v1", parts[1], parts[2], enc(rnd[:16])}, "."),      // short secret
			strings.Repeat("A", 10000),
			good[:20] + "\r\n" + good[20:],                                             // CR/LF, skipped by Go's base64
			good[:len(good)-10] + "\n" + good[len(good)-10:],                           // LF in the secret
			strings.Join([]string{"v1", enc([]byte("u\nx")), parts[2], parts[3]}, "."), // control char in the id
		}
		for _, f := range forged {
			_, err := s.Validate(ctx, f)
			require.True(t, errors.Is(err, ErrInvalidToken) || errors.Is(err, ErrNoSession), "%q: %v", f, err)
			_, _, err = s.Rotate(ctx, f)
			require.True(t, errors.Is(err, ErrInvalidToken) || errors.Is(err, ErrNoSession), "%q: %v", f, err)
		}
		_, err = s.Validate(ctx, forged[6])
		require.ErrorIs(t, err, ErrInvalidToken)
		_, err = s.Validate(ctx, forged[7])
		require.ErrorIs(t, err, ErrInvalidToken, "u's secret does not open v's session")
		_, err = s.Validate(ctx, forged[9])
		require.ErrorIs(t, err, ErrBadID)

		// Nothing was touched: u still has exactly its session, valid, and no key with a bad name exists.
		_, err = s.Validate(ctx, good)
		require.NoError(t, err)
		act, err := s.Active(ctx, "u")
		require.NoError(t, err)
		require.Len(t, act, 1)
		keys, err := scanKeys(t, tg, s.Options().Prefix+"*")
		require.NoError(t, err)
		for _, k := range keys {
			require.NotContains(t, k, ":", "key %q", k)
		}

		for _, f := range forged[len(forged)-3:] {
			_, err = s.Validate(ctx, f)
			require.ErrorIs(t, err, ErrInvalidToken, "%q", f)
		}
		_, err = s.Validate(ctx, forged[len(forged)-1])
		require.ErrorIs(t, err, ErrBadID)

		// Prefix + user must not make a key the emulations reserve: ErrBadID before anything is sent.
		for _, p := range []string{"exh", "ex"} {
			short, err := New(tg.c, Options{Prefix: p})
			require.NoError(t, err)
			_, _, err = short.Login(ctx, strings.TrimPrefix("h~t=x", p[2:]), "d")
			require.ErrorIs(t, err, ErrBadID, "prefix %q", p)
			_, err = short.Active(ctx, strings.TrimPrefix("h~x", p[2:]))
			require.ErrorIs(t, err, ErrBadID, "prefix %q", p)
		}

		// AnyIDText widens ids to any bytes but the structural ones.
		wide, err := New(tg.c, Options{Prefix: s.Options().Prefix, AnyIDText: true})
		require.NoError(t, err)
		for _, id := range []string{"a\tb", "\xff", "a\u202eb"} {
			tok, _, err := wide.Login(ctx, id, id)
			require.NoError(t, err, "%q", id)
			_, err = wide.Validate(ctx, tok)
			require.NoError(t, err, "%q", id)
			_, err = s.Validate(ctx, tok)
			require.ErrorIs(t, err, ErrBadID, "the strict store refuses %q", id)
		}
		_, _, err = wide.Login(ctx, "a:b", "d")
		require.ErrorIs(t, err, ErrBadID)

		_, err = New(tg.c, Options{Cookie: CookieOptions{SameSite: http.SameSiteNoneMode, Insecure: true}})
		require.Error(t, err, "SameSite=None without Secure is dropped by browsers")
		_, err = New(tg.c, Options{Cookie: CookieOptions{SameSite: http.SameSiteNoneMode}})
		require.NoError(t, err)

		_, err = New(tg.c, Options{Prefix: "x{y}"})
		require.ErrorIs(t, err, ErrBadID)
		_, err = New(tg.c, Options{Prefix: "exh~p"})
		require.ErrorIs(t, err, ErrBadID)
	})
}

func TestCorruptRecordAndOtherTypes(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		tok, _, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		require.NoError(t, tg.c.ExHSet(ctx, s.Key("u"), "d", "garbage").Err())
		_, err = s.Validate(ctx, tok)
		require.ErrorIs(t, err, ErrCorruptRecord)

		// A plain string under a user's key is never clobbered.
		require.NoError(t, tg.c.Redis().Set(ctx, s.Key("w"), "mine", 0).Err())
		_, _, err = s.Login(ctx, "w", "d")
		require.Error(t, err)
		_, err = s.LogoutAll(ctx, "w")
		require.Error(t, err)
		require.Equal(t, "mine", tg.c.Redis().Get(ctx, s.Key("w")).Val())
	})
}

// scanKeys lists keys matching pattern on every master.
func scanKeys(t *testing.T, tg target, pattern string) ([]string, error) {
	ctx := ctxT(t)
	var out []string
	var mu sync.Mutex // ForEachMaster scans the masters concurrently
	scan := func(c redis.UniversalClient) error {
		it := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for it.Next(ctx) {
			mu.Lock()
			out = append(out, it.Val())
			mu.Unlock()
		}
		return it.Err()
	}
	if cc, ok := tg.c.Redis().(*redis.ClusterClient); ok {
		err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(c) })
		return out, err
	}
	return out, scan(tg.c.Redis())
}

// The store needs field versions: a backend that does not keep them refuses the first login with
// a clear error, and nothing is written.
func TestNeedsVersions(t *testing.T) {
	srv := testserver.Redis8(t)
	c := exhash.NewClient(srv.Client(t), exhash.WithBackend(emulate.NewHFE(emulate.WithoutVersions())))
	s, err := New(c, Options{Prefix: srv.Prefix(t)})
	require.NoError(t, err)
	ctx := ctxT(t)
	_, _, err = s.Login(ctx, "u", "d")
	require.ErrorIs(t, err, emulate.ErrNeedsVersions)
	require.EqualValues(t, 0, c.Redis().Exists(ctx, s.Key("u")).Val())
}

// LogoutAll removes the user's key with its companion keys: nothing of the user is left on the
// server (a raw SCAN for the emulations' exh~ names that mention the user's key).
func TestLogoutAllLeavesNothing(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		for _, dev := range []string{"phone", "pad", "pc"} {
			if _, _, err := s.Login(ctx, "alice", dev); err != nil {
				t.Fatal(err)
			}
		}
		n, err := s.LogoutAll(ctx, "alice")
		if err != nil || n != 3 {
			t.Fatalf("LogoutAll = %d, %v; want 3", n, err)
		}
		key := s.Key("alice")
		var mu sync.Mutex // ForEachMaster scans the masters concurrently
		var left []string
		scan := func(ctx context.Context, node redis.UniversalClient) error {
			iter := node.Scan(ctx, 0, "*", 1000).Iterator()
			for iter.Next(ctx) {
				if strings.Contains(iter.Val(), key) {
					mu.Lock()
					left = append(left, iter.Val())
					mu.Unlock()
				}
			}
			return iter.Err()
		}
		rdb := tg.c.Redis()
		if cc, ok := rdb.(*redis.ClusterClient); ok {
			err = cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error { return scan(ctx, node) })
		} else {
			err = scan(ctx, rdb)
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 0 {
			t.Fatalf("after LogoutAll the server still holds %v", left)
		}
		if n, err := s.LogoutAll(ctx, "alice"); err != nil || n != 0 {
			t.Fatalf("LogoutAll again = %d, %v; want 0", n, err)
		}
	})
}
