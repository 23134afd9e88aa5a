package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/cwlens/cwlens"
)

// plainJSON is the report as json.Encoder writes it in one piece: what the
// streaming EncodeJSON must equal.
func plainJSON(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withSkipped is a document embedding the report, as the scheduled run
// writes it.
type withSkipped struct {
	*Report
	Skipped []string `json:"skipped,omitempty"`
}

// withClash adds a member named as a streamed array, at the same depth.
type withClash struct {
	*Report
	Extra struct {
		Lines []int `json:"lines"`
	} `json:"extra"`
}

func TestEncodeJSONStreamsThePlainEncoding(t *testing.T) {
	unpriced := smallReport()
	unpriced.Projection = nil
	empty := smallReport()
	empty.Findings, empty.Inventory.LogGroups, empty.Inventory.Services = []cwlens.Finding{}, nil, []Service{}
	tests := []struct {
		name string
		r    *Report
		wrap func(*Report) any
	}{
		{"small", smallReport(), nil},
		{"reference", referenceReport(t), nil},
		{"unpriced", unpriced, nil},
		{"empty and nil arrays", empty, nil},
		{"wrapped with a member of its own", smallReport(), func(r *Report) any { return withSkipped{r, []string{"alert: <dry run>"}} }},
		{"a clashing member falls back to the whole encoding", smallReport(), func(r *Report) any { return withClash{Report: r} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			if err := EncodeJSON(&got, tt.r, tt.wrap); err != nil {
				t.Fatal(err)
			}
			var want []byte
			if tt.wrap == nil {
				want = plainJSON(t, tt.r)
			} else {
				want = plainJSON(t, tt.wrap(tt.r))
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("streamed JSON differs:\n%s\n---\n%s", got.Bytes(), want)
			}
		})
	}
}

type failAfter struct{ n int }

var errFull = errors.New("no space left")

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errFull
	}
	w.n -= len(p)
	return len(p), nil
}

func TestEncodeJSONReportsWriteErrors(t *testing.T) {
	r := referenceReport(t)
	n := len(plainJSON(t, r))
	for _, at := range []int{0, n / 2, n - 1} {
		if err := EncodeJSON(&failAfter{n: at}, r, nil); !errors.Is(err, errFull) {
			t.Errorf("failing after %d of %d bytes: got %v", at, n, err)
		}
	}
	if err := EncodeJSON(io.Discard, r, nil); err != nil {
		t.Fatal(err)
	}
}
