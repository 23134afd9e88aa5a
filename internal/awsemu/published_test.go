package awsemu_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// publishedAccount has two log groups whose filters publish one metric
// ("App/Errors"), a zero hour in the first group's ingestion, a value
// metric and a filter with a default value.
func publishedAccount() *cwlens.Snapshot {
	snap := awsemu.Synthetic{LogGroups: 2, Days: 2, End: end, Seed: 4}.Build()
	hours := func(vs ...float64) cwlens.Series {
		s := snap.LogGroups[0].HourlyIncomingEvents
		s.Values = make([]float64, s.Len())
		copy(s.Values, vs)
		return s
	}
	a, b := &snap.LogGroups[0], &snap.LogGroups[1]
	a.HourlyIncomingBytes.Values[0], a.HourlyIncomingEvents.Values[0] = 0, 0
	zero := 0.0
	a.MetricFilters = []cwlens.MetricFilter{
		{Name: "errors", Pattern: "ERROR", MetricNamespace: "App", MetricName: "Errors", MetricValue: "1", Counts: hours(0, 3, 0, 5)},
		{Name: "latency", Pattern: "{ $.latency = * }", MetricNamespace: "App", MetricName: "Latency", MetricValue: "$.latency", Unit: "Milliseconds",
			Counts: hours(0, 2, 1), Values: hours(0, 250.5, 40)},
		{Name: "fatal", Pattern: "FATAL", MetricNamespace: "App", MetricName: "Fatal", MetricValue: "1", DefaultValue: &zero, Counts: hours(0, 0, 2)},
	}
	b.MetricFilters = []cwlens.MetricFilter{
		{Name: "errors", Pattern: "ERROR", MetricNamespace: "App", MetricName: "Errors", MetricValue: "1", Counts: hours(0, 4, 0, 0, 7)},
	}
	a.MetricFilters[1].Values.Unit = "Milliseconds"
	return snap
}

func gmd(t *testing.T, cw *cloudwatch.Client, start time.Time, queries ...cwtypes.MetricDataQuery) map[string]cwtypes.MetricDataResult {
	t.Helper()
	out, err := cw.GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start), EndTime: aws.Time(start.Add(6 * time.Hour)),
		ScanBy: cwtypes.ScanByTimestampAscending, MetricDataQueries: queries})
	if err != nil {
		t.Fatal(err)
	}
	res := map[string]cwtypes.MetricDataResult{}
	for _, r := range out.MetricDataResults {
		res[aws.ToString(r.Id)] = r
	}
	return res
}

func stat(id, ns, name, st string, dims ...string) cwtypes.MetricDataQuery {
	m := &cwtypes.Metric{Namespace: aws.String(ns), MetricName: aws.String(name)}
	for i := 0; i+1 < len(dims); i += 2 {
		m.Dimensions = append(m.Dimensions, cwtypes.Dimension{Name: aws.String(dims[i]), Value: aws.String(dims[i+1])})
	}
	return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{Metric: m, Period: aws.Int32(3600), Stat: aws.String(st)}}
}

// TestPublishedOnlyWithData: through the real CloudWatch client, the
// emulator gives no datapoint where AWS publishes none (an hour with no
// ingestion, a filter's hour with no match), sums the filters that publish
// one metric, counts matches of a value metric with SampleCount and adds
// their values with Sum, and publishes a filter's default value for hours
// with events but no match.
func TestPublishedOnlyWithData(t *testing.T) {
	snap := publishedAccount()
	srv := awsemu.NewServer(t, snap, awsemu.Options{NoQuotas: true})
	cw := cloudwatch.NewFromConfig(cfg(srv.URL))
	a := snap.LogGroups[0]
	start := a.HourlyIncomingEvents.Start
	h := func(i int) time.Time { return start.Add(time.Duration(i) * time.Hour) }
	res := gmd(t, cw, start,
		stat("bytes", "AWS/Logs", "IncomingBytes", "Sum", "LogGroupName", a.Name),
		stat("errors", "App", "Errors", "Sum"),
		stat("latn", "App", "Latency", "SampleCount"),
		stat("lats", "App", "Latency", "Sum"),
		stat("fataln", "App", "Fatal", "SampleCount"),
		stat("fatals", "App", "Fatal", "Sum"),
	)
	type pt struct {
		t time.Time
		v float64
	}
	points := func(id string) []pt {
		var out []pt
		r := res[id]
		for i := range r.Timestamps {
			out = append(out, pt{r.Timestamps[i].UTC(), r.Values[i]})
		}
		return out
	}
	check := func(id string, want ...pt) {
		t.Helper()
		got := points(id)
		if len(got) != len(want) {
			t.Fatalf("%s: %v, want %v", id, got, want)
		}
		for i := range want {
			if !got[i].t.Equal(want[i].t) || got[i].v != want[i].v {
				t.Fatalf("%s: %v, want %v", id, got, want)
			}
		}
	}
	if p := points("bytes"); len(p) != 5 || !p[0].t.Equal(h(1)) {
		t.Errorf("IncomingBytes: %v, want no datapoint for the hour with no ingestion (%s)", p, h(0))
	}
	check("errors", pt{h(1), 7}, pt{h(3), 5}, pt{h(4), 7})
	check("latn", pt{h(1), 2}, pt{h(2), 1})
	check("lats", pt{h(1), 250.5}, pt{h(2), 40})
	// Fatal: no match in hours 1 and 3–5, events in each: 60 default
	// samples of 0; in hour 2, 2 matches and 58 defaults; hour 0 had no
	// events, so nothing.
	ev := a.HourlyIncomingEvents.Values
	if ev[1] < 60 || ev[2] < 60 {
		t.Fatalf("the synthetic account has fewer than 60 events an hour: %v", ev[:3])
	}
	check("fataln", pt{h(1), 60}, pt{h(2), 60}, pt{h(3), 60}, pt{h(4), 60}, pt{h(5), 60})
	check("fatals", pt{h(1), 0}, pt{h(2), 2}, pt{h(3), 0}, pt{h(4), 0}, pt{h(5), 0})
}

