package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// errProtocol reports bytes from the upstream that are not RESP. The connection cannot be resynchronised
// afterwards, so the session ends.
var errProtocol = errors.New("exhash-server: malformed reply from upstream")

// maxLine bounds one RESP line (a header, a simple string or a simple error) read from the upstream. Redis
// never sends lines anywhere near this long; the bound only stops a broken upstream from growing memory.
const maxLine = 1 << 20

// Value is one RESP2 or RESP3 reply, fully read. It is used where the server must look inside a reply
// (replies to the commands an EXH* command became, subscription confirmations); everything else is copied
// through without being decoded.
type Value struct {
	Kind  byte    // the RESP type byte: '+', '-', ':', '$', '*', '_', '#', ',', '(', '=', '%', '~', '>', '!'
	Text  []byte  // payload of strings, errors, doubles, big numbers and verbatim strings
	Int   int64   // integer value (':')
	Bool  bool    // boolean value ('#')
	Null  bool    // '$-1', '*-1' or '_'
	Elems []Value // elements of aggregates; a map holds key, value, key, value, …
	Raw   []byte  // scalars: the reply's bytes as received; aggregates: their header line only
}

// isError reports whether v is an error reply.
func (v Value) isError() bool { return v.Kind == '-' || v.Kind == '!' }

// isStatus reports whether v is the simple string s.
func (v Value) isStatus(s string) bool { return v.Kind == '+' && string(v.Text) == s }

// respReader reads replies from the upstream. It can copy a reply through without decoding it (copyRest)
// or decode it (readRest); both start from a header line already read with readLine, so the caller can
// look at the type byte first.
type respReader struct {
	br *bufio.Reader
}

// readLine reads one line through its CRLF. The result is a fresh copy.
func (r *respReader) readLine() ([]byte, error) {
	return r.finishLine(r.br.ReadSlice('\n'))
}

