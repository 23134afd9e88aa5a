package ingest_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/shopspring/decimal"
)

// billNow is the scans' current time: November 20th, 2025, mid-morning.
var billNow = time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC)

func date(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }

// testBill is the bill a scan at billNow reads back: October whole, the
// month to date up to today, the forecast from today to December in
// unblended and in net amortized cost, and the days from October 1st to
// yesterday (two lines a day, a credit on November 3rd), in the seven
// requests a scan makes for it (MONTHLY: three pages of three groups;
// DAILY: two pages of a hundred; one forecast a metric).
func testBill() *cwlens.Bill {
	b := testBillMonths()
	for d := date(10, 1); d.Before(date(11, 20)); d = d.AddDate(0, 0, 1) {
		n := int64(d.Day())
		b.Daily = append(b.Daily,
			cwlens.BillDay{Date: d, BillLine: cwlens.BillLine{Service: "Amazon Elastic Container Service", UsageType: "USE1-Fargate-vCPU-Hours:perCPU",
				UnblendedCost: decimal.New(90+n, -2), NetAmortizedCost: decimal.New(70+n, -2), UsageQuantity: decimal.New(2355+n, -2), Unit: "Hrs"}},
			cwlens.BillDay{Date: d, BillLine: cwlens.BillLine{Service: "AmazonCloudWatch", UsageType: "DataProcessing-Bytes",
				UnblendedCost: decimal.New(40*n, -2), NetAmortizedCost: decimal.New(40*n, -2), UsageQuantity: decimal.New(8*n, -1), Unit: "GB"}})
		if d.Equal(date(11, 3)) {
			b.Daily = append(b.Daily, cwlens.BillDay{Date: d, BillLine: cwlens.BillLine{Service: "AmazonCloudWatch", UsageType: "CW:Requests",
				UnblendedCost: decimal.New(-1, -2), NetAmortizedCost: decimal.New(-1, -2), UsageQuantity: decimal.NewFromInt(2), Unit: "Requests"}})
		}
	}
	return b
}

func testBillMonths() *cwlens.Bill {
	line := func(svc, ut, cost, net, qty, unit string) cwlens.BillLine {
		return cwlens.BillLine{Service: svc, UsageType: ut, UnblendedCost: decimal.RequireFromString(cost),
			NetAmortizedCost: decimal.RequireFromString(net), UsageQuantity: decimal.RequireFromString(qty), Unit: unit}
	}
	const ecs, cw = "Amazon Elastic Container Service", "AmazonCloudWatch"
	return &cwlens.Bill{ReadAt: billNow, Currency: "USD", Requests: 7, Months: []cwlens.BillMonth{
		{Start: date(10, 1), End: date(11, 1), Complete: true, Lines: []cwlens.BillLine{
			line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "29.6208", "21.3270", "730", "Hrs"),
			line(ecs, "USE1-Fargate-GB-Hours", "6.5043", "4.6831", "1460", "GB-Hours"),
			line(cw, "DataProcessing-Bytes", "12.25", "12.25", "29.5", "GB"),
			line(cw, "TimedStorage-ByteHrs", "0.42", "0.42", "13.99", "GB-Mo"),
		}},
		{Start: date(11, 1), End: date(11, 20), Lines: []cwlens.BillLine{
			line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "18.2", "13.1", "448.5", "Hrs"),
			line(cw, "DataProcessing-Bytes", "7.1", "7.1", "14.2", "GB"),
			line(cw, "CW:Requests", "-0.01", "-0.01", "2", "Requests"),
		}},
	}, Forecast: &cwlens.BillForecast{Start: date(11, 20), End: date(12, 1),
		Mean: decimal.RequireFromString("14.2"), Low: decimal.RequireFromString("12.9"), High: decimal.RequireFromString("15.6")},
		NetAmortizedForecast: &cwlens.BillForecast{Start: date(11, 20), End: date(12, 1),
			Mean: decimal.RequireFromString("11.4"), Low: decimal.RequireFromString("10.3"), High: decimal.RequireFromString("12.5")}}
}

// billAt scans with --bill at now: the reference fixture's bill is what a
// scan at its capture reads.
func billAt(now time.Time) func(*ingest.Options) {
	return func(o *ingest.Options) {
		o.Bill = true
		o.Now = func() time.Time { return now }
	}
}

func withBill(o *ingest.Options) {
	o.Bill = true
	o.Now = func() time.Time { return billNow }
}

// TestScanBillRoundTrip: the bill an account is served comes back
// identical through the real Cost Explorer client, also when calls are
// throttled or fail with 5xx (retried requests are not counted: a request
// that failed is not billed), days included, in the seven requests it takes: each
// forecast metric asked once, each served its own figures.
func TestScanBillRoundTrip(t *testing.T) {
	for _, faults := range []string{"", "throttle=0.4,5xx=0.1,seed=5"} {
		t.Run(faults, func(t *testing.T) {
			want := smallAccount()
			want.Bill = testBill()
			got, srv := scanSampling(t, want, faults, 0, withBill)
			if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
				t.Fatal(d)
			}
			calls := srv.Calls()
			if c := calls["ce:GetCostAndUsage"]; c.OK != 5 {
				t.Errorf("GetCostAndUsage answered %d times, want 3 MONTHLY pages and 2 DAILY", c.OK)
			}
			if c := calls["ce:GetCostForecast"]; c.OK != 2 {
				t.Errorf("GetCostForecast answered %d times, want 2 (unblended, net amortized)", c.OK)
			}
		})
	}
}

