package grammar_test

import (
	"strings"
	"testing"

	"github.com/tairhash-go/tairhash/exhash"
	"github.com/tairhash-go/tairhash/internal/grammar"
)

// Every error text the scripts send is one that exhash classifies, so a client tells the error's
// kind with errors.Is whichever backend answered.
func TestScriptErrorTextsHaveASentinel(t *testing.T) {
	for _, e := range grammar.Lua {
		if e.Name == "E_EXPIRE_TIME" {
			continue // the module's text, which exhash leaves unclassified
		}
		text := strings.ReplaceAll(e.Text, "%s", "exhset")
		if exhash.NewError(text).Kind == nil {
			t.Errorf("%s: %q has no sentinel", e.Name, text)
		}
	}
}
