package scripts

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/tairhash-go/tairhash/emulate/internal/luapart"
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
// then for each operation its command name, the number of its operands and those operands. Each
// operation gets its own reply or error (a failing one does not stop the others); the server's
// clock is read once for all of them. Errors travel as text in a list of their own: a client may
// fail a whole array reply on an error inside it (go-redis does for the errors it types, such as
// READONLY and OOM). KEYS and ARGV are two tables refilled for each operation rather than made
// anew (less garbage for Lua's collector). one gives its single command's count as a number.
const batchLua = `
local function batch(keys, args)
  local out, errs, p, db = {}, {}, 2, args[1]
  local k, a, last = {}, {}, 0
  KEYS, ARGV, CLOCK = k, a, nil
  open_runtime()
  for i = 1, #keys / 3 do
    CMD = args[p]
    local n = operand_count(args[p + 1])
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
local function one(keys, args)
  table.insert(args, 3, #args - 2)
  local r = batch(keys, args)
  if r[2][1] then return {err = r[2][2]} end
  return r[1][1]
end
`

func buildLibrary() libraryCode {
	var b strings.Builder
	b.WriteString("local KEYS, ARGV, CMD = {}, {}, ''\n")
	b.WriteString(prelude)
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
	body := luapart.Strip(b.String())
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

// Library returns the function library (FUNCTION LOAD text) of every emulated command and the
// names of its two functions. batch runs consecutive commands in one call:
//
//	FCALL <batch> 3n K1 T1 V1 … Kn Tn Vn db cmd1 argc1 args1… … cmdn argcn argsn…
//
// where K is the user key, T and V its companions (docs/architecture.md), db the database index
// named in expiry notifications, cmd the lower-case command name, argc the number of its operands
// and args those operands as AppendArgs lays them out (the grammar normalised in Go; the bodies
// never parse the module's grammar). The reply is {replies, errors}: replies holds the n replies in
// order (a value, or false for nil and in place of an error); errors lists, for each command that
// failed, its position (from 1) and the error's text (the module's). one runs a single command,
// FCALL <one> 3 K T V db cmd operands… (no argc: a connection not logged in yet may send at most 10
// arguments, and Redis closes it otherwise), and replies as the module does: the command's value or
// its error. Integer replies that may exceed 2^53 (a version, EXHINCRBY's result) are decimal
// strings when they have 16 or more digits, as Lua's numbers are doubles.
// The library and functions are named after the code's digest, so that clients of different
// versions can share a server.
func Library() (text, batch, one string) {
	return "#!lua name=" + library.function + "\n" + library.body +
		"redis.register_function('" + library.function + "', batch)\n" +
		"redis.register_function('" + library.function + "_1', one)\n", library.function, library.function + "_1"
}

// BatchSource and OneSource are the script forms of Library's functions, for servers or users
// that refuse functions: KEYS and ARGV as the functions' keys and arguments. A script form makes
// every command's helpers on each call, where the library makes them once when it is loaded.
var (
	BatchSource = scriptForm("batch")
	OneSource   = scriptForm("one")
)

func scriptForm(function string) string {
	return "local FORM_KEYS, FORM_ARGV = KEYS, ARGV\n" + library.body + "return " + function + "(FORM_KEYS, FORM_ARGV)\n"
}
