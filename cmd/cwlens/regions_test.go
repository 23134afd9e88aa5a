package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

// reRegioned writes the reference account with its Region set to region.
func reRegioned(t *testing.T, region string) string {
	t.Helper()
	snap := referenceSnapshot(t)
	snap.Region = region
	data, err := cwlens.EncodeSnapshot(snap)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), region+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRegionMissingFromBook: the reference account in a Region the price
// book lacks is reported with unknown totals in every format, never $0.
func TestRegionMissingFromBook(t *testing.T) {
	path := reRegioned(t, "ap-east-2")
	for _, f := range []string{"table", "markdown", "csv", "html", "json"} {
		r := run(t, "report", path, "--format", f)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", f, r.code, r.stderr)
		}
		switch f {
		case "json":
			var doc struct {
				Projection struct {
					Totals struct {
						Complete       bool            `json:"complete"`
						CurrentMonthly json.RawMessage `json:"current_monthly_usd"`
						UnknownLines   int             `json:"unknown_lines"`
					} `json:"totals"`
				} `json:"projection"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			tot := doc.Projection.Totals
			if tot.Complete || string(tot.CurrentMonthly) != "null" || tot.UnknownLines == 0 {
				t.Errorf("json totals: complete %v, current %s, %d unknown lines; want false, null, > 0", tot.Complete, tot.CurrentMonthly, tot.UnknownLines)
			}
		case "csv":
			if !strings.Contains(r.stdout, "\nprojection,total,,,,,,,,,,,,incomplete: unknown (") {
				t.Errorf("csv: the total row is not empty and incomplete:\n%s", r.stdout)
			}
		default:
			if !strings.Contains(r.stdout, "unknown (") {
				t.Errorf("%s: no unknown total:\n%s", f, r.stdout)
			}
			if strings.Contains(r.stdout, "$0.00") {
				t.Errorf("%s: shows $0.00 for an account it could not price", f)
			}
		}
	}
}
