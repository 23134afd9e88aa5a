package awsemu_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	cetypes "github.com/aws/aws-sdk-go-v2/service/costexplorer/types"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/shopspring/decimal"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// billAccount is an account whose bill has a complete October 2025 of four
// lines and November to the 20th of three.
func billAccount() *cwlens.Snapshot {
	s := account()
	line := func(svc, ut, cost, net, qty, unit string) cwlens.BillLine {
		return cwlens.BillLine{Service: svc, UsageType: ut, UnblendedCost: decimal.RequireFromString(cost),
			NetAmortizedCost: decimal.RequireFromString(net), UsageQuantity: decimal.RequireFromString(qty), Unit: unit}
	}
	const ecs, cw = "Amazon Elastic Container Service", "AmazonCloudWatch"
	s.Bill = &cwlens.Bill{ReadAt: day(2025, 11, 20), Currency: "USD", Months: []cwlens.BillMonth{
		{Start: day(2025, 10, 1), End: day(2025, 11, 1), Complete: true, Lines: []cwlens.BillLine{
			line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "29.6208", "21.3270", "730", "Hrs"),
			line(ecs, "USE1-Fargate-GB-Hours", "6.5043", "4.6831", "1460", "GB-Hours"),
			line(cw, "DataProcessing-Bytes", "12.25", "12.25", "29.5", "GB"),
			line(cw, "TimedStorage-ByteHrs", "0.42", "0.42", "13.99", "GB-Mo"),
		}},
		{Start: day(2025, 11, 1), End: day(2025, 11, 20), Lines: []cwlens.BillLine{
			line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "18.2", "13.1", "448.5", "Hrs"),
			line(cw, "DataProcessing-Bytes", "7.1", "7.1", "14.2", "GB"),
			line(cw, "CW:Requests", "-0.01", "-0.01", "2", "Requests"),
		}},
	}, Forecast: &cwlens.BillForecast{Start: day(2025, 11, 20), End: day(2025, 12, 1),
		Mean: decimal.RequireFromString("14.2"), Low: decimal.RequireFromString("12.9"), High: decimal.RequireFromString("15.6")},
		NetAmortizedForecast: &cwlens.BillForecast{Start: day(2025, 11, 20), End: day(2025, 12, 1),
			Mean: decimal.RequireFromString("11.4"), Low: decimal.RequireFromString("10.3"), High: decimal.RequireFromString("12.5")}}
	return s
}

func costAndUsage(from, to string) *costexplorer.GetCostAndUsageInput {
	return &costexplorer.GetCostAndUsageInput{
		TimePeriod:  &cetypes.DateInterval{Start: aws.String(from), End: aws.String(to)},
		Granularity: cetypes.GranularityMonthly,
		Metrics:     []string{"UnblendedCost", "NetAmortizedCost", "UsageQuantity"},
		GroupBy: []cetypes.GroupDefinition{{Type: cetypes.GroupDefinitionTypeDimension, Key: aws.String("SERVICE")},
			{Type: cetypes.GroupDefinitionTypeDimension, Key: aws.String("USAGE_TYPE")}},
	}
}

