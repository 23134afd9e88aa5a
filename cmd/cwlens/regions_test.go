package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

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

// TestReferenceInOtherRegions: the reference account re-Regioned prices
// every Fargate, Logs and metric-filter metric line in each Region the
// issue names, keyed as the bill writes it there, with a complete total in
// every format: no "unknown", never $0.
func TestReferenceInOtherRegions(t *testing.T) {
	for _, region := range []string{"us-east-1", "us-east-2", "eu-central-1", "ap-northeast-1", "sa-east-1", "eu-west-1"} {
		t.Run(region, func(t *testing.T) {
			path := reRegioned(t, region)
			r := run(t, "report", path, "--format", "json")
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			var doc struct {
				Projection struct {
					Lines []struct {
						UsageType      string `json:"usage_type"`
						CurrentMonthly string `json:"current_monthly_usd"`
					} `json:"lines"`
					Unknown []struct {
						UsageType string `json:"usage_type"`
					} `json:"unknown"`
					Totals struct {
						Complete       bool    `json:"complete"`
						UnknownLines   int     `json:"unknown_lines"`
						CurrentMonthly *string `json:"current_monthly_usd"`
						Text           string  `json:"text"`
					} `json:"totals"`
				} `json:"projection"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			p := doc.Projection
			if !p.Totals.Complete || p.Totals.UnknownLines != 0 || len(p.Unknown) != 0 || p.Totals.CurrentMonthly == nil {
				t.Fatalf("json totals %+v, unknown %+v; want complete", p.Totals, p.Unknown)
			}
			total := decimal.RequireFromString(*p.Totals.CurrentMonthly)
			if !total.IsPositive() || p.Totals.Text != "$"+total.StringFixed(2) {
				t.Fatalf("json total %s, text %q", total, p.Totals.Text)
			}
			priced := map[string]bool{}
			for _, l := range p.Lines {
				if l.UsageType != pricing.UsageType(region, strings.TrimPrefix(l.UsageType, mustPrefix(t, region)+"-")) {
					t.Errorf("line %s is not keyed as the bill writes it in %s", l.UsageType, region)
				}
				priced[l.UsageType] = true
			}
			for _, suffix := range []string{pricing.UsageFargateVCPU, pricing.UsageFargateGB, pricing.UsageSpotVCPU, pricing.UsageSpotGB,
				pricing.UsageLogsIngestion, pricing.UsageLogsStorage, pricing.UsageCustomMetrics} {
				if ut := pricing.UsageType(region, suffix); !priced[ut] {
					t.Errorf("no priced %s line", ut)
				}
			}
			for _, f := range []string{"table", "markdown", "html"} {
				out := run(t, "report", path, "--format", f).stdout
				if strings.Contains(out, "unknown (") || !strings.Contains(out, p.Totals.Text) {
					t.Errorf("%s: want the complete total %s and no unknown lines", f, p.Totals.Text)
				}
			}
			found := false
			for _, row := range csvRows(t, run(t, "report", path, "--format", "csv").stdout) {
				if row["section"] == "projection" && row["subject"] == "total" {
					found = row["note"] == "complete" && row["current_monthly_usd"] == total.String()
				}
				if row["section"] == "unknown_prices" {
					t.Errorf("csv: unknown price row %v", row)
				}
			}
			if !found {
				t.Errorf("csv: no complete total row of %s", total)
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
