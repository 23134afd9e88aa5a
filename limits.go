package cwlens

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
)

// Size limits of the files cwlens reads. Each is far above what a real
// input needs and far below what would exhaust a machine, so that a wrong
// file (/dev/zero, a disk image, a log given as a snapshot) is refused with
// one line instead of being read until memory runs out.
const (
	// MaxSnapshotBytes bounds a snapshot: 50,000 log groups with a
	// month of hourly series are about 250 MB.
	MaxSnapshotBytes = 1 << 30
	// MaxScenarioBytes bounds a scenario file, a page of YAML.
	MaxScenarioBytes = 1 << 20
	// MaxPriceBookBytes bounds a price book (the built-in one, every
	// Region, is under 1 MB).
	MaxPriceBookBytes = 64 << 20
	// MaxStateBytes bounds a state file or a previous report read as one.
	MaxStateBytes = 256 << 20
	// MaxCSVBytes bounds the time series `cwlens detect` reads: a million
	// rows of "2014-04-01 00:00:00,123.456" are 30 MB.
	MaxCSVBytes = 64 << 20
)

// TooLargeError reports an input over its size limit.
type TooLargeError struct {
	What  string // "snapshot", "scenario", ...
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than %s, the limit for a %s: not a %s", sizeText(e.Limit), e.What, e.What)
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadLimited reads the file at path whole, refusing one over limit bytes
// with an *InputError wrapping a *TooLargeError. It stats the file first,
// so a large regular file is refused without being read, and reads at most
// limit+1 bytes of anything else (a pipe, /dev/zero). what names the kind of
// input in errors.
func ReadLimited(path string, limit int64, what string) ([]byte, error) {
	return readLimited(path, limit, what, nil)
}

// ReadJSONObject is ReadLimited for a file that must hold one JSON object.
// It skips a UTF-8 byte-order mark (see TrimBOM), and looks at the first
// bytes before reading on, so that /dev/zero or a binary file is refused at
// once, naming the byte it starts with.
func ReadJSONObject(path string, limit int64, what string) ([]byte, error) {
	data, err := readLimited(path, limit, what, func(head []byte) error { return objectStart(head, what) })
	return TrimBOM(data), err
}

func readLimited(path string, limit int64, what string, check func(head []byte) error) ([]byte, error) {
	r, closer, err := openLimited(path, limit, what, check)
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	return ReadAllLimited(r, path, limit, what)
}

// OpenJSONObject opens path for a decoder that streams one JSON object, with
// ReadJSONObject's checks: a regular file over limit is refused unread, the
// first bytes must start a JSON value, a byte-order mark is skipped, and
// the reader fails once more than limit bytes were read. The caller closes
// the returned io.Closer.
func OpenJSONObject(path string, limit int64, what string) (io.Reader, io.Closer, error) {
	r, closer, err := openLimited(path, limit, what, func(head []byte) error { return objectStart(head, what) })
	if err != nil {
		return nil, nil, err
	}
	return SkipBOM(LimitReader(r, path, limit, what)), closer, nil
}

// openLimited opens path, refuses a directory or a regular file over limit,
// and runs check on the first bytes.
func openLimited(path string, limit int64, what string, check func(head []byte) error) (io.Reader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s %s: %w", what, path, err)
	}
	fail := func(err error) (io.Reader, io.Closer, error) {
		f.Close()
		return nil, nil, err
	}
	if fi, err := f.Stat(); err == nil {
		if fi.IsDir() {
			return fail(Inputf(path, "", "", "is a directory, not a %s", what))
		}
		if fi.Mode().IsRegular() && fi.Size() > limit {
			return fail(&InputError{File: path, Err: &TooLargeError{What: what, Limit: limit}})
		}
	}
	br := bufio.NewReader(f)
	if check != nil {
		head, _ := br.Peek(512) // fewer at the end of a short file
		if err := check(head); err != nil {
			return fail(&InputError{File: path, Err: err})
		}
	}
	return br, f, nil
}

