package devices

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tairhash-go/tairhash/internal/testserver"
)

// recorder collects events; Time is zeroed after checking it is set.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) hook(ev Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

// take returns the events recorded since the last take.
func (r *recorder) take(t *testing.T) []Event {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	for i := range out {
		require.False(t, out[i].Time.IsZero(), "event time set")
		out[i].Time = time.Time{}
	}
	return out
}

func TestEvents(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		var rec recorder
		o := s.Options()
		o.OnEvent, o.MaxDevices = rec.hook, 3
		s, err := New(tg.c, o)
		require.NoError(t, err)

		meta := Meta{IP: "192.0.2.7", UserAgent: "test"}
		old, _, err := s.LoginWith(ctx, "u", "a", meta)
		require.NoError(t, err)
		_, _, err = s.Login(ctx, "u", "a")
		require.NoError(t, err)
		require.Equal(t, []Event{
			{Kind: EventLogin, User: "u", Device: "a", Meta: meta},
			{Kind: EventLogin, User: "u", Device: "a", Replaced: true},
		}, rec.take(t))

		_, _, err = s.Rotate(ctx, old)
		require.ErrorIs(t, err, ErrInvalidToken)
		require.Empty(t, rec.take(t), "a refused call reports nothing")

		tok, _, err := s.Login(ctx, "u", "a")
		require.NoError(t, err)
		_, _, err = s.Rotate(ctx, tok)
		require.NoError(t, err)
		_, _, err = s.Rotate(ctx, tok) // within the grace window
		require.NoError(t, err)
		require.Equal(t, []Event{
			{Kind: EventLogin, User: "u", Device: "a", Replaced: true},
			{Kind: EventRotate, User: "u", Device: "a"},
			{Kind: EventRotate, User: "u", Device: "a", Retry: true},
		}, rec.take(t))

		for _, d := range []string{"b", "c"} {
			eventually(t, 5*time.Second, "a later login time", func() bool { return laterThanAll(t, s, "u") })
			_, _, err = s.Login(ctx, "u", d)
			require.NoError(t, err)
		}
		eventually(t, 5*time.Second, "a later login time", func() bool { return laterThanAll(t, s, "u") })
		_, _, err = s.Login(ctx, "u", "d") // one too many: a, the oldest, is evicted
		require.NoError(t, err)
		require.Equal(t, []Event{
			{Kind: EventLogin, User: "u", Device: "b"},
			{Kind: EventLogin, User: "u", Device: "c"},
			{Kind: EventLogin, User: "u", Device: "d"},
			{Kind: EventEvicted, User: "u", Device: "d", Devices: []string{"a"}},
		}, rec.take(t))

		ok, err := s.Logout(ctx, "u", "b")
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = s.Logout(ctx, "u", "b")
		require.NoError(t, err)
		require.False(t, ok)
		n, err := s.LogoutOthers(ctx, "u", "d")
		require.NoError(t, err)
		require.Equal(t, 1, n)
		_, _, err = s.Login(ctx, "u", "e")
		require.NoError(t, err)
		n, err = s.LogoutAll(ctx, "u")
		require.NoError(t, err)
		require.Equal(t, 2, n)
		n, err = s.LogoutAll(ctx, "u")
		require.NoError(t, err)
		require.Zero(t, n)
		evs := rec.take(t)
		require.Len(t, evs, 4)
		require.ElementsMatch(t, []string{"d", "e"}, evs[3].Devices)
		evs[3].Devices = nil
		require.Equal(t, []Event{
			{Kind: EventLogout, User: "u", Device: "b", Devices: []string{"b"}},
			{Kind: EventLogoutOthers, User: "u", Device: "d", Devices: []string{"c"}},
			{Kind: EventLogin, User: "u", Device: "e"},
			{Kind: EventLogoutAll, User: "u"},
		}, evs)
	})
}

// laterThanAll reports that the clock is past every login of user (so the next login is newer).
func laterThanAll(t *testing.T, s *Store, user string) bool {
	act, err := s.Active(ctxT(t), user)
	require.NoError(t, err)
	for _, a := range act {
		if time.Since(a.Created) <= 2*time.Millisecond {
			return false
		}
	}
	return true
}

// Expiries reach the hook through a Listener, from the backend's expiry notifications; Redis' own
// hash-field expiration publishes none (docs/hfe.md), so there is no expiry event on it.
func TestEventsExpired(t *testing.T) {
	each(t, Options{IdleTimeout: 200 * time.Millisecond}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		var rec recorder
		o := s.Options()
		o.OnEvent = rec.hook
		s, err := New(tg.c, o)
		require.NoError(t, err)
		l, err := s.Listen(ctx)
		require.NoError(t, err)
		defer l.Close()
		_, _, err = s.Login(ctx, "u", "d")
		require.NoError(t, err)
		login := Event{Kind: EventLogin, User: "u", Device: "d"}
		if strings.HasSuffix(tg.name, "-hfe") {
			t.Log("no tairhash@ expiry notification on Redis' own field expiry: no EventExpired")
			require.Equal(t, []Event{login}, rec.take(t))
			return
		}
		var got []Event
		eventually(t, 5*time.Second, "expiry event", func() bool {
			_, err := s.Active(ctx, "u") // the Lua emulation notices expiries when the key is touched
			require.NoError(t, err)
			got = append(got, rec.take(t)...)
			return len(got) > 1
		})
		require.Equal(t, []Event{login, {Kind: EventExpired, User: "u", Device: "d"}}, got)
	})
}

// A logout whose reply is lost is reported as Uncertain: the store may have caused it.
func TestEventsUncertain(t *testing.T) {
	each(t, Options{}, func(t *testing.T, tg target, s *Store) {
		proxy := testserver.Cut(t, standaloneAddr(t, tg))
		ctx := ctxT(t)
		var rec recorder
		o := s.Options()
		o.OnEvent = rec.hook
		via, err := New(throughProxy(t, tg, proxy, -1), o)
		require.NoError(t, err)
		_, _, err = via.Login(ctx, "u", "device-to-cut")
		require.NoError(t, err)
		// A first logout loads the emulation's script, so the cut reply below is the logout's
		// own, not a NOSCRIPT (the test ran alone failed so).
		_, _, err = via.Login(ctx, "u", "warm")
		require.NoError(t, err)
		_, err = via.Logout(ctx, "u", "warm")
		require.NoError(t, err)
		rec.take(t)
		proxy.ArmOn([]byte("device-to-cut"))
		_, err = via.Logout(ctx, "u", "device-to-cut")
		require.Error(t, err)
		require.Equal(t, []Event{{Kind: EventLogout, User: "u", Device: "device-to-cut", Devices: []string{"device-to-cut"}, Uncertain: true}}, rec.take(t))
		act, err := s.Active(ctx, "u")
		require.NoError(t, err)
		require.Empty(t, act, "the logout was applied")
	})
}
