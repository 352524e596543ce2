package devices

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/tairhash-go/tairhash/exhash"
)

// Validate checks token and returns its session. It reads one field; when the last refresh is at
// least RefreshInterval old it also moves the expiry to now + IdleTimeout (never past Created +
// MaxLifetime) with a write conditioned on the field version it read, so it can neither resurrect a
// session logged out meanwhile nor restore a token replaced by Rotate or a new login.
//
// Errors: ErrInvalidToken (malformed, forged, of another device or replaced), ErrNoSession,
// ErrExpired, or a server error.
func (s *Store) Validate(ctx context.Context, tokenText string) (Session, error) {
	tok, err := s.parseToken(tokenText)
	if err != nil {
		return Session{}, err
	}
	var epoch uint64
	if s.cache != nil {
		if sess, ok := s.cache.get(tok); ok {
			return sess, nil
		}
		epoch = s.cache.epoch()
	}
	sess, err := s.validate(ctx, tok)
	if err == nil && s.cache != nil && !sess.previous {
		s.cache.put(tok, sess, epoch)
	}
	return sess, err
}

func (s *Store) validate(ctx context.Context, tok token) (Session, error) {
	key := s.Key(tok.user)
	for range s.o.MaxRetries {
		rec, ver, m, err := s.read(ctx, key, tok)
		if err != nil {
			return Session{}, err
		}
		sess := rec.session(tok.user, tok.device, ver)
		sess.previous = m == previousToken
		now := nowMs()
		next := s.deadline(rec.created, now)
		if now-rec.refreshed < s.o.RefreshInterval.Milliseconds() || next <= rec.expires {
			return sess, nil // refreshed recently, or already at the absolute cap
		}
		nrec := rec
		nrec.refreshed, nrec.expires = now, next
		if nrec.rotated > 0 && now >= nrec.rotated+max(s.o.RotateGrace.Milliseconds(), 0) {
			nrec.prev, nrec.rotated = [sha256.Size]byte{}, 0 // grace over: forget the previous token
		}
		err = s.update(ctx, key, tok.device, &nrec, ver, now)
		if errors.Is(err, exhash.ErrStaleVersion) {
			continue // someone wrote the field since: read again and judge the token afresh
		}
		if err != nil {
			return Session{}, err
		}
		sess = nrec.session(tok.user, tok.device, ver+1)
		sess.Refreshed, sess.previous = true, m == previousToken
		return sess, nil
	}
	return Session{}, fmt.Errorf("%w: validate after %d attempts", ErrConflict, s.o.MaxRetries)
}

// read fetches the device's record and version and checks tok against it: the device's token, or
// the one its last Rotate replaced, within RotateGrace.
func (s *Store) read(ctx context.Context, key string, tok token) (record, int64, match, error) {
	vv, err := s.c.ExHGetWithVer(ctx, key, tok.device).Result()
	if errors.Is(err, redis.Nil) {
		return record{}, 0, noMatch, ErrNoSession
	}
	if err != nil {
		return record{}, 0, noMatch, fmt.Errorf("devices: read session: %w", err)
	}
	rec, err := decodeRecord(vv.Value)
	if err != nil {
		return record{}, 0, noMatch, err
	}
	now := nowMs()
	m := rec.match(tok, s.o.RotateGrace, now)
	if m == noMatch {
		return record{}, 0, noMatch, fmt.Errorf("%w: not the device's current token", ErrInvalidToken)
	}
	if now >= rec.expires {
		return record{}, 0, noMatch, ErrExpired
	}
	return rec, vv.Version, m, nil
}

// update rewrites an existing field only if its version is still ver (XX: a field deleted meanwhile
// stays deleted). It returns exhash.ErrStaleVersion when the version moved, ErrNoSession when the
// field is gone.
func (s *Store) update(ctx context.Context, key, device string, rec *record, ver, now int64) error {
	res, err := s.c.ExHSetArgs(ctx, key, device, rec.encode(),
		exhash.ExHSetArgs{}.New().Px(px(rec.expires, now)).Xx().Ver(ver)).Result()
	if err != nil {
		if errors.Is(err, exhash.ErrStaleVersion) {
			return err
		}
		return fmt.Errorf("devices: update session: %w", err)
	}
	if res == exhash.SetNotApplied {
		return ErrNoSession
	}
	return nil
}

// Rotate replaces the token of tokenText's device by a new one (after a privilege change, against
// session fixation) and returns it. The session keeps its creation time, so the absolute lifetime
// is not extended. The write is conditioned on the version read with the old token: a racing
// Validate's refresh cannot write the old digest back.
//
// The old token keeps working for Options.RotateGrace after the rotation, for requests already in
// flight and so that Rotate is safe to retry: when the reply is lost (connection cut after the
// server applied the write), calling Rotate again with the old token within the grace window
// returns another new token, which replaces the one that was lost. The grace window counts from
// the first rotation of that token; rotating with it again does not extend it.
func (s *Store) Rotate(ctx context.Context, tokenText string) (string, Session, error) {
	tok, err := s.parseToken(tokenText)
	if err != nil {
		return "", Session{}, err
	}
	key := s.Key(tok.user)
	for range s.o.MaxRetries {
		rec, ver, m, err := s.read(ctx, key, tok)
		if err != nil {
			return "", Session{}, err
		}
		text, ntok, err := newToken(tok.user, tok.device)
		if err != nil {
			return "", Session{}, err
		}
		now := nowMs()
		nrec := rec
		nrec.digest, nrec.refreshed, nrec.expires = ntok.digest, now, s.deadline(rec.created, now)
		switch {
		case m == previousToken: // a retry: the grace window of tok goes on as it was
		case s.o.RotateGrace > 0:
			nrec.prev, nrec.rotated = tok.digest, now
		default:
			nrec.prev, nrec.rotated = [sha256.Size]byte{}, 0
		}
		err = s.update(ctx, key, tok.device, &nrec, ver, now)
		if errors.Is(err, exhash.ErrStaleVersion) {
			continue
		}
		ev := Event{Kind: EventRotate, User: tok.user, Device: tok.device, Retry: m == previousToken}
		if err != nil {
			s.emitUnlessRefused(ev, err)
			return "", Session{}, err
		}
		s.emit(ev)
		s.revoke(ctx, tok.user, tok.device)
		sess := nrec.session(tok.user, tok.device, ver+1)
		sess.Refreshed = true
		return text, sess, nil
	}
	return "", Session{}, fmt.Errorf("%w: rotate after %d attempts", ErrConflict, s.o.MaxRetries)
}
