package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// Fuzz targets for the server's parsing: the RESP reader that decodes or copies the upstream's
// replies, and the helpers that look at a client's command (name, SELECT and HELLO arguments,
// refusals). Without -fuzz they run on their seed corpus as ordinary tests.
//
//	go test ./internal/proxy/ -run '^$' -fuzz FuzzRESPReader -fuzztime 30s

// FuzzRESPReader checks that decoding and copying agree: for any bytes, readValue and copyValue
// both succeed or both fail, and on success the decoded reply written back (writeValue) is
// exactly the bytes copyValue copied. Attributes ('|') are dropped by design, so only the copy
// path is checked for inputs that contain them.
func FuzzRESPReader(f *testing.F) {
	for _, s := range []string{
		"+OK\r\n", "-ERR update version is stale\r\n", ":-1\r\n", "$3\r\nabc\r\n", "$-1\r\n", "*-1\r\n",
		"*2\r\n$1\r\nf\r\n:2\r\n", "%1\r\n+a\r\n:1\r\n", "_\r\n", "#t\r\n", ",1.5\r\n", "(123\r\n",
		"=7\r\ntxt:abc\r\n", ">3\r\n+message\r\n+ch\r\n$1\r\nx\r\n", "|1\r\n+k\r\n+v\r\n:5\r\n",
		"*1\r\n*1\r\n*0\r\n", "$2\r\nabc\r\n", ":x\r\n", "$\r\n", "*3\r\n:1\r\n", "\r\n", "?\r\n",
		"$4\r\na\r\nb\r\n", "*2\r\n$-1\r\n_\r\n", "~1\r\n:1\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if bytes.IndexByte(in, '$') >= 0 || bytes.IndexByte(in, '=') >= 0 || bytes.IndexByte(in, '!') >= 0 {
			// Bulk lengths are allocated as announced by readRest; keep announced lengths within
			// the input so the fuzzer explores parsing, not the allocator (see hugeBulk below).
			if announcedTooLong(in) {
				return
			}
		}
		dec := respReader{br: bufio.NewReader(bytes.NewReader(in))}
		v, derr := dec.readValue()
		var copied bytes.Buffer
		cw := bufio.NewWriter(&copied)
		cp := respReader{br: bufio.NewReader(bytes.NewReader(in))}
		cerr := cp.copyValue(cw)
		_ = cw.Flush()
		if derr != nil {
			if !errors.Is(derr, errProtocol) && !errors.Is(derr, io.EOF) && !errors.Is(derr, io.ErrUnexpectedEOF) {
				t.Fatalf("readValue(%q): unexpected error kind %v", in, derr)
			}
			return
		}
		if cerr != nil {
			t.Fatalf("readValue(%q) succeeded but copyValue failed: %v", in, cerr)
		}
		if !bytes.HasPrefix(in, copied.Bytes()) {
			t.Fatalf("copyValue(%q) wrote %q, not a prefix of the input", in, copied.Bytes())
		}
		if bytes.IndexByte(in, '|') >= 0 {
			return
		}
		var back bytes.Buffer
		bw := bufio.NewWriter(&back)
		if err := writeValue(bw, v); err != nil {
			t.Fatal(err)
		}
		_ = bw.Flush()
		if !bytes.Equal(back.Bytes(), copied.Bytes()) {
			t.Fatalf("input %q: decoded and rewritten %q, copied %q", in, back.Bytes(), copied.Bytes())
		}
	})
}

// announcedTooLong reports whether a bulk header in in announces more bytes than in holds.
func announcedTooLong(in []byte) bool {
	for _, line := range bytes.Split(in, []byte("\r\n")) {
		if len(line) < 2 || (line[0] != '$' && line[0] != '=' && line[0] != '!') {
			continue
		}
		n, err := strconv.ParseInt(string(line[1:]), 10, 64)
		if err == nil && n > int64(len(in)) {
			return true
		}
	}
	return false
}

// FuzzCommandParsing checks the helpers that read a client's command: commandName matches the
// known names case-insensitively and nothing else, selectArg accepts only canonical
// non-negative database indexes, helloArg never panics, and refusal refuses only what it names.
func FuzzCommandParsing(f *testing.F) {
	for _, s := range []string{"EXHSET", "exhset", "ExHgEtAlL", "select", "SELECT", "hello", "client",
		"monitor", "MONITOR", "get", "", "\xff\xfe", strings.Repeat("a", 40), "exhset\x00"} {
		f.Add([]byte(s), []byte("0"), []byte("reply"))
	}
	f.Add([]byte("select"), []byte("-1"), []byte(""))
	f.Add([]byte("select"), []byte("007"), []byte(""))
	f.Add([]byte("select"), []byte("99999999999999999999"), []byte(""))
	f.Add([]byte("client"), []byte("REPLY"), []byte("off"))
	f.Fuzz(func(t *testing.T, name, a1, a2 []byte) {
		got := commandName(name)
		want := knownNames[strings.ToLower(string(name))]
		if !isASCII(name) {
			want = knownNames[asciiLower(name)]
		}
		if got != want {
			t.Fatalf("commandName(%q) = %q, want %q", name, got, want)
		}
		args := [][]byte{name, a1}
		if db := selectArg(args); db >= 0 && string(a1) != strconv.Itoa(db) {
			t.Fatalf("selectArg accepted %q as %d", a1, db)
		}
		_ = helloArg(args)
		_ = helloArg(args[:1])
		full := [][]byte{name, a1, a2}
		if r := refusal(got, full); r != "" && got != "monitor" && got != "sync" && got != "psync" &&
			got != "replconf" && got != "client" {
			t.Fatalf("refusal(%q) refused a command it does not name: %s", full, r)
		}
	})
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// asciiLower lowers only A–Z, as the server does (strings.ToLower would also fold non-ASCII).
func asciiLower(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return string(out)
}

// TestRESPReaderHugeBulkLength documents how the reader handles an upstream announcing a bulk
// string far longer than it sends: it must fail, not crash or allocate the announced size.
func TestRESPReaderHugeBulkLength(t *testing.T) {
	for _, in := range []string{"$9223372036854775807\r\nab\r\n", "$4294967296\r\nab\r\n"} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("readValue(%q) panicked: %v", in, p)
				}
			}()
			r := respReader{br: bufio.NewReader(strings.NewReader(in))}
			if _, err := r.readValue(); err == nil {
				t.Errorf("readValue(%q) succeeded", in)
			}
		}()
	}
}
