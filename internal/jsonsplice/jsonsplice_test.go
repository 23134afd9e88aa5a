package jsonsplice

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

type item struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

type inner struct {
	Items []item `json:"items"`
	Count int    `json:"count"`
}

type doc struct {
	Title string                `json:"title"`
	Top   []item                `json:"top"`
	Inner inner                 `json:"inner"`
	Deep  struct{ Inner inner } `json:"deep"`
	Tail  *string               `json:"tail"`
}

func indented(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteEqualsMarshalIndent(t *testing.T) {
	items := []item{{"a<b>", []string{"x", "y"}}, {"c", nil}, {"d", []string{}}}
	tail := "end"
	tests := []struct {
		name       string
		top, inner []item
		deep       []item
	}{
		{"all filled", items, items[:2], items[1:]},
		{"nil arrays", nil, nil, nil},
		{"empty arrays", []item{}, []item{}, []item{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full := doc{Title: "t", Top: tt.top, Inner: inner{Items: tt.inner, Count: 2}, Tail: &tail}
			full.Deep.Inner.Items = tt.deep
			head := full
			head.Top, head.Inner.Items, head.Deep.Inner.Items = nil, nil, nil
			arrays := []Array{
				// Out of document order: Write sorts them.
				{Key: "items", Depth: 3, Len: len(tt.deep), Nil: tt.deep == nil, Elem: func(i int) any { return &tt.deep[i] }},
				{Key: "top", Depth: 1, Len: len(tt.top), Nil: tt.top == nil, Elem: func(i int) any { return &tt.top[i] }},
				{Key: "items", Depth: 2, Len: len(tt.inner), Nil: tt.inner == nil, Elem: func(i int) any { return &tt.inner[i] }},
			}
			var got bytes.Buffer
			if err := Write(&got, indented(t, head), arrays, nil); err != nil {
				t.Fatal(err)
			}
			if want := append(indented(t, full), '\n'); !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("got\n%s\nwant\n%s", got.Bytes(), want)
			}
		})
	}
}

func TestWriteRefusesAnAmbiguousOrMissingMember(t *testing.T) {
	head := indented(t, map[string]any{"a": map[string]any{"x": nil}, "b": map[string]any{"x": nil}})
	for _, a := range []Array{{Key: "x", Depth: 2, Nil: true}, {Key: "y", Depth: 1, Nil: true}} {
		var out bytes.Buffer
		if err := Write(&out, head, []Array{a}, nil); !errors.Is(err, ErrMarker) || out.Len() != 0 {
			t.Errorf("%s at depth %d: got %v and %d bytes written", a.Key, a.Depth, err, out.Len())
		}
	}
}

func TestWritePost(t *testing.T) {
	v := []int{1, 2}
	head := indented(t, map[string]any{"v": nil})
	upper := func(dst, src []byte) []byte { return append(append(dst, src...), '!') }
	var out bytes.Buffer
	err := Write(&out, head, []Array{{Key: "v", Depth: 1, Len: 2, Elem: func(i int) any { return &v[i] }}}, upper)
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"v\": [\n    1!,\n    2!\n  ]\n}\n"; out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}
