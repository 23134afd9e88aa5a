package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens/reconcile"
	"github.com/shopspring/decimal"
)

func testForecast(scenario string) *reconcile.MonthForecast {
	d := decimal.RequireFromString
	f := &reconcile.MonthForecast{
		Start: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		BilledThrough: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC), MonthToDate: d("79.994"), RemainingDays: 11,
		Model:        reconcile.Estimate{Daily: d("4.55"), Rest: d("50"), Month: d("129.99")},
		RunRate:      reconcile.Estimate{Daily: d("4.37"), Rest: d("48.02"), Month: d("128.01")},
		CostExplorer: &reconcile.CostExplorerForecast{Rest: d("49.5"), Month: d("129.49"), MonthLow: d("124.99"), MonthHigh: d("133.99")},
		NetAmortized: reconcile.NetAmortizedForecast{MonthToDate: d("63.99"), Model: reconcile.Estimate{Daily: d("4.55"), Rest: d("50"), Month: d("113.99")},
			RunRate:      reconcile.Estimate{Daily: d("4.37"), Rest: d("48.02"), Month: d("112.01")},
			CostExplorer: &reconcile.CostExplorerForecast{Rest: d("39.6"), Month: d("103.59"), MonthLow: d("99.99"), MonthHigh: d("107.19")}},
		Notes: []string{"run-rate: the same with each log group's last 24 h of ingestion continuing"},
	}
	if scenario != "" {
		full := d(scenario)
		f.Scenario = &reconcile.ScenarioSavings{RestOfMonth: full.Mul(d("0.36")).Round(2), FullMonth: full}
	}
	return f
}

// TestForecastSection: the table and Markdown show the three estimates with
// Cost Explorer's interval and the scenario's savings (or cost); CSV has a
// row an estimate; JSON carries it as forecast; no bill, no forecast.
func TestForecastSection(t *testing.T) {
	r := smallReport()
	r.Forecast = testForecast("73.1")
	for _, f := range []Format{FormatTable, FormatMarkdown} {
		var b bytes.Buffer
		if err := Write(&b, r, f, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Forecast of November 2025 (billed through Nov 20, 11 days to go)", "model, steady state", "$4.55",
			"$79.99", "$129.99", "$128.01", "Cost Explorer's forecast", "$49.50", "80 %: $124.99–$133.99",
			"the scenario saves $26.32 on the rest of the month and $73.10 on a full month",
			"net amortized: model, steady state", "$63.99", "$113.99", "net amortized: model, last 24 h's run-rate", "$112.01",
			"net amortized: Cost Explorer's forecast", "$39.60", "80 %: $99.99–$107.19"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: no %q in\n%s", f, want, b.String())
			}
		}
	}
	r.Forecast = testForecast("-10")
	var b bytes.Buffer
	if err := Write(&b, r, FormatTable, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "the scenario costs $3.60 on the rest of the month and $10.00 on a full month") {
		t.Errorf("a dearer scenario is not said to cost:\n%s", b.String())
	}

	r.Forecast = testForecast("73.1")
	b.Reset()
	if err := Write(&b, r, FormatCSV, Options{}); err != nil {
		t.Fatal(err)
	}
	got := csvSection(t, b.Bytes(), "forecast", "month", "billed_through", "estimate", "daily_usd", "month_to_date_usd",
		"rest_of_month_usd", "month_usd", "month_low_usd", "month_high_usd")
	want := []string{"2025-11|2025-11-20|model|4.55|79.994|50|129.99||", "2025-11|2025-11-20|run_rate|4.37|79.994|48.02|128.01||",
		"2025-11|2025-11-20|cost_explorer||79.994|49.5|129.49|124.99|133.99",
		"2025-11|2025-11-20|model_net_amortized|4.55|63.99|50|113.99||", "2025-11|2025-11-20|run_rate_net_amortized|4.37|63.99|48.02|112.01||",
		"2025-11|2025-11-20|cost_explorer_net_amortized||63.99|39.6|103.59|99.99|107.19",
		"2025-11|2025-11-20|scenario_savings|||26.32|73.1||"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("CSV forecast rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	b.Reset()
	if err := Write(&b, r, FormatJSON, Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Forecast *reconcile.MonthForecast `json:"forecast"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if f := doc.Forecast; f == nil || f.RemainingDays != 11 || f.CostExplorer == nil || !f.CostExplorer.MonthHigh.Equal(decimal.RequireFromString("133.99")) ||
		f.Scenario == nil || f.Scenario.FullMonth.String() != "73.1" || f.NetAmortized.CostExplorer == nil || f.NetAmortized.CostExplorer.Month.String() != "103.59" {
		t.Errorf("JSON forecast = %+v", doc.Forecast)
	}
	b.Reset()
	if err := Write(&b, smallReport(), FormatJSON, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `"forecast"`) {
		t.Error("a report without a bill carries a forecast")
	}
}

// TestForecastHTML: the page shows the section and each figure equals the
// JSON's at its pointer: 4 on each model row (4 of them, two net
// amortized), 3 + the interval's 2 on each of Cost Explorer's 2, 2 of the
// scenario; without the net amortized forecast, 5 fewer.
func TestForecastHTML(t *testing.T) {
	r := htmlFixtureReport()
	before := checkFiguresMatchJSON(t, renderHTML(t, r), renderJSON(t, r))
	r.Forecast = testForecast("73.1")
	page := renderHTML(t, r)
	after := checkFiguresMatchJSON(t, page, renderJSON(t, r))
	if after-before != 4+4+5+4+4+5+2 {
		t.Errorf("%d figures more with the forecast, want 28", after-before)
	}
	r.Forecast.NetAmortized.CostExplorer = nil
	if n := checkFiguresMatchJSON(t, renderHTML(t, r), renderJSON(t, r)); n-before != 23 {
		t.Errorf("%d figures more with the forecast but no net amortized one, want 23", n-before)
	}
	for _, want := range []string{`id="forecast"`, `href="#forecast"`, "Forecast of November 2025", "Cost Explorer&#39;s forecast", "on a full month"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page has no %q", want)
		}
	}
}
