package proxy

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"
)

// Redis' own bounds on client input (PROTO_INLINE_MAX_SIZE and the multibulk count it accepts).
const (
	maxInlineBytes = 64 << 10
	maxArgs        = 1 << 20
	// keepBuffer is the largest command buffer a connection keeps for its next command; a larger one
	// goes back to the allocator (and its bytes to the input budget) once its command is handed on.
	keepBuffer = 16 << 10
)

// clientError ends a client connection after Msg, an error reply (Redis' own text for protocol errors),
// is sent to the client in its place in the reply stream.
type clientError struct{ Msg string }

func (e *clientError) Error() string { return e.Msg }

var (
	errInvalidMultibulk = &clientError{"ERR Protocol error: invalid multibulk length"}
	errInvalidBulk      = &clientError{"ERR Protocol error: invalid bulk length"}
	errInlineTooBig     = &clientError{"ERR Protocol error: too big inline request"}
	errMultibulkLineBig = &clientError{"ERR Protocol error: too big mbulk count string"}
	errBulkLineBig      = &clientError{"ERR Protocol error: too big bulk count string"}
	errUnbalancedQuotes = &clientError{"ERR Protocol error: unbalanced quotes in request"}
	errInputBudget      = &clientError{"ERR exhash-server: the input buffers of all clients together are full (--max-input-bytes); closing the connection"}
)

// command is one client command: its arguments (the name first) and its bytes in RESP, which is what a
// command passed through is written upstream as. Both point into the reader's buffer and are valid
// until the next readCommand.
type command struct {
	Args [][]byte
	Raw  []byte
}

// inputBudget bounds the bytes all client connections hold for commands they are receiving.
type inputBudget struct {
	max  int64
	used atomic.Int64
}

// take reserves n bytes, or reports false and reserves nothing when that would pass the bound.
func (b *inputBudget) take(n int) bool {
	if b.used.Add(int64(n)) > b.max {
		b.used.Add(-int64(n))
		return false
	}
	return true
}

func (b *inputBudget) give(n int) { b.used.Add(-int64(n)) }

// commandReader parses a client's commands, RESP multibulk or inline, the way Redis does. It reads
// every byte once and holds a command's bytes once (plus, for inline commands, their RESP form), so
// its CPU and memory grow linearly with what the client sent, never with what a header announces:
// buffers grow with the bytes that arrive, and every bulk and line is checked against its bound
// before it is read.
type commandReader struct {
	br       *bufio.Reader
	maxBytes int // Config.MaxCommandBytes: one bulk, and one whole command
	budget   *inputBudget
	held     int // bytes of buf reserved in budget

	buf   []byte // the current command's bytes
	spare []byte // inline commands: the words, before buf gets their RESP form
	marks []int  // start and end of each argument in buf
	args  [][]byte

	// A command has started arriving (at startedAt) and is not complete yet. Only the connection's
	// goroutine uses them: clientConn.Read runs inside the reader.
	started   bool
	startedAt time.Time
	// arrivedAt is when the last read from the client returned bytes (clientConn.Read sets it): a
	// command whose first byte is buffered started arriving then at the latest. One clock reading
	// per read rather than per command.
	arrivedAt time.Time
}

func newCommandReader(r io.Reader, maxBytes int, budget *inputBudget) *commandReader {
	return &commandReader{br: bufio.NewReaderSize(r, 8<<10), maxBytes: maxBytes, budget: budget}
}

// buffered reports whether bytes of a next command have arrived already.
func (r *commandReader) buffered() bool { return r.br.Buffered() > 0 }

// release gives the reader's buffers back; it runs when the connection ends.
func (r *commandReader) release() {
	r.budget.give(r.held)
	r.held, r.buf, r.spare, r.marks, r.args = 0, nil, nil, nil, nil
}

// charge reserves n more bytes of the budget for this reader's buffers.
func (r *commandReader) charge(n int) error {
	if !r.budget.take(n) {
		return errInputBudget
	}
	r.held += n
	return nil
}

// grow makes room for n more bytes in *b, charging what the buffer grows by.
func (r *commandReader) grow(b *[]byte, n int) error {
	if cap(*b)-len(*b) >= n {
		return nil
	}
	want := max(len(*b)+n, 2*cap(*b), 512)
	if err := r.charge(want - cap(*b)); err != nil {
		return err
	}
	nb := make([]byte, len(*b), want)
	copy(nb, *b)
	*b = nb
	return nil
}

