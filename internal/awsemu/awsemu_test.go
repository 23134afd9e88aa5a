package awsemu_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/internal/sdkhttp"
)

var end = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)

func account() *cwlens.Snapshot {
	return awsemu.Synthetic{LogGroups: 60, MetricFilters: 10, Services: 12, Clusters: 1, Days: 35, End: end, Seed: 1}.Build()
}

// cfg points real SDK clients at url with fake credentials and no retries,
// so each test sees the emulator's first answer.
func cfg(url string) aws.Config {
	return sdkhttp.Config(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint:     aws.String(url),
		RetryMaxAttempts: 1,
	})
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return "non-API error: " + err.Error()
	}
	return ""
}

func TestParseFaults(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want awsemu.Faults
		err  string
	}{
		{"", awsemu.Faults{Seed: 1}, ""},
		{"throttle=0.3,5xx=0.05", awsemu.Faults{Throttle: 0.3, Internal: 0.05, Seed: 1}, ""},
		{"deny=ecs,deny=logs:DescribeMetricFilters,seed=9,slow=20ms,expire=logs:DescribeLogGroups",
			awsemu.Faults{Seed: 9, Slow: 20 * time.Millisecond, Deny: []string{"ecs", "logs:DescribeMetricFilters"}, ExpireToken: []string{"logs:DescribeLogGroups"}}, ""},
		{"throttle=1.5", awsemu.Faults{}, "not a fraction"},
		{"throttle=0.6,5xx=0.6", awsemu.Faults{}, "more than 1"},
		{"flood=1", awsemu.Faults{}, "unknown kind"},
		{"throttle", awsemu.Faults{}, "want key=value"},
		{"slow=fast", awsemu.Faults{}, "slow=fast"},
		{"throttle=NaN", awsemu.Faults{}, "not a fraction"},
		{"slow=-1s", awsemu.Faults{}, "negative"},
		{"gmd-internal=0.2,gmd-partial=0.1,gmd-message=0.05,gmd-call-message=0.01,insights-cap=100",
			awsemu.Faults{Seed: 1, GMDInternal: 0.2, GMDPartial: 0.1, GMDMessage: 0.05, GMDCallMessage: 0.01, InsightsCap: 100}, ""},
		{"gmd-internal=1", awsemu.Faults{}, "would never let a result through"},
		{"gmd-partial=2", awsemu.Faults{}, "not a fraction"},
		{"insights-cap=0", awsemu.Faults{}, "not a positive number of metrics"},
		{"insights-cap=many", awsemu.Faults{}, "insights-cap=many"},
	} {
		got, err := awsemu.ParseFaults(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseFaults(%q) error = %v, want one mentioning %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("ParseFaults(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

// TestPageSizesAndLimits checks the emulator refuses what AWS refuses.
func TestPageSizesAndLimits(t *testing.T) {
	srv := awsemu.NewServer(t, account(), awsemu.Options{NoQuotas: true})
	c := cfg(srv.URL)
	ctx := context.Background()
	logs := cloudwatchlogs.NewFromConfig(c)
	ecsc := ecs.NewFromConfig(c)
	cw := cloudwatch.NewFromConfig(c)

	out, err := logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{})
	if err != nil || len(out.LogGroups) != 50 || out.NextToken == nil {
		t.Errorf("DescribeLogGroups default page: %d groups, token %v, err %v; want 50 and a token", len(out.LogGroups), out.NextToken, err)
	}
	if _, err := logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(51)}); code(err) != "InvalidParameterException" {
		t.Errorf("DescribeLogGroups limit 51: %v, want InvalidParameterException", err)
	}
	pat, err := logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("app-0000")})
	if err != nil || len(pat.LogGroups) == 0 || pat.LogGroups[0].StoredBytes != nil || pat.LogGroups[0].RetentionInDays != nil {
		t.Errorf("DescribeLogGroups with a pattern must drop storedBytes and retention (AWS does): %+v, %v", pat, err)
	}
	if _, err := logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{NextToken: aws.String("bogus")}); code(err) != "InvalidParameterException" {
		t.Errorf("DescribeLogGroups bad token: %v", err)
	}
	svcs := make([]string, 11)
	for i := range svcs {
		svcs[i] = fmt.Sprintf("svc-%04d", i)
	}
	if _, err := ecsc.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("cluster-00"), Services: svcs}); code(err) != "InvalidParameterException" {
		t.Errorf("DescribeServices with 11 services: %v, want InvalidParameterException", err)
	}
	ls, err := ecsc.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("cluster-00")})
	if err != nil || len(ls.ServiceArns) != 10 || ls.NextToken == nil {
		t.Errorf("ListServices default page: %d ARNs, err %v; want 10 and a token", len(ls.ServiceArns), err)
	}
	if _, err := ecsc.ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("nope")}); code(err) != "ClusterNotFoundException" {
		t.Errorf("ListServices on a missing cluster: %v", err)
	}
	q := make([]cwtypes.MetricDataQuery, 501)
	for i := range q {
		q[i] = cwtypes.MetricDataQuery{Id: aws.String(fmt.Sprintf("q%d", i)), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Logs"), MetricName: aws.String("IncomingBytes")}, Period: aws.Int32(3600), Stat: aws.String("Sum")}}
	}
	if _, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{MetricDataQueries: q, StartTime: aws.Time(end.Add(-time.Hour)), EndTime: aws.Time(end)}); code(err) != "InvalidParameterValue" {
		t.Errorf("GetMetricData with 501 queries: %v, want InvalidParameterValue", err)
	}
}

