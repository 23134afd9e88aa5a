package cwlens

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cwlens/cwlens/internal/atomicfile"
)

// ReadSnapshot reads, decodes and validates the snapshot file at path. Bad
// content is reported as one *InputError naming path, the JSON path of the
// offending field and its value.
func ReadSnapshot(path string) (*Snapshot, error) {
	data, err := os.ReadFile(path) // sized from the file: no growing copies
	if err != nil {
		return nil, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	return decodeSnapshot(data, path)
}

// DecodeSnapshot decodes and validates a snapshot from r; name is the file
// name errors report. Bad content is reported as one *InputError; an error
// reading r is returned wrapped.
func DecodeSnapshot(r io.Reader, name string) (*Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read snapshot %s: %w", name, err)
	}
	return decodeSnapshot(data, name)
}

func decodeSnapshot(data []byte, name string) (*Snapshot, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Inputf(name, "", "", "empty file: want a snapshot (a JSON object, schema version %d)", SchemaVersion)
	}
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&s)
	if err == nil {
		err = expectEOF(dec)
	}
	if err != nil {
		if lerr := locate(data, name); lerr != nil {
			return nil, lerr
		}
		return nil, locateError(data, name, err)
	}
	if err := s.Validate(); err != nil {
		return nil, withFile(err, name)
	}
	return &s, nil
}

// expectEOF rejects anything but white space after the snapshot object.
func expectEOF(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return &json.SyntaxError{Offset: dec.InputOffset()}
	}
	return nil
}

// withFile sets the file name of an *InputError that lacks one.
func withFile(err error, name string) error {
	var ie *InputError
	if errors.As(err, &ie) && ie.File == "" {
		c := *ie
		c.File = name
		return &c
	}
	return err
}

// locateError turns an encoding/json error into an *InputError with the
// line and column where decoding stopped. It is the fallback for an error
// the token walk (locate) did not find, which should not happen.
func locateError(data []byte, name string, err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		ie  *InputError
	)
	switch {
	case errors.As(err, &ie):
		return withFile(err, name)
	case errors.As(err, &syn):
		return Inputf(name, lineCol(data, syn.Offset), "", "malformed JSON: %v", err)
	case errors.As(err, &typ):
		return Inputf(name, typ.Field, typ.Value, "want a %s (%s)", typ.Type, lineCol(data, typ.Offset))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Inputf(name, lineCol(data, int64(len(data))), "", "truncated JSON: the file ends inside a value")
	}
	return Inputf(name, "", "", "%v", err)
}