// TestScanBillDenied: without ce: permission everything else is read, the
// bill is absent and its refusal is the scan's one gap; the forecast is not
// asked for.
func TestScanBillDenied(t *testing.T) {
	want := smallAccount()
	want.Bill = testBill()
	got, srv := scanSampling(t, want, "deny=ce", 0, withBill)
	if len(got.Gaps) != 1 || got.Gaps[0].API != "ce:GetCostAndUsage" {
		t.Fatalf("gaps %+v, want one of ce:GetCostAndUsage", got.Gaps)
	}
	if got.Bill != nil {
		t.Errorf("bill %+v read while denied", got.Bill)
	}
	exp := awsemu.Expected(want, want.Window.End)
	exp.Bill = nil
	got.Gaps = nil
	if d := awsemu.Diff(exp, got); d != "" {
		t.Errorf("the rest of the scan changed: %s", d)
	}
	if c := srv.Calls()["ce:GetCostForecast"]; c.Requests != 0 {
		t.Errorf("GetCostForecast asked %d times after GetCostAndUsage was refused", c.Requests)
	}
}

// TestScanBillForecastDenied: GetCostForecast refused leaves the bill's
// months and days read and one gap a forecast, each naming its metric, so
// a reader knows which of the two forecasts is missing.
func TestScanBillForecastDenied(t *testing.T) {
	want := smallAccount()
	want.Bill = testBill()
	got, _ := scanSampling(t, want, "deny=ce:GetCostForecast", 0, withBill)
	var metrics []string
	for _, g := range got.Gaps {
		if g.API != "ce:GetCostForecast" {
			t.Errorf("gap %+v, want only GetCostForecast's", g)
		}
		metrics = append(metrics, g.Resource)
	}
	slices.Sort(metrics)
	if want := []string{"NET_AMORTIZED_COST", "UNBLENDED_COST"}; !slices.Equal(metrics, want) {
		t.Errorf("forecast gaps name %q, want %q", metrics, want)
	}
	if got.Bill == nil || len(got.Bill.Months) != len(want.Bill.Months) || got.Bill.Forecast != nil || got.Bill.NetAmortizedForecast != nil {
		t.Errorf("bill %+v: want its months read and no forecast", got.Bill)
	}
}

// TestScanBillPeriods: on the first of a month there is no month to date
// (the request ends where the last full month does); on a month's last day
// no forecast is asked for.
func TestScanBillPeriods(t *testing.T) {
	for _, tc := range []struct {
		name      string
		now       time.Time
		months    int
		forecasts int
	}{
		{"first of the month", time.Date(2025, 11, 1, 6, 0, 0, 0, time.UTC), 1, 2},
		{"last day of the month", time.Date(2025, 11, 30, 6, 0, 0, 0, time.UTC), 2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := smallAccount()
			want.Bill = testBill()
			want.Bill.Months[1].End = date(11, 30)
			got, srv := scanSampling(t, want, "", 0, withBill, func(o *ingest.Options) { o.Now = func() time.Time { return tc.now } })
			if got.Bill == nil || len(got.Bill.Months) != tc.months {
				t.Fatalf("bill %+v, want %d month(s)", got.Bill, tc.months)
			}
			if !got.Bill.Months[0].Complete || got.Bill.Months[0].End != date(11, 1) {
				t.Errorf("October = %+v, want complete, ending November 1st", got.Bill.Months[0])
			}
			if tc.months == 2 && (got.Bill.Months[1].Complete || got.Bill.Months[1].End != date(11, 30)) {
				t.Errorf("month to date = %+v, want incomplete, ending today", got.Bill.Months[1])
			}
			if c := srv.Calls()["ce:GetCostForecast"]; c.Requests != tc.forecasts {
				t.Errorf("GetCostForecast asked %d times, want %d", c.Requests, tc.forecasts)
			}
			if got.Bill.Forecast != nil || got.Bill.NetAmortizedForecast != nil || len(got.Gaps) != 0 {
				// The served forecast is for November 20th: any other
				// period is DataUnavailable, which is no forecast and no gap.
				t.Errorf("forecast %+v, gaps %+v: want none", got.Bill.Forecast, got.Gaps)
			}
		})
	}
}

// TestScanWithoutBillReadsNoBill: the default scan never calls Cost
// Explorer, even where it would answer.
func TestScanWithoutBillReadsNoBill(t *testing.T) {
	want := smallAccount()
	want.Bill = testBill()
	got, srv := scan(t, want, "")
	if got.Bill != nil || srv.Calls()["ce:GetCostAndUsage"].Requests != 0 {
		t.Errorf("a scan without Bill read %+v", got.Bill)
	}
}
