package awsemu_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// TestDimensionedFilterMetric: a metric filter with dimensions is served
// as AWS stores it, once per combination of values. A MetricStat without
// dimensions finds nothing, a Metrics Insights SUM over its SCHEMA gives
// its counts back exactly, and only one Insights query fits in a call.
func TestDimensionedFilterMetric(t *testing.T) {
	snap := awsemu.Synthetic{LogGroups: 3, MetricFilters: 2, Days: 35, End: end, Seed: 4, MissingEvery: 7}.Build()
	f := &snap.LogGroups[0].MetricFilters[0]
	f.MetricNamespace = "App/Errors"
	f.Dimensions = map[string]string{"service": "$.service", "az zone": "$.az"}
	srv := awsemu.NewServer(t, snap, awsemu.Options{NoQuotas: true})
	cw := cloudwatch.NewFromConfig(cfg(srv.URL))
	ctx := context.Background()
	in := func(qs ...cwtypes.MetricDataQuery) *cloudwatch.GetMetricDataInput {
		return &cloudwatch.GetMetricDataInput{StartTime: aws.Time(f.Counts.Start), EndTime: aws.Time(end),
			ScanBy: cwtypes.ScanByTimestampAscending, MetricDataQueries: qs}
	}
	bare := cwtypes.MetricDataQuery{Id: aws.String("m"), MetricStat: &cwtypes.MetricStat{
		Metric: &cwtypes.Metric{Namespace: aws.String(f.MetricNamespace), MetricName: aws.String(f.MetricName)},
		Period: aws.Int32(3600), Stat: aws.String("Sum")}}
	out, err := cw.GetMetricData(ctx, in(bare))
	if err != nil || len(out.MetricDataResults) != 1 || len(out.MetricDataResults[0].Values) != 0 {
		t.Fatalf("MetricStat without dimensions: %+v, %v; want one empty result", out, err)
	}

	q := func(id, expr string) cwtypes.MetricDataQuery {
		return cwtypes.MetricDataQuery{Id: aws.String(id), Expression: aws.String(expr), Period: aws.Int32(3600)}
	}
	expr := `SELECT SUM("` + f.MetricName + `") FROM SCHEMA("App/Errors", "az zone", service)`
	out, err = cw.GetMetricData(ctx, in(q("q", expr), bare))
	if err != nil || len(out.MetricDataResults) != 2 {
		t.Fatalf("Insights query: %+v, %v", out, err)
	}
	r := out.MetricDataResults[0]
	if len(r.Timestamps) != f.Counts.Present() {
		t.Fatalf("%d points, want the %d present in Counts", len(r.Timestamps), f.Counts.Present())
	}
	for k, ts := range r.Timestamps {
		i, ok := f.Counts.Index(ts)
		if !ok || f.Counts.Values[i] != r.Values[k] {
			t.Fatalf("point %s = %v, want Counts' %v", ts, r.Values[k], f.Counts.Values[i])
		}
	}

	for _, tc := range []struct {
		name string
		in   *cloudwatch.GetMetricDataInput
	}{
		{"two Insights queries", in(q("a", expr), q("b", expr))},
		{"no period", in(cwtypes.MetricDataQuery{Id: aws.String("a"), Expression: aws.String(expr)})},
		{"not Insights", in(q("a", "SUM(METRICS())"))},
		{"other function", in(q("a", `SELECT AVG("x") FROM SCHEMA("App/Errors")`))},
	} {
		if _, err := cw.GetMetricData(ctx, tc.in); code(err) != "InvalidParameterValue" {
			t.Errorf("%s: %v, want InvalidParameterValue", tc.name, err)
		}
	}

	// A SCHEMA with other dimensions, or none, matches no combination.
	for _, e := range []string{
		`SELECT SUM("` + f.MetricName + `") FROM SCHEMA("App/Errors", service)`,
		`SELECT SUM("` + f.MetricName + `") FROM SCHEMA("App/Errors")`,
	} {
		out, err := cw.GetMetricData(ctx, in(q("a", e)))
		if err != nil || len(out.MetricDataResults[0].Values) != 0 {
			t.Errorf("%s: %+v, %v; want no points", e, out, err)
		}
	}
}

// TestInsightsTwoWeeks: Metrics Insights reads at most two weeks back
// (Metrics Insights quotas), so older points are left out.
func TestInsightsTwoWeeks(t *testing.T) {
	snap := awsemu.Synthetic{LogGroups: 1, MetricFilters: 1, Days: 35, End: end, Seed: 4}.Build()
	f := &snap.LogGroups[0].MetricFilters[0]
	f.Dimensions = map[string]string{"service": "$.service"}
	now := end.Add(10 * cwlens.Day)
	srv := awsemu.NewServer(t, snap, awsemu.Options{NoQuotas: true, Now: now})
	out, err := cloudwatch.NewFromConfig(cfg(srv.URL)).GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(f.Counts.Start), EndTime: aws.Time(end), ScanBy: cwtypes.ScanByTimestampAscending,
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("q"), Period: aws.Int32(3600),
			Expression: aws.String(`SELECT SUM(` + f.MetricName + `) FROM SCHEMA(` + f.MetricNamespace + `, service)`)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	oldest := now.Add(-14 * cwlens.Day)
	want := f.Counts.Slice(oldest, end).Present()
	ts := out.MetricDataResults[0].Timestamps
	if len(ts) != want || want == 0 || ts[0].Before(oldest) {
		t.Fatalf("%d points from %v, want %d from %s", len(ts), ts[:min(1, len(ts))], want, oldest.Format(time.RFC3339))
	}
}
