package reconcile_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/shopspring/decimal"
)

var (
	oct = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	nov = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// book prices Fargate and Logs ingestion in us-east-1 at round list prices.
func book() *pricing.Book {
	p := func(suffix, unit, usd string) pricing.Price {
		return pricing.Price{Region: "us-east-1", UsageType: pricing.UsageType("us-east-1", suffix), Unit: unit, USD: d(usd), Effective: oct}
	}
	return pricing.NewBook(oct, "test", nil,
		p(pricing.UsageFargateVCPU, "vCPU-Hours", "0.04"),
		p(pricing.UsageFargateGB, "GB-Hours", "0.005"),
		p(pricing.UsageLogsIngestion, "GB", "0.50"))
}

// account: one log group ingesting 1 GB a day over October, one service of
// 1 vCPU and 2 GB at a desired count of 1 all month, and the given bill.
func account(lines ...cwlens.BillLine) *cwlens.Snapshot {
	days := make([]float64, 31)
	for i := range days {
		days[i] = 1e9
	}
	return &cwlens.Snapshot{Region: "us-east-1",
		LogGroups: []cwlens.LogGroup{{Name: "/ecs/api", Class: cwlens.ClassStandard,
			DailyIncomingBytes: cwlens.Series{Start: oct, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: days}}},
		Services: []cwlens.Service{{Cluster: "prod", Name: "api", LaunchType: cwlens.LaunchFargate, CPUUnits: 1024, MemoryMiB: 2048,
			Architecture: cwlens.ArchX86_64, OperatingSystem: "LINUX", DesiredCount: 1}},
		Bill: &cwlens.Bill{Currency: "USD", Months: []cwlens.BillMonth{
			{Start: oct, End: nov, Complete: true, Lines: lines},
			{Start: nov, End: nov.AddDate(0, 0, 5), Lines: []cwlens.BillLine{line("AmazonCloudWatch", "DataProcessing-Bytes", "9", "9", "18", "GB")}},
		}}}
}

func line(svc, ut, cost, net, qty, unit string) cwlens.BillLine {
	return cwlens.BillLine{Service: svc, UsageType: ut, UnblendedCost: d(cost), NetAmortizedCost: d(net), UsageQuantity: d(qty), Unit: unit}
}

const ecs, cw = "Amazon Elastic Container Service", "AmazonCloudWatch"

func TestMonth(t *testing.T) {
	// The model of October: 744 vCPU-hours ($29.76), 1,488 GB-hours
	// ($7.44), 31 GB ingested ($15.50).
	snap := account(
		line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "29.76", "21.43", "744", "Hrs"), // Savings Plan
		line(ecs, "USE1-Fargate-GB-Hours", "5.00", "5.00", "1000", "GB-Hours"),      // scaled in
		line(cw, "DataProcessing-Bytes", "13.00", "13.00", "31", "GB"),              // free tier
		line(cw, "CW:Requests", "0.37", "0.37", "37000", "Requests"),                // not modelled
	)
	rec, err := reconcile.Month(snap, book())
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Start.Equal(oct) || rec.MonthDays != 31 || rec.CoveredDays != 31 {
		t.Errorf("month %v, %d days, %d covered", rec.Start, rec.MonthDays, rec.CoveredDays)
	}
	type want struct {
		ut, model, billed, diff string
		modelled                bool
		explains                []string
	}
	wants := []want{
		{"USE1-Fargate-GB-Hours", "7.44", "5", "-2.44", true, []string{"task-hours differ"}},
		{"USE1-Fargate-vCPU-Hours:perCPU", "29.76", "29.76", "0", true, []string{"discount or Savings Plan: net amortized $21.43, $8.33 below", reconcile.Matches}},
		{"CW:Requests", "0", "0.37", "0.37", false, []string{reconcile.NotModelled}},
		{"DataProcessing-Bytes", "15.5", "13", "-2.5", true, []string{"free tier: the first 5 GB"}},
	}
	if len(rec.Rows) != len(wants) {
		t.Fatalf("%d rows, want %d: %+v", len(rec.Rows), len(wants), rec.Rows)
	}
	for i, w := range wants {
		r := rec.Rows[i]
		if r.UsageType != w.ut || r.ModelCost.String() != w.model || r.BilledCost.String() != w.billed ||
			r.Difference.String() != w.diff || r.Modelled != w.modelled || len(r.Explanations) != len(w.explains) {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
			continue
		}
		for j, e := range w.explains {
			if !strings.HasPrefix(r.Explanations[j], e) {
				t.Errorf("%s explanation %d = %q, want %q…", w.ut, j, r.Explanations[j], e)
			}
		}
	}
	if rec.BilledCost.String() != "48.13" || rec.ModelCost.String() != "52.7" || rec.Difference.String() != "-4.57" || rec.Percent.String() != "-8.7" {
		t.Errorf("totals: billed %s, model %s, difference %s (%s %%)", rec.BilledCost, rec.ModelCost, rec.Difference, rec.Percent)
	}
}

