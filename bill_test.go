package cwlens_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/shopspring/decimal"
)

func october(t *testing.T) *cwlens.Bill {
	t.Helper()
	d := decimal.RequireFromString
	oct := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	return &cwlens.Bill{
		ReadAt: oct.AddDate(0, 1, 0).Add(5 * time.Minute), Currency: "USD", Requests: 2,
		Months: []cwlens.BillMonth{{Start: oct, End: oct.AddDate(0, 1, 0), Complete: true, Lines: []cwlens.BillLine{
			{Service: "Amazon Elastic Container Service", UsageType: "USE1-Fargate-vCPU-Hours:perCPU",
				UnblendedCost: d("88.55"), NetAmortizedCost: d("72.61"), UsageQuantity: d("2187.5"), Unit: "Hrs"},
			{Service: "AmazonCloudWatch", UsageType: "DataProcessing-Bytes",
				UnblendedCost: d("2.31"), NetAmortizedCost: d("-0.19"), UsageQuantity: d("4.62"), Unit: "GB"},
		}}},
		Forecast: &cwlens.BillForecast{Start: oct.AddDate(0, 1, 0), End: oct.AddDate(0, 2, 0), Mean: d("131.9"), Low: d("120"), High: d("150.2")},
		Daily: []cwlens.BillDay{
			{Date: oct, BillLine: cwlens.BillLine{Service: "AmazonCloudWatch", UsageType: "DataProcessing-Bytes",
				UnblendedCost: d("0.07"), NetAmortizedCost: d("0.07"), UsageQuantity: d("0.1491"), Unit: "GB"}},
			{Date: oct.AddDate(0, 0, 1), BillLine: cwlens.BillLine{Service: "AmazonCloudWatch", UsageType: "DataProcessing-Bytes",
				UnblendedCost: d("0.08"), NetAmortizedCost: d("-0.01"), UsageQuantity: d("0.1512"), Unit: "GB"}},
		},
	}
}

// TestBillValidate checks a bill's rules, one broken at a time.
func TestBillValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(b *cwlens.Bill)
		want   string
	}{
		{"valid", func(*cwlens.Bill) {}, ""},
		{"credit below zero", func(b *cwlens.Bill) { b.Months[0].Lines[0].NetAmortizedCost = decimal.RequireFromString("-5") }, ""},
		{"read_at", func(b *cwlens.Bill) { b.ReadAt = time.Time{} }, "bill.read_at: missing"},
		{"currency", func(b *cwlens.Bill) { b.Currency = "" }, `bill.currency: "": missing`},
		{"requests", func(b *cwlens.Bill) { b.Requests = -1 }, "bill.requests: -1"},
		{"month backwards", func(b *cwlens.Bill) { b.Months[0].End = b.Months[0].Start }, "bill.months[0].end"},
		{"no usage type", func(b *cwlens.Bill) { b.Months[0].Lines[1].UsageType = "" }, "bill.months[0].lines[1].usage_type"},
		{"no service", func(b *cwlens.Bill) { b.Months[0].Lines[0].Service = "" }, "bill.months[0].lines[0].service"},
		{"huge amount", func(b *cwlens.Bill) { b.Months[0].Lines[0].UnblendedCost = decimal.RequireFromString("1e9999") }, "bill.months[0].lines[0].unblended_cost"},
		{"huge quantity", func(b *cwlens.Bill) { b.Months[0].Lines[1].UsageQuantity = decimal.RequireFromString("-2e15") }, "usage_quantity"},
		{"day not at midnight", func(b *cwlens.Bill) { b.Daily[1].Date = b.Daily[1].Date.Add(time.Hour) }, "bill.daily[1].date: 2025-10-02T01:00:00Z: must be midnight UTC"},
		{"days out of order", func(b *cwlens.Bill) { b.Daily[0], b.Daily[1] = b.Daily[1], b.Daily[0] }, "bill.daily[1].date: 2025-10-01T00:00:00Z: out of order"},
		{"day without date", func(b *cwlens.Bill) { b.Daily[0].Date = time.Time{} }, "bill.daily[0].date: missing"},
		{"day without usage type", func(b *cwlens.Bill) { b.Daily[1].UsageType = "" }, "bill.daily[1].usage_type"},
		{"huge day", func(b *cwlens.Bill) { b.Daily[0].NetAmortizedCost = decimal.RequireFromString("2e15") }, "bill.daily[0].net_amortized_cost"},
		{"no days (a bill read before days were)", func(b *cwlens.Bill) { b.Daily = nil }, ""},
		{"forecast outside its interval", func(b *cwlens.Bill) { b.Forecast.Mean = decimal.RequireFromString("200") }, "bill.forecast"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := fixtures.Reference()
			if err != nil {
				t.Fatal(err)
			}
			s.Bill = october(t)
			tc.mutate(s.Bill)
			err = s.Validate()
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestBillRoundTrip: a snapshot's bill is written and read back exactly.
func TestBillRoundTrip(t *testing.T) {
	s, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	s.Bill = october(t)
	b, err := cwlens.EncodeSnapshot(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := cwlens.DecodeSnapshot(strings.NewReader(string(b)), "snap.json")
	if err != nil {
		t.Fatal(err)
	}
	got, want := back.Bill, s.Bill
	if got == nil || len(got.Months) != 1 || !got.Months[0].Lines[1].NetAmortizedCost.Equal(want.Months[0].Lines[1].NetAmortizedCost) ||
		!got.Forecast.High.Equal(want.Forecast.High) || got.Months[0].Lines[0].UsageType != want.Months[0].Lines[0].UsageType {
		t.Errorf("bill after a round trip: %+v", got)
	}
	if len(got.Daily) != 2 || !got.Daily[1].Date.Equal(want.Daily[1].Date) || !got.Daily[1].NetAmortizedCost.Equal(want.Daily[1].NetAmortizedCost) ||
		got.Daily[0].UsageType != want.Daily[0].UsageType || !got.Daily[0].UsageQuantity.Equal(want.Daily[0].UsageQuantity) {
		t.Errorf("days after a round trip: %+v, want %+v", got.Daily, want.Daily)
	}
	// A bill without days (older snapshots, CUR) writes no "daily" and
	// reads back without.
	s.Bill.Daily = nil
	if b, err = cwlens.EncodeSnapshot(s); err != nil || strings.Contains(string(b), `"daily"`) {
		t.Fatalf("a bill without days: err %v, daily written: %v", err, strings.Contains(string(b), `"daily"`))
	}
	if back, err = cwlens.DecodeSnapshot(strings.NewReader(string(b)), "snap.json"); err != nil || back.Bill.Daily != nil {
		t.Errorf("a bill without days read back: %v, %+v", err, back.Bill)
	}
}