// TestGetMetricDataFaults: through the real CloudWatch client, the
// injected GetMetricData answers have the shapes the API reference gives
// them: InternalError results with a NextToken that resumes the query, so
// following the tokens reads every datapoint; a final PartialData with
// fewer points and no token; messages on results and on the call; and a
// Metrics Insights query past its metric cap answered with
// MaxMetricsExceeded.
func TestGetMetricDataFaults(t *testing.T) {
	snap := awsemu.Synthetic{LogGroups: 3, MetricFilters: 3, Days: 3, End: end, Seed: 2}.Build()
	queries := func() *cloudwatch.GetMetricDataInput {
		in := &cloudwatch.GetMetricDataInput{StartTime: aws.Time(snap.Window.Start), EndTime: aws.Time(end), ScanBy: cwtypes.ScanByTimestampAscending}
		for i, g := range snap.LogGroups {
			in.MetricDataQueries = append(in.MetricDataQueries, stat(fmt.Sprintf("b%d", i), "AWS/Logs", "IncomingBytes", "Sum", "LogGroupName", g.Name))
		}
		return in
	}
	read := func(faults string) (points int, statuses map[cwtypes.StatusCode]int, messages []string) {
		f, err := awsemu.ParseFaults(faults)
		if err != nil {
			t.Fatal(err)
		}
		srv := awsemu.NewServer(t, snap, awsemu.Options{NoQuotas: true, Faults: f})
		cw := cloudwatch.NewFromConfig(cfg(srv.URL))
		statuses = map[cwtypes.StatusCode]int{}
		for p := cloudwatch.NewGetMetricDataPaginator(cw, queries()); p.HasMorePages(); {
			out, err := p.NextPage(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range out.Messages {
				messages = append(messages, "call "+aws.ToString(m.Code))
			}
			for _, r := range out.MetricDataResults {
				points += len(r.Values)
				statuses[r.StatusCode]++
				for _, m := range r.Messages {
					messages = append(messages, "result "+aws.ToString(m.Code))
				}
			}
		}
		return points, statuses, messages
	}
	clean, _, _ := read("")
	n, st, _ := read("gmd-internal=0.5,seed=3")
	if st[cwtypes.StatusCodeInternalError] == 0 || n != clean {
		t.Errorf("gmd-internal: %v, %d points; want InternalError results and all %d points through the tokens", st, n, clean)
	}
	n, st, _ = read("gmd-partial=0.99,seed=3")
	if st[cwtypes.StatusCodePartialData] == 0 || n >= clean {
		t.Errorf("gmd-partial: %v, %d points; want final PartialData results with fewer than %d points", st, n, clean)
	}
	if _, _, msgs := read("gmd-message=0.99,gmd-call-message=0.99,seed=3"); !slices.Contains(msgs, "result EmulatedNotice") || !slices.Contains(msgs, "call EmulatedNotice") {
		t.Errorf("messages %q", msgs)
	}
	// Metrics Insights over a dimensioned metric split into 2 or 3
	// combinations, capped at 1.
	f := &snap.LogGroups[0].MetricFilters[0]
	f.Dimensions = map[string]string{"service": "$.service"}
	srv := awsemu.NewServer(t, snap, awsemu.Options{NoQuotas: true, Faults: awsemu.Faults{InsightsCap: 1}})
	out, err := cloudwatch.NewFromConfig(cfg(srv.URL)).GetMetricData(context.Background(), &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(f.Counts.Start), EndTime: aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("q"), Period: aws.Int32(3600),
			Expression: aws.String(fmt.Sprintf(`SELECT SUM(%s) FROM SCHEMA(%s, service)`, f.MetricName, f.MetricNamespace))}}})
	if err != nil || len(out.Messages) != 1 || aws.ToString(out.Messages[0].Code) != "MaxMetricsExceeded" {
		t.Errorf("capped Insights query: %+v, %v; want a MaxMetricsExceeded message", out, err)
	}
}
