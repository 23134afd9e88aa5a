package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func day(d int) time.Time { return time.Date(2025, 10, d, 0, 0, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// smallSnapshot is a hand-built account: one group flooding, one that never
// expires and misses its last day, a service on a mixed strategy with one
// utilisation series missing.
func smallSnapshot() *cwlens.Snapshot {
	nan := cwlens.Missing()
	daily := func(vals ...float64) cwlens.Series {
		return cwlens.Series{Start: day(25), Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: vals}
	}
	hourly := func(vals ...float64) cwlens.Series {
		return cwlens.Series{Start: day(31), Period: cwlens.Hour, Unit: cwlens.UnitPercent, Values: vals}
	}
	return &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion,
		AccountID:     "123456789012",
		AccountName:   "small",
		Region:        "us-east-1",
		CapturedAt:    time.Date(2025, 11, 1, 0, 5, 0, 0, time.UTC),
		Window:        cwlens.Window{Start: day(25), End: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)},
		LogGroups: []cwlens.LogGroup{
			{
				Name: "/ecs/small/api", Class: cwlens.ClassStandard, RetentionDays: ptr(7), StoredBytes: 202_400_000,
				DailyIncomingBytes: daily(2e6, 8e6, nan, 5e6, 555e6, 2_886e6, 1_900e6),
			},
			{
				Name: "/ecs/small/worker", Class: cwlens.ClassInfrequentAccess, StoredBytes: 3_910_000,
				DailyIncomingBytes: daily(1e6, 1e6, 1e6, 1e6, 1e6, 1e6, nan),
			},
		},
		Services: []cwlens.Service{
			{
				Cluster: "small", Name: "api", LaunchType: cwlens.LaunchFargate, CPUUnits: 2048, MemoryMiB: 4096,
				Architecture: cwlens.ArchX86_64, DesiredCount: 1, RunningCount: 1, LogGroup: "/ecs/small/api",
				CPUAverage: hourly(0.3, 0.4, nan), CPUMaximum: hourly(1, 3.6, nan),
				MemoryAverage: hourly(2, 2.2, 2.1), MemoryMaximum: hourly(2.3, 2.39, 2.2),
			},
			{
				Cluster: "small", Name: "worker", CPUUnits: 256, MemoryMiB: 512, Architecture: cwlens.ArchARM64,
				CapacityProviderStrategy: []cwlens.CapacityProviderItem{
					{CapacityProvider: cwlens.ProviderFargate, Base: 1, Weight: 1},
					{CapacityProvider: cwlens.ProviderSpot, Weight: 3},
				},
				DesiredCount: 1, RunningCount: 2,
				CPUAverage: hourly(4, 5, 6), CPUMaximum: hourly(5, 54.8, 7),
			},
		},
	}
}

func smallFindings() []cwlens.Finding {
	s := smallSnapshot()
	return []cwlens.Finding{
		{
			Kind: cwlens.KindNoRetention, Subject: "/ecs/small/worker", Severity: cwlens.SeverityLow, Start: day(25),
			Summary: "/ecs/small/worker never expires its events", Impact: &cwlens.Impact{StoredBytes: 3_910_000},
		},
		{
			Kind: cwlens.KindIngestionLevelShift, Subject: "/ecs/small/api", Severity: cwlens.SeverityCritical, Start: day(29),
			Summary:  "daily ingestion rose from 5 MB to 1.9 GB (x380) since 2025-10-29",
			Evidence: cwlens.Evidence{Baseline: 5e6, Observed: 1.9e9, Ratio: 380, Unit: cwlens.UnitBytes, Series: &s.LogGroups[0].DailyIncomingBytes},
			Impact:   &cwlens.Impact{IngestedBytesPerMonth: 57e9}, MonthlyCostUSD: ptr(dec("28.5")),
		},
		{
			Kind: cwlens.KindDeploymentChurn, Subject: "small/worker", Severity: cwlens.SeverityMedium, Start: time.Date(2025, 10, 31, 14, 0, 0, 0, time.UTC),
			Summary: "2 tasks running for 1 desired", Evidence: cwlens.Evidence{Observed: 2, Baseline: 1, Unit: cwlens.UnitCount},
		},
	}
}

