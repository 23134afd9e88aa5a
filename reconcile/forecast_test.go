package reconcile_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/reconcile"
)

func TestForecast(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	dec := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	octLines := []cwlens.BillLine{line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "105.4557973333", "84.36", "2605", "Hrs")}
	novToDate := []cwlens.BillMonth{
		{Start: oct, End: nov, Complete: true, Lines: octLines},
		{Start: nov, End: day(11, 20), Lines: []cwlens.BillLine{line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "80.004", "64", "1976", "Hrs"),
			line(cw, "CW:Requests", "-0.01", "-0.01", "2", "Requests")}}}
	proj := &cwlens.Projection{HoursPerMonth: 730, CurrentMonthly: d("138.25"), RunRateMonthly: d("132.77"), ProposedMonthly: d("65.15")}
	for _, tc := range []struct {
		name     string
		bill     *cwlens.Bill
		scenario bool
		// month to date, billed through, remaining days; model daily,
		// rest, month; run-rate month; Cost Explorer month, low, high
		// ("" for none); scenario rest and full month ("" for none).
		mtd, through                          string
		days                                  int
		daily, rest, month, runRate           string
		ce, ceLow, ceHigh, saveRest, saveFull string
		// The same in net amortized cost: month to date, the model's
		// month, Cost Explorer's month, low, high ("" for none).
		netMtd, netModel, netCE, netLow, netHigh string
	}{
		{name: "the first of the month: nothing billed yet, 30 days to go",
			bill: &cwlens.Bill{ReadAt: time.Date(2025, 11, 1, 0, 5, 0, 0, time.UTC), Months: []cwlens.BillMonth{{Start: oct, End: nov, Complete: true, Lines: octLines}},
				Forecast:             &cwlens.BillForecast{Start: nov, End: dec, Mean: d("127.394791129"), Low: d("117.2"), High: d("137.59")},
				NetAmortizedForecast: &cwlens.BillForecast{Start: nov, End: dec, Mean: d("102.512311129"), Low: d("94.3113"), High: d("110.7133")}},
			scenario: true,
			// 138.25 × 24/730 = 4.5452…/day; × 30 = 136.356…
			mtd: "0", through: "2025-11-01", days: 30, daily: "4.55", rest: "136.36", month: "136.36", runRate: "130.95",
			ce: "127.39", ceLow: "117.2", ceHigh: "137.59", saveRest: "72.1", saveFull: "73.1",
			netMtd: "0", netModel: "136.36", netCE: "102.51", netLow: "94.31", netHigh: "110.71"},
		{name: "mid-month: the month to date and Cost Explorer's rest, no net amortized forecast (an older snapshot)",
			bill: &cwlens.Bill{ReadAt: time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC), Months: novToDate,
				Forecast: &cwlens.BillForecast{Start: day(11, 20), End: dec, Mean: d("49.5"), Low: d("45"), High: d("54")}},
			// 11 days: 4.5452… × 11 = 49.997… ; run-rate 132.77 × 24/730 × 11 = 48.015…
			mtd: "79.994", through: "2025-11-20", days: 11, daily: "4.55", rest: "50", month: "129.99", runRate: "128.01", ce: "129.49", ceLow: "124.99", ceHigh: "133.99",
			// net 64 − 0.01 = 63.99, + 50
			netMtd: "63.99", netModel: "113.99"},
		{name: "mid-month with Cost Explorer's net amortized forecast",
			bill: &cwlens.Bill{ReadAt: time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC), Months: novToDate,
				Forecast:             &cwlens.BillForecast{Start: day(11, 20), End: dec, Mean: d("49.5"), Low: d("45"), High: d("54")},
				NetAmortizedForecast: &cwlens.BillForecast{Start: day(11, 20), End: dec, Mean: d("39.604"), Low: d("36"), High: d("43.2")}},
			mtd: "79.994", through: "2025-11-20", days: 11, daily: "4.55", rest: "50", month: "129.99", runRate: "128.01", ce: "129.49", ceLow: "124.99", ceHigh: "133.99",
			netMtd: "63.99", netModel: "113.99", netCE: "103.59", netLow: "99.99", netHigh: "107.19"},
		{name: "Cost Explorer's forecast is of another period",
			bill: &cwlens.Bill{ReadAt: time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC), Months: []cwlens.BillMonth{{Start: nov, End: day(11, 20)}},
				Forecast: &cwlens.BillForecast{Start: day(11, 19), End: dec, Mean: d("1"), Low: d("1"), High: d("1")}},
			mtd: "0", through: "2025-11-20", days: 11, daily: "4.55", rest: "50", month: "50", runRate: "48.02", netMtd: "0", netModel: "50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := reconcile.Forecast(tc.bill, proj, tc.scenario)
			if err != nil {
				t.Fatal(err)
			}
			if !f.Start.Equal(nov) || !f.End.Equal(dec) || f.MonthToDate.String() != tc.mtd || f.BilledThrough.Format(time.DateOnly) != tc.through || f.RemainingDays != tc.days {
				t.Errorf("month %v–%v, to date %s through %v, %d days left", f.Start, f.End, f.MonthToDate, f.BilledThrough, f.RemainingDays)
			}
			if f.Model.Daily.String() != tc.daily || f.Model.Rest.String() != tc.rest || f.Model.Month.String() != tc.month || f.RunRate.Month.String() != tc.runRate {
				t.Errorf("model %+v, run-rate %+v", f.Model, f.RunRate)
			}
			if c := f.CostExplorer; (c == nil) != (tc.ce == "") || c != nil && (c.Month.String() != tc.ce || c.MonthLow.String() != tc.ceLow || c.MonthHigh.String() != tc.ceHigh) {
				t.Errorf("Cost Explorer %+v, want %s (%s–%s)", c, tc.ce, tc.ceLow, tc.ceHigh)
			}
			if s := f.Scenario; (s == nil) != (tc.saveFull == "") || s != nil && (s.RestOfMonth.String() != tc.saveRest || s.FullMonth.String() != tc.saveFull) {
				t.Errorf("scenario %+v, want %s and %s", s, tc.saveRest, tc.saveFull)
			}
			n := f.NetAmortized
			if n.MonthToDate.String() != tc.netMtd || n.Model.Month.String() != tc.netModel || !n.Model.Daily.Equal(f.Model.Daily) || !n.Model.Rest.Equal(f.Model.Rest) {
				t.Errorf("net amortized %+v, want %s to date, model %s (the model's rest on it)", n, tc.netMtd, tc.netModel)
			}
			// The run-rate's rest of the month on the net amortized month to date.
			if !n.RunRate.Daily.Equal(f.RunRate.Daily) || !n.RunRate.Rest.Equal(f.RunRate.Rest) ||
				!n.RunRate.Month.Equal(pricing.Cents(n.MonthToDate).Add(f.RunRate.Rest)) {
				t.Errorf("net amortized run-rate %+v, want the run-rate's day and rest %+v on %s to date", n.RunRate, f.RunRate, n.MonthToDate)
			}
			if c := n.CostExplorer; (c == nil) != (tc.netCE == "") || c != nil && (c.Month.String() != tc.netCE || c.MonthLow.String() != tc.netLow || c.MonthHigh.String() != tc.netHigh) {
				t.Errorf("net amortized Cost Explorer %+v, want %s (%s–%s)", c, tc.netCE, tc.netLow, tc.netHigh)
			}
			got := strings.Join(f.Notes, "\n")
			if missing := tc.ce != "" && tc.netCE == ""; strings.Contains(got, "net amortized forecast was not read") != missing {
				t.Errorf("notes %q: the missing net amortized forecast should be noted exactly when the unblended one is there alone (%v)", f.Notes, missing)
			}
			if strings.Contains(got, "no forecast") != (tc.ce == "") {
				t.Errorf("notes %q", f.Notes)
			}
			// What is billed is unblended: a Savings Plan's usage is not in it.
			if billed := tc.ce != "" || tc.mtd != "0"; strings.Contains(got, "a Savings Plan covers is cancelled") != billed {
				t.Errorf("notes %q: the unblended note should be there exactly when a billed figure is (%v)", f.Notes, billed)
			}
		})
	}
	if _, err := reconcile.Forecast(nil, proj, false); !errors.Is(err, reconcile.ErrNoBill) {
		t.Errorf("no bill: err %v", err)
	}
}
