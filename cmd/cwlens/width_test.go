package main

import (
	"encoding/csv"
	"os"
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
