package proxy

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// readAll reads commands from in until an error, with a budget of budgetBytes.
func readAll(in []byte, maxBytes int, budget *inputBudget) ([][]string, error) {
	r := newCommandReader(bytes.NewReader(in), maxBytes, budget)
	defer r.release()
	var out [][]string
	for {
		cmd, err := r.readCommand()
		if err != nil {
			return out, err
		}
		var args []string
		for _, a := range cmd.Args {
			args = append(args, string(a))
		}
		out = append(out, args)
	}
}

func bigBudget() *inputBudget { return &inputBudget{max: 1 << 30} }

// Every frame of the issue and the other malformed inputs get Redis' own error; what comes before
// them is read.
func TestCommandReaderErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"*1\r\n$9223372036854775807\r\n", "ERR Protocol error: invalid bulk length"},
		{"*1\r\n$99999999999999999999\r\n", "ERR Protocol error: invalid bulk length"},
		{"*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length"},
		{"*1\r\n$1025\r\n", "ERR Protocol error: invalid bulk length"},
		{"*1\r\n$+3\r\nabc\r\n", "ERR Protocol error: invalid bulk length"},
		{"*1\r\n$03\r\nabc\r\n", "ERR Protocol error: invalid bulk length"},
		{"*1\r\n$3\nabc\r\n", "ERR Protocol error: invalid bulk length"},
		{"*9223372036854775807\r\n", "ERR Protocol error: invalid multibulk length"},
		{"*1048577\r\n", "ERR Protocol error: invalid multibulk length"},
		{"*x\r\n", "ERR Protocol error: invalid multibulk length"},
		{"*\r\n", "ERR Protocol error: invalid multibulk length"},
		{"*1\r\n:1\r\n", "ERR Protocol error: expected '$', got ':'"},
		{"PING\r\n*1\r\nPING\r\n", "ERR Protocol error: expected '$', got 'P'"},
		{strings.Repeat("a ", 40<<10) + "\r\n", "ERR Protocol error: too big inline request"},
		{strings.Repeat("x", 70<<10), "ERR Protocol error: too big inline request"},
		{"*" + strings.Repeat("1", 70<<10), "ERR Protocol error: too big mbulk count string"},
		{"*1\r\n$" + strings.Repeat("1", 70<<10), "ERR Protocol error: too big bulk count string"},
		{"SET k \"v\r\n", "ERR Protocol error: unbalanced quotes in request"},
		{"SET k \"v\"x\r\n", "ERR Protocol error: unbalanced quotes in request"},
		{"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1000\r\n", "ERR exhash-server: command too large: more than 1024 bytes (--max-command-bytes); closing the connection"},
	} {
		_, err := readAll([]byte(tc.in), 1024, bigBudget())
		var ce *clientError
		if !errors.As(err, &ce) || ce.Msg != tc.want {
			t.Errorf("%.40q: got %v, want %q", tc.in, err, tc.want)
		}
	}
}

// Well-formed input gives the commands Redis would see, inline ones split as Redis splits them, and
// each command's Raw is its RESP form.
func TestCommandReaderCommands(t *testing.T) {
	in := "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n" +
		"*0\r\n*-1\r\n\r\n\n   \r\n" + // empty commands: skipped
		"SET k v\r\n" +
		"set \"a b\" 'c\\'d' \"\\x41\\n\\q\" \"\"\n" +
		"\v ECHO a\vb\x00ignored\r\n" + // isspace before a word, \v inside one, NUL ends the line
		"*1\r\n$4\r\nPINGxx" // Redis skips the two bytes after a bulk without checking them
	got, err := readAll([]byte(in), 1024, bigBudget())
	if !errors.Is(err, io.EOF) {
		t.Fatalf("after the input: %v", err)
	}
	want := [][]string{{"GET", "k"}, {"SET", "k", "v"}, {"set", "a b", "c'd", "A\nq", ""}, {"ECHO", "a\vb"}, {"PING"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("got %q, want %q", got, want)
	}
	r := newCommandReader(strings.NewReader("SET \"a b\" c\r\n"), 1024, bigBudget())
	cmd, err := r.readCommand()
	if err != nil || string(cmd.Raw) != "*3\r\n$3\r\nSET\r\n$3\r\na b\r\n$1\r\nc\r\n" {
		t.Fatalf("inline Raw %q, %v", cmd.Raw, err)
	}
}

// A command cut short is an unexpected EOF; a clean end between commands is EOF.
func TestCommandReaderEOF(t *testing.T) {
	for _, in := range []string{"*1\r\n", "*1\r\n$3\r\nab", "GET k"} {
		if _, err := readAll([]byte(in), 1024, bigBudget()); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%q: %v", in, err)
		}
	}
}