func smallProjection() *cwlens.Projection {
	return &cwlens.Projection{
		Region: "us-east-1", PricesAsOf: day(28), HoursPerMonth: 730,
		Lines: []cwlens.ProjectionLine{
			{
				Subject: "small/api", Component: "vCPU", UsageType: "USE1-Fargate-vCPU-Hours:perCPU", Unit: "vCPU-Hours",
				CurrentQuantity: dec("1460"), ProposedQuantity: dec("182.5"), CurrentPrice: dec("0.04048"), ProposedPrice: dec("0.04048"),
				CurrentMonthly: dec("59.1008"), ProposedMonthly: dec("7.3876"), Change: "resize to 256/512",
			},
			{
				Subject: "small/worker", Component: "memory", UsageType: "USE1-Fargate-GB-Hours", ProposedUsageType: "USE1-SpotUsage-Fargate-GB-Hours",
				Unit: "GB-Hours", CurrentQuantity: dec("365"), ProposedQuantity: dec("365"), CurrentPrice: dec("0.004445"),
				ProposedPrice: dec("0.00140"), CurrentMonthly: dec("1.622425"), ProposedMonthly: dec("0.511"),
			},
		},
		CurrentMonthly: dec("60.723225"), ProposedMonthly: dec("7.8986"),
		Rejected: []cwlens.RejectedChange{{
			Subject: "small/worker", Change: "memory 768 MiB", Reason: "0.25 vCPU takes 512, 1024 or 2048 MiB",
			Alternative: "256/1024", AlternativeMonthly: ptr(dec("11.6617")),
		}},
		Unknown:     []cwlens.UnknownPrice{{Subject: "small/api", UsageType: "USE1-Fargate-EphemeralStorage-GB-Hours", Reason: "not in the price book"}},
		Assumptions: []string{"prices us-east-1 as of 2025-10-28", "730 hours per month", "1 GB = 10^9 bytes"},
	}
}

// at is mid-day on the last day, so the last whole day is Oct 30.
var at = time.Date(2025, 10, 31, 12, 0, 0, 0, time.UTC)

func smallReport() *Report {
	return New(smallSnapshot(), at, smallFindings(), smallProjection())
}

// referenceReport is the report of the reference account at the end of its
// window, without findings or prices.
func referenceReport(t *testing.T) *Report {
	t.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	return New(snap, snap.Window.End, nil, nil)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report -update rewrites it); got:\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name   string
		report *Report
		format Format
		opts   Options
	}{
		{"small.table.golden", smallReport(), FormatTable, Options{}},
		{"small.color.golden", smallReport(), FormatTable, Options{Color: true}},
		{"small.md.golden", smallReport(), FormatMarkdown, Options{}},
		{"small.csv.golden", smallReport(), FormatCSV, Options{}},
		{"small.json.golden", smallReport(), FormatJSON, Options{}},
		{"small-findings.table.golden", smallReport(), FormatTable, Options{Sections: SectionFindings}},
		{"reference.table.golden", referenceReport(t), FormatTable, Options{}},
		{"reference.md.golden", referenceReport(t), FormatMarkdown, Options{}},
		{"reference.csv.golden", referenceReport(t), FormatCSV, Options{}},
		{"reference.json.golden", referenceReport(t), FormatJSON, Options{}},
		{"empty.table.golden", New(&cwlens.Snapshot{AccountID: "123456789012", Region: "eu-west-1"}, time.Time{}, nil, nil), FormatTable, Options{}},
	}
	// go-pretty turns colour off process-wide when NO_COLOR or TERM=dumb is
	// set; the colour golden must not depend on the environment of the test.
	text.EnableColors()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, c.report, c.format, c.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, c.name, b.Bytes())
		})
	}
}

func TestNoColorWithoutOption(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, smallReport(), FormatTable, Options{}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("\x1b[")) {
		t.Error("table without Options.Color contains ANSI escapes")
	}
}

func TestNewInventory(t *testing.T) {
	r := smallReport()
	api, worker := r.Inventory.LogGroups[0], r.Inventory.LogGroups[1]
	if api.LastDay == nil || !api.LastDay.Equal(day(30)) {
		t.Errorf("last day = %v, want 2025-10-30 (the last whole day before %v)", api.LastDay, at)
	}
	if api.LastDayIngestedBytes == nil || *api.LastDayIngestedBytes != 2_886e6 {
		t.Errorf("api last-day bytes = %v, want 2886e6", api.LastDayIngestedBytes)
	}
	if worker.RetentionDays != nil {
		t.Errorf("worker retention = %v, want nil (never expires)", *worker.RetentionDays)
	}
	if got := api.DailyIngestedBytes.Len(); got != 6 {
		t.Errorf("api daily series has %d points up to %v, want 6 (Oct 25..30, the days ended by then)", got, at)
	}
	svc := r.Inventory.Services[0]
	if svc.CPUAvgPercent == nil || *svc.CPUAvgPercent != 0.35 {
		t.Errorf("cpu avg = %v, want 0.35 (missing point left out, not counted as 0)", svc.CPUAvgPercent)
	}
	if svc.CPUMaxPercent == nil || *svc.CPUMaxPercent != 3.6 {
		t.Errorf("cpu max = %v, want 3.6", svc.CPUMaxPercent)
	}
	w := r.Inventory.Services[1]
	if w.MemoryAvgPercent != nil || w.MemoryMaxPercent != nil {
		t.Errorf("worker memory = %v/%v, want nil: the snapshot has no series", w.MemoryAvgPercent, w.MemoryMaxPercent)
	}
	if want := "FARGATE base 1 weight 1 + FARGATE_SPOT weight 3"; w.Capacity != want {
		t.Errorf("capacity = %q, want %q", w.Capacity, want)
	}
	if sev, ok := r.MaxSeverity(); !ok || sev != cwlens.SeverityCritical {
		t.Errorf("MaxSeverity = %v, %v; want critical", sev, ok)
	}
	if got := []cwlens.Severity{r.Findings[0].Severity, r.Findings[1].Severity, r.Findings[2].Severity}; got[0] < got[1] || got[1] < got[2] {
		t.Errorf("findings not most severe first: %v", got)
	}
}

