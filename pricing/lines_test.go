package pricing

import (
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

// TestNewBillLines: a Lambda log group, an Infrequent Access group, a
// data-protected group, metric filters with and without dimensions and a
// Windows service are each priced with their own usage type (or listed as
// unknown where the count is not known), never as $0.
func TestNewBillLines(t *testing.T) {
	snap := refSnapshot()
	base := snap.LogGroups[1]
	lambda := base
	lambda.Name = "/aws/lambda/settle"
	ia := base
	ia.Name = "/ecs/karmacadabra-prod/archive"
	ia.Class = cwlens.ClassInfrequentAccess
	protected := base
	protected.Name = "/ecs/karmacadabra-prod/payments"
	protected.DataProtectionStatus = cwlens.DataProtectionActivated
	counts := cwlens.Series{Start: snap.Window.End.Add(-3 * cwlens.Hour), Period: cwlens.Hour, Unit: cwlens.UnitCount, Values: []float64{0, 4, 1}}
	protected.MetricFilters = []cwlens.MetricFilter{
		{Name: "errors", MetricNamespace: "pay", MetricName: "Errors", MetricValue: "1", Counts: counts},
		{Name: "by-status", MetricNamespace: "pay", MetricName: "ByStatus", MetricValue: "1", Counts: counts, Dimensions: map[string]string{"status": "$.status"}},
		{Name: "quiet", MetricNamespace: "pay", MetricName: "Quiet", MetricValue: "1", Counts: cwlens.Series{Start: counts.Start, Period: cwlens.Hour, Values: []float64{0, 0, 0}}},
	}
	snap.LogGroups = append(snap.LogGroups, lambda, ia, protected)
	win := snap.Services[1]
	win.Name, win.CPUUnits, win.MemoryMiB, win.OperatingSystem = "reports", 1024, 2048, "WINDOWS_SERVER_2022_CORE"
	snap.Services = append(snap.Services, win)

	p, err := Project(snap, nil, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"/aws/lambda/settle":              {"VendedLog-Bytes", "TimedStorage-ByteHrs"},
		"/ecs/karmacadabra-prod/archive":  {"DataProcessingIA-Bytes", "TimedStorage-IA-ByteHrs"},
		"/ecs/karmacadabra-prod/payments": {"DataProcessing-Bytes", "TimedStorage-ByteHrs", "CW:MetricMonitorUsage", "DataProtection-Bytes"},
		"karmacadabra-prod/reports":       {"USE1-Fargate-Windows-vCPU-Hours:perCPU", "USE1-Fargate-Windows-GB-Hours", "USE1-Fargate-Windows-OS-Hours:perCPU"},
	}
	for subject, types := range want {
		lines := subjectLines(p, subject)
		var got []string
		for _, l := range lines {
			got = append(got, l.UsageType)
			if !l.CurrentPrice.IsPositive() {
				t.Errorf("%s %s priced at %s", subject, l.UsageType, l.CurrentPrice)
			}
		}
		if strings.Join(got, " ") != strings.Join(types, " ") {
			t.Errorf("%s: lines %v, want %v", subject, got, types)
		}
	}
	// 1 vCPU × 730 h × ($0.046552 + $0.046 licence) + 2 GB × 730 h × $0.00511175
	// (AWS's Fargate price file of 2025-06-05).
	if cur, _ := sumLines(subjectLines(p, "karmacadabra-prod/reports")); cur.StringFixed(2) != "75.02" {
		t.Errorf("Windows service = %s, want 33.98 + 33.58 + 7.46", cur)
	}
	if l := subjectLines(p, "karmacadabra-prod/reports"); len(l) == 0 || !strings.Contains(l[0].Note, "billed at least 5 minutes each (Linux: 1)") {
		t.Errorf("Windows service note does not state the 5-minute minimum: %+v", l)
	}
	linux := subjectLines(p, "karmacadabra-prod/facilitator")
	if len(linux) == 0 {
		t.Fatal("no facilitator lines")
	}
	for _, l := range linux {
		if strings.Contains(l.Note, "minutes each") {
			t.Errorf("Linux service note states the Windows minimum: %q", l.Note)
		}
	}
	for _, l := range subjectLines(p, "/aws/lambda/settle") {
		if l.UsageType == "VendedLog-Bytes" && !strings.Contains(l.Note, "tiered over the account's monthly volume") {
			t.Errorf("vended line note = %q", l.Note)
		}
	}
	for _, l := range subjectLines(p, "/ecs/karmacadabra-prod/payments") {
		if l.UsageType == "DataProtection-Bytes" && !l.CurrentMonthly.Equal(l.CurrentQuantity.Mul(dec(t, "0.12")).Round(2)) {
			t.Errorf("data protection = %s GB → %s", l.CurrentQuantity, l.CurrentMonthly)
		}
		if l.UsageType == "CW:MetricMonitorUsage" && (!strings.Contains(l.Note, "pay/Errors") || l.CurrentMonthly.StringFixed(2) != "0.30") {
			t.Errorf("custom metric = %+v", l)
		}
	}
	// The dimensioned filter's metrics cannot be counted: unknown, not $0;
	// the filter that never matched publishes nothing and costs nothing.
	if !hasUnknownReason(p, "/ecs/karmacadabra-prod/payments", "CW:MetricMonitorUsage", "status") {
		t.Errorf("dimensioned filter not unknown: %+v", p.Unknown)
	}
	for _, l := range p.Lines {
		if strings.Contains(l.Note, "pay/Quiet") {
			t.Errorf("a filter that published nothing is priced: %+v", l)
		}
	}
	checkTotals(t, p)
}

// TestVendedLogTiers: vended log groups are priced over the account's
// vended volume, band by band; the lines add up to the tiered cost.
func TestVendedLogTiers(t *testing.T) {
	snap := refSnapshot()
	snap.LogGroups = snap.LogGroups[:0]
	for _, name := range []string{"/aws/lambda/a", "/aws/vendedlogs/states/b"} {
		g := refSnapshot().LogGroups[0]
		g.Name = name
		// 200 TB a day each: 6,083,333 GB a month together, deep in the
		// last band.
		for i := range g.DailyIncomingBytes.Values {
			g.DailyIncomingBytes.Values[i] = 100e12
		}
		for i := range g.HourlyIncomingBytes.Values {
			g.HourlyIncomingBytes.Values[i] = 100e12 / 24
		}
		snap.LogGroups = append(snap.LogGroups, g)
	}
	snap.Services = nil
	p, err := Project(snap, nil, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []cwlens.ProjectionLine
	for _, l := range p.Lines {
		if l.UsageType == "VendedLog-Bytes" {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("vended lines %+v", lines)
	}
	total := lines[0].CurrentQuantity.Add(lines[1].CurrentQuantity)
	vended, _ := Default().Lookup("us-east-1", UsageVendedLogs)
	cost, _ := TieredCost(vended, total)
	sum, _ := sumLines(lines)
	if d := sum.Sub(Cents(cost)).Abs(); d.GreaterThan(dec(t, "0.01")) {
		t.Errorf("lines add to %s, tiered cost %s", sum, Cents(cost))
	}
	if !lines[0].CurrentPrice.LessThan(dec(t, "0.06")) || !strings.Contains(lines[0].Note, "× $0.05") {
		t.Errorf("rate %s, note %q: want the bands' average, near the last band's $0.05", lines[0].CurrentPrice, lines[0].Note)
	}
}

func hasUnknownReason(p *cwlens.Projection, subject, usageType, reason string) bool {
	for _, u := range p.Unknown {
		if u.Subject == subject && u.UsageType == usageType && strings.Contains(u.Reason, reason) {
			return true
		}
	}
	return false
}

// TestScanCostAssumption: the projection states what the scan's own
// GetMetricData requests cost, and says so where the price is unknown.
func TestScanCostAssumption(t *testing.T) {
	snap := refSnapshot()
	// 2 groups × (daily + hourly bytes) = 4 series.
	if n := ScanMetrics(snap); n != 4 {
		t.Errorf("ScanMetrics = %d, want 4", n)
	}
	p, err := Project(snap, nil, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	last := p.Assumptions[len(p.Assumptions)-1]
	if !strings.Contains(last, "at least 4 metrics") || !strings.Contains(last, "$0.00001 each (CW:GMD-Metrics") || !strings.Contains(last, "about $0.00004 a scan, $0.001217 a month") {
		t.Errorf("scan cost: %q", last)
	}
	snap.Region = "sa-east-1"
	p, err = Project(snap, nil, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if last := p.Assumptions[len(p.Assumptions)-1]; !strings.Contains(last, "SAE1-CW:GMD-Metrics) is not in the book") {
		t.Errorf("scan cost in sa-east-1: %q", last)
	}
}

// TestStorageUnknownKeepsIngestion: where the book has a Region's
// ingestion price but not its storage price (eu-central-1), ingestion is
// priced and storage alone is unknown, also under a retention change.
func TestStorageUnknownKeepsIngestion(t *testing.T) {
	snap := refSnapshot()
	snap.Region = "eu-central-1"
	sc, err := ParseScenario([]byte("changes:\n  - log_group: /ecs/karmacadabra-prod/facilitator\n    retention_days: 3\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Project(snap, sc, defaultWithout("eu-central-1", UsageLogsStorage), Options{})
	if err != nil {
		t.Fatal(err)
	}
	fl := subjectLines(p, "/ecs/karmacadabra-prod/facilitator")
	if len(fl) != 1 || fl[0].UsageType != "EUC1-DataProcessing-Bytes" || !fl[0].CurrentPrice.Equal(dec(t, "0.63")) || !fl[0].CurrentMonthly.IsPositive() {
		t.Fatalf("facilitator lines %+v", fl)
	}
	if !hasUnknownReason(p, "/ecs/karmacadabra-prod/facilitator", "EUC1-TimedStorage-ByteHrs", "storage cost unknown") {
		t.Errorf("storage not unknown: %+v", p.Unknown)
	}
	checkTotals(t, p)
}
