package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/tairhash-go/tairhash/devices"
)

// demo drives the application through an in-process HTTPS server and prints one fixed line per
// step. Cookies are handled by hand so that the old token can be replayed after a rotation.
func demo(ctx context.Context, out io.Writer, store *devices.Store) error {
	srv := httptest.NewTLSServer(newApp(store))
	defer srv.Close()
	b := &browser{c: srv.Client(), base: srv.URL, name: store.Options().Cookie.Name}
	idle := store.Options().IdleTimeout

	step := func(line string, err error) error {
		if err == nil {
			fmt.Fprintln(out, line)
		}
		return err
	}
	expect := func(method, path string, form url.Values, want int) (*http.Response, string, error) {
		res, body, err := b.do(ctx, method, path, form)
		if err == nil && res.StatusCode != want {
			err = fmt.Errorf("%s %s: status %d, want %d (%s)", method, path, res.StatusCode, want, body)
		}
		return res, body, err
	}
	login := url.Values{"user": {"alice"}, "device": {"laptop"}}

	_, _, err := expect("GET", "/me", nil, 401)
	if err := step("GET /me without a session: 401", err); err != nil {
		return err
	}
	res, _, err := expect("POST", "/login", login, 200)
	if err == nil {
		err = checkCookie(res, b.name)
	}
	if err := step("POST /login alice on laptop: 200, cookie HttpOnly; Secure; SameSite=Lax", err); err != nil {
		return err
	}
	_, body, err := expect("GET", "/me", nil, 200)
	if err := step("GET /me: 200 "+strings.TrimSpace(body), err); err != nil {
		return err
	}

	// Sliding expiry: used every quarter of the idle timeout for longer than the idle timeout.
	start := time.Now()
	for err == nil && time.Since(start) < idle*3/2 {
		time.Sleep(idle / 4)
		_, _, err = expect("GET", "/me", nil, 200)
	}
	if err := step("GET /me every quarter of the idle timeout for 1.5 idle timeouts: 200 each time", err); err != nil {
		return err
	}

	old := b.cookie
	_, _, err = expect("POST", "/rotate", nil, 200)
	if err == nil && b.cookie == old {
		err = fmt.Errorf("rotation sent no new cookie")
	}
	if err := step("POST /rotate: 200, new token in the cookie", err); err != nil {
		return err
	}
	current := b.cookie
	b.cookie = old
	_, _, err = expect("GET", "/me", nil, 401)
	b.cookie = current
	if err := step("GET /me with the old token: 401", err); err != nil {
		return err
	}
	_, body, err = expect("GET", "/me", nil, 200)
	if err := step("GET /me with the new token: 200 "+strings.TrimSpace(body), err); err != nil {
		return err
	}

	_, _, err = expect("POST", "/logout", nil, 200)
	if err == nil && b.cookie != "" {
		err = fmt.Errorf("logout did not clear the cookie")
	}
	if err := step("POST /logout: 200, cookie cleared", err); err != nil {
		return err
	}
	b.cookie = current
	_, _, err = expect("GET", "/me", nil, 401)
	if err := step("GET /me with the logged-out token: 401", err); err != nil {
		return err
	}

	_, _, err = expect("POST", "/login", login, 200)
	if err := step("POST /login alice on laptop: 200", err); err != nil {
		return err
	}
	// Left alone, the session ends by itself; Active never refreshes, so polling it is safe.
	deadline := time.Now().Add(idle + 10*time.Second)
	for err == nil {
		var live []devices.Session
		live, err = store.Active(ctx, "alice")
		if err == nil && len(live) == 0 {
			break
		}
		if time.Now().After(deadline) {
			err = fmt.Errorf("the session did not expire")
		}
		time.Sleep(idle / 10)
	}
	if err == nil {
		_, _, err = expect("GET", "/me", nil, 401)
	}
	return step("GET /me after the idle timeout: 401", err)
}

// browser sends requests with the session cookie it was last given.
type browser struct {
	c      *http.Client
	base   string
	name   string
	cookie string
}

func (b *browser) do(ctx context.Context, method, path string, form url.Values) (*http.Response, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: b.name, Value: b.cookie})
	}
	res, err := b.c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	for _, c := range res.Cookies() {
		if c.Name == b.name {
			b.cookie = c.Value // empty when cleared
		}
	}
	return res, string(body), err
}

func checkCookie(res *http.Response, name string) error {
	for _, c := range res.Cookies() {
		if c.Name == name {
			if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode {
				return fmt.Errorf("cookie attributes: %s", c.String())
			}
			return nil
		}
	}
	return fmt.Errorf("no session cookie")
}
