package devices

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tairhash-go/tairhash/emulate"
)

// MaxIDLength is the longest user or device id accepted, in bytes. Ids end up in a key name, a
// field name and every token, so they are kept short.
const MaxIDLength = 128

// checkID refuses ids that could make one user's key reach another's (':' builds key paths, '{'
// and '}' choose cluster slots, NUL ends strings in many tools) or are empty or huge. Unless
// Options.AnyIDText is set, it also refuses text that misleads whoever reads ids in logs, events or
// admin pages: invalid UTF-8, control characters (CR/LF split log lines) and bidi controls (they
// reorder what is displayed).
func (s *Store) checkID(kind, id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty %s id", ErrBadID, kind)
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("%w: %s id of %d bytes (max %d)", ErrBadID, kind, len(id), MaxIDLength)
	}
	if i := strings.IndexAny(id, "{}:\x00"); i >= 0 {
		return fmt.Errorf("%w: %s id contains %q", ErrBadID, kind, id[i])
	}
	if s.o.AnyIDText {
		return nil
	}
	for i := 0; i < len(id); i++ { // ASCII first: every Validate checks two ids
		if c := id[i]; c < 0x20 || c == 0x7f {
			return fmt.Errorf("%w: %s id contains %U", ErrBadID, kind, rune(c))
		} else if c >= utf8.RuneSelf {
			return checkText(kind, id[i:])
		}
	}
	return nil
}

// checkText refuses invalid UTF-8, control characters and bidi controls.
func checkText(kind, id string) error {
	if !utf8.ValidString(id) {
		return fmt.Errorf("%w: %s id is not valid UTF-8", ErrBadID, kind)
	}
	for _, r := range id {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return fmt.Errorf("%w: %s id contains %U", ErrBadID, kind, r)
		}
	}
	return nil
}

// checkUser is checkID for a user, whose id also names a key: Prefix + user must not be a name the
// emulations reserve for their companion keys (a prefix such as "exh" with a user "~t=x").
func (s *Store) checkUser(user string) error {
	if err := s.checkID("user", user); err != nil {
		return err
	}
	// Prefix + user starts with the reserved prefix, tested without building the key (every
	// Validate checks its user; New already refused a prefix that starts with it).
	if rest, ok := strings.CutPrefix(emulate.CompanionPrefix, s.o.Prefix); ok && strings.HasPrefix(user, rest) {
		return fmt.Errorf("%w: key %q uses the reserved prefix %s", ErrBadID, s.Key(user), emulate.CompanionPrefix)
	}
	return nil
}

func (s *Store) checkIDs(user, device string) error {
	if err := s.checkUser(user); err != nil {
		return err
	}
	return s.checkID("device", device)
}
