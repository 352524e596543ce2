package grammar_test

import (
	"os"
	"path/filepath"
	"regexp"
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

// The Lua code of both backends takes every module error text from the E_* constants: a string
// literal holding one (as "ERR syntax error" or, cut at its %s, "ERR invalid expire time in '")
// would be a second copy that could drift from exhash's sentinels.
func TestLuaHasNoErrorTextLiteral(t *testing.T) {
	files, _ := filepath.Glob("../../emulate/lua/scripts/*.lua")
	hfe, _ := filepath.Glob("../../emulate/hfe/*.lua")
	if len(files) == 0 || len(hfe) == 0 {
		t.Fatal("no Lua files found")
	}
	comment, literal := regexp.MustCompile(`--.*`), regexp.MustCompile(`'[^'\n]*'|"[^"\n]*"`)
	for _, path := range append(files, hfe...) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, lit := range literal.FindAllString(comment.ReplaceAllString(string(src), ""), -1) {
			for _, e := range grammar.Lua {
				if head, _, _ := strings.Cut(strings.TrimPrefix(e.Text, "ERR "), "%s"); strings.Contains(lit, head) {
					t.Errorf("%s: literal %s repeats %s; use the constant", filepath.Base(path), lit, e.Name)
				}
			}
		}
	}
}
