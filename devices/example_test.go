package devices_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/devices"
	"github.com/tairhash-go/tairhash/emulate"
	"github.com/tairhash-go/tairhash/exhash"
)

// embedded starts an in-process Redis-compatible server with the Lua emulation, so the examples
// run with nothing installed. Applications use tairhash.Open on their own server instead.
func embedded() (*exhash.Client, func()) {
	srv := miniredis.NewMiniRedis()
	if err := srv.Start(); err != nil {
		panic(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	return exhash.NewClient(rdb, exhash.WithBackend(emulate.NewLua())), func() { rdb.Close(); srv.Close() }
}

func Example() {
	ctx := context.Background()
	client, closeAll := embedded()
	defer closeAll()

	store, err := devices.New(client, devices.Options{IdleTimeout: 24 * time.Hour, MaxLifetime: 30 * 24 * time.Hour})
	if err != nil {
		panic(err)
	}
	phone, _, _ := store.Login(ctx, "alice", "phone")
	_, _, _ = store.Login(ctx, "alice", "laptop")

	sess, err := store.Validate(ctx, phone)
	fmt.Println(sess.User, sess.Device, err)

	n, _ := store.LogoutOthers(ctx, "alice", "laptop")
	fmt.Println("ended:", n)
	_, err = store.Validate(ctx, phone)
	fmt.Println(errors.Is(err, devices.ErrNoSession))

	_, err = store.Validate(ctx, phone[:len(phone)-3])
	fmt.Println(errors.Is(err, devices.ErrInvalidToken))
	// Output:
	// alice phone <nil>
	// ended: 1
	// true
	// true
}

func ExampleStore_Rotate() {
	ctx := context.Background()
	client, closeAll := embedded()
	defer closeAll()
	store, _ := devices.New(client, devices.Options{})
	strict, _ := devices.New(client, devices.Options{RotateGrace: -1})

	old, _, _ := store.Login(ctx, "alice", "phone")
	// alice just confirmed her password for an admin action: issue a new token.
	fresh, _, err := store.Rotate(ctx, old)
	fmt.Println(err)
	// The old token still works for RotateGrace (requests in flight, a retried Rotate)...
	_, err = store.Validate(ctx, old)
	fmt.Println(err)
	// ...unless the grace window is off.
	_, err = strict.Validate(ctx, old)
	fmt.Println(errors.Is(err, devices.ErrInvalidToken))
	_, err = store.Validate(ctx, fresh)
	fmt.Println(err)
	// Output:
	// <nil>
	// <nil>
	// true
	// <nil>
}

func ExampleOptions_maxDevices() {
	ctx := context.Background()
	client, closeAll := embedded()
	defer closeAll()
	store, _ := devices.New(client, devices.Options{MaxDevices: 2})

	for _, d := range []string{"phone", "laptop", "tablet"} {
		_, _, _ = store.Login(ctx, "alice", d)
		time.Sleep(2 * time.Millisecond) // distinct login times, so "oldest" is clear
	}
	active, _ := store.Active(ctx, "alice")
	for _, s := range active {
		fmt.Println(s.Device)
	}
	// Output:
	// laptop
	// tablet
}

func ExampleStore_Middleware() {
	ctx := context.Background()
	client, closeAll := embedded()
	defer closeAll()
	store, _ := devices.New(client, devices.Options{})

	app := store.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, _ := devices.FromContext(r.Context())
		fmt.Fprintf(w, "hello %s on %s", sess.User, sess.Device)
	}))

	// After checking the password, the login handler calls Login and SetCookie.
	tok, sess, _ := store.Login(ctx, "alice", "browser")
	login := httptest.NewRecorder()
	store.SetCookie(login, tok, sess)
	cookie := login.Result().Cookies()[0]
	fmt.Println(cookie.HttpOnly, cookie.Secure, cookie.SameSite == http.SameSiteLaxMode)

	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(cookie)
	w := httptest.NewRecorder()
	app.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body.String())

	w = httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	fmt.Println(w.Code)
	// Output:
	// true true true
	// 200 hello alice on browser
	// 401
}

func ExampleStore_Listen() {
	ctx := context.Background()
	client, closeAll := embedded()
	defer closeAll()

	// Two app servers; b keeps recent validations in process while its Listener runs.
	a, _ := devices.New(client, devices.Options{})
	b, _ := devices.New(client, devices.Options{CacheSize: 10_000, CacheMaxAge: 5 * time.Second})
	l, err := b.Listen(ctx)
	if err != nil {
		panic(err)
	}
	defer l.Close()

	tok, _, _ := a.Login(ctx, "alice", "phone")
	_, err = b.Validate(ctx, tok)
	fmt.Println(err)

	_, _ = a.Logout(ctx, "alice", "phone") // broadcast: b drops its cached validation
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if _, err = b.Validate(ctx, tok); err != nil {
			break
		}
	}
	fmt.Println(errors.Is(err, devices.ErrNoSession))
	// Output:
	// <nil>
	// true
}
