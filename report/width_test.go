package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/text"
)

// TestTableFitsWidth: a report on an 80-column terminal has no
// line wider than 80 columns, keeps the findings' subjects and dollars, and
// hides the columns in the documented order (the sparklines first).
func TestTableFitsWidth(t *testing.T) {
	r := smallReport()
	for _, width := range []int{80, 100, 120} {
		var b bytes.Buffer
		if err := Write(&b, r, FormatTable, Options{Width: width}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for i, l := range strings.Split(out, "\n") {
			if w := text.RuneWidthWithoutEscSequences(l); w > width {
				t.Errorf("width %d: line %d is %d columns: %q", width, i+1, w, l)
			}
		}
		for _, want := range []string{"/ecs/small/api", "$/MONTH", "small/worker", "$28.50"} {
			if !strings.Contains(out, want) {
				t.Errorf("width %d: lacks %q", width, want)
			}
		}
		if width == 80 && (strings.Contains(out, "EVIDENCE") || strings.Contains(out, "DAILY INGESTION")) {
			t.Errorf("width 80 still shows the sparkline columns:\n%s", out)
		}
	}
	// No width: nothing hidden.
	var b bytes.Buffer
	if err := Write(&b, r, FormatTable, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "EVIDENCE") || !strings.Contains(b.String(), "DAILY INGESTION") {
		t.Error("without a width, columns are hidden")
	}
}
