package jsonin

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// window is how much of the input the tracker keeps for messages: at least
// this much and at most twice as much, the most recently read. A problem
// further back than that (behind a string longer than a megabyte) is placed
// by its byte offset alone.
const window = 1 << 20

// tracker passes reads through and remembers enough to place a byte offset:
// the newlines before the window it keeps, and the window itself.
type tracker struct {
	r         io.Reader
	buf       []byte // the input from offset base on
	base      int64  // offset of buf[0]
	lines     int    // newlines before base
	lineStart int64  // offset just after the last newline before base
}

func newTracker(r io.Reader) *tracker { return &tracker{r: r} }

func (t *tracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	if len(t.buf) > 2*window {
		drop := len(t.buf) - window
		t.lines += bytes.Count(t.buf[:drop], []byte{'\n'})
		if i := bytes.LastIndexByte(t.buf[:drop], '\n'); i >= 0 {
			t.lineStart = t.base + int64(i) + 1
		}
		t.buf = t.buf[:copy(t.buf, t.buf[drop:])]
		t.base += int64(drop)
	}
	return n, err
}

// end is the offset just past what has been read.
func (t *tracker) end() int64 { return t.base + int64(len(t.buf)) }

// pos renders offset off as "line L, column C", both from 1, the column
// counted in bytes.
func (t *tracker) pos(off int64) string {
	off = min(max(off, 0), t.end())
	if off < t.base {
		return fmt.Sprintf("byte %d", off+1)
	}
	before := t.buf[:off-t.base]
	line, start := t.lines+bytes.Count(before, []byte{'\n'})+1, t.lineStart
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		start = t.base + int64(i) + 1
	}
	return fmt.Sprintf("line %d, column %d", line, off-start+1)
}

// skipSpace returns the offset of the first byte at or after off that is
// not JSON white space.
func (t *tracker) skipSpace(off int64) int64 {
	for off >= t.base && off < t.end() && bytes.IndexByte([]byte(" \t\r\n"), t.buf[off-t.base]) >= 0 {
		off++
	}
	return off
}

// skipDelims returns the offset of the first byte at or after off that is
// neither white space nor a ':' or ',' between values.
func (t *tracker) skipDelims(off int64) int64 {
	for off >= t.base && off < t.end() && bytes.IndexByte([]byte(" \t\r\n:,"), t.buf[off-t.base]) >= 0 {
		off++
	}
	return off
}

// word returns the word at offset off, such as NaN or Infinity where a
// value should be, at most 24 bytes of it; a punctuation character alone.
func (t *tracker) word(off int64) string {
	off = t.skipSpace(off)
	if off < t.base || off >= t.end() {
		return ""
	}
	b := t.buf[off-t.base:]
	if b[0] == '"' {
		return strings.ToValidUTF8(quoted(b), "\uFFFD")
	}
	n := 0
	for n < len(b) && n < 24 && isWordByte(b[n]) {
		n++
	}
	if n == 0 {
		n = 1
	}
	return strings.ToValidUTF8(string(b[:n]), "\uFFFD")
}

func isWordByte(c byte) bool {
	return c == '-' || c == '+' || c == '.' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// quoted returns the JSON string at the start of b, shortened to 40 bytes.
func quoted(b []byte) string {
	for i := 1; i < len(b) && i < 40; i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return string(b[:i+1])
		}
	}
	return string(b[:min(len(b), 37)]) + "..."
}