// finishLine returns a fresh copy of the line whose start ReadSlice returned, reading the rest of
// it first when it did not fit in the buffer.
func (r *respReader) finishLine(line []byte, err error) ([]byte, error) {
	if err == nil {
		if len(line) < 3 || line[len(line)-2] != '\r' {
			return nil, errProtocol
		}
		return append([]byte(nil), line...), nil
	}
	buf := append([]byte(nil), line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		if len(buf) > maxLine {
			return nil, fmt.Errorf("%w: line longer than %d bytes", errProtocol, maxLine)
		}
		line, err = r.br.ReadSlice('\n')
		buf = append(buf, line...)
	}
	if err != nil {
		if errors.Is(err, io.EOF) && len(buf) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if len(buf) < 3 || buf[len(buf)-2] != '\r' {
		return nil, errProtocol
	}
	return buf, nil
}

// headerCount parses the number after the type byte of a header line.
func headerCount(line []byte) (int64, error) {
	if n, ok := decimal(line[1 : len(line)-2]); ok {
		return n, nil
	}
	n, err := strconv.ParseInt(string(line[1:len(line)-2]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: bad length in %q", errProtocol, line)
	}
	return n, nil
}

// decimal parses an optional '-' and up to 19 decimal digits within the int64 range, without
// strconv (no allocation): what Redis sends as a length or an integer, and what clients send in
// headers. It accepts leading zeros, as strconv.ParseInt does; a caller that must not checks them.
// Anything it refuses that ParseInt would take (a '+' sign) is for ParseInt.
func decimal(digits []byte) (int64, bool) {
	neg := len(digits) > 0 && digits[0] == '-'
	if neg {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 19 {
		return 0, false
	}
	var n uint64 // 19 digits stay below 2^64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n <= 1<<63:
		return -int64(n), true // 2^63 wraps to math.MinInt64, which is its value
	case !neg && n <= math.MaxInt64:
		return int64(n), true
	}
	return 0, false
}

// copyValue copies the next reply to w unchanged.
func (r *respReader) copyValue(w *bufio.Writer) error {
	line, err := r.readLine()
	if err != nil {
		return err
	}
	return r.copyRest(line, w)
}

// copyRest writes header, then copies the rest of the reply it starts, byte for byte. Bulk payloads are
// streamed, so a reply of any size passes through a fixed amount of memory.
func (r *respReader) copyRest(header []byte, w *bufio.Writer) error {
	if _, err := w.Write(header); err != nil {
		return err
	}
	switch header[0] {
	case '+', '-', ':', '_', '#', ',', '(':
		return nil
	case '$', '=', '!':
		n, err := headerCount(header)
		if err != nil || n < 0 {
			return err
		}
		_, err = io.CopyN(w, r.br, n+2)
		return err
	case '*', '~', '>', '%', '|':
		n, err := headerCount(header)
		if err != nil || n < 0 {
			return err
		}
		if header[0] == '%' || header[0] == '|' {
			n *= 2
		}
		if header[0] == '|' { // an attribute map is followed by the reply it annotates
			n++
		}
		for ; n > 0; n-- {
			if err := r.copyValue(w); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("%w: unknown type byte %q", errProtocol, header[0])
}

// readValue reads and decodes the next reply. A bulk string, what replies are mostly made of, is
// read with its header in one allocation.
func (r *respReader) readValue() (Value, error) {
	line, err := r.br.ReadSlice('\n')
	if err == nil && len(line) >= 4 && line[0] == '$' && line[1] != '-' && line[len(line)-2] == '\r' {
		n, err := headerCount(line)
		if err != nil {
			return Value{}, err
		}
		if n <= 1<<16 {
			raw, err := r.readBulk(line, n) // copies line before reading on
			if err != nil {
				return Value{}, err
			}
			return bulkValue(raw, len(line))
		}
	}
	if line, err = r.finishLine(line, err); err != nil {
		return Value{}, err
	}
	return r.readRest(line)
}

// bulkValue is the bulk string whose bytes, from a header of headerLen bytes to the CRLF, are raw.
func bulkValue(raw []byte, headerLen int) (Value, error) {
	if raw[len(raw)-2] != '\r' || raw[len(raw)-1] != '\n' {
		return Value{}, fmt.Errorf("%w: bulk string without CRLF", errProtocol)
	}
	return Value{Kind: raw[0], Raw: raw, Text: raw[headerLen : len(raw)-2]}, nil
}

// readRest decodes the reply that header starts. Attributes (RESP3 '|') are dropped: Redis sends them
// only on request (DEBUG PROTOCOL attrib), and no reply the server decodes carries one.
func (r *respReader) readRest(header []byte) (Value, error) {
	v := Value{Kind: header[0], Raw: header}
	body := header[1 : len(header)-2]
	switch v.Kind {
	case '+', '-', ',', '(':
		v.Text = body
		return v, nil
	case ':':
		n, ok := decimal(body)
		var err error
		if !ok {
			n, err = strconv.ParseInt(string(body), 10, 64)
		}
		if err != nil {
			return Value{}, fmt.Errorf("%w: bad integer %q", errProtocol, body)
		}
		v.Int = n
		return v, nil
	case '_':
		v.Null = true
		return v, nil
	case '#':
		v.Bool = string(body) == "t"
		return v, nil
	case '$', '=', '!':
		n, err := headerCount(header)
		if err != nil {
			return Value{}, err
		}
		if n < 0 {
			v.Null = true
			return v, nil
		}
		if n > math.MaxInt64-2 {
			return Value{}, fmt.Errorf("%w: bad length in %q", errProtocol, header)
		}
		raw, err := r.readBulk(header, n)
		if err != nil {
			return Value{}, err
		}
		return bulkValue(raw, len(header))
	case '*', '~', '>', '%', '|':
		n, err := headerCount(header)
		if err != nil {
			return Value{}, err
		}
		if n < 0 {
			v.Null = true
			return v, nil
		}
		if v.Kind == '%' || v.Kind == '|' {
			n *= 2
		}
		v.Elems = make([]Value, 0, min(n, 1024))
		for ; n > 0; n-- {
			e, err := r.readValue()
			if err != nil {
				return Value{}, err
			}
			v.Elems = append(v.Elems, e)
		}
		if v.Kind == '|' {
			return r.readValue()
		}
		return v, nil
	}
	return Value{}, fmt.Errorf("%w: unknown type byte %q", errProtocol, v.Kind)
}

// readBulk returns header followed by the n bytes of a bulk string and its CRLF. Up to 64 KiB
// they are read in one allocation; past that the buffer grows with what arrives rather than with
// the announced length: a broken upstream announcing 2^63 bytes must fail, not crash the server or
// exhaust its memory.
func (r *respReader) readBulk(header []byte, n int64) ([]byte, error) {
	if n <= 1<<16 {
		raw := make([]byte, len(header)+int(n)+2)
		copy(raw, header)
		if _, err := io.ReadFull(r.br, raw[len(header):]); err != nil {
			return nil, noEOF(err)
		}
		return raw, nil
	}
	buf := bytes.NewBuffer(make([]byte, 0, len(header)+1<<16+2))
	buf.Write(header)
	if _, err := io.CopyN(buf, r.br, n+2); err != nil {
		return nil, noEOF(err)
	}
	return buf.Bytes(), nil
}

// writeValue writes v as it was received. Redis encodes every reply in exactly one way, so writing the
// header of an aggregate and then its elements reproduces the original bytes.
func writeValue(w *bufio.Writer, v Value) error {
	if _, err := w.Write(v.Raw); err != nil {
		return err
	}
	for _, e := range v.Elems {
		if err := writeValue(w, e); err != nil {
			return err
		}
	}
	return nil
}