// The budget is shared: a command that would pass it fails, and the bytes come back when readers end.
func TestCommandReaderBudget(t *testing.T) {
	budget := &inputBudget{max: 64 << 10}
	big := "*2\r\n$4\r\nECHO\r\n$100000\r\n" + strings.Repeat("x", 100000) + "\r\n"
	_, err := readAll([]byte(big), 1<<20, budget)
	if !errors.Is(err, errInputBudget) {
		t.Fatalf("a command larger than the budget: %v", err)
	}
	if n := budget.used.Load(); n != 0 {
		t.Fatalf("%d bytes still reserved after the reader ended", n)
	}
	small := "*2\r\n$4\r\nECHO\r\n$30000\r\n" + strings.Repeat("x", 30000) + "\r\n"
	if got, err := readAll([]byte(small), 1<<20, budget); len(got) != 1 || !errors.Is(err, io.EOF) {
		t.Fatalf("a command within the budget: %d commands, %v", len(got), err)
	}
}

// FuzzCommandReader feeds the client reader any bytes. It must end (no input makes it loop), never
// panic, fail only with a client error or the end of input, hold buffers linear in the bytes it got
// (a word of an inline command costs 2 bytes of input and about 50 of buffers), charge all it holds
// to its budget and give it back, and every command it returns must be well-formed RESP that reads
// back as the same command. The seeds include every frame of issue #14;
// testdata/fuzz/FuzzCommandReader keeps the corpus a 90 s run built (and any failure a later run
// finds): plain go test runs all of it.
//
//	go test ./internal/proxy/ -run '^$' -fuzz FuzzCommandReader -fuzztime 60s
func FuzzCommandReader(f *testing.F) {
	for _, s := range []string{
		"*1\r\n$9223372036854775807\r\n", "*9223372036854775807\r\n", "*1048576\r\n$0\r\n\r\n",
		strings.Repeat("a ", 1000) + "\r\n", "PING\r\n", "*1\r\n$4\r\nPING\r\n", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
		"set \"a\\x41\" 'b\\'' \"\"\n", "\"unbalanced\r\n", "*0\r\n*-5\r\n\r\n", "*1\r\n$-1\r\n", "\x00\xff\r\n",
		"*2\r\n$1\r\na\r\n:1\r\n", "*1\r\n$3\r\nabcde", "$3\r\nabc\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		budget := bigBudget()
		r := newCommandReader(bytes.NewReader(in), 4096, budget)
		for {
			cmd, err := r.readCommand()
			if held := r.footprint(); held > 64*len(in)+8<<10 || held != r.held {
				t.Fatalf("%d bytes of input made the reader hold %d, %d of them charged", len(in), held, r.held)
			}
			if err != nil {
				var ce *clientError
				if !errors.As(err, &ce) && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("unexpected error %v", err)
				}
				break
			}
			back := newCommandReader(bytes.NewReader(slices.Clone(cmd.Raw)), 1<<20, bigBudget())
			again, err := back.readCommand()
			if err != nil || !slices.EqualFunc(again.Args, cmd.Args, bytes.Equal) || back.buffered() {
				t.Fatalf("Raw %q reads back as %q, %v; want %q", cmd.Raw, again.Args, err, cmd.Args)
			}
		}
		r.release()
		if n := budget.used.Load(); n != 0 {
			t.Fatalf("%d bytes still reserved after release", n)
		}
	})
}
