package devices

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Two logins on the same device at once: exactly one token survives, and it is the stored one.
func TestRaceSameDeviceLogins(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		for round := range 5 {
			user := fmt.Sprint("u", round)
			toks := make([]string, 4)
			var wg sync.WaitGroup
			for i := range toks {
				wg.Go(func() {
					tk, _, err := s.Login(ctx, user, "d")
					require.NoError(t, err)
					toks[i] = tk
				})
			}
			wg.Wait()
			valid := 0
			for _, tk := range toks {
				_, err := s.Validate(ctx, tk)
				if err == nil {
					valid++
				} else {
					require.ErrorIs(t, err, ErrInvalidToken)
				}
			}
			require.Equal(t, 1, valid)
			act, err := s.Active(ctx, user)
			require.NoError(t, err)
			require.Len(t, act, 1)
		}
	})
}

// Rotate against Validate with a refresh on every call: whatever the interleaving, the old token is
// dead afterwards (for a store without grace window; within it for the others) and the new one
// alive (a refresh that read the old record cannot write it back).
func TestRaceRotateValidate(t *testing.T) {
	each(t, Options{RefreshInterval: time.Nanosecond, MaxRetries: 1000, RotateGrace: time.Hour}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		strict, err := New(tg.c, Options{Prefix: s.Options().Prefix, RotateGrace: -1})
		require.NoError(t, err)
		for range 10 {
			old, _, err := s.Login(ctx, "u", "d")
			require.NoError(t, err)
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for range 3 {
				wg.Go(func() {
					for {
						select {
						case <-stop:
							return
						default:
						}
						_, err := s.Validate(ctx, old)
						require.NoError(t, err, "within the grace window")
					}
				})
			}
			time.Sleep(2 * time.Millisecond)
			nw, _, err := s.Rotate(ctx, old)
			require.NoError(t, err)
			for range 20 { // validators still running keep trying to refresh the old record
				_, err := s.Validate(ctx, nw)
				require.NoError(t, err)
			}
			close(stop)
			wg.Wait()
			_, err = strict.Validate(ctx, old)
			require.ErrorIs(t, err, ErrInvalidToken)
			_, err = strict.Validate(ctx, nw)
			require.NoError(t, err)
		}
	})
}

// Two Rotates of one token. Without grace window one wins and the other is told the token is no
// longer valid; with one both succeed (the later one counts as a retry) and exactly one of the two
// new tokens is the device's.
func TestRaceRotateRotate(t *testing.T) {
	for _, grace := range []time.Duration{-1, time.Hour} {
		t.Run(fmt.Sprint("grace=", grace), func(t *testing.T) { raceRotateRotate(t, grace) })
	}
}

func raceRotateRotate(t *testing.T, grace time.Duration) {
	each(t, Options{RotateGrace: grace, MaxRetries: 1000}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		for range 5 {
			old, _, err := s.Login(ctx, "u", "d")
			require.NoError(t, err)
			res := make([]string, 2)
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i := range 2 {
				wg.Go(func() { res[i], _, errs[i] = s.Rotate(ctx, old) })
			}
			wg.Wait()
			won, valid := 0, 0
			for i := range 2 {
				if errs[i] == nil {
					won++
					_, err := s.Validate(ctx, res[i])
					if err == nil {
						valid++
					} else {
						require.ErrorIs(t, err, ErrInvalidToken)
					}
				} else {
					require.ErrorIs(t, errs[i], ErrInvalidToken)
				}
			}
			require.Equal(t, 1, valid)
			if grace > 0 {
				require.Equal(t, 2, won, "the later Rotate is a retry within the grace window")
			} else {
				require.Equal(t, 1, won)
			}
		}
	})
}

