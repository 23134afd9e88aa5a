package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/reconcile"
)

// reconciliationDoc is the reconciliation of a cwlens.report/v1 document.
type reconciliationDoc struct {
	Start       string `json:"start"`
	CoveredDays int    `json:"covered_days"`
	MonthDays   int    `json:"month_days"`
	Rows        []struct {
		Service      string          `json:"service"`
		UsageType    string          `json:"usage_type"`
		Modelled     bool            `json:"modelled"`
		ModelCost    decimal.Decimal `json:"model_cost"`
		BilledCost   decimal.Decimal `json:"billed_cost"`
		NetAmortized decimal.Decimal `json:"net_amortized_cost"`
		Difference   decimal.Decimal `json:"difference"`
		Explanations []string        `json:"explanations"`
	} `json:"rows"`
	ModelCost    decimal.Decimal `json:"model_cost"`
	BilledCost   decimal.Decimal `json:"billed_cost"`
	NetAmortized decimal.Decimal `json:"net_amortized_cost"`
	Difference   decimal.Decimal `json:"difference"`
}

// TestReportReconcilesReferenceOctober: cwlens report on the reference
// fixture shows October 2025's reconciliation: every usage type on the
// fixture's bill, each difference explained or marked unexplained (for
// this bill: the reason the fixture built into it), and totals that are
// the bill's to the cent and the sums of the rows.
func TestReportReconcilesReferenceOctober(t *testing.T) {
	snap, err := cwlens.ReadSnapshot(reference)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, "report", reference, "--format", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Reconciliation *reconciliationDoc `json:"reconciliation"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	rec := doc.Reconciliation
	if rec == nil || rec.Start != "2025-10-01T00:00:00Z" || rec.MonthDays != 31 || rec.CoveredDays != 31 {
		t.Fatalf("reconciliation %+v, want October 2025, 31 of 31 days", rec)
	}
	// The reason each line of the fixture's bill differs from the model.
	want := map[string][]string{
		"DataProcessing-Bytes": {"free tier: the first 5 GB of Logs ingestion",
			"a flood from 2025-10-29 (/ecs/karmacadabra-prod/facilitator, 3.59 GB of the month's 4.76 GB)"},
		"TimedStorage-ByteHrs":  nil,
		"CW:MetricMonitorUsage": nil,
		"CW:AlarmMonitorUsage":  {reconcile.NotModelled},
		// Under the Savings Plan: the steady usage covered, cancelled in
		// unblended cost; the deployments' extra usage billed on demand.
		"USE1-Fargate-GB-Hours":                    {"Savings Plan: 5208 of 5210.2667 GB-Hours covered: on-demand $23.15 cancelled", reconcile.Matches},
		"USE1-Fargate-vCPU-Hours:perCPU":           {"Savings Plan: 2604 of 2605.1333 Hrs covered: on-demand $105.41 cancelled", "task-hours differ"},
		"USE1-SpotUsage-Fargate-GB-Hours":          {"Spot price drift: billed at $0.00136732 on average, the book's $0.00141527"},
		"USE1-SpotUsage-Fargate-vCPU-Hours:perCPU": {"Spot price drift: billed at $0.01245811 on average, the book's $0.01288871"},
	}
	lines := snap.Bill.Months[0].Lines
	if len(lines) != len(want) {
		t.Fatalf("the fixture's bill has %d lines, the test knows %d", len(lines), len(want))
	}
	var billed, rowsBilled, rowsModel, rowsNet decimal.Decimal
	for _, l := range lines {
		billed = billed.Add(l.UnblendedCost)
		found := false
		for _, row := range rec.Rows {
			if row.UsageType != l.UsageType {
				continue
			}
			found = true
			if !row.BilledCost.Equal(l.UnblendedCost) || row.Service != l.Service {
				t.Errorf("%s: row %s %s, bill %s %s", l.UsageType, row.Service, row.BilledCost, l.Service, l.UnblendedCost)
			}
			explained(t, l.UsageType, row.Difference, row.NetAmortized.LessThan(row.BilledCost), row.Explanations, want[l.UsageType])
		}
		if !found {
			t.Errorf("bill line %s is not in the reconciliation", l.UsageType)
		}
	}
	for _, row := range rec.Rows {
		rowsBilled, rowsModel, rowsNet = rowsBilled.Add(row.BilledCost), rowsModel.Add(row.ModelCost), rowsNet.Add(row.NetAmortized)
	}
	if !rec.BilledCost.Round(2).Equal(billed.Round(2)) || rec.BilledCost.Round(2).String() != "3.08" {
		t.Errorf("billed total %s, the bill's %s (want $3.08)", rec.BilledCost, billed)
	}
	if !rowsBilled.Equal(rec.BilledCost) || !rowsModel.Equal(rec.ModelCost) || !rowsNet.Equal(rec.NetAmortized) ||
		!rec.Difference.Equal(rec.BilledCost.Sub(rec.ModelCost)) {
		t.Errorf("totals billed %s model %s net %s difference %s; rows add up to %s, %s, %s",
			rec.BilledCost, rec.ModelCost, rec.NetAmortized, rec.Difference, rowsBilled, rowsModel, rowsNet)
	}
	table := run(t, "report", reference)
	if !strings.Contains(table.stdout, "Bill and model, October 2025 (31 of 31 days in the snapshot)") ||
		!strings.Contains(table.stdout, "$3.08") {
		t.Errorf("the table does not show October's reconciliation and its total $3.08:\n%s", table.stdout)
	}
}

// explained checks that a row's difference is explained or marked
// unexplained, and when want is given, that its explanations begin so.
func explained(t *testing.T, ut string, diff decimal.Decimal, discounted bool, got, want []string) {
	t.Helper()
	reasons := got
	if discounted && len(reasons) > 0 && strings.HasPrefix(reasons[0], "discount:") {
		reasons = reasons[1:]
	}
	if len(reasons) == 0 || (!diff.IsZero() && reasons[0] == reconcile.Matches && diff.Abs().GreaterThanOrEqual(decimal.New(1, -2))) {
		t.Errorf("%s: difference %s has no explanation: %q", ut, diff, got)
	}
	if want == nil {
		return
	}
	if len(got) != len(want) {
		t.Errorf("%s: explanations %q, want %q…", ut, got, want)
		return
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("%s: explanation %d = %q, want %q…", ut, i, got[i], w)
		}
	}
}

// TestDemoForecastsNovember: the demo (the reference with its scenario)
// forecasts November 2025, the month its bill was read in: nothing billed
// yet, 30 days at the projection's daily cost and run-rate, beside Cost
// Explorer's forecast, with the scenario's savings on the rest of the month
// and on a full month — all from the same report's figures.
func TestDemoForecastsNovember(t *testing.T) {
	r := run(t, "demo", "--format", "json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Projection struct {
			Hours    int64           `json:"hours_per_month"`
			Current  decimal.Decimal `json:"current_monthly_usd"`
			Proposed decimal.Decimal `json:"proposed_monthly_usd"`
			RunRate  decimal.Decimal `json:"run_rate_monthly_usd"`
		} `json:"projection"`
		Forecast *reconcile.MonthForecast `json:"forecast"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	f, p := doc.Forecast, doc.Projection
	if f == nil || f.Start.Format(time.DateOnly) != "2025-11-01" || f.BilledThrough.Format(time.DateOnly) != "2025-11-01" ||
		!f.MonthToDate.IsZero() || f.RemainingDays != 30 {
		t.Fatalf("forecast %+v, want November 2025 with nothing billed and 30 days to go", f)
	}
	rest := func(monthly decimal.Decimal) decimal.Decimal {
		return monthly.Mul(decimal.NewFromInt(30 * 24)).Div(decimal.NewFromInt(p.Hours)).Round(2)
	}
	if !f.Model.Month.Equal(rest(p.Current)) || !f.RunRate.Month.Equal(rest(p.RunRate)) {
		t.Errorf("model %+v, run-rate %+v; want 30 days of %s and %s a month", f.Model, f.RunRate, p.Current, p.RunRate)
	}
	// Cost Explorer forecasts unblended cost, in which the Savings Plan's
	// covered Fargate usage is cancelled: October's $3.08 over 30 days.
	if c := f.CostExplorer; c == nil || c.Month.String() != "2.98" || c.MonthLow.String() != "2.74" || c.MonthHigh.String() != "3.22" {
		t.Errorf("Cost Explorer %+v, want the fixture's forecast 2.98 (2.74–3.22)", c)
	}
	// In net amortized cost the covered usage keeps its cost at the Plan's
	// rate: October's $105.93 over 30 days, beside the model on the same
	// (empty) month to date.
	if n := f.NetAmortized; !n.MonthToDate.IsZero() || !n.Model.Month.Equal(f.Model.Month) || n.CostExplorer == nil ||
		n.CostExplorer.Month.String() != "102.51" || n.CostExplorer.MonthLow.String() != "94.31" || n.CostExplorer.MonthHigh.String() != "110.71" {
		t.Errorf("net amortized %+v (Cost Explorer %+v), want the model's month and the fixture's forecast 102.51 (94.31–110.71)", n, n.CostExplorer)
	}
	saves := p.Current.Sub(p.Proposed)
	if s := f.Scenario; s == nil || !s.FullMonth.Equal(saves.Round(2)) || !s.RestOfMonth.Equal(rest(saves)) || !s.FullMonth.IsPositive() {
		t.Errorf("scenario %+v, want %s a month", s, saves)
	}
	// Without a scenario, no savings.
	var plain struct {
		Forecast *reconcile.MonthForecast `json:"forecast"`
	}
	if err := json.Unmarshal([]byte(run(t, "report", reference, "--format", "json").stdout), &plain); err != nil || plain.Forecast == nil || plain.Forecast.Scenario != nil {
		t.Errorf("report without a scenario: forecast %+v (%v)", plain.Forecast, err)
	}
}
