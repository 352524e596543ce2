package proxy

import (
	"fmt"
	"strings"
)

// isLoginError reports whether err is the upstream refusing a command for want of a login (NOAUTH) or
// of a permission (NOPERM).
func isLoginError(err error) bool {
	return err != nil && (strings.HasPrefix(err.Error(), "NOAUTH") || strings.HasPrefix(err.Error(), "NOPERM"))
}

// explainNoPerm rewrites the upstream's NOPERM for the script an EXH* command was sent as, which names
// EVALSHA or EVAL, so that it names the client's command and says why; other errors are unchanged.
func explainNoPerm(name string, err error) error {
	if err == nil || !strings.HasPrefix(err.Error(), "NOPERM") {
		return err
	}
	lower := strings.ToLower(err.Error())
	if !strings.Contains(lower, "'eval") && !strings.Contains(lower, "'fcall") {
		return err // a key or channel the user may not use: the upstream's text says it
	}
	return serverError(fmt.Sprintf("NOPERM this user has no permissions to run the '%s' command: "+
		"exhash-server runs it as a Lua script (EVALSHA, EVAL), which the upstream's ACL denies this user (%s)",
		name, err.Error()))
}