// MaxDevices under concurrent logins: the bound holds exactly, evicting or refusing.
func TestRaceMaxDevices(t *testing.T) {
	for _, refuse := range []bool{false, true} {
		t.Run(fmt.Sprint("refuse=", refuse), func(t *testing.T) {
			each(t, Options{MaxDevices: 3, RefuseWhenFull: refuse, MaxRetries: 1000}, func(t *testing.T, tg target, s *Store) {
				ctx := ctxT(t)
				toks := make([]string, 10)
				errs := make([]error, len(toks))
				var wg sync.WaitGroup
				for i := range toks {
					wg.Go(func() { toks[i], _, errs[i] = s.Login(ctx, "u", fmt.Sprint("d", i)) })
				}
				wg.Wait()
				ok := 0
				for i, err := range errs {
					if err == nil {
						ok++
					} else if !refuse || !errors.Is(err, ErrTooManyDevices) {
						t.Fatalf("login %d: %v", i, err)
					}
				}
				if refuse {
					require.Equal(t, 3, ok)
				}
				act, err := s.Active(ctx, "u")
				require.NoError(t, err)
				require.Len(t, act, 3)
				valid := 0
				for i, tk := range toks {
					if errs[i] != nil {
						continue
					}
					if _, err := s.Validate(ctx, tk); err == nil {
						valid++
					}
				}
				require.Equal(t, 3, valid)
			})
		})
	}
}

// LogoutAll during logins: every login that completed before LogoutAll began is logged out; what
// is left was logged in by logins that had not completed by then.
func TestRaceLogoutAllDuringLogins(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		const workers, per = 4, 15
		type result struct {
			tok  string
			done time.Time
		}
		results := make([][]result, workers)
		var logoutStart time.Time
		var wg sync.WaitGroup
		started := make(chan struct{})
		for w := range workers {
			wg.Go(func() {
				for i := range per {
					if i == per/2 && w == 0 {
						close(started)
					}
					tk, _, err := s.Login(ctx, "u", fmt.Sprintf("w%d-%d", w, i))
					require.NoError(t, err)
					results[w] = append(results[w], result{tk, time.Now()})
				}
			})
		}
		<-started
		logoutStart = time.Now()
		_, err := s.LogoutAll(ctx, "u")
		require.NoError(t, err)
		wg.Wait()
		survivors := 0
		for _, rs := range results {
			for _, r := range rs {
				_, err := s.Validate(ctx, r.tok)
				if r.done.Before(logoutStart) {
					require.ErrorIs(t, err, ErrNoSession, "a login completed before LogoutAll survived")
				} else if err == nil {
					survivors++
				}
			}
		}
		act, err := s.Active(ctx, "u")
		require.NoError(t, err)
		require.Len(t, act, survivors)
	})
}

// A session that expires while a request validating it is in flight stays expired: the refresh
// that read it before expiry is refused (XX + version) instead of creating the field again.
func TestExpiryWhileInFlight(t *testing.T) {
	each(t, Options{IdleTimeout: 100 * time.Millisecond}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		text, _, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		tok, err := parseToken(text)
		require.NoError(t, err)
		rec, ver, _, err := s.read(ctx, s.Key("u"), tok) // the request's read, before expiry
		require.NoError(t, err)
		eventually(t, 5*time.Second, "field expires", func() bool {
			act, err := s.Active(ctx, "u")
			require.NoError(t, err)
			return len(act) == 0
		})
		now := nowMs()
		rec.refreshed, rec.expires = now, now+10_000
		err = s.update(ctx, s.Key("u"), "d", &rec, ver, now) // the request's late refresh
		require.ErrorIs(t, err, ErrNoSession)
		act, err := s.Active(ctx, "u")
		require.NoError(t, err)
		require.Empty(t, act)
		_, err = s.Validate(ctx, text)
		require.ErrorIs(t, err, ErrNoSession)

		// And a late refresh racing a logout followed by a new login on the same device cannot
		// put the old token back (each login draws a fresh version).
		text, _, err = s.Login(ctx, "u", "d")
		require.NoError(t, err)
		tok, _ = parseToken(text)
		rec, ver, _, err = s.read(ctx, s.Key("u"), tok)
		require.NoError(t, err)
		_, err = s.Logout(ctx, "u", "d")
		require.NoError(t, err)
		fresh, _, err := s.Login(ctx, "u", "d")
		require.NoError(t, err)
		now = nowMs()
		rec.refreshed, rec.expires = now, now+10_000
		err = s.update(ctx, s.Key("u"), "d", &rec, ver, now)
		require.Error(t, err)
		_, err = s.Validate(ctx, text)
		require.ErrorIs(t, err, ErrInvalidToken)
		_, err = s.Validate(ctx, fresh)
		require.NoError(t, err)
	})
}
