// Package story is the multi-device token story of examples/multidevice, importable so that the
// integration tests run the very same steps on every backend.
//
// user1 logs in on phone (TTL 5 s) and pad (10 s), user2 on pad and pc (10 s each); after 6 s only
// the three tokens whose TTL has not run out are listed, one line per live field, fields of a user
// in lexical order.
package story

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/tairhash-go/tairhash/exhash"
)

// login is one device signing in: the user, the device, its token and how long the token lives.
type login struct {
	user, device, token string
	ttl                 time.Duration
}

var logins = []login{
	{"user1", "phone", "token_123", 5 * time.Second},
	{"user1", "pad", "token_124", 10 * time.Second},
	{"user2", "pad", "token_456", 10 * time.Second},
	{"user2", "pc", "token_457", 10 * time.Second},
}

const wait = 6 * time.Second

// Run plays the story on client and prints each user's live tokens to out. scale multiplies
// every TTL and the wait (1 is the story as told; tests pass e.g. 0.1).
func Run(ctx context.Context, out io.Writer, client *exhash.Client, scale float64) error {
	scaled := func(d time.Duration) time.Duration { return time.Duration(float64(d) * scale) }
	users := []string{"user1", "user2"}

	// Start from a clean slate, so that running the story twice against one server gives the same output.
	for _, user := range users {
		fields, err := client.ExHKeys(ctx, user).Result()
		if err != nil {
			return fmt.Errorf("clear %s: %w", user, err)
		}
		if len(fields) > 0 {
			if err := client.ExHDel(ctx, user, fields...).Err(); err != nil {
				return fmt.Errorf("clear %s: %w", user, err)
			}
		}
	}

	for _, l := range logins {
		args := exhash.ExHSetArgs{}.New().Px(scaled(l.ttl))
		if err := client.ExHSetArgs(ctx, l.user, l.device, l.token, args).Err(); err != nil {
			return fmt.Errorf("login %s on %s: %w", l.user, l.device, err)
		}
	}

	fmt.Fprintf(out, "Waiting %d seconds...\n", int(wait/time.Second))
	time.Sleep(scaled(wait))

	for _, user := range users {
		tokens, err := client.ExHGetAll(ctx, user).Result()
		if err != nil {
			return fmt.Errorf("list %s: %w", user, err)
		}
		devices := make([]string, 0, len(tokens))
		for device := range tokens {
			devices = append(devices, device)
		}
		sort.Strings(devices)
		for _, device := range devices {
			fmt.Fprintf(out, "%s:{field: %s, value: %s}\n", user, device, tokens[device])
		}
	}
	return nil
}
