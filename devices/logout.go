package devices

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// Active lists user's live devices, oldest login first. Expired devices never appear: the server
// drops them before answering.
func (s *Store) Active(ctx context.Context, user string) ([]Session, error) {
	if err := s.checkUser(user); err != nil {
		return nil, err
	}
	all, err := s.c.ExHGetAllWithVer(ctx, s.Key(user)).Result()
	if err != nil {
		return nil, fmt.Errorf("devices: list sessions: %w", err)
	}
	out := make([]Session, 0, len(all))
	for device, vv := range all {
		rec, err := decodeRecord(vv.Value)
		if err != nil {
			return nil, fmt.Errorf("%w: device %q of user %q", err, device, user)
		}
		out = append(out, rec.session(user, device, vv.Version))
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].Device < out[j].Device
	})
	return out, nil
}

// Logout ends the session of one device. It reports whether there was one.
func (s *Store) Logout(ctx context.Context, user, device string) (bool, error) {
	if err := s.checkIDs(user, device); err != nil {
		return false, err
	}
	n, err := s.c.ExHDel(ctx, s.Key(user), device).Result()
	ev := Event{Kind: EventLogout, User: user, Device: device, Devices: []string{device}}
	if err != nil {
		s.emitUnlessRefused(ev, err)
		return false, fmt.Errorf("devices: logout: %w", err)
	}
	if n > 0 {
		s.emit(ev)
		s.revoke(ctx, user, device)
	}
	return n > 0, nil
}

// LogoutAll ends every session of user and reports how many there were. A login that runs
// concurrently may survive (it then happened after the logout).
func (s *Store) LogoutAll(ctx context.Context, user string) (int, error) {
	if err := s.checkUser(user); err != nil {
		return 0, err
	}
	key := s.Key(user)
	// Under WATCH: the devices that were logged in (for the count, the event and the revocation),
	// then the key with its companions in one transaction (DelKeys: on the emulations a plain DEL
	// would leave them behind). EXHKEYS checks the type first, so a key of another type is never
	// deleted; a login between the two makes EXEC fail, and the logout starts again.
	var devices []string
	ev := Event{Kind: EventLogoutAll, User: user}
	var err error
	for range s.o.MaxRetries {
		err = s.c.Watch(ctx, func(tx *exhash.Tx) error {
			var err error
			if devices, err = tx.ExHKeys(ctx, key).Result(); err != nil || len(devices) == 0 {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p exhash.Pipeliner) error {
				p.DelKeys(ctx, key)
				return nil
			})
			return err
		}, key)
		if !errors.Is(err, redis.TxFailedErr) {
			break
		}
	}
	if errors.Is(err, redis.TxFailedErr) {
		err = fmt.Errorf("%w: after %d attempts", ErrConflict, s.o.MaxRetries)
	}
	if err != nil {
		s.emitUnlessRefused(ev, err)
		return 0, fmt.Errorf("devices: logout: %w", err)
	}
	ev.Devices = devices
	if len(ev.Devices) == 0 {
		return 0, nil // nothing was logged in (or all expired meanwhile)
	}
	s.emit(ev)
	s.revoke(ctx, user, "")
	return len(ev.Devices), nil
}

// LogoutOthers ends every session of user except keepDevice's and reports how many it ended.
func (s *Store) LogoutOthers(ctx context.Context, user, keepDevice string) (int, error) {
	if err := s.checkIDs(user, keepDevice); err != nil {
		return 0, err
	}
	return s.logoutExcept(ctx, user, keepDevice)
}

// logoutExcept deletes the fields other than keep by name (EXHDEL): the key stays for keep.
func (s *Store) logoutExcept(ctx context.Context, user, keep string) (int, error) {
	key := s.Key(user)
	fields, err := s.c.ExHKeys(ctx, key).Result()
	if err != nil {
		return 0, fmt.Errorf("devices: list devices: %w", err)
	}
	drop := fields[:0]
	for _, f := range fields {
		if f != keep {
			drop = append(drop, f)
		}
	}
	if len(drop) == 0 {
		return 0, nil
	}
	n, err := s.c.ExHDel(ctx, key, drop...).Result()
	ev := Event{Kind: EventLogoutOthers, User: user, Device: keep, Devices: drop}
	if err != nil {
		s.emitUnlessRefused(ev, err)
		return 0, fmt.Errorf("devices: logout: %w", err)
	}
	if n == 0 {
		return 0, nil // all expired meanwhile: nothing to report or revoke
	}
	s.emit(ev)
	s.revoke(ctx, user, drop[0], drop[1:]...)
	return int(n), nil
}