// TestGetMetricDataPagination asks for more datapoints than a page holds
// and checks that the pages put together are the series, missing points
// left out, in the order asked.
func TestGetMetricDataPagination(t *testing.T) {
	snap := awsemu.Synthetic{LogGroups: 3, MetricFilters: 1, Days: 35, End: end, Seed: 2, MissingEvery: 5}.Build()
	srv := awsemu.NewServer(t, snap, awsemu.Options{NoQuotas: true})
	cw := cloudwatch.NewFromConfig(cfg(srv.URL))
	g := snap.LogGroups[1]
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(g.HourlyIncomingBytes.Start), EndTime: aws.Time(end),
		ScanBy: cwtypes.ScanByTimestampAscending, MaxDatapoints: aws.Int32(50),
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("b"), MetricStat: &cwtypes.MetricStat{
			Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Logs"), MetricName: aws.String("IncomingBytes"),
				Dimensions: []cwtypes.Dimension{{Name: aws.String("LogGroupName"), Value: aws.String(g.Name)}}},
			Period: aws.Int32(3600), Stat: aws.String("Sum")}}},
	}
	var ts []time.Time
	var vs []float64
	pages := 0
	for p := cloudwatch.NewGetMetricDataPaginator(cw, in); p.HasMorePages(); {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.MetricDataResults {
			ts = append(ts, r.Timestamps...)
			vs = append(vs, r.Values...)
		}
	}
	want := g.HourlyIncomingBytes
	if pages != (want.Present()+49)/50 || len(ts) != want.Present() {
		t.Fatalf("%d pages, %d points; want %d pages, %d points", pages, len(ts), (want.Present()+49)/50, want.Present())
	}
	for k, tm := range ts {
		i, ok := want.Index(tm)
		if !ok || want.Values[i] != vs[k] || (k > 0 && !tm.After(ts[k-1])) {
			t.Fatalf("point %d at %s = %v: not the series' point in ascending order", k, tm, vs[k])
		}
	}
	// A metric filter's metric is kept hourly; a 1-day period sums it.
	f := snap.LogGroups[0].MetricFilters[0]
	in.MetricDataQueries[0].MetricStat = &cwtypes.MetricStat{
		Metric: &cwtypes.Metric{Namespace: aws.String(f.MetricNamespace), MetricName: aws.String(f.MetricName)},
		Period: aws.Int32(86400), Stat: aws.String("Sum")}
	in.MaxDatapoints, in.NextToken = nil, nil
	out, err := cw.GetMetricData(context.Background(), in)
	if err != nil || len(out.MetricDataResults) != 1 || len(out.MetricDataResults[0].Values) != 7 {
		t.Fatalf("daily over 7 days: %+v, %v", out, err)
	}
	for d, v := range out.MetricDataResults[0].Values {
		day := f.Counts.Slice(f.Counts.Start.Add(time.Duration(d)*cwlens.Day), f.Counts.Start.Add(time.Duration(d+1)*cwlens.Day))
		if sum, _ := day.Sum(); sum != v {
			t.Errorf("day %d: %v, want the sum of its hours %v", d, v, sum)
		}
	}
}

