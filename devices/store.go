package devices

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/exhash/driver"
)

// Store issues, validates and revokes device sessions. It is safe for concurrent use.
type Store struct {
	c     *exhash.Client
	o     Options
	cache *cache
}

// New returns a store on c with opts (zero fields take the defaults).
func New(c *exhash.Client, opts Options) (*Store, error) {
	if c == nil {
		return nil, errors.New("devices: nil client")
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Store{c: c, o: o}
	if o.CacheSize > 0 {
		s.cache = newCache(o.CacheSize, o.CacheMaxAge)
	}
	return s, nil
}

// Options returns the store's options with defaults filled in.
func (s *Store) Options() Options { return s.o }

// Key returns the key holding user's devices (for inspection and tests; it is not validated).
func (s *Store) Key(user string) string { return s.o.Prefix + user }

// deadline is when a session created at created and refreshed at now expires.
func (s *Store) deadline(created, now int64) int64 {
	return min(now+s.o.IdleTimeout.Milliseconds(), created+s.o.MaxLifetime.Milliseconds())
}

func nowMs() int64 { return time.Now().UnixMilli() }

// ttlArgs builds the relative TTL of a deadline: relative, so the idle timeout holds whatever the
// offset between this machine's and the server's clocks.
func px(deadline, now int64) time.Duration {
	return time.Duration(max(deadline-now, 1)) * time.Millisecond
}

// Login starts a session for user on device and returns its token. A session the device already
// had is replaced (its token stops working). See LoginWith for metadata.
func (s *Store) Login(ctx context.Context, user, device string) (string, Session, error) {
	return s.LoginWith(ctx, user, device, Meta{})
}

// LoginWith is Login recording meta with the device.
func (s *Store) LoginWith(ctx context.Context, user, device string, meta Meta) (string, Session, error) {
	if err := s.checkIDs(user, device); err != nil {
		return "", Session{}, err
	}
	text, tok, err := newToken(user, device)
	if err != nil {
		return "", Session{}, err
	}
	now := nowMs()
	rec := record{digest: tok.digest, created: now, refreshed: now, expires: s.deadline(now, now),
		ip: clip(meta.IP, MaxIPLength), ua: clip(meta.UserAgent, MaxUserAgentLength)}
	key := s.Key(user)
	ver, err := newVersion()
	if err != nil {
		return "", Session{}, err
	}
	// ABS with a random version: after a logout and a new login the field would otherwise start at
	// version 1 again, and a Validate or Rotate that read the old session at version 1 could then
	// overwrite the new session with the old token (ABA).
	args := exhash.ExHSetArgs{}.New().Px(px(rec.expires, now)).Abs(ver)

	var replaced bool
	var evicted []string
	ev := Event{Kind: EventLogin, User: user, Device: device, Meta: Meta{IP: rec.ip, UserAgent: rec.ua}}
	if s.o.MaxDevices == 0 {
		res, err := s.c.ExHSetArgs(ctx, key, device, rec.encode(), args).Result()
		if err != nil {
			s.emitUnlessRefused(ev, err)
			return "", Session{}, fmt.Errorf("devices: login: %w", err)
		}
		replaced = res == exhash.SetUpdated
	} else {
		replaced, evicted, err = s.loginBounded(ctx, key, device, rec.encode(), args)
		if err != nil {
			s.emitUnlessRefused(ev, err)
			return "", Session{}, err
		}
	}
	ev.Replaced = replaced
	s.emit(ev)
	if len(evicted) > 0 {
		s.emit(Event{Kind: EventEvicted, User: user, Device: device, Devices: evicted})
	}
	if replaced {
		s.revoke(ctx, user, device)
	}
	if len(evicted) > 0 {
		s.revoke(ctx, user, evicted[0], evicted[1:]...)
	}
	sess := rec.session(user, device, ver)
	sess.Refreshed = true
	return text, sess, nil
}

// newVersion draws the field version of a new login: random in [1, 2^62), leaving room for
// billions of refreshes before int64 overflows.
func newVersion() (int64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, fmt.Errorf("devices: random version: %w", err)
	}
	return int64(binary.BigEndian.Uint64(b[:])>>2) | 1, nil
}

// loginBounded writes the new device and evicts the oldest ones in one MULTI/EXEC, guarded by WATCH
// on the user's key: every change to the set of devices (EXHSET, EXHDEL, expiry) writes that key on
// every backend, so a concurrent login or logout makes EXEC fail and the decision is taken again.
func (s *Store) loginBounded(ctx context.Context, key, device, value string, args *exhash.ExHSetArgs) (replaced bool, evicted []string, err error) {
	for range s.o.MaxRetries {
		replaced, evicted = false, nil
		err = s.c.Redis().Watch(ctx, func(tx *redis.Tx) error {
			all, err := s.c.On(tx).ExHGetAll(ctx, key).Result()
			if err != nil {
				return err
			}
			_, replaced = all[device]
			delete(all, device) // the other devices
			if len(all) >= s.o.MaxDevices {
				if s.o.RefuseWhenFull && !replaced {
					return fmt.Errorf("%w: %d of %d", ErrTooManyDevices, len(all), s.o.MaxDevices)
				}
				// Also when the device logs in again: MaxDevices may have been lowered since.
				evicted = oldest(all, len(all)-s.o.MaxDevices+1)
			}
			tctx := driver.InTransaction(ctx)
			_, err = tx.TxPipelined(tctx, func(p redis.Pipeliner) error {
				on := s.c.On(p)
				if len(evicted) > 0 {
					if err := queued(on.ExHDel(tctx, key, evicted...)); err != nil {
						return err
					}
				}
				return queued(on.ExHSetArgs(tctx, key, device, value, args))
			})
			return err
		}, key)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil && !errors.Is(err, ErrTooManyDevices) {
			err = fmt.Errorf("devices: login: %w", err)
		}
		return replaced, evicted, err
	}
	return false, nil, fmt.Errorf("%w: login after %d attempts", ErrConflict, s.o.MaxRetries)
}

// oldest returns the n devices that logged in first (unreadable records count as oldest).
func oldest(all map[string]string, n int) []string {
	type dev struct {
		name    string
		created int64
	}
	devs := make([]dev, 0, len(all))
	for name, v := range all {
		r, err := decodeRecord(v)
		if err != nil {
			r.created = -1
		}
		devs = append(devs, dev{name, r.created})
	}
	sort.Slice(devs, func(i, j int) bool {
		if devs[i].created != devs[j].created {
			return devs[i].created < devs[j].created
		}
		return devs[i].name < devs[j].name
	})
	out := make([]string, 0, n)
	for _, d := range devs[:min(n, len(devs))] {
		out = append(out, d.name)
	}
	return out
}

// queued reports a command refused before it could be queued; a queued command has no result yet.
func queued[T any](c *exhash.Cmd[T]) error {
	if c.Raw() == nil {
		return c.Err()
	}
	return nil
}
