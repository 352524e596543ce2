package scripts

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strings"
)

// The library holds every command's script in one piece of Lua whose helpers are made once: the
// whole prelude, then each body as a function of the table OPS, then batch,
// which runs several commands in one call (see Library). Loaded as a function library, the
// helpers are made when it is loaded; run as a script (BatchSource), once per call, whatever the
// number of commands in it.
var library = buildLibrary()

type libraryCode struct {
	body     string // the prelude, the bodies and batch, without comment lines
	function string // the registered function's name, after the code's digest
}

// batchLua runs the operations of one call. keys: K, T, V of each operation; args: the database,
// then for each operation its command name, the number of its module arguments and those
// arguments. Each operation gets its own reply or error (a failing one does not stop the
// others); the server's clock is read once for all of them. Errors travel as text in a list of
// their own: a client may fail a whole array reply on an error inside it (go-redis does for the
// errors it types, such as READONLY and OOM). KEYS and ARGV are two tables
// refilled for each operation rather than made anew (less garbage for Lua's collector).
const batchLua = `
local function batch(keys, args)
  local out, errs, p, db = {}, {}, 2, args[1]
  local k, a, last = {}, {}, 0
  KEYS, ARGV, CLOCK = k, a, nil
  for i = 1, #keys / 3 do
    CMD = args[p]
    local n = tonumber(args[p + 1])
    a[1] = db
    for j = 1, n do a[j + 1] = args[p + 1 + j] end
    for j = n + 2, last do a[j] = nil end
    last, p = n + 1, p + 2 + n
    k[1], k[2], k[3] = keys[3 * i - 2], keys[3 * i - 1], keys[3 * i]
    bind()
    HELD = false
    local r = run(OPS[CMD])
    if type(r) == 'table' and r.err then
      errs[#errs + 1] = i
      errs[#errs + 1] = r.err
      r = false
    elseif r == nil then
      r = false
    end
    out[i] = r
  end
  return {out, errs}
end
`

func buildLibrary() libraryCode {
	var b strings.Builder
	b.WriteString("local KEYS, ARGV, CMD = {}, {}, ''\n")
	for _, sec := range prelude {
		b.WriteString(sec.text)
	}
	b.WriteString("local OPS = {}\n")
	byFile := map[string][]string{}
	for name, file := range bodies {
		byFile[file] = append(byFile[file], name)
	}
	files := make([]string, 0, len(byFile))
	for file := range byFile {
		files = append(files, file)
	}
	sort.Strings(files)
	for _, file := range files {
		b.WriteString(libraryOp(file, byFile[file]))
	}
	b.WriteString(batchLua)
	body := stripComments(b.String())
	sum := sha1.Sum([]byte(body))
	return libraryCode{body: body, function: "exhash_lua_" + hex.EncodeToString(sum[:6])}
}

// libraryOp turns a body into `do <its definitions> OPS[name] = main end` for each command the
// file serves.
func libraryOp(file string, names []string) string {
	const tail = "return run(main)\n"
	body, ok := strings.CutSuffix(mustRead(file), tail)
	if !ok {
		panic("scripts: " + file + " does not end with " + tail)
	}
	var b strings.Builder
	b.WriteString("do\n" + body)
	sort.Strings(names)
	for _, name := range names {
		b.WriteString("OPS['" + name + "'] = main\n")
	}
	b.WriteString("end\n")
	return b.String()
}

// stripComments drops comment lines and indentation: a script form is hashed and, on recovery,
// sent in full.
func stripComments(src string) string {
	var b strings.Builder
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "--") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Library returns the function library (FUNCTION LOAD text) of every emulated command and the name
// of its one function. The function runs consecutive commands in one call:
//
//	FCALL <function> 3n K1 T1 V1 … Kn Tn Vn db cmd1 argc1 args1… … cmdn argcn argsn…
//
// with each command's keys and arguments as for its script (Source); cmd is the lower-case command
// name, argc the number of module arguments after the key. The reply is {replies, errors}:
// replies holds the n replies in order, each the one the command's script gives (a value or nil),
// with nil in place of an error; errors lists, for each command that failed, its position (from 1)
// and the error's text (the module's).
// The library and function are named after the code's digest, so that clients of different
// versions can share a server.
func Library() (text, function string) {
	return "#!lua name=" + library.function + "\n" + library.body +
		"redis.register_function('" + library.function + "', batch)\n", library.function
}

// BatchSource is the script form of Library's function, for servers that refuse functions:
// KEYS and ARGV as the function's keys and arguments.
var BatchSource = "local BATCH_KEYS, BATCH_ARGV = KEYS, ARGV\n" + library.body +
	"return batch(BATCH_KEYS, BATCH_ARGV)\n"