// TestQuotasAndErrorShapes drives each protocol into its throttling and
// access-denied errors and checks the SDK reads the code AWS sends.
func TestQuotasAndErrorShapes(t *testing.T) {
	ctx := context.Background()
	// A tiny time scale stops the bucket refilling during the test: of 25
	// calls, the bucket's 10 pass and 15 are throttled, however slow the
	// machine.
	srv := awsemu.NewServer(t, account(), awsemu.Options{TimeScale: 1e-9})
	logs := cloudwatchlogs.NewFromConfig(cfg(srv.URL))
	throttled := 0
	for range 25 { // DescribeLogGroups: 10 TPS, a bucket of 10
		if _, err := logs.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{}); code(err) == "ThrottlingException" {
			throttled++
		}
	}
	if throttled != 15 {
		t.Errorf("25 DescribeLogGroups at once: %d throttled, want 15 over a bucket of 10", throttled)
	}
	if c := srv.Calls()["logs:DescribeLogGroups"]; c.Requests != 25 || c.Throttled != throttled {
		t.Errorf("call count %+v, want 25 requests, %d throttled", c, throttled)
	}

	denied := awsemu.NewServer(t, account(), awsemu.Options{Faults: awsemu.Faults{Deny: []string{"sts", "cloudwatch", "ecs:ListClusters"}}})
	dc := cfg(denied.URL)
	if _, err := sts.NewFromConfig(dc).GetCallerIdentity(ctx, nil); code(err) != "AccessDenied" {
		t.Errorf("STS denied: %v, want AccessDenied (awsQuery XML error)", err)
	}
	_, err := cloudwatch.NewFromConfig(dc).GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(end.Add(-time.Hour)), EndTime: aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String("a"), MetricStat: &cwtypes.MetricStat{Metric: &cwtypes.Metric{Namespace: aws.String("X"), MetricName: aws.String("Y")}, Period: aws.Int32(60), Stat: aws.String("Sum")}}}})
	if code(err) != "AccessDenied" {
		t.Errorf("CloudWatch denied: %v, want AccessDenied (CBOR error, X-Amzn-Query-Error code)", err)
	}
	if _, err := ecs.NewFromConfig(dc).ListClusters(ctx, nil); code(err) != "AccessDeniedException" {
		t.Errorf("ECS ListClusters denied: %v", err)
	}
	if _, err := ecs.NewFromConfig(dc).ListServices(ctx, &ecs.ListServicesInput{Cluster: aws.String("cluster-00")}); err != nil {
		t.Errorf("ECS ListServices is not denied, got %v", err)
	}

	faulty := awsemu.NewServer(t, account(), awsemu.Options{NoQuotas: true, Faults: awsemu.Faults{Throttle: 0.5, Internal: 0.5, Seed: 3}})
	cwc := cloudwatch.NewFromConfig(cfg(faulty.URL))
	seen := map[string]bool{}
	for i := range 20 {
		_, err := cwc.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(end.Add(-time.Hour)), EndTime: aws.Time(end),
			MetricDataQueries: []cwtypes.MetricDataQuery{{Id: aws.String(fmt.Sprintf("a%d", i)), MetricStat: &cwtypes.MetricStat{Metric: &cwtypes.Metric{Namespace: aws.String("X"), MetricName: aws.String("Y")}, Period: aws.Int32(60), Stat: aws.String("Sum")}}}})
		seen[code(err)] = true
	}
	if !seen["Throttling"] || !seen["InternalServiceError"] || len(seen) != 2 {
		t.Errorf("CloudWatch injected faults gave codes %v, want Throttling and InternalServiceError", seen)
	}
}

// TestFaultsAreReproducible: the same logical request meets the same
// faults whatever order requests arrive in.
func TestFaultsAreReproducible(t *testing.T) {
	outcomes := func(order []int) map[int]string {
		srv := awsemu.NewServer(t, account(), awsemu.Options{NoQuotas: true, Faults: awsemu.Faults{Throttle: 0.3, Internal: 0.1, Seed: 5}})
		logs := cloudwatchlogs.NewFromConfig(cfg(srv.URL))
		got := map[int]string{}
		for _, i := range order {
			_, err := logs.DescribeLogGroups(context.Background(), &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(int32(i))})
			got[i] = code(err)
		}
		return got
	}
	a := outcomes([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	b := outcomes([]int{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1})
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("faults depend on order:\n%v\n%v", a, b)
	}
	faults := 0
	for _, c := range a {
		if c != "" {
			faults++
		}
	}
	if faults == 0 || faults == len(a) {
		t.Errorf("%d of %d requests faulted at 40 %%: the fault draw is not working", faults, len(a))
	}
}

// FuzzParseFaults: the --faults parser never panics, and what it accepts
// is a valid fault set.
func FuzzParseFaults(f *testing.F) {
	for _, s := range []string{"", "throttle=0.3,5xx=0.05", "deny=ecs,deny=logs:DescribeLogGroups", "slow=1s,seed=-3", "expire=x,throttle=1", "=,=", "throttle=NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := awsemu.ParseFaults(s)
		if err != nil {
			return
		}
		if !(got.Throttle >= 0 && got.Internal >= 0 && got.Throttle+got.Internal <= 1) || got.Slow < 0 {
			t.Errorf("ParseFaults(%q) accepted %+v", s, got)
		}
	})
}
