package cwlens

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// locate finds the first problem encoding/json met in data and reports it as
// an *InputError naming the JSON path, the offending value, and the line and
// column. encoding/json alone gives a byte offset for syntax errors, a dotted
// path without indices for type errors and no place at all for unknown
// fields, so the snapshot is walked token by token against the Snapshot type
// to say where the problem is. The walk runs only after decoding failed; a
// good file is decoded once, at full speed.
func locate(data []byte, name string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := &walker{dec: dec, data: data, name: name}
	err := w.value(reflect.TypeOf(Snapshot{}), "")
	if err == nil {
		tok, terr := dec.Token()
		switch {
		case terr == io.EOF:
			return nil
		case terr != nil:
			err = w.tokenError(terr, "")
		default:
			err = w.failf("", tokenText(tok), "unexpected data after the snapshot object")
		}
	}
	return err
}

var (
	typeSeries = reflect.TypeOf(Series{})
	typeTime   = reflect.TypeOf(time.Time{})
)

// walker reads a snapshot token by token, knowing at each step the JSON
// path it is in and the Go type the value should decode into.
type walker struct {
	dec  *json.Decoder
	data []byte
	name string
}

// at renders where the token just read starts as "line L, column C".
func (w *walker) at() string { return lineCol(w.data, w.tokenStart()) }

// tokenStart returns the offset of the first byte of the token the decoder
// returned last.
func (w *walker) tokenStart() int64 {
	end := int(w.dec.InputOffset())
	if end <= 0 || end > len(w.data) {
		return int64(end)
	}
	i := end - 1
	switch c := w.data[i]; {
	case c == '"':
		for i--; i >= 0; i-- {
			if w.data[i] != '"' {
				continue
			}
			slashes := 0
			for k := i - 1; k >= 0 && w.data[k] == '\\'; k-- {
				slashes++
			}
			if slashes%2 == 0 {
				break
			}
		}
	case isWordByte(c):
		for i > 0 && isWordByte(w.data[i-1]) {
			i--
		}
	}
	return int64(max(i, 0))
}

func (w *walker) failf(path, value, format string, args ...any) error {
	return Inputf(w.name, path, value, "%s (%s)", fmt.Sprintf(format, args...), w.at())
}

// tokenError reports a failure to read the next token while reading path.
func (w *walker) tokenError(err error, path string) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		bad := badText(w.data, syn.Offset)
		hint := ""
		if v := strings.TrimLeft(strings.ToLower(bad), "+-"); v == "nan" || strings.HasPrefix(v, "inf") {
			hint = " (JSON has no NaN or Infinity; write null for a missing point)"
		}
		return Inputf(w.name, path, bad, "malformed JSON at %s: %v%s", lineCol(w.data, syn.Offset), err, hint)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Inputf(w.name, path, "", "truncated JSON: the file ends inside this value (%s)", lineCol(w.data, int64(len(w.data))))
	}
	return Inputf(w.name, path, "", "%v", err)
}

// badText returns the word at or after a syntax error's offset: the token
// the decoder choked on, e.g. NaN or Infinity.
func badText(data []byte, off int64) string {
	i := int(off) - 1
	if i < 0 {
		i = 0
	}
	for i < len(data) && !isWordByte(data[i]) && strings.IndexByte(" \t\r\n,:[{", data[i]) >= 0 {
		i++
	}
	if i >= len(data) {
		return ""
	}
	for i > 0 && isWordByte(data[i-1]) {
		i--
	}
	j := i + 1
	for j < len(data) && j-i < 24 && isWordByte(data[j]) {
		j++
	}
	return string(data[i:j])
}

