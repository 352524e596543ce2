package emulate

import (
	"embed"
	"io/fs"
	"strings"

	"github.com/redis/go-redis/v9"
)

// The hash-field-expiration backend runs one script, assembled from the files in hfe/ in name
// order: shared definitions, write operations, increments, reads, dispatch.
//
//go:embed hfe/*.lua
var hfeFiles embed.FS

// hfeScript is the assembled script and its go-redis handle (EVALSHA, falling back to EVAL).
var hfeScript = loadHFEScript()

type luaScript struct {
	*redis.Script
	source string
}

func loadHFEScript() luaScript {
	entries, err := fs.ReadDir(hfeFiles, "hfe")
	if err != nil {
		panic("emulate: embedded hfe scripts: " + err.Error())
	}
	var b strings.Builder
	for _, e := range entries {
		src, err := hfeFiles.ReadFile("hfe/" + e.Name())
		if err != nil {
			panic("emulate: embedded hfe scripts: " + err.Error())
		}
		// Comment lines and indentation are dropped: EVAL sends (and the server hashes) the
		// whole text on every call.
		for _, line := range strings.Split(string(src), "\n") {
			line = strings.TrimSpace(line)
			if line != "" && !strings.HasPrefix(line, "--") {
				b.WriteString(line)
				b.WriteByte('\n')
			}
		}
	}
	return luaScript{Script: redis.NewScript(b.String()), source: b.String()}
}
