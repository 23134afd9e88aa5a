package cwlens

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cwlens/cwlens/internal/atomicfile"
	"github.com/cwlens/cwlens/internal/jsonin"
	"github.com/cwlens/cwlens/internal/jsonsplice"
)

// ReadSnapshot reads, decodes and validates the snapshot file at path. Bad
// content is reported as one *InputError naming path, the JSON path of the
// offending field, its value and its line and column.
func ReadSnapshot(path string) (*Snapshot, error) {
	r, f, err := OpenJSONObject(path, MaxSnapshotBytes, "snapshot")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeSnapshot(StringLimitReader(r, path, MaxJSONStringBytes), path)
}

// DecodeSnapshot decodes and validates a snapshot from r, read as a stream;
// name is the file name errors report. Bad content is reported as one
// *InputError; an error reading r is returned wrapped.
//
// At most MaxSnapshotBytes are read; a UTF-8 byte-order mark is skipped.
func DecodeSnapshot(r io.Reader, name string) (*Snapshot, error) {
	r = SkipBOM(LimitReader(r, name, MaxSnapshotBytes, "snapshot"))
	return decodeSnapshot(StringLimitReader(r, name, MaxJSONStringBytes), name)
}

func decodeSnapshot(r io.Reader, name string) (*Snapshot, error) {
	var s Snapshot
	err := snapshotDoc().Decode(r, &s)
	var (
		je *jsonin.Error
		tl *TooLargeError
	)
	var ie *InputError
	switch {
	case errors.As(err, &tl):
		return nil, &InputError{File: name, Err: tl}
	case errors.As(err, &ie) && ie.File == name:
		return nil, ie // a limit of the reader's
	case err != nil && !errors.As(err, &je):
		return nil, fmt.Errorf("read snapshot %s: %w", name, err)
	case err != nil:
		return nil, inputError(err, name)
	}
	if err := s.checkArrays(); err != nil {
		return nil, withFile(err, name)
	}
	if err := s.Validate(); err != nil {
		return nil, withFile(err, name)
	}
	return &s, nil
}

// snapshotDoc returns the rules a snapshot is read by: encoding/json/v2's
// (duplicate names and invalid UTF-8 refused), no unknown members, names
// matched regardless of case as encoding/json (v1) matched them, and the
// schema version checked as soon as it is read. The log groups and
// services are read in blocks (decodeInBlocks), the incoming-events series
// into slabs of their own (eventSlabs).
func snapshotDoc() jsonin.Doc {
	var slabs eventSlabs
	return jsonin.Doc{
		What: "snapshot object",
		Options: jsonv2.JoinOptions(
			jsonv2.RejectUnknownMembers(true),
			jsonv2.MatchCaseInsensitiveNames(true),
			jsonv2.WithUnmarshalers(jsonv2.JoinUnmarshalers(
				jsonv2.UnmarshalFromFunc(checkVersion),
				jsonv2.UnmarshalFromFunc(decodeInBlocks[LogGroup]),
				jsonv2.UnmarshalFromFunc(decodeInBlocks[Service]),
				jsonv2.UnmarshalFromFunc(slabs.decode),
			)),
		),
		Forms: seriesForm,
	}
}

// slabLen is the number of points in each slab of eventSlabs (512 KiB).
const slabLen = 64 << 10

// eventSlabs keeps the values of the log groups' incoming-events series
// apart from the other series, in slabs of slabLen points. Nothing in an
// analysis reads them (cwlens report releases them once the snapshot is
// read and validated): released, they free whole slabs, where values
// interleaved with the bytes series the analysis keeps would leave holes
// in every page that only series of the same size could fill (80 MB for
// 50,000 log groups).
type eventSlabs struct{ free []float64 }

// decode reads a series as Series.UnmarshalJSONFrom does and, when it is
// an events series, moves its values into a slab.
func (e *eventSlabs) decode(dec *jsontext.Decoder, s *Series) error {
	at := dec.StackPointer()
	if err := s.decodeAt(dec, at); err != nil {
		return err
	}
	name := at.LastToken()
	if !strings.EqualFold(name, "daily_incoming_events") && !strings.EqualFold(name, "hourly_incoming_events") {
		return nil
	}
	n := len(s.Values)
	if n == 0 || n > slabLen/8 {
		return nil
	}
	if len(e.free) < n {
		e.free = make([]float64, slabLen)
	}
	v := e.free[:n:n]
	copy(v, s.Values)
	s.Values, e.free = v, e.free[n:]
	return nil
}

// checkVersion reads the top-level schema_version and refuses any but
// SchemaVersion there and then: a newer file may add fields this reader
// does not know, and the version is the problem to name, not them. Other
// whole numbers are left to the decoder.
func checkVersion(dec *jsontext.Decoder, v *int) error {
	if !strings.EqualFold(string(dec.StackPointer()), "/schema_version") {
		return errors.ErrUnsupported
	}
	if dec.PeekKind() != '0' {
		return errors.ErrUnsupported // the decoder names the kind
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	raw := tok.String()
	if raw != strconv.Itoa(SchemaVersion) {
		return jsonin.Invalid("/schema_version", dec.InputOffset()-int64(len(raw)), raw, "unsupported schema version (this cwlens reads version %d)", SchemaVersion)
	}
	*v = SchemaVersion
	return nil
}

// blockLen is how many elements decodeInBlocks reads into each block.
const blockLen = 256

// decodeInBlocks reads the array of log groups or services into blocks of
// blockLen elements, then copies them into one slice of the exact length.
// Appending one by one (the decoder's way) regrows the slice about fifty
// times on the way to 50,000 log groups (22 MB): 125 MB of copies, each a
// large object wanting a contiguous range the freed ones seldom offer, so
// the process kept hundreds of MB of free pages. Anything but an array is
// left to the decoder (errors.ErrUnsupported), as are the elements.
func decodeInBlocks[T any](dec *jsontext.Decoder, v *[]T) error {
	if dec.PeekKind() != '[' {
		return errors.ErrUnsupported
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	var blocks [][]T
	n := 0
	for dec.PeekKind() != ']' {
		if len(blocks) == 0 || len(blocks[len(blocks)-1]) == blockLen {
			blocks = append(blocks, make([]T, 0, blockLen))
		}
		b := &blocks[len(blocks)-1]
		*b = (*b)[:len(*b)+1]
		if err := jsonv2.UnmarshalDecode(dec, &(*b)[len(*b)-1]); err != nil {
			return err
		}
		n++
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	out := make([]T, 0, n)
	for i, b := range blocks {
		out = append(out, b...)
		blocks[i] = nil
	}
	*v = out
	return nil
}

// inputError turns a *jsonin.Error into an *InputError of file name.
func inputError(err error, name string) error {
	var je *jsonin.Error
	if !errors.As(err, &je) {
		return err
	}
	return Inputf(name, je.Path, je.Value, "%s", je.Detail())
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
	head := *s
	head.LogGroups, head.Services = nil, nil
	hb, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return err
	}
	return jsonsplice.Write(w, joinScalarArrays(hb), []jsonsplice.Array{
		{Key: "log_groups", Depth: 1, Len: len(s.LogGroups), Nil: s.LogGroups == nil, Elem: func(i int) any { return &s.LogGroups[i] }},
		{Key: "services", Depth: 1, Len: len(s.Services), Nil: s.Services == nil, Elem: func(i int) any { return &s.Services[i] }},
	}, appendJoined)
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