// objectStart checks that head, past a byte-order mark and white space,
// starts a JSON value; the decoder says what is wrong with a value that is
// not an object, or with a file of white space only.
func objectStart(head []byte, what string) error {
	for _, c := range TrimBOM(head) {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case '{', '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n':
			return nil // JSON: the decoder names what is wrong with it
		}
		shown := fmt.Sprintf("byte 0x%02x", c)
		if c > ' ' && c < 0x7f {
			shown = fmt.Sprintf("%q", rune(c))
		}
		return fmt.Errorf("not a %s: want a JSON object, the file starts with %s", what, shown)
	}
	return nil
}

// ReadAllLimited reads r to its end, refusing more than limit bytes as
// ReadLimited does; name is the file or object r reads, for errors.
func ReadAllLimited(r io.Reader, name string, limit int64, what string) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", what, name, err)
	}
	if n > limit {
		return nil, &InputError{File: name, Err: &TooLargeError{What: what, Limit: limit}}
	}
	return buf.Bytes(), nil
}

// LimitReader returns a reader of r that fails with an *InputError wrapping
// a *TooLargeError once more than limit bytes were read, for inputs decoded
// as a stream.
func LimitReader(r io.Reader, name string, limit int64, what string) io.Reader {
	return &limitReader{r: io.LimitReader(r, limit+1), left: limit, name: name, what: what, limit: limit}
}

type limitReader struct {
	r           io.Reader
	left, limit int64
	name, what  string
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, &InputError{File: l.name, Err: &TooLargeError{What: l.what, Limit: l.limit}}
	}
	return n, err
}

// utf8BOM is the byte-order mark some Windows editors put at the start of
// a UTF-8 file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// TrimBOM returns data without a leading UTF-8 byte-order mark. RFC 8259
// §8.1 forbids writing one in JSON but lets a parser ignore it, which is
// kinder than refusing a file an editor saved
// (https://www.rfc-editor.org/rfc/rfc8259#section-8.1).
func TrimBOM(data []byte) []byte { return bytes.TrimPrefix(data, utf8BOM) }

// SkipBOM returns a reader of r past a leading UTF-8 byte-order mark.
func SkipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	return br
}

// MaxJSONStringBytes bounds any one string of a snapshot: the longest a real
// one holds is a sampled log event, at most 1 MB (PutLogEvents).
const MaxJSONStringBytes = 8 << 20

// StringLimitReader returns a reader of the JSON text r that fails with an
// *InputError once a string, or a run of white space, is longer than max
// bytes, so that a decoder is never asked to hold a 200 MB account name
// before it can be refused.
func StringLimitReader(r io.Reader, name string, max int) io.Reader {
	return &stringLimiter{r: r, name: name, max: max}
}

type stringLimiter struct {
	r        io.Reader
	name     string
	max      int
	off      int64 // bytes read before the current chunk
	inString bool
	escaped  bool
	run      int   // bytes of the current string so far
	space    int   // bytes of white space in a row
	start    int64 // offset of its opening quote
}

func (l *stringLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		switch {
		case !l.inString:
			switch c {
			case '"':
				l.inString, l.run, l.start = true, 0, l.off+int64(i)
			case ' ', '\t', '\n', '\r':
				// A decoder buffers white space until the next token:
				// a long run of it is bounded like a string.
				if l.space++; l.space > l.max {
					return 0, Inputf(l.name, fmt.Sprintf("offset %d", l.off+int64(i)), "", "more than %s of white space in a row: not JSON a cwlens writes", sizeText(int64(l.max)))
				}
			default:
				l.space = 0
			}
			continue
		case l.escaped:
			l.escaped = false
		case c == '\\':
			l.escaped = true
		case c == '"':
			l.inString = false
			continue
		}
		if l.run++; l.run > l.max {
			return 0, Inputf(l.name, fmt.Sprintf("offset %d", l.start), "", "a string longer than %s: no field of a snapshot is that long", sizeText(int64(l.max)))
		}
	}
	l.off += int64(n)
	return n, err
}