// lineCol renders a byte offset as "line L, column C" (both from 1).
func lineCol(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// EncodeSnapshot returns s as indented JSON, each series' points on one line
// so that a snapshot stays readable in a diff. It is EncodeSnapshotTo into
// memory; a file is better written with WriteSnapshot, which streams.
func EncodeSnapshot(s *Snapshot) ([]byte, error) {
	var b bytes.Buffer
	if err := EncodeSnapshotTo(&b, s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// EncodeSnapshotTo writes s to w as EncodeSnapshot returns it, one log group
// or service at a time: memory grows with the largest of them, not with the
// account (50,000 log groups are over 200 MB of JSON).
func EncodeSnapshotTo(w io.Writer, s *Snapshot) error {
	// The rest of the snapshot is small: encode it whole, with the two
	// arrays left null, and stream the arrays in where their nulls are.
	// A raw newline cannot occur inside a JSON string, so each marker
	// matches only the top-level member.
	head := *s
	head.LogGroups, head.Services = nil, nil
	hb, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return err
	}
	e := &streamEncoder{w: bufio.NewWriterSize(w, 64<<10)}
	e.enc = json.NewEncoder(&e.elem)
	e.enc.SetIndent("    ", "  ")
	rest := joinScalarArrays(hb)
	arrays := []struct {
		key  string
		n    int
		null bool
		at   func(int) any
	}{
		{"log_groups", len(s.LogGroups), s.LogGroups == nil, func(i int) any { return &s.LogGroups[i] }},
		{"services", len(s.Services), s.Services == nil, func(i int) any { return &s.Services[i] }},
	}
	for _, a := range arrays {
		marker := []byte("\n  \"" + a.key + "\": null")
		i := bytes.Index(rest, marker)
		if i < 0 {
			return fmt.Errorf("encode snapshot: no %q member in the encoding", a.key)
		}
		e.write(rest[:i+len(marker)-len("null")])
		e.array(a.n, a.null, a.at)
		rest = rest[i+len(marker):]
	}
	e.write(rest)
	e.write([]byte{'\n'})
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}

// streamEncoder writes the elements of the snapshot's arrays one by one,
// reusing its buffers, and keeps the first error.
type streamEncoder struct {
	w      *bufio.Writer
	enc    *json.Encoder // writes to elem, indented as an element of a top-level array
	elem   bytes.Buffer
	joined []byte
	err    error
}

func (e *streamEncoder) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

// array writes n elements as json.MarshalIndent would inside the snapshot
// object: null for a nil slice, [] for an empty one.
func (e *streamEncoder) array(n int, null bool, at func(int) any) {
	switch {
	case null:
		e.write([]byte("null"))
		return
	case n == 0:
		e.write([]byte("[]"))
		return
	}
	e.write([]byte("[\n"))
	for i := range n {
		if e.err != nil {
			return
		}
		e.elem.Reset()
		if err := e.enc.Encode(at(i)); err != nil {
			e.err = err
			return
		}
		b := bytes.TrimSuffix(e.elem.Bytes(), []byte{'\n'}) // Encode ends each value with one
		e.joined = appendJoined(e.joined[:0], b)
		e.write([]byte("    "))
		e.write(e.joined)
		if i < n-1 {
			e.write([]byte(","))
		}
		e.write([]byte("\n"))
	}
	e.write([]byte("  ]"))
}

// joinScalarArrays puts each array of numbers and nulls of indented JSON on
// one line: "[1, null, 3]". Arrays holding strings, objects or arrays keep
// their lines.
func joinScalarArrays(b []byte) []byte {
	return appendJoined(make([]byte, 0, len(b)), b)
}

// appendJoined appends b with its scalar arrays joined (joinScalarArrays)
// to out.
func appendJoined(out, b []byte) []byte {
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString:
			if c == '\\' {
				out = append(out, c)
				i++
				c = b[i]
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[':
			if end, ok := scalarArrayEnd(b, i); ok {
				out = appendFields(append(out, '['), b[i+1:end])
				out = append(out, ']')
				i = end
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// appendFields appends the white-space separated fields of b, one space
// between each, without allocating as bytes.Fields does.
func appendFields(out, b []byte) []byte {
	first := true
	for i := 0; i < len(b); {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		j := i
		for j < len(b) && !isSpace(b[j]) {
			j++
		}
		if j > i {
			if !first {
				out = append(out, ' ')
			}
			out = append(out, b[i:j]...)
			first = false
		}
		i = j
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// scalarArrayEnd returns the index of the ']' closing the array opened at
// b[open] when the array is non-empty and holds only numbers and nulls.
func scalarArrayEnd(b []byte, open int) (int, bool) {
	for j := open + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == ']':
			return j, j > open+1 && bytes.ContainsAny(b[open+1:j], "0123456789n")
		case c == '"' || c == '{' || c == '[':
			return 0, false
		}
	}
	return 0, false
}

// WriteSnapshot validates s and writes it to path atomically: to a
// temporary file in the same directory, synced, then renamed over path. On
// any error nothing new is left behind and an existing file is untouched.
func WriteSnapshot(path string, s *Snapshot) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("write snapshot %s: %w", path, err)
	}
	err := atomicfile.Write(path, func(w io.Writer) error { return EncodeSnapshotTo(w, s) })
	if err != nil {
		return fmt.Errorf("write snapshot %s: %w", path, err)
	}
	return nil
}
