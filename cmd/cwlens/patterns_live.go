package main

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"
)

// liveFlags are the flags of patterns that read a log group from AWS.
type liveFlags struct {
	group         string
	since, until  string
	baselineSince string
	baselineUntil string
	sample        int
	insights      bool
	maxScanGB     float64
}

func (f *liveFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.group, "log-group", "", "mine a sample of the CloudWatch Logs `GROUP`")
	fs.StringVar(&f.since, "since", "", "start of the window to mine, RFC 3339 or YYYY-MM-DD (default: 1 h before --until)")
	fs.StringVar(&f.until, "until", "", "end of the window to mine (default: now)")
	fs.StringVar(&f.baselineSince, "baseline-since", "", "start of a baseline window to compare with")
	fs.StringVar(&f.baselineUntil, "baseline-until", "", "end of the baseline window (default: --since)")
	fs.IntVar(&f.sample, "sample", 10000, "read at most `N` events per window, spread over it")
	fs.BoolVar(&f.insights, "insights", false, "run a Logs Insights pattern query server-side instead of sampling")
	fs.Float64Var(&f.maxScanGB, "max-scan-gb", 10, "refuse an Insights query that would scan more than `GB` (10^9 bytes)")
}

// offline reports live-only flags given with --lines.
func (f *liveFlags) offline() error {
	if f.since != "" || f.until != "" || f.baselineSince != "" || f.baselineUntil != "" || f.insights {
		return usagef("--since, --until, --baseline-since, --baseline-until and --insights go with --log-group")
	}
	return nil
}

func runPatternsLive(ctx context.Context, stdout io.Writer, f *patternsFlags) error {
	return errors.New("patterns --log-group is not available yet; mine an export with --lines")
}
