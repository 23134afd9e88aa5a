// Package jsonin reads JSON input on encoding/json/v2 rules (through
// github.com/go-json-experiment/json, which is the standard library's
// encoding/json/v2 from Go 1.27) and reports the first problem with its
// place: the path of the value, the value as written, and its line and
// column.
//
// The rules are v2's: a duplicate member name and invalid UTF-8 are errors,
// and the input is read as a stream, never whole. The place comes from the
// decoder (a JSON Pointer and a byte offset); this package turns them into
// a dotted path and a line and column.
package jsonin

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Error is a problem in a JSON document.
type Error struct {
	Path  string // e.g. log_groups[0].values[1]; "" for the document itself
	Value string // the offending value as written; "" when there is none
	Msg   string // what is wrong
	Pos   string // "line L, column C", or "byte N" past the remembered window
}

func (e *Error) Error() string {
	s := e.Detail()
	if e.Value != "" {
		s = e.Value + ": " + s
	}
	if e.Path != "" {
		s = e.Path + ": " + s
	}
	return s
}

// Detail is the message and the position, "want a string (line 3, column 9)".
func (e *Error) Detail() string {
	if e.Pos == "" {
		return e.Msg
	}
	return e.Msg + " (" + e.Pos + ")"
}

// Doc describes a kind of document and how to read it.
type Doc struct {
	What    string       // names the document in messages: "snapshot object"
	Options json.Options // the v2 options beyond the defaults, if any

	// Forms maps a type that decodes itself (json.UnmarshalerFrom) to the
	// struct type its JSON has, so that a path through it names members as
	// the struct declares them.
	Forms map[reflect.Type]reflect.Type
}

// Decode reads one JSON value from r into v, and then only white space. A
// problem with the content is an *Error; an error reading r is returned as
// r returned it.
func (d Doc) Decode(r io.Reader, v any) error {
	in := newTracker(r)
	dec := jsontext.NewDecoder(in)
	var opts []json.Options
	if d.Options != nil {
		opts = append(opts, d.Options)
	}
	err := json.UnmarshalDecode(dec, v, opts...)
	if err == nil {
		end := dec.InputOffset()
		_, err = dec.ReadToken()
		if err == io.EOF {
			return nil
		}
		if ioErr := readError(err); ioErr != nil {
			return ioErr
		}
		// Anything after the document, a value or not, is refused at its
		// first byte.
		off := in.skipSpace(end)
		return &Error{Value: in.word(off), Msg: "unexpected data after the " + d.What, Pos: in.pos(off)}
	}
	if err == io.EOF {
		return &Error{Msg: "empty file: want a " + d.What}
	}
	if ioErr := readError(err); ioErr != nil {
		return ioErr
	}
	p := placer{in, d.Forms, reflect.TypeOf(v)}
	return p.place(err)
}

// placer turns an error of the decoder into an *Error.
type placer struct {
	in    *tracker
	forms map[reflect.Type]reflect.Type
	root  reflect.Type
}

// readError returns the error of the reader inside err, if that is what
// err is.
func readError(err error) error {
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	var inv *invalid
	if err == nil || errors.As(err, &syn) || errors.As(err, &sem) || errors.As(err, &inv) || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil
	}
	return err
}

// Invalid returns the error a decoding method returns for a value it
// refuses: the value at ptr, starting at byte offset off, is value (as
// written) and the problem is the formatted message. The place travels
// inside the error: the decoder would put it at the start of the method's
// whole value.
func Invalid(ptr jsontext.Pointer, off int64, value, format string, args ...any) error {
	return &invalid{ptr, off, value, fmt.Sprintf(format, args...)}
}

// invalid is the problem Invalid carries through the decoder.
type invalid struct {
	ptr        jsontext.Pointer
	off        int64
	value, msg string
}

// Error is what encoding/json (v1) shows, which may call the method too.
func (e *invalid) Error() string {
	return (&Error{Path: placer{}.path(e.ptr), Value: e.value, Msg: e.msg}).Error()
}

// NoNaN is the hint for a value that is not a JSON number.
const NoNaN = "JSON has no NaN or Infinity; write null for a missing point"

// place turns an error of the decoder into an *Error.
func (p placer) place(err error) error {
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	var inv *invalid
	switch {
	case errors.As(err, &inv):
		// A method may give the offset before the ':' or ',' that leads
		// to its value: place the value itself.
		return &Error{Path: p.path(inv.ptr), Value: inv.value, Msg: inv.msg, Pos: p.in.pos(p.in.skipDelims(inv.off))}
	case errors.As(err, &syn):
		return p.syntax(syn)
	case errors.As(err, &sem):
		return p.semantic(sem)
	}
	return &Error{Msg: err.Error()}
}

