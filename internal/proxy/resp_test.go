package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// Replies of every RESP2 and RESP3 type, as Redis encodes them.
var respSamples = []string{
	"+OK\r\n",
	"-ERR syntax error\r\n",
	":-42\r\n",
	"$5\r\nhello\r\n",
	"$0\r\n\r\n",
	"$-1\r\n",
	"*-1\r\n",
	"*0\r\n",
	"*3\r\n$1\r\na\r\n:1\r\n$-1\r\n",
	"*2\r\n*1\r\n+x\r\n*0\r\n",
	"_\r\n",
	"#t\r\n",
	"#f\r\n",
	",3.14\r\n",
	",inf\r\n",
	"(3492890328409238509324850943850943825024385\r\n",
	"=15\r\ntxt:Some string\r\n",
	"!21\r\nSYNTAX invalid syntax\r\n",
	"%2\r\n+first\r\n:1\r\n+second\r\n#f\r\n",
	"~2\r\n+a\r\n+b\r\n",
	">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4\r\nbody\r\n",
	"$10\r\nwith\r\nCRLF\r\n",
}

func reader(s string) *respReader {
	return &respReader{br: bufio.NewReaderSize(strings.NewReader(s), 16)}
}

func TestCopyValueIsVerbatim(t *testing.T) {
	all := strings.Join(respSamples, "")
	r := reader(all)
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	for range respSamples {
		if err := r.copyValue(w); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if out.String() != all {
		t.Fatalf("copied\n%q\nwant\n%q", out.String(), all)
	}
	if _, err := r.readLine(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last reply: %v, want EOF", err)
	}
}

func TestReadValueRoundTrips(t *testing.T) {
	for _, s := range respSamples {
		v, err := reader(s).readValue()
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var out bytes.Buffer
		w := bufio.NewWriter(&out)
		if err := writeValue(w, v); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if out.String() != s {
			t.Errorf("read and written %q, want %q", out.String(), s)
		}
	}
}

func TestReadValueDecodes(t *testing.T) {
	v, err := reader("*4\r\n:7\r\n$-1\r\n#f\r\n-WRONGTYPE x\r\n").readValue()
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Elems) != 4 || v.Elems[0].Int != 7 || !v.Elems[1].Null || v.Elems[2].Bool ||
		!v.Elems[3].isError() || string(v.Elems[3].Text) != "WRONGTYPE x" {
		t.Fatalf("decoded %+v", v)
	}
	// An attribute is dropped; the reply it annotates is returned.
	v, err = reader("|1\r\n+key\r\n+val\r\n:5\r\n").readValue()
	if err != nil || v.Kind != ':' || v.Int != 5 {
		t.Fatalf("attributed reply: %+v, %v", v, err)
	}
}

func TestMalformedReplies(t *testing.T) {
	for _, s := range []string{"?x\r\n", "$abc\r\n", ":12a\r\n", "$3\r\nabcde\r\n", "+OK\n", "*1\r\n"} {
		_, err := reader(s).readValue()
		if err == nil {
			t.Errorf("%q: no error", s)
		}
	}
	if err := reader("?x\r\n").copyValue(bufio.NewWriter(io.Discard)); !errors.Is(err, errProtocol) {
		t.Errorf("copy of an unknown type: %v, want errProtocol", err)
	}
}

func TestModuleValueMapsLuaFalse(t *testing.T) {
	for _, tc := range []struct {
		in          string
		resp3       bool
		want        string
		description string
	}{
		{"*3\r\n$1\r\na\r\n#f\r\n$-1\r\n", true, "*3\r\n$1\r\na\r\n_\r\n_\r\n", "RESP3: false and null become _"},
		{"*2\r\n$1\r\na\r\n$-1\r\n", false, "*2\r\n$1\r\na\r\n$-1\r\n", "RESP2: unchanged"},
		{"#t\r\n", true, ":1\r\n", "true becomes 1"},
		{"+OK\r\n", true, "+OK\r\n", "a status stays a status"},
	} {
		v, err := reader(tc.in).readValue()
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := bufio.NewWriter(&out)
		replyWriter{w: w, resp3: tc.resp3}.moduleValue(v)
		w.Flush()
		if out.String() != tc.want {
			t.Errorf("%s: %q, want %q", tc.description, out.String(), tc.want)
		}
	}
}

func TestAppendCommand(t *testing.T) {
	b, err := appendCommand(nil, []any{"evalsha", []byte("ab"), 3, int64(-1), uint8(7), 1.5, true, nil})
	if err != nil {
		t.Fatal(err)
	}
	want := "*8\r\n$7\r\nevalsha\r\n$2\r\nab\r\n$1\r\n3\r\n$2\r\n-1\r\n$1\r\n7\r\n$3\r\n1.5\r\n$1\r\n1\r\n$0\r\n\r\n"
	if string(b) != want {
		t.Fatalf("%q\nwant %q", b, want)
	}
	if _, err := appendCommand(nil, []any{struct{}{}}); err == nil {
		t.Fatal("an argument of an unknown type was accepted")
	}
}

func TestErrorReplyGetsACode(t *testing.T) {
	for msg, want := range map[string]string{
		"ERR syntax error":              "-ERR syntax error\r\n",
		"WRONGTYPE Operation":           "-WRONGTYPE Operation\r\n",
		"key name uses the prefix":      "-ERR key name uses the prefix\r\n",
		"exhash-server: line\r\nbreaks": "-ERR exhash-server: line  breaks\r\n",
	} {
		var out bytes.Buffer
		w := bufio.NewWriter(&out)
		replyWriter{w: w}.error(msg)
		w.Flush()
		if out.String() != want {
			t.Errorf("%q: %q, want %q", msg, out.String(), want)
		}
	}
}

func TestCommandName(t *testing.T) {
	for in, want := range map[string]string{
		"EXHSET": "exhset", "ExHgEtAlL": "exhgetall", "select": "select", "UnSubscribe": "unsubscribe",
		"GET": "", "exhfoo": "", "": "", strings.Repeat("x", 100): "",
	} {
		if got := commandName([]byte(in)); got != want {
			t.Errorf("commandName(%q) = %q, want %q", in, got, want)
		}
	}
}
