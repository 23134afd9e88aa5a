//go:build e2e

// This benchmark runs the built bootstrap (lambda_test.go) on a large
// account; it builds with -tags e2e, as the bootstrap tests do.

package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/internal/scalebench"
)

// BenchmarkBootstrapScale runs the built function once on the scale
// benchmarks' synthetic account (internal/scalebench: 10,000 log groups,
// 2,000 metric filters, 200 services, 35 days; 50,000 groups too with
// CWLENS_BENCH_50K=1) served at AWS's request quotas, with the memory the
// function is given for it (512 MB for 10,000 groups, 1,024 MB for 50,000:
// the soft memory limit follows), and reports what sizes the Lambda
// function: the invocation's wall time and the process's peak resident
// memory.
//
//	go test -tags e2e ./cmd/cwlens-lambda -run '^$' -bench BootstrapScale -benchtime 1x
func BenchmarkBootstrapScale(b *testing.B) {
	sizes := []struct{ groups, memoryMB int }{{10_000, 512}}
	if os.Getenv("CWLENS_BENCH_50K") != "" {
		sizes = append(sizes, struct{ groups, memoryMB int }{50_000, 1024})
	}
	bin := buildBootstrap(b)
	for _, size := range sizes {
		b.Run(fmt.Sprintf("groups=%d", size.groups), func(b *testing.B) {
			now := time.Now().UTC()
			spec := scalebench.Account(size.groups, now)
			snap := spec.Build()
			for i := 0; i < b.N; i++ {
				st, _ := awsemu.NewS3("", bucket)
				sn, _ := awsemu.NewSNS("")
				srv := httptest.NewServer(account(snap, awsemu.Options{}, st, sn))
				rt := newFakeRuntime(b)
				fn := startFunction(b, bin, rt, srv.URL, fmt.Sprintf("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%d", size.memoryMB))
				out, took := rt.invoke(b, scheduledEvent(now), 15*time.Minute)
				peak := fn.stop()
				srv.Close()
				if out.err {
					b.Fatalf("error: %s", out.body)
				}
				b.ReportMetric(took.Seconds(), "s/invocation")
				b.ReportMetric(peak, "peak-RSS-MB")
				b.Logf("%d log groups, %d services, %d MB: invocation %v, peak RSS %.0f MB; response %s",
					spec.LogGroups, spec.Services, size.memoryMB, took.Round(time.Millisecond), peak, out.body)
			}
		})
	}
}