// addArg records where an argument lies in buf. The index (marks, and args made from it) is charged
// too: each argument costs it 40 bytes, more than the 6 bytes ("$0\r\n\r\n") a client must send.
func (r *commandReader) addArg(from, to int) error {
	if len(r.marks) == cap(r.marks) {
		n := max(2*cap(r.marks), 32) // ints: two per argument
		if err := r.charge((n-cap(r.marks))*8 + (n/2-cap(r.args))*24); err != nil {
			return err
		}
		r.marks = append(make([]int, 0, n), r.marks...)
		r.args = make([][]byte, 0, n/2)
	}
	r.marks = append(r.marks, from, to)
	return nil
}

// footprint is what the reader's buffers hold, as charged.
func (r *commandReader) footprint() int {
	return cap(r.buf) + cap(r.spare) + 8*cap(r.marks) + 24*cap(r.args)
}

// readCommand returns the next command; empty lines and empty multibulks are skipped, as by Redis.
// A *clientError is for the client; other errors are the connection's.
func (r *commandReader) readCommand() (command, error) {
	for {
		r.recycle()
		first, err := r.br.Peek(1)
		if err != nil {
			return command{}, err
		}
		r.started, r.startedAt = true, r.arrivedAt
		var cmd command
		if first[0] == '*' {
			cmd, err = r.readMultibulk()
		} else {
			cmd, err = r.readInline()
		}
		r.started = false
		if err != nil || len(cmd.Args) > 0 {
			return cmd, err
		}
	}
}

// recycle drops the previous command's buffers when they are too large to keep.
func (r *commandReader) recycle() {
	if r.footprint() > keepBuffer {
		r.release()
	}
	r.buf, r.spare, r.marks, r.args = r.buf[:0], r.spare[:0], r.marks[:0], r.args[:0]
}

// readLine appends one line, through its '\n', to *b. A line longer than limit is tooLong.
func (r *commandReader) readLine(b *[]byte, limit int, tooLong error) error {
	start := len(*b)
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(*b)-start+len(chunk) > limit+2 {
			return tooLong
		}
		if gerr := r.grow(b, len(chunk)); gerr != nil {
			return gerr
		}
		*b = append(*b, chunk...)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, bufio.ErrBufferFull):
			return noEOF(err)
		}
	}
}

// noEOF turns the end of input inside a command into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readMultibulk reads "*<count>\r\n" and count bulks "$<len>\r\n<bytes>\r\n".
func (r *commandReader) readMultibulk() (command, error) {
	if err := r.readLine(&r.buf, maxInlineBytes, errMultibulkLineBig); err != nil {
		return command{}, err
	}
	count, ok := lineNumber(r.buf)
	if !ok || count > maxArgs {
		return command{}, errInvalidMultibulk
	}
	for range count { // count <= 0: an empty command, skipped
		start := len(r.buf)
		if err := r.readLine(&r.buf, maxInlineBytes, errBulkLineBig); err != nil {
			return command{}, err
		}
		if r.buf[start] != '$' {
			return command{}, &clientError{fmt.Sprintf("ERR Protocol error: expected '$', got '%c'", r.buf[start])}
		}
		size, ok := lineNumber(r.buf[start:])
		if !ok || size < 0 || size > int64(r.maxBytes) {
			return command{}, errInvalidBulk
		}
		if len(r.buf)+int(size)+2 > r.maxBytes {
			return command{}, r.tooLarge()
		}
		from := len(r.buf)
		if err := r.readFull(int(size) + 2); err != nil {
			return command{}, err
		}
		// Redis skips the two bytes after a bulk without looking at them; make them CRLF so that
		// what goes upstream is well formed.
		r.buf[len(r.buf)-2], r.buf[len(r.buf)-1] = '\r', '\n'
		if err := r.addArg(from, from+int(size)); err != nil {
			return command{}, err
		}
	}
	for i := 0; i < len(r.marks); i += 2 {
		r.args = append(r.args, r.buf[r.marks[i]:r.marks[i+1]])
	}
	return command{Args: r.args, Raw: r.buf}, nil
}

func (r *commandReader) tooLarge() error {
	return &clientError{fmt.Sprintf("ERR exhash-server: command too large: more than %d bytes (--max-command-bytes); closing the connection", r.maxBytes)}
}

// readFull appends the next n bytes to r.buf. The buffer grows as they arrive (doubling), so a client
// announcing a large bulk and sending nothing holds no more than it sent.
func (r *commandReader) readFull(n int) error {
	for n > 0 {
		if len(r.buf) == cap(r.buf) {
			if err := r.grow(&r.buf, min(n, max(cap(r.buf), 4<<10))); err != nil {
				return err
			}
		}
		room := r.buf[len(r.buf):min(cap(r.buf), len(r.buf)+n)]
		got, err := r.br.Read(room)
		r.buf = r.buf[:len(r.buf)+got]
		n -= got
		if err != nil && n > 0 {
			return noEOF(err)
		}
	}
	return nil
}

