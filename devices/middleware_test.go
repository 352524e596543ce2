package devices

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"

	"github.com/stretchr/testify/require"
)

func serve(h http.Handler, cookie *http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func sessionCookie(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == DefaultCookieName {
			return c
		}
	}
	return nil
}

// TestMiddleware runs without timing assumptions: the store that serves the requests never
// refreshes within the test (RefreshInterval of an hour), and the refresh is shown by a second store
// on the same keys whose interval (1 ms) has certainly passed once the test waited for it.
func TestMiddleware(t *testing.T) {
	each(t, Options{IdleTimeout: 3 * time.Hour, RefreshInterval: time.Hour}, func(t *testing.T, tg target, s *Store) {
		ctx := ctxT(t)
		var seen Session
		handler := func(w http.ResponseWriter, r *http.Request) {
			sess, ok := FromContext(r.Context())
			require.True(t, ok)
			tok, ok := TokenFromContext(r.Context())
			require.True(t, ok && tok != "")
			seen = sess
			_, _ = w.Write([]byte("hello " + sess.User))
		}
		h := s.Middleware(http.HandlerFunc(handler))

		w := serve(h, nil)
		require.Equal(t, http.StatusUnauthorized, w.Code, "no cookie")

		tok, sess, err := s.Login(ctx, "alice", "browser")
		require.NoError(t, err)
		set := httptest.NewRecorder()
		s.SetCookie(set, tok, sess)
		c := sessionCookie(t, set)
		require.True(t, c != nil)
		require.Equal(t, tok, c.Value)
		require.True(t, c.HttpOnly && c.Secure, "HttpOnly and Secure by default")
		require.Equal(t, http.SameSiteLaxMode, c.SameSite)
		require.Equal(t, "/", c.Path)
		require.WithinDuration(t, sess.Expires, c.Expires, time.Second)
		require.Greater(t, c.MaxAge, 3*3600-100)

		w = serve(h, c)
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, "hello alice", w.Body.String())
		require.Equal(t, "browser", seen.Device)
		require.True(t, sessionCookie(t, w) == nil, "no refresh within RefreshInterval, no cookie sent")

		eager, err := New(tg.c, Options{Prefix: s.Options().Prefix, IdleTimeout: 3 * time.Hour, RefreshInterval: time.Millisecond})
		require.NoError(t, err)
		eventually(t, 5*time.Second, "a millisecond passes", func() bool { return time.Since(sess.LastRefresh) > 2*time.Millisecond })
		w = serve(eager.Middleware(http.HandlerFunc(handler)), c)
		require.Equal(t, http.StatusOK, w.Code)
		rc := sessionCookie(t, w)
		require.True(t, rc != nil, "a refreshed session re-sends the cookie")
		require.Equal(t, tok, rc.Value)
		require.True(t, seen.Refreshed)
		require.True(t, seen.Expires.After(sess.Expires), "the expiry slid")
		require.WithinDuration(t, seen.Expires, rc.Expires, time.Second)

		bad := *c
		bad.Value = tok[:len(tok)-2]
		w = serve(h, &bad)
		require.Equal(t, http.StatusUnauthorized, w.Code)
		cleared := sessionCookie(t, w)
		require.True(t, cleared != nil && cleared.MaxAge < 0 && cleared.Value == "", "a bad cookie is cleared")

		_, err = s.Logout(ctx, "alice", "browser")
		require.NoError(t, err)
		w = serve(h, c)
		require.Equal(t, http.StatusUnauthorized, w.Code, "logged out")
	})
}

func TestMiddlewareOptions(t *testing.T) {
	srv := targets(t)[0]
	s, err := New(srv.c, Options{Prefix: srv.prefix, Cookie: CookieOptions{Name: "sid", Insecure: true, SameSite: http.SameSiteStrictMode, Domain: "example.test"},
		Unauthorized: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/login", http.StatusSeeOther) })})
	require.NoError(t, err)
	w := httptest.NewRecorder()
	s.SetCookie(w, "v1.x", Session{Expires: time.Now().Add(time.Minute)})
	c := w.Result().Cookies()[0]
	require.Equal(t, "sid", c.Name)
	require.False(t, c.Secure)
	require.True(t, c.HttpOnly)
	require.Equal(t, http.SameSiteStrictMode, c.SameSite)
	require.Equal(t, "example.test", c.Domain)
	w = httptest.NewRecorder()
	s.ClearCookie(w)
	c = w.Result().Cookies()[0]
	require.True(t, c.MaxAge < 0 && c.Value == "" && c.HttpOnly)

	h := s.Middleware(http.NotFoundHandler())
	w = serve(h, nil)
	require.Equal(t, http.StatusSeeOther, w.Code, "custom Unauthorized handler")

	// A server that cannot be reached is not a reason to drop the user's cookie: 503, no Set-Cookie.
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer down.Close()
	ds, err := New(exhash.NewClient(down), Options{})
	require.NoError(t, err)
	tok, _, err := s.Login(context.Background(), "u", "d")
	require.NoError(t, err)
	w = serve(ds.Middleware(http.NotFoundHandler()), &http.Cookie{Name: DefaultCookieName, Value: tok})
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
	require.Empty(t, w.Result().Cookies())
}
