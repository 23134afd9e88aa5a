package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/text"
)

// The goldens are the report without a width: a COLUMNS exported by the
// shell that runs the tests must not narrow them.
func init() { os.Unsetenv("COLUMNS") }

// TestWidth80: the demo on an 80-column terminal (--width 80, or COLUMNS=80
// for standard output) has no line wider than 80 columns and still names
// the flood and its cost.
func TestWidth80(t *testing.T) {
	check := func(name string, r result) {
		t.Helper()
		if r.code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, r.code, r.stderr)
		}
		for i, l := range strings.Split(r.stdout, "\n") {
			if w := text.RuneWidthWithoutEscSequences(l); w > 80 {
				t.Errorf("%s: line %d is %d columns: %q", name, i+1, w, l)
			}
		}
		for _, want := range []string{"/ecs/karmacadabra-prod/facilitator", "$/MONTH", "Monthly cost projection"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s: lacks %q", name, want)
			}
		}
	}
	check("--width 80", run(t, "demo", "--width", "80"))
	t.Setenv("COLUMNS", "80")
	check("COLUMNS=80", run(t, "demo"))
	if r := run(t, "demo", "--width", "-1"); r.code != exitFailed || !strings.Contains(r.stderr, "--width -1") {
		t.Errorf("--width -1: exit %d, %q", r.code, r.stderr)
	}
}

// csvRows reads a CSV report as rows keyed by its one header.
func csvRows(t *testing.T, s string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("csv: %v\n%s", err, s)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

// TestReconcileWidth: the reconciliation at each width has no line wider
// than the width and every explanation's words in order: in the table when
// its column is readable, as numbered notes under it when not (README:
// "Narrow terminals").
func TestReconcileWidth(t *testing.T) {
	j := run(t, "reconcile", reference, "--format", "json")
	if j.code != exitOK {
		t.Fatalf("json: exit %d: %s", j.code, j.stderr)
	}
	var doc struct {
		Reconciliation struct {
			Rows []struct {
				UsageType    string   `json:"usage_type"`
				Explanations []string `json:"explanations"`
			} `json:"rows"`
		} `json:"reconciliation"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Reconciliation.Rows) == 0 {
		t.Fatal("the reference reconciliation has no rows")
	}
	for _, c := range []struct {
		width  int
		column string // the header of the explanations' column
	}{{80, "NOTE"}, {100, "NOTE"}, {120, "NOTE"}, {240, "EXPLANATION"}} {
		r := run(t, "reconcile", reference, "--width", strconv.Itoa(c.width))
		if r.code != exitOK {
			t.Fatalf("width %d: exit %d: %s", c.width, r.code, r.stderr)
		}
		for i, l := range strings.Split(r.stdout, "\n") {
			if w := text.RuneWidthWithoutEscSequences(l); w > c.width {
				t.Errorf("width %d: line %d is %d columns: %q", c.width, i+1, w, l)
			}
		}
		if !strings.Contains(r.stdout, "│ "+c.column) {
			t.Errorf("width %d: no %s column:\n%s", c.width, c.column, r.stdout)
		}
		words := strings.Fields(strings.ReplaceAll(r.stdout, "│", " "))
		for _, row := range doc.Reconciliation.Rows {
			want := strings.Fields(strings.Join(row.Explanations, "; "))
			if len(want) == 0 {
				t.Fatalf("%s has no explanation", row.UsageType)
			}
			if !inOrder(words, want) {
				t.Errorf("width %d: the explanation of %s is not all there, in order:\n%s", c.width, row.UsageType, r.stdout)
			}
		}
	}
}

// inOrder reports whether want is a subsequence of words.
func inOrder(words, want []string) bool {
	for _, w := range words {
		if len(want) > 0 && w == want[0] {
			want = want[1:]
		}
	}
	return len(want) == 0
}
