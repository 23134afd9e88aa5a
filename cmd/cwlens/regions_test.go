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

// reRegioned writes the reference account with its Region set to region,
// after any changes to its snapshot.
func reRegioned(t *testing.T, region string, change ...func(*cwlens.Snapshot)) string {
	t.Helper()
	snap := referenceSnapshot(t)
	snap.Region = region
	for _, c := range change {
		c(snap)
	}
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
			p := reportProjection(t, path)
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

// jsonProjection is the part of `report --format json` these tests read.
type jsonProjection struct {
	Lines []struct {
		Subject        string `json:"subject"`
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
}

// reportProjection runs `report --format json` on the snapshot at path.
func reportProjection(t *testing.T, path string) jsonProjection {
	t.Helper()
	r := run(t, "report", path, "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Projection jsonProjection `json:"projection"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Projection
}

func mustPrefix(t *testing.T, region string) string {
	t.Helper()
	p, ok := pricing.RegionPrefix(region)
	if !ok {
		t.Fatalf("no prefix for %s", region)
	}
	return p
}

// TestARMOutsideUSEast1: the reference account with every service on
// Graviton (ARM64) and on-demand Fargate, in Regions other than us-east-1,
// prices each service's ARM vCPU and memory at the book's figure for that
// Region (read from AWS's Fargate pricing-page price file of 2025-06-05),
// with a complete total: no line unknown.
func TestARMOutsideUSEast1(t *testing.T) {
	allARM := func(s *cwlens.Snapshot) {
		for i := range s.Services {
			s.Services[i].Architecture = cwlens.ArchARM64
			s.Services[i].CapacityProviderStrategy = nil
			s.Services[i].LaunchType = cwlens.LaunchFargate
		}
	}
	// The facilitator runs 2 vCPU and 4 GB, one task, 730 hours a month:
	// its lines' exact cost.
	for _, c := range []struct{ region, vcpu, gb string }{
		{"eu-west-1", "47.2748", "10.3952"},          // 1460 × 0.03238, 2920 × 0.00356
		{"ap-southeast-1", "59.057", "12.9064"},      // 1460 × 0.04045, 2920 × 0.00442
		{"ap-south-1", "34.7918", "7.6212"},          // 1460 × 0.02383, 2920 × 0.00261
		{"il-central-1", "60.5192192", "13.2909056"}, // 1460 × 0.04145152, 2920 × 0.00455168
	} {
		t.Run(c.region, func(t *testing.T) {
			p := reportProjection(t, reRegioned(t, c.region, allARM))
			if !p.Totals.Complete || len(p.Unknown) != 0 {
				t.Fatalf("totals complete %v, unknown %+v; want every line priced", p.Totals.Complete, p.Unknown)
			}
			vcpu, gb := pricing.UsageType(c.region, pricing.UsageFargateARMVCPU), pricing.UsageType(c.region, pricing.UsageFargateARMGB)
			got := map[string]string{}
			arm := map[string]int{}
			for _, l := range p.Lines {
				switch l.UsageType {
				case vcpu, gb:
					arm[l.Subject]++
				case pricing.UsageType(c.region, pricing.UsageFargateVCPU), pricing.UsageType(c.region, pricing.UsageFargateGB):
					t.Errorf("%s priced as x86 (%s)", l.Subject, l.UsageType)
				}
				if l.Subject == "karmacadabra-prod/facilitator" {
					got[l.UsageType] = l.CurrentMonthly
				}
			}
			if len(arm) != 8 {
				t.Errorf("ARM lines for %d services (%v), want all 8", len(arm), arm)
			}
			// The report gives each line in cents.
			for ut, exact := range map[string]string{vcpu: c.vcpu, gb: c.gb} {
				want := decimal.RequireFromString(exact).Round(2)
				if g, err := decimal.NewFromString(got[ut]); err != nil || !g.Equal(want) {
					t.Errorf("facilitator %s = %q, want %s (%s)", ut, got[ut], want.StringFixed(2), exact)
				}
			}
		})
	}
}

// TestWindowsAndStorageOutsideUSEast1: the reference account, on on-demand
// Fargate, with its facilitator on Windows and its validator given 50 GiB of
// ephemeral storage, in Regions other than us-east-1, prices the Windows
// vCPU, memory and OS licence and the storage above the free 20 GiB at the
// book's figures for that Region (read from AWS's Fargate pricing-page price
// file of 2025-06-05), with a complete total: no line unknown.
func TestWindowsAndStorageOutsideUSEast1(t *testing.T) {
	change := func(s *cwlens.Snapshot) {
		for i := range s.Services {
			s.Services[i].CapacityProviderStrategy = nil
			s.Services[i].LaunchType = cwlens.LaunchFargate
			switch s.Services[i].Name {
			case "facilitator":
				s.Services[i].OperatingSystem = "WINDOWS_SERVER_2022_CORE"
			case "validator":
				s.Services[i].EphemeralStorageGiB = 50
			}
		}
	}
	// The facilitator runs 2 vCPU and 4 GB, one task, 730 hours a month;
	// the validator 30 GiB above the free 20, one task: their lines' exact
	// cost.
	for _, c := range []struct{ region, vcpu, gb, os, storage string }{
		{"eu-west-1", "67.96592", "14.92631", "67.16", "2.6718"},          // 1460 × 0.046552, 2920 × 0.00511175, 1460 × 0.046, 21900 × 0.000122
		{"ap-southeast-1", "84.89024", "18.56974", "67.16", "2.9127"},     // 1460 × 0.058144, 2920 × 0.0063595, 1460 × 0.046, 21900 × 0.000133
		{"mx-central-1", "71.364216", "15.6726255", "70.518", "2.552445"}, // 1460 × 0.0488796, 2920 × 0.0053673375, 1460 × 0.0483, 21900 × 0.00011655
	} {
		t.Run(c.region, func(t *testing.T) {
			p := reportProjection(t, reRegioned(t, c.region, change))
			if !p.Totals.Complete || len(p.Unknown) != 0 {
				t.Fatalf("totals complete %v, unknown %+v; want every line priced", p.Totals.Complete, p.Unknown)
			}
			want := map[string]map[string]string{
				"karmacadabra-prod/facilitator": {
					pricing.UsageType(c.region, pricing.UsageFargateWinVCPU): c.vcpu,
					pricing.UsageType(c.region, pricing.UsageFargateWinGB):   c.gb,
					pricing.UsageType(c.region, pricing.UsageFargateWinOS):   c.os,
				},
				"karmacadabra-prod/validator": {pricing.UsageType(c.region, pricing.UsageEphemeralStorage): c.storage},
			}
			got := map[string]map[string]string{}
			for _, l := range p.Lines {
				if want[l.Subject] == nil {
					continue
				}
				if got[l.Subject] == nil {
					got[l.Subject] = map[string]string{}
				}
				got[l.Subject][l.UsageType] = l.CurrentMonthly
			}
			if lin := got["karmacadabra-prod/facilitator"][pricing.UsageType(c.region, pricing.UsageFargateVCPU)]; lin != "" {
				t.Errorf("Windows facilitator also priced as Linux: %s", lin)
			}
			for subject, lines := range want {
				// The report gives each line in cents.
				for ut, exact := range lines {
					want := decimal.RequireFromString(exact).Round(2)
					if g, err := decimal.NewFromString(got[subject][ut]); err != nil || !g.Equal(want) {
						t.Errorf("%s %s = %q, want %s (%s)", subject, ut, got[subject][ut], want.StringFixed(2), exact)
					}
				}
			}
		})
	}
}
