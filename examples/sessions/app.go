package main

import (
	"fmt"
	"net/http"

	"github.com/tairhash-go/tairhash/devices"
)

// newApp wires the store into a tiny web application:
//
//	POST /login   user=…&device=…   starts a session and sets the cookie
//	GET  /me                        who is logged in (the middleware slides the expiry)
//	GET  /devices                   the user's live devices
//	POST /rotate                    new token for this device (do it after a privilege change)
//	POST /logout                    ends this device's session and clears the cookie
//
// A real application checks a password or a second factor before Login; SameSite=Lax (the
// cookie default) keeps other sites from posting to these endpoints with the user's cookie.
func newApp(store *devices.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		meta := devices.Meta{IP: r.RemoteAddr, UserAgent: r.UserAgent()}
		tok, sess, err := store.LoginWith(r.Context(), r.FormValue("user"), r.FormValue("device"), meta)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		store.SetCookie(w, tok, sess)
		fmt.Fprintf(w, "logged in as %s on %s\n", sess.User, sess.Device)
	})

	authed := http.NewServeMux()
	authed.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		sess, _ := devices.FromContext(r.Context())
		fmt.Fprintf(w, "%s on %s\n", sess.User, sess.Device)
	})
	authed.HandleFunc("GET /devices", func(w http.ResponseWriter, r *http.Request) {
		sess, _ := devices.FromContext(r.Context())
		active, err := store.Active(r.Context(), sess.User)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		for _, a := range active {
			fmt.Fprintf(w, "%s until %s\n", a.Device, a.Expires.UTC().Format("15:04:05"))
		}
	})
	authed.HandleFunc("POST /rotate", func(w http.ResponseWriter, r *http.Request) {
		old, _ := devices.TokenFromContext(r.Context())
		tok, sess, err := store.Rotate(r.Context(), old)
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		store.SetCookie(w, tok, sess)
		fmt.Fprintln(w, "new token issued")
	})
	authed.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		sess, _ := devices.FromContext(r.Context())
		if _, err := store.Logout(r.Context(), sess.User, sess.Device); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		store.ClearCookie(w)
		fmt.Fprintln(w, "logged out")
	})
	mux.Handle("/", store.Middleware(authed))
	return mux
}
