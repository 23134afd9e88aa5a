package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/pricing"
)

// reRegioned writes the reference account with its Region set to region.
func reRegioned(t *testing.T, region string) string {
	t.Helper()
	snap := referenceSnapshot(t)
	snap.Region = region
	// Its bill is us-east-1's (USE1- usage types, free-tier lines billed
	// at $0.00), which is not this Region's.
	snap.Bill = nil
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
			total := false
			for _, row := range csvRows(t, r.stdout) {
				if row["section"] == "projection" && row["subject"] == "total" {
					total = row["current_monthly_usd"] == "" && row["proposed_monthly_usd"] == "" && row["delta_monthly_usd"] == "" &&
						strings.HasPrefix(row["note"], "incomplete: unknown (")
				}
			}
			if !total {
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

// TestReferenceInOtherRegions: the reference account re-Regioned has every
// Fargate and Logs line priced where the book has the Region's prices,
// keyed in that Region; what the book lacks (custom metrics outside
// us-east-1, eu-central-1's Logs storage, sa-east-1's Logs) is "unknown" in
// every format, never $0.
func TestReferenceInOtherRegions(t *testing.T) {
	for _, c := range []struct {
		region       string
		logsUnpriced bool // the book lacks some of the Region's Logs prices
	}{
		{"us-east-1", false},
		{"us-east-2", false},
		{"eu-west-1", false},
		{"ap-northeast-1", false},
		{"eu-central-1", true},
		{"sa-east-1", true},
	} {
		t.Run(c.region, func(t *testing.T) {
			path := reRegioned(t, c.region)
			r := run(t, "report", path, "--format", "json")
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var doc struct {
				Projection struct {
					Lines []struct {
						UsageType string `json:"usage_type"`
					} `json:"lines"`
					Unknown []struct {
						UsageType string `json:"usage_type"`
					} `json:"unknown"`
					Totals struct {
						Complete       bool    `json:"complete"`
						CurrentMonthly *string `json:"current_monthly_usd"`
						Text           string  `json:"text"`
					} `json:"totals"`
				} `json:"projection"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			p := doc.Projection
			if p.Totals.CurrentMonthly == nil || *p.Totals.CurrentMonthly == "0" || p.Totals.Complete != (len(p.Unknown) == 0) {
				t.Fatalf("totals %+v with %d unknown", p.Totals, len(p.Unknown))
			}
			for _, l := range p.Lines {
				if l.UsageType != pricing.UsageType(c.region, strings.TrimPrefix(l.UsageType, mustPrefix(t, c.region)+"-")) {
					t.Errorf("line %s is not keyed as the bill writes it in %s", l.UsageType, c.region)
				}
			}
			logsUnknown := false
			for _, u := range p.Unknown {
				if strings.Contains(u.UsageType, "Fargate") {
					t.Errorf("Fargate line unknown in %s: %s", c.region, u.UsageType)
				}
				logsUnknown = logsUnknown || !strings.Contains(u.UsageType, "CW:")
			}
			if logsUnknown != c.logsUnpriced {
				t.Errorf("Logs lines unknown: %v, want %v (%+v)", logsUnknown, c.logsUnpriced, p.Unknown)
			}
			for _, f := range []string{"table", "markdown", "csv", "html"} {
				out := run(t, "report", path, "--format", f).stdout
				if strings.Contains(out, "unknown (") != !p.Totals.Complete {
					t.Errorf("%s: says unknown %v, want %v", f, !p.Totals.Complete, !p.Totals.Complete)
				}
			}
		})
	}
}

func mustPrefix(t *testing.T, region string) string {
	t.Helper()
	p, ok := pricing.RegionPrefix(region)
	if !ok {
		t.Fatalf("no prefix for %s", region)
	}
	return p
}
