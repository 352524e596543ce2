package devices

import (
	"context"
	"errors"
	"net/http"
	"time"
)

type contextKey struct{}

type requestSession struct {
	sess  Session
	token string
}

// FromContext returns the session Middleware put in the request's context.
func FromContext(ctx context.Context) (Session, bool) {
	rs, ok := ctx.Value(contextKey{}).(requestSession)
	return rs.sess, ok
}

// TokenFromContext returns the token Middleware validated for this request, for handlers that
// call Rotate or Logout.
func TokenFromContext(ctx context.Context) (string, bool) {
	rs, ok := ctx.Value(contextKey{}).(requestSession)
	return rs.token, ok
}

// Middleware admits only requests whose session cookie holds a valid token. It puts the session in
// the request context (FromContext), and when Validate slid the expiry it re-sends the cookie with
// the new expiry. A missing, malformed, replaced, logged-out or expired token gets Options.
// Unauthorized (default 401) and the cookie is cleared; a server error gets 503, without clearing
// the cookie, since the session may well be valid.
func (s *Store) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.o.Cookie.Name)
		if err != nil || c.Value == "" {
			s.unauthorized(w, r)
			return
		}
		sess, err := s.Validate(r.Context(), c.Value)
		switch {
		case err == nil:
		case isAuthError(err):
			s.ClearCookie(w)
			s.unauthorized(w, r)
			return
		default:
			http.Error(w, "session store unavailable", http.StatusServiceUnavailable)
			return
		}
		if sess.Refreshed {
			s.SetCookie(w, c.Value, sess)
		}
		ctx := context.WithValue(r.Context(), contextKey{}, requestSession{sess: sess, token: c.Value})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// isAuthError tells the errors that mean "this token does not open a session" from server trouble.
func isAuthError(err error) bool {
	return errors.Is(err, ErrInvalidToken) || errors.Is(err, ErrNoSession) ||
		errors.Is(err, ErrExpired) || errors.Is(err, ErrBadID) || errors.Is(err, ErrCorruptRecord)
}

func (s *Store) unauthorized(w http.ResponseWriter, r *http.Request) {
	if s.o.Unauthorized != nil {
		s.o.Unauthorized.ServeHTTP(w, r)
		return
	}
	http.Error(w, "unauthorized", http.StatusUnauthorized)
}

// SetCookie sends token as the session cookie, expiring with sess (HttpOnly; Secure unless
// CookieOptions.Insecure; SameSite Lax unless configured). Call it after Login and Rotate.
func (s *Store) SetCookie(w http.ResponseWriter, token string, sess Session) {
	maxAge := int(time.Until(sess.Expires) / time.Second)
	if maxAge <= 0 {
		maxAge = 1 // 0 would make it a browser-session cookie, negative would delete it
	}
	http.SetCookie(w, s.cookie(token, sess.Expires, maxAge))
}

// ClearCookie tells the browser to drop the session cookie. Call it after Logout.
func (s *Store) ClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, s.cookie("", time.Unix(0, 0), -1))
}

func (s *Store) cookie(value string, expires time.Time, maxAge int) *http.Cookie {
	co := s.o.Cookie
	return &http.Cookie{
		Name: co.Name, Value: value, Path: co.Path, Domain: co.Domain,
		Expires: expires.UTC(), MaxAge: maxAge,
		HttpOnly: true, Secure: !co.Insecure, SameSite: co.SameSite,
	}
}
