package jsonin

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/go-json-experiment/json"
)

type inner struct {
	Count int       `json:"count"`
	When  time.Time `json:"when"`
	Tags  []string  `json:"tags"`
}

type doc struct {
	Name  string           `json:"name"`
	Items []inner          `json:"items"`
	Dims  map[string]inner `json:"dims"`
	Ratio float64          `json:"ratio"`
	On    bool             `json:"on"`
}

var strict = Doc{What: "test document", Options: json.JoinOptions(json.RejectUnknownMembers(true), json.MatchCaseInsensitiveNames(true))}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, "empty file: want a test document"},
		{"  \n ", "empty file: want a test document"},
		{`{"name":"a","name":"b"}`, `name: "name": duplicate member name (line 1, column 13)`},
		{"{\"name\":\"a\xff\"}", "name: \uFFFD: malformed JSON: "}, // never the bad byte itself
		{`{"items":[{"count":1},{"count":"2"}]}`, `items[1].count: "2": want a whole number, got a string (line 1, column 32)`},
		{`{"items":[{"count":1.5}]}`, `items[0].count: 1.5: want a whole number (line 1, column 20)`},
		{`{"items":[{"count":1e99}]}`, `items[0].count: 1e99: want a whole number (line 1, column 20)`},
		{"{\n  \"items\": [{\"when\": \"noon\"}]}", `items[0].when: "noon": not an RFC 3339 timestamp such as 2025-10-31T00:00:00Z (line 2, column 22)`},
		{`{"items":[{"when":5}]}`, `items[0].when: 5: want an RFC 3339 timestamp, got a number (line 1, column 19)`},
		{`{"items":{}}`, `items: {: want an array, got an object (line 1, column 10)`},
		{`{"items":[{"tags":[1]}]}`, `items[0].tags[0]: 1: want a string, got a number (line 1, column 20)`},
		{`{"dims":{"7":{"count":true}}}`, `dims.7.count: true: want a whole number, got a boolean (line 1, column 23)`},
		{`{"Items":[{"Cnt":1}]}`, `items[0].Cnt: "Cnt": unknown field (known: count, when, tags) (line 1, column 12)`},
		{`{"ratio":"NaN"}`, `ratio: "NaN": want a number, got a string (JSON has no NaN`},
		{`{"ratio":NaN}`, `ratio: NaN: malformed JSON: `},
		{`{"on":1}`, `on: 1: want true or false, got a number (line 1, column 7)`},
		{`{"name":"x"} {}`, `{: unexpected data after the test document (line 1, column 14)`},
		{"{\"name\":\"x\"}\n\n  x", `x: unexpected data after the test document (line 3, column 3)`},
		{`{"name":"x"`, `truncated JSON: the file ends inside this value (line 1, column 12)`},
		{`[1]`, `[: want an object, got an array (line 1, column 1)`},
	}
	for _, tt := range tests {
		var d doc
		err := strict.Decode(strings.NewReader(tt.in), &d)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Decode(%q) = %v, want an *Error", tt.in, err)
			continue
		}
		if !strings.HasPrefix(e.Error(), tt.want) {
			t.Errorf("Decode(%q)\n  = %q\nwant prefix %q", tt.in, e.Error(), tt.want)
		}
	}
}

// TestReadError: a failing reader is not the document's fault; its error
// comes back as it was.
func TestReadError(t *testing.T) {
	boom := errors.New("boom")
	var d doc
	err := strict.Decode(io.MultiReader(strings.NewReader(`{"name":`), iotest.ErrReader(boom)), &d)
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	var e *Error
	if errors.As(err, &e) {
		t.Fatalf("read error reported as bad content: %v", err)
	}
}

// TestPositionsPastTheWindow places problems megabytes into a stream, read a
// few bytes at a time: lines and columns stay right, and a problem behind
// the remembered window is placed by its byte.
func TestPositionsPastTheWindow(t *testing.T) {
	filler := strings.Repeat(`"abcdefghijklmnopqrstuvwxyz",`+"\n", 3*window/30) // ~3 MiB, one per line
	lines := strings.Count(filler, "\n")
	in := `{"items":[{"tags":[` + "\n" + filler + `7]}]}`
	var d doc
	err := strict.Decode(iotest.HalfReader(strings.NewReader(in)), &d)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v", err)
	}
	if want := "line " + strconv.Itoa(lines+2) + ", column 1"; e.Pos != want {
		t.Errorf("pos %q, want %q (%v)", e.Pos, want, err)
	}
	if want := "items[0].tags[" + strconv.Itoa(lines) + "]"; e.Path != want {
		t.Errorf("path %q, want %q", e.Path, want)
	}

	// One string longer than the window: its start is no longer kept.
	long := `{"name":` + strings.Repeat(" ", 10) + `"` + strings.Repeat("x", 3*window) + "\xff" + `"}`
	err = strict.Decode(strings.NewReader(long), &d)
	if !errors.As(err, &e) || !strings.HasPrefix(e.Pos, "line 1, column ") && !strings.HasPrefix(e.Pos, "byte ") {
		t.Fatalf("got %v", err)
	}
	tr := newTracker(strings.NewReader(strings.Repeat("a\n", 2*window)))
	if _, err := io.Copy(io.Discard, tr); err != nil {
		t.Fatal(err)
	}
	if got := tr.pos(5); got != "byte 6" {
		t.Errorf("pos before the window = %q, want byte 6", got)
	}
	if got := tr.pos(tr.end() - 1); got != "line "+strconv.Itoa(2*window)+", column 2" {
		t.Errorf("pos at the end = %q", got)
	}
}
