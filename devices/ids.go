package devices

import (
	"fmt"
	"strings"
)

// MaxIDLength is the longest user or device id accepted, in bytes. Ids end up in a key name, a
// field name and every token, so they are kept short.
const MaxIDLength = 128

// checkID refuses ids that could make one user's key reach another's (':' builds key paths, '{'
// and '}' choose cluster slots, NUL ends strings in many tools) or are empty or huge.
func checkID(kind, id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty %s id", ErrBadID, kind)
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("%w: %s id of %d bytes (max %d)", ErrBadID, kind, len(id), MaxIDLength)
	}
	if i := strings.IndexAny(id, "{}:\x00"); i >= 0 {
		return fmt.Errorf("%w: %s id contains %q", ErrBadID, kind, id[i])
	}
	return nil
}

func checkIDs(user, device string) error {
	if err := checkID("user", user); err != nil {
		return err
	}
	return checkID("device", device)
}
