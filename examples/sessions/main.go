// Command sessions is a web application with sliding sessions kept by the devices package: one
// hash per user, one field per device, one TTL per device, behind net/http middleware.
//
//	go run ./examples/sessions -demo     scripted walk-through over HTTPS in this process, then exits
//	go run ./examples/sessions           serves on 127.0.0.1:8080 (see app.go for the routes)
//
// The server is chosen as in every example (examples/internal/connect): an embedded server running
// the Lua emulation by default, REDIS_ADDR or TAIR_ADDR otherwise. The backend is named on stderr.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/tairhash-go/tairhash/devices"
	"github.com/tairhash-go/tairhash/examples/internal/connect"
)

func main() {
	if err := run(context.Background(), os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out, errOut io.Writer, args []string) error {
	fs := flag.NewFlagSet("sessions", flag.ContinueOnError)
	fs.SetOutput(errOut)
	runDemo := fs.Bool("demo", false, "run the scripted walk-through and exit")
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve on (without -demo)")
	idle := fs.Duration("idle", 2*time.Second, "idle timeout of a session (short, to watch it slide and expire)")
	if err := fs.Parse(args); err != nil {
		return err
	}

	client, name, release, err := connect.Connect(ctx)
	if err != nil {
		return err
	}
	defer release()
	fmt.Fprintln(errOut, name)

	opts := devices.Options{
		Prefix:          "example-sessions:",
		IdleTimeout:     *idle,
		RefreshInterval: *idle / 8,
		MaxLifetime:     time.Hour,
		// The demo shows the replaced token refused at once; by default it keeps working for 30 s,
		// so that a rotation whose reply was lost can be retried.
		RotateGrace: -1,
	}
	if !*runDemo {
		// This development server speaks plain HTTP, where browsers may drop Secure cookies.
		// Behind TLS, leave the default (Secure) on.
		opts.Cookie.Insecure = true
	}
	store, err := devices.New(client, opts)
	if err != nil {
		return err
	}
	if *runDemo {
		return demo(ctx, out, store)
	}
	fmt.Fprintf(errOut, "serving on http://%s (POST /login user=…&device=…, GET /me, GET /devices, POST /rotate, POST /logout)\n", *addr)
	srv := &http.Server{Addr: *addr, Handler: newApp(store), ReadHeaderTimeout: 5 * time.Second}
	return srv.ListenAndServe()
}
