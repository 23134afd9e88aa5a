package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens/reconcile"
	"github.com/shopspring/decimal"
)

func testReconciliation() *reconcile.Reconciliation {
	d := decimal.RequireFromString
	pct := d("-16.1")
	return &reconcile.Reconciliation{
		Start: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC),
		CoveredDays: 31, MonthDays: 31,
		Rows: []reconcile.Row{
			{Service: "AmazonCloudWatch", UsageType: "CW:Requests", Unit: "Requests", BilledQuantity: d("37000"), BilledCost: d("0.37"),
				NetAmortized: d("0.37"), Difference: d("0.37"), Explanations: []string{reconcile.NotModelled}},
			{Service: "AmazonCloudWatch", UsageType: "DataProcessing-Bytes", Unit: "GB", Modelled: true, ModelQuantity: d("31"),
				ModelCost: d("15.5"), BilledQuantity: d("31"), BilledCost: d("13"), NetAmortized: d("13"), Difference: d("-2.5"),
				Percent: &pct, Explanations: []string{"free tier: the first 5 GB of Logs ingestion a month are not billed ($2.50)"}},
		},
		ModelCost: d("15.5"), BilledCost: d("13.37"), NetAmortized: d("13.37"), Difference: d("-2.13"),
	}
}

// TestReconciliationSection: the table, Markdown and CSV formats show every
// usage type of the billed month, not-modelled ones too, with the totals;
// JSON carries it as reconciliation; a report without a bill has none.
func TestReconciliationSection(t *testing.T) {
	r := smallReport()
	r.Reconciliation = testReconciliation()
	for _, f := range []Format{FormatTable, FormatMarkdown} {
		var b bytes.Buffer
		if err := Write(&b, r, f, Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, want := range []string{"Bill and model, October 2025 (31 of 31 days in the snapshot)", "CW:Requests", "not modelled",
			"DataProcessing-Bytes", "-$2.50 (-16.1 %)", "free tier", "$13.37", "$15.50", "-$2.13"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: no %q in\n%s", f, want, out)
			}
		}
	}

	// A total of -99.96 %, rounded to one decimal: the CSV keeps the
	// decimal the table shows.
	whole := decimal.RequireFromString("-100.0")
	r.Reconciliation.Percent = &whole
	var c bytes.Buffer
	if err := Write(&c, r, FormatCSV, Options{}); err != nil {
		t.Fatal(err)
	}
	got := csvSection(t, c.Bytes(), "reconciliation", "month", "service", "usage_type", "modelled", "billed_cost_usd", "model_cost_usd",
		"difference_usd", "difference_percent")
	want := []string{"2025-10|AmazonCloudWatch|CW:Requests|false|0.37|0|0.37|", "2025-10|AmazonCloudWatch|DataProcessing-Bytes|true|13|15.5|-2.5|-16.1",
		"2025-10|total|||13.37|15.5|-2.13|-100.0"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("CSV reconciliation rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	var b bytes.Buffer
	if err := Write(&b, r, FormatJSON, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Reconciliation *reconcile.Reconciliation `json:"reconciliation"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Reconciliation == nil || len(doc.Reconciliation.Rows) != 2 || !doc.Reconciliation.BilledCost.Equal(decimal.RequireFromString("13.37")) {
		t.Errorf("JSON reconciliation = %+v", doc.Reconciliation)
	}

	b.Reset()
	if err := Write(&b, smallReport(), FormatJSON, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `"reconciliation"`) {
		t.Error("a report without a bill carries a reconciliation")
	}
}

// csvSection returns the rows of a CSV report's section, each its named
// columns joined with "|".
func csvSection(t *testing.T, data []byte, section string, cols ...string) []string {
	t.Helper()
	var out []string
	for _, row := range csvRecords(t, string(data)) {
		if row["section"] != section {
			continue
		}
		cells := make([]string, len(cols))
		for i, c := range cols {
			v, ok := row[c]
			if !ok {
				t.Fatalf("no column %s in %v", c, row)
			}
			cells[i] = v
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

// TestReconciliationHTML: the page shows the section, and each of its
// figures equals the JSON's at its pointer (4 totals, 6 a modelled row, 4
// a row without a model).
func TestReconciliationHTML(t *testing.T) {
	r := htmlFixtureReport()
	before := checkFiguresMatchJSON(t, renderHTML(t, r), renderJSON(t, r))
	r.Reconciliation = testReconciliation()
	page := renderHTML(t, r)
	after := checkFiguresMatchJSON(t, page, renderJSON(t, r))
	if after-before != 4+6+4 {
		t.Errorf("%d figures more with the reconciliation, want 14", after-before)
	}
	for _, want := range []string{`id="reconciliation"`, "Bill and model, October 2025", "CW:Requests", "not modelled", "free tier"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page has no %q", want)
		}
	}
}

// TestReconciliationTableLayout: the table wraps a long explanation at word
// boundaries (as the findings' summary), and right-aligns the total's
// money as the rows'.
func TestReconciliationTableLayout(t *testing.T) {
	r := smallReport()
	r.Reconciliation = testReconciliation()
	long := "Savings Plan: 5208 of 5210.2667 GB-Hours covered: on-demand $23.15 cancelled in unblended (SavingsPlanNegation), " +
		"amortized at $18.52 (80 % of list); the Plan's fee is billed outside ECS, under Savings Plans for AWS Compute usage (-$23.15)"
	r.Reconciliation.Rows[1].Explanations = []string{long}
	var b bytes.Buffer
	if err := Write(&b, r, FormatTable, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	var wrapped []string
	var footer []string
	for i, l := range lines {
		cells := strings.Split(l, "│")
		if len(cells) < 10 {
			continue
		}
		if strings.Contains(l, "DataProcessing-Bytes") {
			for _, c := range lines[i:] {
				cs := strings.Split(c, "│")
				if len(cs) < 10 || (c != l && strings.TrimSpace(cs[2]) != "") {
					break
				}
				wrapped = append(wrapped, strings.TrimSpace(cs[9]))
			}
		}
		if strings.TrimSpace(cells[1]) == "TOTAL" {
			footer = cells
		}
	}
	if len(wrapped) < 2 {
		t.Fatalf("explanation not wrapped: %q\n%s", wrapped, b.String())
	}
	if got := strings.Join(wrapped, " "); got != long {
		t.Errorf("explanation wrapped mid-word:\n%s\nwant the lines to join with spaces into\n%s", strings.Join(wrapped, "\n"), long)
	}
	if footer == nil {
		t.Fatalf("no TOTAL row in\n%s", b.String())
	}
	for _, c := range footer[2:9] {
		if strings.Contains(c, "$") && strings.HasSuffix(c, "  ") {
			t.Errorf("total's money cell %q is not right-aligned in\n%s", c, b.String())
		}
	}
}

// TestWrapUsageType: a usage type too wide for its column breaks after a
// hyphen or a colon, and a part wider than the column is cut.
func TestWrapUsageType(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  string
	}{
		{"USE1-Fargate-GB-Hours", 40, "USE1-Fargate-GB-Hours"},
		{"USE1-SpotUsage-Fargate-vCPU-Hours:perCPU", 28, "USE1-SpotUsage-Fargate-vCPU-\nHours:perCPU"},
		{"USE1-Fargate-vCPU-Hours:perCPU", 26, "USE1-Fargate-vCPU-Hours:\nperCPU"},
		{"CW:AlarmMonitorUsage", 16, "CW:\nAlarmMonitorUsag\ne"},
	} {
		if got := wrapUsageType(c.in, c.width); got != c.want {
			t.Errorf("wrapUsageType(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

// TestReconciliationDaily: with the bill's days, the table and Markdown
// add one line under the section, a sparkline of the billed cost per day
// and its peak (the earliest of equal days); the HTML page the same with
// the peak's JSON pointer; the JSON carries the days. Without days, no line.
func TestReconciliationDaily(t *testing.T) {
	r := smallReport()
	r.Reconciliation = testReconciliation()
	oct := r.Reconciliation.Start
	for i, c := range []string{"0.10", "0.80", "0.45", "0.80"} {
		r.Reconciliation.Daily = append(r.Reconciliation.Daily, reconcile.DayCost{Date: oct.AddDate(0, 0, i), BilledCost: decimal.RequireFromString(c)})
	}
	wants := map[Format]string{
		FormatTable:    "billed per day: ▁█▄█ (peak $0.80 on Oct 2)",
		FormatMarkdown: "- billed per day: ▁█▄█ (peak $0.80 on Oct 2)",
		FormatHTML:     `Billed per day: <span aria-hidden="true">▁█▄█</span> (peak <span data-json="/reconciliation/daily/1/billed_cost"><data value="0.8">$0.80</data></span> on Oct 2)`,
		FormatJSON:     `"daily": [`,
	}
	for f, want := range wants {
		var b bytes.Buffer
		if err := Write(&b, r, f, Options{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), want) {
			t.Errorf("%s: no %q in\n%s", f, want, b.String())
		}
	}
	r.Reconciliation.Daily = nil
	for f := range wants {
		var b bytes.Buffer
		if err := Write(&b, r, f, Options{}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(b.String()), "billed per day") || strings.Contains(b.String(), `"daily"`) {
			t.Errorf("%s: a billed-per-day line without the bill's days", f)
		}
	}
}

// TestBillSource: the line under the reconciliation says when Cost
// Explorer was read and what it cost, with "request" in the singular for
// one; a bill not read from Cost Explorer has no line.
func TestBillSource(t *testing.T) {
	at := time.Date(2025, 11, 20, 8, 5, 59, 0, time.UTC)
	for _, tc := range []struct {
		ce   *reconcile.CostExplorerRead
		want string
	}{
		{nil, ""},
		{&reconcile.CostExplorerRead{ReadAt: at, Requests: 1, Cost: decimal.RequireFromString("0.01")},
			"bill read from Cost Explorer at 2025-11-20 08:05 UTC in 1 request ($0.01 at $0.01 a request)"},
		{&reconcile.CostExplorerRead{ReadAt: at.In(time.FixedZone("CET", 3600)), Requests: 12, Cost: decimal.RequireFromString("0.12")},
			"bill read from Cost Explorer at 2025-11-20 08:05 UTC in 12 requests ($0.12 at $0.01 a request)"},
	} {
		rec := testReconciliation()
		rec.CostExplorer = tc.ce
		if got := billSource(rec); got != tc.want {
			t.Errorf("billSource = %q, want %q", got, tc.want)
		}
		sec := reconciliationTable(rec)
		if has := slices.Contains(sec.notes, tc.want); has != (tc.want != "") {
			t.Errorf("section notes %q: the line %q shown = %v", sec.notes, tc.want, has)
		}
		if v := newReconciliationView(rec); v.Source != upperFirst(tc.want) {
			t.Errorf("HTML source = %q, want %q", v.Source, upperFirst(tc.want))
		}
	}
}
