// Command logout-everywhere shows "log out other devices" and "log out everywhere" with the
// devices package, and how the revocation reaches a second application server that had the token
// in its validation cache.
//
// alice logs in on three devices. App server B validates her phone's token; it keeps recent
// validations in a cache, invalidated by the revocation broadcasts its Listener receives. From
// the laptop she logs out her other devices, then everywhere; after each step server B refuses
// the revoked tokens at once.
//
// The server is chosen as in every example (examples/internal/connect); the backend is named on
// stderr.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/tairhash-go/tairhash/devices"
	"github.com/tairhash-go/tairhash/examples/internal/connect"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out, errOut io.Writer) error {
	client, name, release, err := connect.Connect(ctx)
	if err != nil {
		return err
	}
	defer release()
	fmt.Fprintln(errOut, name)

	opts := devices.Options{Prefix: "example-logout:"}
	a, err := devices.New(client, opts) // app server A
	if err != nil {
		return err
	}
	opts.CacheSize, opts.CacheMaxAge = 1000, time.Minute
	b, err := devices.New(client, opts) // app server B, with a validation cache
	if err != nil {
		return err
	}
	listener, err := b.Listen(ctx)
	if err != nil {
		return err
	}
	defer listener.Close()
	if _, err := a.LogoutAll(ctx, "alice"); err != nil { // a clean start when the server is reused
		return err
	}

	tokens := map[string]string{}
	for _, device := range []string{"phone", "laptop", "tablet"} {
		tok, _, err := a.Login(ctx, "alice", device)
		if err != nil {
			return err
		}
		tokens[device] = tok
	}
	fmt.Fprintln(out, "alice logs in on phone, laptop and tablet")
	if err := printActive(ctx, out, a); err != nil {
		return err
	}
	if _, err := b.Validate(ctx, tokens["phone"]); err != nil {
		return err
	}
	fmt.Fprintln(out, "server B validates the phone token: ok")

	n, err := a.LogoutOthers(ctx, "alice", "laptop")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "from the laptop, log out other devices: %d sessions ended\n", n)
	if err := printRefusal(ctx, out, b, "phone", tokens["phone"]); err != nil {
		return err
	}
	if err := printActive(ctx, out, a); err != nil {
		return err
	}

	if _, err := b.Validate(ctx, tokens["laptop"]); err != nil {
		return err
	}
	n, err = a.LogoutAll(ctx, "alice")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "log out everywhere: %d session ended\n", n)
	if err := printRefusal(ctx, out, b, "laptop", tokens["laptop"]); err != nil {
		return err
	}
	return printActive(ctx, out, a)
}

func printActive(ctx context.Context, out io.Writer, s *devices.Store) error {
	live, err := s.Active(ctx, "alice")
	if err != nil {
		return err
	}
	names := []string{}
	for _, d := range live {
		names = append(names, d.Device)
	}
	slices.Sort(names)
	if len(names) == 0 {
		names = []string{"(none)"}
	}
	fmt.Fprintf(out, "active devices: %s\n", strings.Join(names, ", "))
	return nil
}

// printRefusal waits (briefly: the broadcast is on its way) until server B refuses the token.
func printRefusal(ctx context.Context, out io.Writer, b *devices.Store, device, tok string) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := b.Validate(ctx, tok)
		switch {
		case errors.Is(err, devices.ErrNoSession):
			fmt.Fprintf(out, "server B validates the %s token: refused, no such session\n", device)
			return nil
		case err != nil:
			return err
		case time.Now().After(deadline):
			return fmt.Errorf("server B still accepts the %s token", device)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
