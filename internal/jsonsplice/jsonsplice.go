// Package jsonsplice writes a large indented JSON document as a stream: the
// document is encoded with its big arrays left null (the head, small), and
// each array is written where its null stands, one element at a time. The
// output is what json.MarshalIndent(doc, "", "  ") writes, byte for byte,
// while memory holds one element at a time instead of the whole text and
// encoding/json's copies of it.
package jsonsplice

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Array is an array member of the document, null in the head.
type Array struct {
	Key string
	// Depth is how deep the object holding the member is: 1 for a member
	// of the document's own object, 2 for a member of one of its members.
	Depth int
	Len   int
	// Nil writes null, as encoding/json writes a nil slice; otherwise an
	// empty array is [].
	Nil  bool
	Elem func(i int) any // a pointer to the i-th element
}

// ErrMarker is returned, before anything is written, when an array's null
// is not found exactly once in the head at its depth. A raw newline never
// occurs inside a JSON string, so only another member of the same name at
// the same depth can cause it.
var ErrMarker = errors.New("jsonsplice: array member not found once in the head")

// marker is the member as the head holds it, e.g. "\n    \"lines\": null".
func (a *Array) marker() string {
	return "\n" + strings.Repeat("  ", a.Depth) + `"` + a.Key + `": null`
}

// Write writes head — json.MarshalIndent(doc, "", "  ") of the document
// with the arrays nil — with each array's null replaced by its elements,
// then a newline, as json.Encoder ends a value. post, when not nil,
// rewrites each element's indented text (appending to dst) before it is
// written.
func Write(w io.Writer, head []byte, arrays []Array, post func(dst, src []byte) []byte) error {
	type cut struct {
		at int
		a  *Array
	}
	var cuts []cut
	for i := range arrays {
		m := arrays[i].marker()
		at := bytes.Index(head, []byte(m))
		if at < 0 || bytes.Contains(head[at+len(m):], []byte(m)) {
			return fmt.Errorf("%w: %q", ErrMarker, arrays[i].Key)
		}
		cuts = append(cuts, cut{at + len(m) - len("null"), &arrays[i]})
	}
	slices.SortFunc(cuts, func(x, y cut) int { return x.at - y.at })

	s := &splicer{w: bufio.NewWriterSize(w, 64<<10), post: post}
	last := 0
	for _, c := range cuts {
		s.write(head[last:c.at])
		s.array(c.a)
		last = c.at + len("null")
	}
	s.write(head[last:])
	s.write([]byte{'\n'})
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// splicer writes the elements, reusing its buffers, and keeps the first
// error.
type splicer struct {
	w    *bufio.Writer
	post func(dst, src []byte) []byte
	elem bytes.Buffer
	out  []byte
	err  error
}

func (s *splicer) write(b []byte) {
	if s.err == nil {
		_, s.err = s.w.Write(b)
	}
}

func (s *splicer) array(a *Array) {
	switch {
	case a.Nil:
		s.write([]byte("null"))
		return
	case a.Len == 0:
		s.write([]byte("[]"))
		return
	}
	indent := strings.Repeat("  ", a.Depth+1)
	enc := json.NewEncoder(&s.elem)
	enc.SetIndent(indent, "  ")
	s.write([]byte("[\n"))
	for i := range a.Len {
		if s.err != nil {
			return
		}
		s.elem.Reset()
		if err := enc.Encode(a.Elem(i)); err != nil {
			s.err = err
			return
		}
		b := bytes.TrimSuffix(s.elem.Bytes(), []byte{'\n'}) // Encode ends each value with one
		if s.post != nil {
			s.out = s.post(s.out[:0], b)
			b = s.out
		}
		s.write([]byte(indent))
		s.write(b)
		if i < a.Len-1 {
			s.write([]byte(","))
		}
		s.write([]byte("\n"))
	}
	s.write([]byte(indent[2:] + "]"))
}