func TestNewCopiesSnapshot(t *testing.T) {
	s := smallSnapshot()
	r := New(s, at, nil, nil)
	s.LogGroups[0].DailyIncomingBytes.Values[0] = 99
	if r.Inventory.LogGroups[0].DailyIngestedBytes.Values[0] == 99 {
		t.Error("report shares the snapshot's series")
	}
}

func TestJSONSchema(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, smallReport(), FormatJSON, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema    string                       `json:"schema"`
		Findings  []map[string]json.RawMessage `json:"findings"`
		Inventory struct {
			LogGroups []map[string]json.RawMessage `json:"log_groups"`
		} `json:"inventory"`
		Projection struct {
			Lines []map[string]json.RawMessage `json:"lines"`
			Cur   json.RawMessage              `json:"current_monthly_usd"`
			Prop  json.RawMessage              `json:"proposed_monthly_usd"`
			Delta json.RawMessage              `json:"delta_monthly_usd"`
		} `json:"projection"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("report is not valid JSON: %v", err)
	}
	if doc.Schema != Schema {
		t.Errorf("schema = %q", doc.Schema)
	}
	// Money is a decimal string, never a JSON number that a reader would
	// parse into a float.
	for name, raw := range map[string]json.RawMessage{"current": doc.Projection.Cur, "proposed": doc.Projection.Prop, "delta": doc.Projection.Delta} {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Errorf("%s total %s is not a JSON string", name, raw)
		}
	}
	if got := string(doc.Projection.Cur); got != `"60.723225"` {
		t.Errorf("current total = %s, want the exact \"60.723225\"", got)
	}
	if got := string(doc.Projection.Lines[1]["delta_monthly_usd"]); got != `"-1.111425"` {
		t.Errorf("line delta = %s, want \"-1.111425\"", got)
	}
	byKind := map[string]string{}
	for _, f := range doc.Findings {
		for _, key := range []string{"kind", "subject", "severity", "start", "summary", "evidence", "monthly_cost_impact_usd"} {
			if _, ok := f[key]; !ok {
				t.Errorf("finding %s has no %s", f["kind"], key)
			}
		}
		var kind string
		json.Unmarshal(f["kind"], &kind)
		byKind[kind] = string(f["monthly_cost_impact_usd"])
	}
	if byKind["ingestion_level_shift"] != `"28.5"` || byKind["no_retention"] != "null" {
		t.Errorf("finding costs = %v, want \"28.5\" and null (unknown)", byKind)
	}
	if got := string(doc.Inventory.LogGroups[1]["retention_days"]); got != "null" {
		t.Errorf("never-expiring group retention_days = %s, want null", got)
	}
}

func TestJSONEmptyArrays(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, New(&cwlens.Snapshot{}, time.Time{}, nil, nil), FormatJSON, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"findings": []`, `"gaps": []`, `"projection": null`, `"log_groups": []`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b.String())
		}
	}
}

func TestCSVParses(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, smallReport(), FormatCSV, Options{}); err != nil {
		t.Fatal(err)
	}
	rd := csv.NewReader(&b)
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range recs {
		count[r[0]]++
	}
	// 2 log groups, 2 services, 3 findings, 2 lines + total, 1 unknown
	// price, under one header.
	want := map[string]int{"section": 1, "log_groups": 2, "services": 2, "findings": 3, "projection": 3, "unknown_prices": 1}
	for k, v := range want {
		if count[k] != v {
			t.Errorf("%d %q rows, want %d (all: %v)", count[k], k, v, count)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(strings.ToUpper(string(f))); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("yaml"); err == nil || !strings.Contains(err.Error(), "table, json, csv, markdown") {
		t.Errorf("ParseFormat(yaml) error = %v, want one naming the formats", err)
	}
}

// csvRecords reads the CSV report s as rows keyed by its one header, and
// checks that every row has the header's columns.
func csvRecords(t *testing.T, s string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(s)).ReadAll() // one width for all rows
	if err != nil {
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