// lineNumber parses the decimal number between the type byte and the CRLF of a header line, as
// strictly as Redis (string2ll): no sign but '-', no leading zeros, no overflow.
func lineNumber(line []byte) (int64, bool) {
	if len(line) < 4 || line[len(line)-2] != '\r' {
		return 0, false
	}
	digits := line[1 : len(line)-2]
	if unsigned := bytes.TrimPrefix(digits, []byte("-")); len(unsigned) > 0 && unsigned[0] == '0' && len(line) > 4 {
		return 0, false
	}
	return decimal(digits)
}

// readInline reads a line of words, split as redis-cli and Redis do (quotes, escapes), and gives it
// the RESP form a command passed through is sent upstream in.
func (r *commandReader) readInline() (command, error) {
	if err := r.readLine(&r.spare, maxInlineBytes, errInlineTooBig); err != nil {
		return command{}, err
	}
	line := bytes.TrimSuffix(r.spare[:len(r.spare)-1], []byte("\r"))
	words, err := splitWords(line, r.marks[:0])
	if err != nil {
		return command{}, err
	}
	// At most 32 Ki words (a 64 KiB line): their index is charged after the fact.
	err = r.charge(8 * (cap(words) - cap(r.marks)))
	r.marks = words
	if n := len(words) / 2; err == nil && n > cap(r.args) {
		if err = r.charge(24 * (n - cap(r.args))); err == nil {
			r.args = make([][]byte, 0, n)
		}
	}
	if err != nil {
		return command{}, err
	}
	n := len(words) / 2
	if n == 0 {
		return command{}, nil
	}
	var digits [20]byte
	size := len(strconv.AppendInt(digits[:0], int64(n), 10)) + 3
	for i := 0; i < len(words); i += 2 {
		w := words[i+1] - words[i]
		size += len(strconv.AppendInt(digits[:0], int64(w), 10)) + w + 5
	}
	if err := r.grow(&r.buf, size); err != nil {
		return command{}, err
	}
	r.buf = append(r.buf, '*')
	r.buf = strconv.AppendInt(r.buf, int64(n), 10)
	r.buf = append(r.buf, '\r', '\n')
	for i := 0; i < len(words); i += 2 {
		word := r.spare[words[i]:words[i+1]]
		r.buf = append(r.buf, '$')
		r.buf = strconv.AppendInt(r.buf, int64(len(word)), 10)
		r.buf = append(r.buf, '\r', '\n')
		start := len(r.buf)
		r.buf = append(r.buf, word...)
		r.args = append(r.args, r.buf[start:len(r.buf):len(r.buf)])
		r.buf = append(r.buf, '\r', '\n')
	}
	return command{Args: r.args, Raw: r.buf}, nil
}

// splitWords splits line into words as Redis' sdssplitargs does: separated by blanks; "double quotes"
// with \n \r \t \b \a \xHH and \<any> escapes; 'single quotes' with \' only; a closing quote must be
// followed by a blank or the end. Each word is written back into line, unescaped, in place (never
// longer than it was), and its start and end are appended to marks.
func splitWords(line []byte, marks []int) ([]int, error) {
	// As in Redis: a NUL ends the line, blanks between words are C's isspace, and a word ends at
	// one of four of them.
	if end := bytes.IndexByte(line, 0); end >= 0 {
		line = line[:end]
	}
	isBlank := func(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' }
	endsWord := func(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }
	i, out := 0, 0
	for {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i == len(line) {
			return marks, nil
		}
		start := out
		var quote byte
		for done := false; !done; {
			if i == len(line) {
				if quote != 0 {
					return nil, errUnbalancedQuotes
				}
				break
			}
			c := line[i]
			switch {
			case quote == '"' && c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
				line[out] = hexValue(line[i+2])<<4 | hexValue(line[i+3])
				out, i = out+1, i+4
			case quote == '"' && c == '\\' && i+1 < len(line):
				line[out] = unescape(line[i+1])
				out, i = out+1, i+2
			case quote == '\'' && c == '\\' && i+1 < len(line) && line[i+1] == '\'':
				line[out] = '\''
				out, i = out+1, i+2
			case quote != 0 && c == quote:
				if i+1 < len(line) && !isBlank(line[i+1]) {
					return nil, errUnbalancedQuotes
				}
				i++
				done = true
			case quote == 0 && endsWord(c):
				done = true
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
				i++
			default:
				line[out] = c
				out, i = out+1, i+1
			}
		}
		marks = append(marks, start, out)
	}
}

func isHex(c byte) bool { return bytes.IndexByte([]byte("0123456789abcdefABCDEF"), c) >= 0 }

func hexValue(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'b':
		return '\b'
	case 'a':
		return '\a'
	}
	return c
}
