//go:build e2e

// This benchmark runs the built bootstrap (lambda_test.go) on a large
// account; it builds with -tags e2e, as the bootstrap tests do.

package main

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cwlens/cwlens/internal/awsemu"
)

// BenchmarkBootstrapScale runs the built function once on a large synthetic
// account (10,000 log groups, 2,000 metric filters, 200 services, 35 days)
// served at AWS's request quotas, and reports what sizes the Lambda function:
// the invocation's wall time and the process's peak resident memory.
//
//	go test ./cmd/cwlens-lambda -run '^$' -bench BootstrapScale -benchtime 1x
func BenchmarkBootstrapScale(b *testing.B) {
	bin := buildBootstrap(b)
	now := time.Now().UTC()
	spec := awsemu.Synthetic{LogGroups: 10000, MetricFilters: 2000, Services: 200, Clusters: 4, Days: 35, End: now.Truncate(time.Hour), Seed: 1}
	snap := spec.Build()
	for i := 0; i < b.N; i++ {
		st, _ := awsemu.NewS3("", bucket)
		sn, _ := awsemu.NewSNS("")
		srv := httptest.NewServer(account(snap, awsemu.Options{}, st, sn))
		rt := newFakeRuntime(b)
		fn := startFunction(b, bin, rt, srv.URL)
		out, took := rt.invoke(b, scheduledEvent(now), 15*time.Minute)
		peak := fn.stop()
		srv.Close()
		if out.err {
			b.Fatalf("error: %s", out.body)
		}
		b.ReportMetric(took.Seconds(), "s/invocation")
		b.ReportMetric(peak, "peak-RSS-MB")
		b.Logf("%d log groups, %d services: invocation %v, peak RSS %.0f MB; response %s", spec.LogGroups, spec.Services, took.Round(time.Millisecond), peak, out.body)
	}
}
