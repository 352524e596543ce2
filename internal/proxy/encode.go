package proxy

import (
	"bufio"
	"encoding"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// appendCommand appends the RESP encoding of a command that a backend queued. Arguments are formatted
// the way go-redis formats them, so the upstream sees exactly what the backend would have sent itself.
func appendCommand(b []byte, args []any) ([]byte, error) {
	b = append(b, '*')
	b = strconv.AppendInt(b, int64(len(args)), 10)
	b = append(b, '\r', '\n')
	var scratch [64]byte // numbers are formatted here, so that no argument costs an allocation
	for _, a := range args {
		if s, ok := a.(string); ok { // what backends send most: keys, fields, values, script digests
			b = appendBulkString(b, s)
			continue
		}
		s, err := argBytes(a, scratch[:0])
		if err != nil {
			return nil, err
		}
		b = appendBulk(b, s)
	}
	return b, nil
}

// argBytes formats one argument: strings and bytes as they are, numbers in decimal (floats in the
// shortest form without exponent), bools as 1 and 0, times in RFC 3339, durations in nanoseconds.
// Numbers and times are appended to scratch.
func argBytes(a any, scratch []byte) ([]byte, error) {
	switch v := a.(type) {
	case nil:
		return nil, nil
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	case int:
		return strconv.AppendInt(scratch, int64(v), 10), nil
	case int8:
		return strconv.AppendInt(scratch, int64(v), 10), nil
	case int16:
		return strconv.AppendInt(scratch, int64(v), 10), nil
	case int32:
		return strconv.AppendInt(scratch, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(scratch, v, 10), nil
	case uint:
		return strconv.AppendUint(scratch, uint64(v), 10), nil
	case uint8:
		return strconv.AppendUint(scratch, uint64(v), 10), nil
	case uint16:
		return strconv.AppendUint(scratch, uint64(v), 10), nil
	case uint32:
		return strconv.AppendUint(scratch, uint64(v), 10), nil
	case uint64:
		return strconv.AppendUint(scratch, v, 10), nil
	case float32:
		return strconv.AppendFloat(scratch, float64(v), 'f', -1, 64), nil
	case float64:
		return strconv.AppendFloat(scratch, v, 'f', -1, 64), nil
	case bool:
		if v {
			return []byte("1"), nil
		}
		return []byte("0"), nil
	case time.Time:
		return v.AppendFormat(scratch, time.RFC3339Nano), nil
	case time.Duration:
		return strconv.AppendInt(scratch, v.Nanoseconds(), 10), nil
	case encoding.BinaryMarshaler:
		return v.MarshalBinary()
	}
	return nil, fmt.Errorf("exhash-server: cannot send an argument of type %T", a)
}

func appendBulkString(b []byte, s string) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, '\r', '\n')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

func appendBulk(b, s []byte) []byte {
	b = append(b, '$')
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, '\r', '\n')
	b = append(b, s...)
	return append(b, '\r', '\n')
}

// replyWriter writes replies to a client in the protocol version the client chose with HELLO.
type replyWriter struct {
	w     *bufio.Writer
	resp3 bool
}

func (rw replyWriter) line(kind byte, text string) {
	rw.w.WriteByte(kind)
	rw.w.WriteString(text)
	rw.w.WriteString("\r\n")
}

// null writes the module's nil: a null bulk string in RESP2, the null type in RESP3.
func (rw replyWriter) null() {
	if rw.resp3 {
		rw.w.WriteString("_\r\n")
		return
	}
	rw.w.WriteString("$-1\r\n")
}

// error writes an error reply. Like Redis, it puts "ERR " before a message whose first word is not an
// upper-case error code, and it keeps the reply on one line.
func (rw replyWriter) error(msg string) {
	msg = oneLine(msg)
	if !hasErrorCode(msg) {
		msg = "ERR " + msg
	}
	rw.line('-', msg)
}

// oneLine keeps an error message on one line, as a RESP error must be.
func oneLine(msg string) string { return lineBreaks.Replace(msg) }

var lineBreaks = strings.NewReplacer("\r", " ", "\n", " ")

func hasErrorCode(msg string) bool {
	code, _, _ := strings.Cut(msg, " ")
	if code == "" {
		return false
	}
	for _, c := range code {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

func (rw replyWriter) bulk(s []byte) {
	rw.header('$', int64(len(s)))
	rw.w.Write(s)
	rw.w.WriteString("\r\n")
}

// bulkString is bulk for a string, which needs no copy into a []byte.
func (rw replyWriter) bulkString(s string) {
	rw.header('$', int64(len(s)))
	rw.w.WriteString(s)
	rw.w.WriteString("\r\n")
}

// header writes a type byte, a number and CRLF, formatted in the writer's free space (no allocation).
func (rw replyWriter) header(kind byte, n int64) {
	b := append(rw.w.AvailableBuffer(), kind)
	b = strconv.AppendInt(b, n, 10)
	rw.w.Write(append(b, '\r', '\n'))
}

func (rw replyWriter) count(kind byte, n int) { rw.header(kind, int64(n)) }

// moduleValue writes a reply the upstream sent for an EXH* command in the module's shape. The upstream
// reply keeps its wire types (a status stays a status, a bulk string a bulk string); only what a Lua
// script turns nil into is changed back: false (a null in RESP2, a boolean in RESP3) becomes the null of
// the client's protocol, and true the integer 1, as Lua's true is in RESP2.
func (rw replyWriter) moduleValue(v Value) {
	switch {
	case v.Null:
		rw.null()
	case v.Kind == '#':
		if v.Bool {
			rw.w.WriteString(":1\r\n")
		} else {
			rw.null()
		}
	case isAggregate(v.Kind):
		rw.w.Write(v.Raw)
		for _, e := range v.Elems {
			rw.moduleValue(e)
		}
	default:
		rw.w.Write(v.Raw)
	}
}

// goValue writes a reply that a backend produced itself (no upstream reply carries it), from the go-redis
// value: integers, strings, nil, arrays of these. A string is written as a status only where the module
// replies with one: the "OK" of EXHMSET and EXHMSETWITHOPTS.
func (rw replyWriter) goValue(name string, val any, err error) {
	if errors.Is(err, redis.Nil) {
		rw.null()
		return
	}
	if err != nil {
		rw.error(err.Error())
		return
	}
	switch v := val.(type) {
	case nil:
		rw.null()
	case int64:
		rw.header(':', v)
	case int:
		rw.header(':', int64(v))
	case string:
		if v == "OK" && (name == "exhmset" || name == "exhmsetwithopts") {
			rw.line('+', v)
			return
		}
		rw.bulkString(v)
	case []byte:
		rw.bulk(v)
	case bool:
		if v {
			rw.w.WriteString(":1\r\n")
		} else {
			rw.null()
		}
	case float64:
		rw.bulk(strconv.AppendFloat(nil, v, 'f', -1, 64))
	case *big.Int:
		rw.bulkString(v.String())
	case error:
		rw.error(v.Error())
	case []string:
		rw.count('*', len(v))
		for _, s := range v {
			rw.bulkString(s)
		}
	case []any:
		rw.count('*', len(v))
		for _, e := range v {
			rw.goValue(name, e, nil)
		}
	default:
		rw.error(fmt.Sprintf("exhash-server: backend produced a %T, which has no RESP form", val))
	}
}

func isAggregate(kind byte) bool {
	return kind == '*' || kind == '~' || kind == '%' || kind == '>'
}