// TestCostExplorerPagesTheBill: every line of every month comes back once,
// keyed [service, usage type], three groups a page, periods clipped to the
// request's and the month to date marked Estimated.
func TestCostExplorerPagesTheBill(t *testing.T) {
	snap := billAccount()
	srv := awsemu.NewServer(t, snap, awsemu.Options{})
	ce := costexplorer.NewFromConfig(cfg(srv.URL))
	in := costAndUsage("2025-10-01", "2025-11-20")
	got := map[string][]string{} // month start → "service|usage type|cost|net|qty unit"
	estimated := map[string]bool{}
	pages := 0
	for {
		out, err := ce.GetCostAndUsage(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.ResultsByTime {
			start := aws.ToString(r.TimePeriod.Start)
			estimated[start+"/"+aws.ToString(r.TimePeriod.End)] = r.Estimated
			for _, g := range r.Groups {
				m := g.Metrics
				got[start] = append(got[start], g.Keys[0]+"|"+g.Keys[1]+"|"+aws.ToString(m["UnblendedCost"].Amount)+"|"+
					aws.ToString(m["NetAmortizedCost"].Amount)+"|"+aws.ToString(m["UsageQuantity"].Amount)+" "+aws.ToString(m["UsageQuantity"].Unit))
			}
		}
		if in.NextPageToken = out.NextPageToken; in.NextPageToken == nil {
			break
		}
	}
	if pages != 3 {
		t.Errorf("%d pages for 7 groups, want 3", pages)
	}
	for _, m := range snap.Bill.Months {
		key := m.Start.Format(time.DateOnly)
		if len(got[key]) != len(m.Lines) {
			t.Fatalf("%s: %d groups, want %d: %v", key, len(got[key]), len(m.Lines), got[key])
		}
		for i, l := range m.Lines {
			want := l.Service + "|" + l.UsageType + "|" + l.UnblendedCost.String() + "|" + l.NetAmortizedCost.String() + "|" + l.UsageQuantity.String() + " " + l.Unit
			if got[key][i] != want {
				t.Errorf("%s group %d = %q, want %q", key, i, got[key][i], want)
			}
		}
	}
	if want := map[string]bool{"2025-10-01/2025-11-01": false, "2025-11-01/2025-11-20": true}; len(estimated) != 2 ||
		estimated["2025-10-01/2025-11-01"] != want["2025-10-01/2025-11-01"] || estimated["2025-11-01/2025-11-20"] != want["2025-11-01/2025-11-20"] {
		t.Errorf("periods and Estimated = %v, want %v", estimated, want)
	}
}

// TestCostExplorerPagesTheDays: DAILY answers one ResultsByTime a day of
// the request's period, a day without lines included with no groups, each
// day's lines in the bill's order, a hundred groups a page, and the month
// to date's days Estimated.
func TestCostExplorerPagesTheDays(t *testing.T) {
	snap := billAccount()
	var want []string // "day|service|usage type|cost|net|qty unit"
	for d := day(2025, 10, 1); d.Before(day(2025, 11, 20)); d = d.AddDate(0, 0, 1) {
		if d.Equal(day(2025, 10, 5)) {
			continue // a day the bill has no line of
		}
		for i, ut := range []string{"USE1-Fargate-vCPU-Hours:perCPU", "DataProcessing-Bytes", "TimedStorage-ByteHrs"} {
			l := cwlens.BillLine{Service: "AmazonCloudWatch", UsageType: ut, UnblendedCost: decimal.New(int64(d.Day()*10+i), -2),
				NetAmortizedCost: decimal.New(int64(d.Day()), -2), UsageQuantity: decimal.New(int64(i), 0), Unit: "GB"}
			snap.Bill.Daily = append(snap.Bill.Daily, cwlens.BillDay{Date: d, BillLine: l})
			want = append(want, d.Format(time.DateOnly)+"|"+l.Service+"|"+ut+"|"+l.UnblendedCost.String()+"|"+
				l.NetAmortizedCost.String()+"|"+l.UsageQuantity.String()+" GB")
		}
	}
	srv := awsemu.NewServer(t, snap, awsemu.Options{})
	ce := costexplorer.NewFromConfig(cfg(srv.URL))
	in := costAndUsage("2025-10-01", "2025-11-20")
	in.Granularity = cetypes.GranularityDaily
	var got []string
	pages, days := 0, map[string]bool{}
	for {
		out, err := ce.GetCostAndUsage(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.ResultsByTime) != 50 {
			t.Fatalf("page %d: %d results, want one for each of the 50 days", pages, len(out.ResultsByTime))
		}
		for i, r := range out.ResultsByTime {
			start, end := aws.ToString(r.TimePeriod.Start), aws.ToString(r.TimePeriod.End)
			d := day(2025, 10, 1).AddDate(0, 0, i)
			if start != d.Format(time.DateOnly) || end != d.AddDate(0, 0, 1).Format(time.DateOnly) {
				t.Fatalf("result %d is %s to %s, want the day %s", i, start, end, d.Format(time.DateOnly))
			}
			days[start] = r.Estimated
			for _, g := range r.Groups {
				m := g.Metrics
				got = append(got, start+"|"+g.Keys[0]+"|"+g.Keys[1]+"|"+aws.ToString(m["UnblendedCost"].Amount)+"|"+
					aws.ToString(m["NetAmortizedCost"].Amount)+"|"+aws.ToString(m["UsageQuantity"].Amount)+" "+aws.ToString(m["UsageQuantity"].Unit))
			}
		}
		if in.NextPageToken = out.NextPageToken; in.NextPageToken == nil {
			break
		}
	}
	if pages != 2 {
		t.Errorf("%d pages for %d groups, want 2", pages, len(want))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("days:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if days["2025-10-31"] || !days["2025-11-01"] || !days["2025-11-19"] {
		t.Errorf("Estimated = %v, want October's days final and November's estimated", days)
	}
}

func TestCostExplorerFilterAndErrors(t *testing.T) {
	srv := awsemu.NewServer(t, billAccount(), awsemu.Options{})
	ce := costexplorer.NewFromConfig(cfg(srv.URL))
	ctx := context.Background()

	// A SERVICE filter keeps that service's lines; October alone is asked.
	in := costAndUsage("2025-10-01", "2025-11-01")
	in.Filter = &cetypes.Expression{Dimensions: &cetypes.DimensionValues{Key: cetypes.DimensionService, Values: []string{"AmazonCloudWatch"}}}
	out, err := ce.GetCostAndUsage(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ResultsByTime) != 1 || len(out.ResultsByTime[0].Groups) != 2 || out.NextPageToken != nil {
		t.Errorf("CloudWatch in October: %d months, groups %+v, token %v", len(out.ResultsByTime), out.ResultsByTime, out.NextPageToken)
	}

	bad := []struct {
		name string
		in   *costexplorer.GetCostAndUsageInput
		code string
	}{
		{"hourly", func() *costexplorer.GetCostAndUsageInput {
			i := costAndUsage("2025-10-01", "2025-11-01")
			i.Granularity = cetypes.GranularityHourly
			return i
		}(), "ValidationException"},
		{"end before start", costAndUsage("2025-11-01", "2025-10-01"), "ValidationException"},
		{"not a date", costAndUsage("2025-10", "2025-11-01"), "ValidationException"},
		{"forged token", func() *costexplorer.GetCostAndUsageInput {
			i := costAndUsage("2025-10-01", "2025-11-01")
			i.NextPageToken = aws.String("ce-page-99")
			return i
		}(), "ValidationException"},
	}
	for _, c := range bad {
		if _, err := ce.GetCostAndUsage(ctx, c.in); code(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}

	// Each metric is its own forecast; an older bill without the net
	// amortized one has none of it to give.
	noNet := billAccount()
	noNet.Bill.NetAmortizedForecast = nil
	older := costexplorer.NewFromConfig(cfg(awsemu.NewServer(t, noNet, awsemu.Options{}).URL))
	for _, tc := range []struct {
		name          string
		client        *costexplorer.Client
		metric        cetypes.Metric
		from          string
		mean, low, hi string
		code          string
	}{
		{"unblended", ce, cetypes.MetricUnblendedCost, "2025-11-20", "14.2", "12.9", "15.6", ""},
		{"net amortized", ce, cetypes.MetricNetAmortizedCost, "2025-11-20", "11.4", "10.3", "12.5", ""},
		{"another period", ce, cetypes.MetricUnblendedCost, "2025-11-21", "", "", "", "DataUnavailableException"},
		{"a metric not emulated", ce, cetypes.MetricBlendedCost, "2025-11-20", "", "", "", "ValidationException"},
		{"net amortized, older bill", older, cetypes.MetricNetAmortizedCost, "2025-11-20", "", "", "", "DataUnavailableException"},
		{"unblended, older bill", older, cetypes.MetricUnblendedCost, "2025-11-20", "14.2", "12.9", "15.6", ""},
	} {
		f, err := tc.client.GetCostForecast(ctx, &costexplorer.GetCostForecastInput{
			TimePeriod: &cetypes.DateInterval{Start: aws.String(tc.from), End: aws.String("2025-12-01")},
			Metric:     tc.metric, Granularity: cetypes.GranularityMonthly, PredictionIntervalLevel: aws.Int32(80)})
		if code(err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
			continue
		}
		if err != nil {
			continue
		}
		if r := f.ForecastResultsByTime; aws.ToString(f.Total.Amount) != tc.mean || len(r) != 1 || aws.ToString(r[0].MeanValue) != tc.mean ||
			aws.ToString(r[0].PredictionIntervalLowerBound) != tc.low || aws.ToString(r[0].PredictionIntervalUpperBound) != tc.hi {
			t.Errorf("%s: forecast = %+v, want %s (%s–%s)", tc.name, f, tc.mean, tc.low, tc.hi)
		}
	}

	denied := awsemu.NewServer(t, billAccount(), awsemu.Options{Faults: awsemu.Faults{Deny: []string{"ce"}}})
	dce := costexplorer.NewFromConfig(cfg(denied.URL))
	if _, err := dce.GetCostAndUsage(ctx, costAndUsage("2025-10-01", "2025-11-01")); code(err) != "AccessDeniedException" {
		t.Errorf("deny=ce: %v, want AccessDeniedException", err)
	}
}

// TestCostExplorerOnlyWithABill: an account without a bill serves no Cost
// Explorer, so a scan of it cannot invent one.
func TestCostExplorerOnlyWithABill(t *testing.T) {
	srv := awsemu.NewServer(t, account(), awsemu.Options{})
	_, err := costexplorer.NewFromConfig(cfg(srv.URL)).GetCostAndUsage(context.Background(), costAndUsage("2025-10-01", "2025-11-01"))
	if err == nil {
		t.Fatal("Cost Explorer answered for an account without a bill")
	}
}