// TestMonthTotalsAreTheBill: whatever the lines, the billed total is their
// sum to the cent, and no line is dropped.
func TestMonthTotalsAreTheBill(t *testing.T) {
	lines := []cwlens.BillLine{
		line(cw, "USE1-DataProcessing-Bytes", "0.011", "0.011", "0.02", "GB"),
		line(cw, "TimedStorage-ByteHrs", "1.234", "1.1", "40", "GB-Mo"),
		line(cw, "CW:Credits", "-0.5", "-0.5", "0", "N/A"),
		line(ecs, "USE1-Fargate-EphemeralStorage-GB-Hours", "0.019", "0.019", "10", "GB-Hours"),
	}
	rec, err := reconcile.Month(account(lines...), book())
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Zero
	for _, l := range lines {
		sum = sum.Add(l.UnblendedCost)
	}
	if !rec.BilledCost.Equal(sum) {
		t.Errorf("billed total %s, want the bill's %s", rec.BilledCost, sum)
	}
	var uts []string
	for _, r := range rec.Rows {
		uts = append(uts, r.UsageType)
	}
	for _, l := range lines {
		if !slices.Contains(uts, l.UsageType) {
			t.Errorf("bill line %s dropped: rows %v", l.UsageType, uts)
		}
	}
	// The prefixed spelling of Logs ingestion is the modelled one; the
	// compute the bill lacks is listed as modelled, not billed.
	for _, r := range rec.Rows {
		if r.UsageType == "USE1-DataProcessing-Bytes" && !r.Modelled {
			t.Error("USE1-DataProcessing-Bytes is not matched to the ingestion model")
		}
		if r.UsageType == "USE1-Fargate-GB-Hours" && (r.Explanations[0] != reconcile.NotBilled || !r.BilledCost.IsZero()) {
			t.Errorf("unbilled compute row = %+v", r)
		}
	}
}

func TestMonthWithoutCompleteMonth(t *testing.T) {
	snap := account()
	snap.Bill.Months = snap.Bill.Months[1:]
	if _, err := reconcile.Month(snap, book()); !errors.Is(err, reconcile.ErrNoMonth) {
		t.Errorf("err = %v, want ErrNoMonth", err)
	}
	snap.Bill = nil
	if _, err := reconcile.Month(snap, book()); !errors.Is(err, reconcile.ErrNoMonth) {
		t.Errorf("no bill: err = %v, want ErrNoMonth", err)
	}
}

// TestExplainSplitsQuantityAndPrice: a difference is split at the book's
// price into what the quantity explains and what the price does; a price
// the free tier does not account for is unexplained, and so is a
// difference neither part reaches a cent of.
func TestExplainSplitsQuantityAndPrice(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    cwlens.BillLine
		want []string
	}{
		{"both", line(ecs, "USE1-Fargate-GB-Hours", "9.00", "9.00", "1500", "GB-Hours"),
			[]string{"task-hours differ (scaling, or tasks the model does not see): billed 1500 GB-Hours, modelled 1488 (+$0.06)",
				"unexplained: billed $0.006 per GB-Hours on average, the book's list price is $0.005 (+$1.50)"}},
		{"free tier above 5 GB", line(cw, "DataProcessing-Bytes", "13.00", "13.00", "31", "GB"),
			[]string{"free tier: the first 5 GB of Logs ingestion a month are not billed (-$2.50)"}},
		{"free tier all of it", line(cw, "DataProcessing-Bytes", "0", "0", "4", "GB"),
			[]string{"usage differs: billed 4 GB, modelled 31 (-$13.50)", "free tier: the first 5 GB of Logs ingestion a month are not billed (-$2.00)"}},
		{"less than the free tier leaves", line(cw, "DataProcessing-Bytes", "10.00", "10.00", "31", "GB"),
			[]string{"unexplained: billed $0.32258065 per GB on average, the book's list price is $0.5 (-$5.50)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := reconcile.Month(account(tc.l), book())
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(rec.Rows, func(r reconcile.Row) bool { return r.UsageType == tc.l.UsageType })
			if i < 0 {
				t.Fatalf("no row for %s", tc.l.UsageType)
			}
			if got := rec.Rows[i].Explanations; !slices.Equal(got, tc.want) {
				t.Errorf("explanations\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}
