package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/internal/awsquota"
)

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// minimumCalls is the fewest calls per API that can read spec's account
// (one cluster page, services spread evenly over the clusters):
//
//   - DescribeLogGroups and DescribeMetricFilters: 50 items a page;
//   - GetMetricData: per time range, every query asks for the same number
//     of points, so a call holds min(500, 100,800 ÷ points) of them —
//     daily ingestion over the window's whole days, hourly ingestion and
//     metric-filter metrics (their SampleCount; none of Synthetic's
//     needs a Sum) over the last 7 days, hourly ECS utilisation and
//     Container Insights' running tasks over the last 14 (5 queries a
//     service);
//   - ListServices 100 and DescribeServices 10 services a call per
//     cluster; DescribeTaskDefinition once per task definition.
func minimumCalls(s awsemu.Synthetic) map[string]int {
	perCluster := ceilDiv(s.Services, s.Clusters)
	gmd := func(queries, points int) int {
		if queries == 0 {
			return 0
		}
		return ceilDiv(queries, min(500, 100800/points))
	}
	hourlyDays := min(7, s.Days)
	serviceDays := min(14, s.Days)
	return map[string]int{
		"sts:GetCallerIdentity":      1,
		"logs:DescribeLogGroups":     max(1, ceilDiv(s.LogGroups, 50)),
		"logs:DescribeMetricFilters": max(1, ceilDiv(s.MetricFilters, 50)),
		"cloudwatch:GetMetricData": gmd(2*s.LogGroups, s.Days) +
			gmd(2*s.LogGroups+s.MetricFilters, 24*hourlyDays) +
			gmd(5*s.Services, 24*serviceDays),
		"ecs:ListClusters":           1,
		"ecs:ListServices":           s.Clusters * ceilDiv(perCluster, 100),
		"ecs:DescribeServices":       s.Clusters * ceilDiv(perCluster, 10),
		"ecs:DescribeTaskDefinition": s.Services, // Synthetic gives each service its own
	}
}

// quotaBound is the time the slowest API needs at AWS's quota: its calls
// divided by its rate (the measure), and the name of that API.
func quotaBound(calls map[string]int) (time.Duration, string) {
	var worst time.Duration
	var which string
	for _, q := range awsquota.Default() {
		n := 0
		for _, api := range q.APIs {
			n += calls[api]
		}
		if d := time.Duration(float64(n) / q.Rate * float64(time.Second)); d > worst {
			worst, which = d, q.Name
		}
	}
	return worst, which
}

// TestScanMakesTheMinimumCalls scans a mid-sized account with the quotas
// sped up and checks the scan made exactly the fewest calls possible.
func TestScanMakesTheMinimumCalls(t *testing.T) {
	spec := awsemu.Synthetic{LogGroups: 640, MetricFilters: 160, Services: 45, Clusters: 3, Days: 30, End: synthEnd, Seed: 4}
	want := spec.Build()
	got, srv := scan(t, want, "")
	if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
		t.Fatal(d)
	}
	calls := srv.Calls()
	for api, n := range minimumCalls(spec) {
		if c := calls[api]; c.Requests != n || c.OK != n {
			t.Errorf("%s: %d requests (%d ok), minimum %d", api, c.Requests, c.OK, n)
		}
	}
}

// peakRSS returns the process's peak resident set (VmHWM), in bytes.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// BenchmarkScanScale scans a synthetic account of 10,000 log groups, 2,000
// metric filters and 200 services over 30 days, served by the emulator at
// AWS's real quotas (about 20 s a scan: run it with -benchtime 1x). It
// reports the calls made beside the minimum, the wall time beside the
// quota-bound time and the peak RSS (VmHWM, emulator included).
//
//	go test ./ingest -run '^$' -bench ScanScale -benchtime 1x -benchmem
func BenchmarkScanScale(b *testing.B) {
	spec := awsemu.Synthetic{LogGroups: 10000, MetricFilters: 2000, Services: 200, Clusters: 4, Days: 30, End: synthEnd, Seed: 1}
	snap := spec.Build()
	minimum := minimumCalls(spec)
	bound, slowest := quotaBound(minimum)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv := awsemu.New(snap, awsemu.Options{}).Start() // fresh quota buckets
		cfg := testConfig(srv.URL)
		opts := ingest.Options{Until: snap.Window.End, Days: spec.Days, Now: func() time.Time { return snap.Window.End.Add(time.Hour) }}
		runtime.GC()
		b.StartTimer()

		start := time.Now()
		got, err := ingest.New(cfg, opts).Scan(context.Background())
		wall := time.Since(start)

		b.StopTimer()
		srv.Close()
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Gaps) > 0 || len(got.LogGroups) != spec.LogGroups || len(got.Services) != spec.Services {
			b.Fatalf("scan: %d groups, %d services, gaps %v", len(got.LogGroups), len(got.Services), got.Gaps)
		}
		calls := srv.Calls()
		made, least := 0, 0
		var lines []string
		for api, n := range minimum {
			c := calls[api]
			made += c.Requests
			least += n
			lines = append(lines, fmt.Sprintf("%-28s %6d %7d %6.3f %9d %6d", api, c.Requests, n, float64(c.Requests)/float64(n), c.Throttled, c.Requests-c.OK-c.Throttled))
		}
		sort.Strings(lines)
		b.Logf("\n%-28s %6s %7s %6s %9s %6s\n%s\n%-28s %6d %7d %6.3f\nwall %.1f s; quota-bound %.1f s (%s); ratio %.3f; peak RSS %.0f MB",
			"API", "calls", "minimum", "ratio", "throttled", "failed", strings.Join(lines, "\n"), "total", made, least, float64(made)/float64(least),
			wall.Seconds(), bound.Seconds(), slowest, wall.Seconds()/bound.Seconds(), float64(peakRSS())/(1<<20))
		b.ReportMetric(float64(made)/float64(least), "calls/minimum")
		b.ReportMetric(wall.Seconds()/bound.Seconds(), "wall/bound")
		b.ReportMetric(float64(peakRSS())/(1<<20), "peakRSS-MB")
	}
}
