package cwlens

import (
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
// so that a snapshot stays readable in a diff.
func EncodeSnapshot(s *Snapshot) ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(joinScalarArrays(b), '\n'), nil
}

// joinScalarArrays puts each array of numbers and nulls of indented JSON on
// one line: "[1, null, 3]". Arrays holding strings, objects or arrays keep
// their lines.
func joinScalarArrays(b []byte) []byte {
	out := make([]byte, 0, len(b))
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
				out = append(out, '[')
				for j, f := range bytes.Fields(b[i+1 : end]) {
					if j > 0 {
						out = append(out, ' ')
					}
					out = append(out, f...)
				}
				out = append(out, ']')
				i = end
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

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
	b, err := EncodeSnapshot(s)
	if err != nil {
		return fmt.Errorf("write snapshot %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, b); err != nil {
		return fmt.Errorf("write snapshot %s: %w", path, err)
	}
	return nil
}
