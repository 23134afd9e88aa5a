// Package scalebench holds the big synthetic accounts that size cwlens's
// memory and time, and the benchmarks of each stage on them (scan through
// the emulator, write, read, analyze, price, render each format):
//
//	go test ./internal/scalebench -run '^$' -bench . -benchtime 1x
//	CWLENS_BENCH_50K=1 go test ./internal/scalebench -run '^$' -bench . -benchtime 1x
//
// Each benchmark reports wall time (ns/op), CPU time (cpu-s/op), bytes
// allocated (B/op) and the peak of the live heap, sampled (peak-heap-MB).
// The accounts are generated, never stored: 50,000 log groups are over
// 200 MB of JSON. fixtures/gen -groups N writes one to a file, for the CLI.
package scalebench

import (
	"time"

	"github.com/cwlens/cwlens/internal/awsemu"
)

// Account returns the synthetic account of the given number of log groups
// the benchmarks use: one metric filter per five groups, one ECS service
// per fifty over four clusters, 35 days to end. 10,000 groups make about
// 45 MB of snapshot JSON.
func Account(groups int, end time.Time) awsemu.Synthetic {
	return awsemu.Synthetic{
		LogGroups:     groups,
		MetricFilters: groups / 5,
		Services:      max(1, groups/50),
		Clusters:      4,
		Days:          35,
		End:           end.UTC().Truncate(time.Hour),
		Seed:          1,
	}
}