func isWordByte(c byte) bool {
	return c == '-' || c == '+' || c == '.' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func tokenText(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		return string(v)
	case string:
		return strconv.Quote(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

func kindOf(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (w *walker) next(path string) (json.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, w.tokenError(err, path)
	}
	return tok, nil
}

// value walks one JSON value that is to be decoded into a t.
func (w *walker) value(t reflect.Type, path string) error {
	if t == typeSeries {
		return w.series(path)
	}
	tok, err := w.next(path)
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // encoding/json leaves the zero value; Validate judges it
	}
	return w.valueFrom(tok, t, path)
}

func (w *walker) valueFrom(tok json.Token, t reflect.Type, path string) error {
	if t == typeTime {
		s, ok := tok.(string)
		if !ok {
			return w.skipAndFail(tok, path, "want an RFC 3339 timestamp, got %s", kindOf(tok))
		}
		var tt time.Time
		if err := tt.UnmarshalText([]byte(s)); err != nil {
			return w.failf(path, strconv.Quote(s), "not an RFC 3339 timestamp such as 2025-10-31T00:00:00Z")
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return w.valueFrom(tok, t.Elem(), path)
	case reflect.Struct:
		if tok != json.Delim('{') {
			return w.skipAndFail(tok, path, "want an object, got %s", kindOf(tok))
		}
		return w.object(t, path)
	case reflect.Slice:
		if tok != json.Delim('[') {
			return w.skipAndFail(tok, path, "want an array, got %s", kindOf(tok))
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		_, err := w.next(path)
		return err
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return w.skipAndFail(tok, path, "want a string, got %s", kindOf(tok))
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return w.skipAndFail(tok, path, "want true or false, got %s", kindOf(tok))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return w.skipAndFail(tok, path, "want a whole number, got %s", kindOf(tok))
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); errors.Is(err, strconv.ErrRange) {
			return w.failf(path, string(n), "number out of range")
		} else if err != nil {
			return w.failf(path, string(n), "want a whole number")
		}
	case reflect.Float32, reflect.Float64:
		return w.number(tok, path)
	default:
		return w.skip(tok)
	}
	return nil
}

// number checks a token that must be a finite number.
func (w *walker) number(tok json.Token, path string) error {
	n, ok := tok.(json.Number)
	if !ok {
		return w.skipAndFail(tok, path, "want a number, got %s (JSON has no NaN or Infinity; write null for a missing point)", kindOf(tok))
	}
	if _, err := strconv.ParseFloat(string(n), 64); err != nil {
		return w.failf(path, string(n), "number out of range")
	}
	return nil
}

// skipAndFail reports a value of the wrong kind. The rest of the value is
// not read: the walk stops at the first problem.
func (w *walker) skipAndFail(tok json.Token, path, format string, args ...any) error {
	return w.failf(path, tokenText(tok), format, args...)
}

// skip consumes the rest of a value whose first token was tok.
func (w *walker) skip(tok json.Token) error {
	d, ok := tok.(json.Delim)
	if !ok || d == '}' || d == ']' {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := w.next("")
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// object walks the members of an object decoded into struct type t, after
// its '{'.
func (w *walker) object(t reflect.Type, path string) error {
	fields := jsonFields(t)
	for w.dec.More() {
		tok, err := w.next(path)
		if err != nil {
			return err
		}
		key := tok.(string) // the decoder guarantees object keys are strings
		f, ok := lookupField(fields, key)
		if !ok {
			return w.failf(join(path, key), strconv.Quote(key), "unknown field (known: %s)", fieldList(fields))
		}
		if err := w.value(f, join(path, key)); err != nil {
			return err
		}
		if path == "" && strings.EqualFold(key, "schema_version") {
			// A newer file may add fields this reader does not know: say
			// that the version is the problem before naming any of them.
			if err := w.checkVersion(); err != nil {
				return err
			}
		}
	}
	_, err := w.next(path)
	return err
}

// checkVersion rejects a schema version other than SchemaVersion as soon as
// it has been read.
func (w *walker) checkVersion() error {
	end := w.dec.InputOffset()
	start := bytes.LastIndexByte(w.data[:end], ':') + 1
	v := strings.TrimSpace(string(w.data[start:end]))
	if v != strconv.Itoa(SchemaVersion) {
		return w.failf("schema_version", v, "unsupported schema version (this cwlens reads version %d)", SchemaVersion)
	}
	return nil
}

// lookupField finds key among fields as encoding/json does: the exact name,
// else one that differs only in case. A walk stricter than the decoder
// would report, in a file with another problem, a key the decoder accepts.
func lookupField(fields map[string]reflect.Type, key string) (reflect.Type, bool) {
	if t, ok := fields[key]; ok {
		return t, true
	}
	for name, t := range fields {
		if strings.EqualFold(name, key) {
			return t, true
		}
	}
	return nil, false
}

// canonicalKey returns the field name key stands for.
func canonicalKey(fields map[string]reflect.Type, key string) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return name
		}
	}
	return key
}

// jsonFields maps the JSON names of t's fields to their types, exactly as
// spelled: a key that differs only in case is reported as unknown.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}

func fieldList(fields map[string]reflect.Type) string {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// seriesFields are the members a series object may have.
var seriesFields = map[string]reflect.Type{
	"start":          typeTime,
	"period_seconds": reflect.TypeOf(int64(0)),
	"unit":           reflect.TypeOf(""),
	"values":         nil, // numbers or null
	"points":         nil, // [timestamp, number or null] pairs
	"end":            typeTime,
}

// series walks a series object, then lets Series.UnmarshalJSON judge what a
// token walk cannot (both forms at once, points out of order), prefixing
// the series' path to the place it names.
func (w *walker) series(path string) error {
	begin := w.dec.InputOffset()
	tok, err := w.next(path)
	if err != nil || tok == nil {
		return err
	}
	if tok != json.Delim('{') {
		return w.skipAndFail(tok, path, "want a series object {start, period_seconds, unit, values}, got %s", kindOf(tok))
	}
	for w.dec.More() {
		tok, err := w.next(path)
		if err != nil {
			return err
		}
		key := tok.(string)
		p := join(path, key)
		t, ok := lookupField(seriesFields, key)
		if ok {
			key = canonicalKey(seriesFields, key)
			p = join(path, key)
		}
		switch {
		case !ok:
			return w.failf(p, strconv.Quote(key), "unknown field (known: %s)", fieldList(seriesFields))
		case key == "values":
			err = w.values(p)
		case key == "points":
			err = w.array(p, func(i int, p string) error {
				return w.array(p, func(j int, p string) error {
					switch j {
					case 0:
						return w.value(typeTime, p)
					case 1:
						return w.point(p)
					}
					return w.failf(p, "", "a point is [timestamp, value]: two elements")
				})
			})
		default:
			err = w.value(t, p)
		}
		if err != nil {
			return err
		}
	}
	if _, err := w.next(path); err != nil {
		return err
	}
	raw := bytes.TrimLeft(w.data[begin:w.dec.InputOffset()], " \t\r\n:,")
	var s Series
	if err := s.UnmarshalJSON(raw); err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return Inputf(w.name, join(path, ie.Where), ie.Value, "%v (series at %s)", ie.Err, lineCol(w.data, int64(len(w.data[:w.dec.InputOffset()])-len(raw))))
		}
		return w.failf(path, "", "%v", err)
	}
	return nil
}

// point walks one series value: a finite number or null.
func (w *walker) point(path string) error {
	tok, err := w.next(path)
	if err != nil || tok == nil {
		return err
	}
	return w.number(tok, path)
}

// array walks an array (or null), calling elem for each element.
func (w *walker) array(path string, elem func(i int, path string) error) error {
	tok, err := w.next(path)
	if err != nil || tok == nil {
		return err
	}
	if tok != json.Delim('[') {
		return w.skipAndFail(tok, path, "want an array, got %s", kindOf(tok))
	}
	for i := 0; w.dec.More(); i++ {
		if err := elem(i, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	_, err = w.next(path)
	return err
}

// values checks a values array with scanPoints, which is much faster than a
// token walk over millions of points, then skips it in the decoder.
func (w *walker) values(path string) error {
	off := int(w.dec.InputOffset())
	for off < len(w.data) && strings.IndexByte(" \t\r\n:", w.data[off]) >= 0 {
		off++
	}
	if off < len(w.data) && w.data[off] == 'n' { // null, or a syntax error the decoder names
		_, err := w.next(path)
		return err
	}
	if _, n, err := scanPoints(w.data[off:]); err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return Inputf(w.name, path+strings.TrimPrefix(ie.Where, "values"), ie.Value, "%v (%s)", ie.Err, lineCol(w.data, int64(off+n)))
		}
		return err
	}
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return w.tokenError(err, path)
	}
	return nil
}