func (p placer) syntax(e *jsontext.SyntacticError) error {
	t := p.in
	out := &Error{Path: p.path(e.JSONPointer), Pos: t.pos(e.ByteOffset)}
	switch {
	case errors.Is(e.Err, io.ErrUnexpectedEOF):
		out.Msg = "truncated JSON: the file ends inside this value"
		out.Pos = t.pos(t.end())
	case errors.Is(e.Err, jsontext.ErrDuplicateName):
		out.Msg = "duplicate member name"
		out.Value = t.word(e.ByteOffset)
	default:
		out.Value = t.word(e.ByteOffset)
		out.Msg = "malformed JSON: " + e.Err.Error()
		if v := strings.TrimLeft(strings.ToLower(out.Value), "+-"); v == "nan" || strings.HasPrefix(v, "inf") {
			out.Msg += " (" + NoNaN + ")"
		}
	}
	return out
}

func (p placer) semantic(e *json.SemanticError) error {
	t := p.in
	out := &Error{Path: p.path(e.JSONPointer), Pos: t.pos(e.ByteOffset)}
	switch {
	case errors.Is(e.Err, json.ErrUnknownName):
		out.Value = strconv.Quote(e.JSONPointer.LastToken())
		out.Msg = "unknown field (known: " + strings.Join(fieldNames(p.known(e.GoType)), ", ") + ")"
	default:
		out.Value = valueText(e, t)
		out.Msg = typeProblem(e)
	}
	return out
}

// valueText is the offending value as written: the number or string, or
// the first character of an array or object.
func valueText(e *json.SemanticError, t *tracker) string {
	switch e.JSONKind {
	case '"', '0':
		if len(e.JSONValue) > 0 {
			return string(e.JSONValue)
		}
		return t.word(e.ByteOffset)
	case 0:
		return ""
	}
	return e.JSONKind.String()
}

var timeType = reflect.TypeFor[time.Time]()

// typeProblem says what a value of the wrong kind or range should be.
func typeProblem(e *json.SemanticError) string {
	got := kindName(e.JSONKind)
	t := e.GoType
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == nil:
		return errText(e.Err)
	case t == timeType && e.JSONKind == '"':
		return "not an RFC 3339 timestamp such as 2025-10-31T00:00:00Z"
	case t == timeType:
		return "want an RFC 3339 timestamp, got " + got
	case e.Err != nil && errors.Is(e.Err, strconv.ErrRange):
		return "number out of range"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "want an object, got " + got
	case reflect.Slice, reflect.Array:
		return "want an array, got " + got
	case reflect.String:
		return "want a string, got " + got
	case reflect.Bool:
		return "want true or false, got " + got
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if e.JSONKind == '0' {
			return "want a whole number"
		}
		return "want a whole number, got " + got
	case reflect.Float32, reflect.Float64:
		return "want a number, got " + got + " (" + NoNaN + ")"
	}
	return errText(e.Err)
}

func errText(err error) string {
	if err == nil {
		return "cannot be read"
	}
	return err.Error()
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "nothing"
}

// path writes a JSON Pointer as the dotted path messages use:
// /log_groups/0/values/3 is log_groups[0].values[3]. Names are matched to
// the Go types along the way, so a member written in another case is named
// as declared. A token of digits alone under a type not known is taken for
// an array index.
func (p placer) path(ptr jsontext.Pointer) string {
	var b strings.Builder
	t := p.root
	for tok := range ptr.Tokens() {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if f, ok := p.forms[t]; ok {
			t = f
		}
		index := tok != "" && strings.Trim(tok, "0123456789") == ""
		switch {
		case t == nil:
		case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
			index, t = true, t.Elem()
		case t.Kind() == reflect.Map:
			index, t = false, t.Elem()
		case t.Kind() == reflect.Struct:
			if name, ft := field(t, tok); ft != nil {
				index, tok, t = false, name, ft
			} else {
				t = nil // a type that decodes itself: digits are an index
			}
		default:
			t = nil
		}
		if index {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// field finds member name of struct type t as v2 matches it here (the name
// declared, else one that differs in case alone) and returns the declared
// name and the field's type; name and nil when there is none.
func field(t reflect.Type, name string) (string, reflect.Type) {
	var fold reflect.Type
	folded := name
	for i := range t.NumField() {
		f := t.Field(i)
		n := jsonName(f)
		switch {
		case n == name:
			return n, f.Type
		case n != "" && fold == nil && strings.EqualFold(n, name):
			folded, fold = n, f.Type
		}
	}
	return folded, fold
}

// jsonName is the member name of field f, "" when it has none.
func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	if tag == "-" || !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name
}

// fieldNames lists the JSON names of struct type t's fields in the order
// they are declared.
func fieldNames(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		if n := jsonName(t.Field(i)); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// known is t, or the form t decodes from.
func (p placer) known(t reflect.Type) reflect.Type {
	if f, ok := p.forms[t]; ok {
		return f
	}
	return t
}
