package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/report"
	"github.com/spf13/cobra"
)

// reportFlags are the flags of every command that writes a report.
type reportFlags struct {
	format string
	out    string
	failOn string
	at     string
	state  string
	sens   string
}

func (f *reportFlags) register(cmd *cobra.Command) {
	names := make([]string, len(report.Formats))
	for i, x := range report.Formats {
		names[i] = string(x)
	}
	fs := cmd.Flags()
	fs.StringVarP(&f.format, "format", "f", string(report.FormatTable), "output `FORMAT`: "+strings.Join(names, ", "))
	fs.StringVarP(&f.out, "out", "o", "", "write the report to `FILE` (atomically; - is standard output)")
	fs.StringVar(&f.failOn, "fail-on", "", "exit 1 when a finding is at least `SEVERITY` (info, low, medium, high, critical)")
	fs.StringVar(&f.state, "state", "", "label findings new, ongoing or resolved against the previous run kept in `FILE`, then update it;\nwith --fail-on, only new findings fail (for cron: one alert per finding)")
	fs.StringVar(&f.sens, "sensitivity", "medium", "how readily the analyzer reports: `LEVEL` low, medium, high, or a positive number (1 = medium, 2 = high)")
	fs.StringVar(&f.at, "at", "", "evaluation `TIME`, RFC 3339 or YYYY-MM-DD (default: the end of the snapshot's window)")
}

// reportOptions are reportFlags checked and parsed.
type reportOptions struct {
	format report.Format
	out    string
	failOn *cwlens.Severity // nil: never fail on findings
	at     time.Time        // zero: the end of the snapshot's window
	state  string           // the run-to-run state file; "" for none
	// sensitivity scales the analyzer's statistical thresholds (1 = medium).
	sensitivity float64
}

// parse checks the flags before any input is read, so a typo fails fast.
func (f *reportFlags) parse() (reportOptions, error) {
	var o reportOptions
	var err error
	if o.format, err = report.ParseFormat(f.format); err != nil {
		return o, usagef("--format: %w", err)
	}
	o.out = f.out
	o.state = f.state
	if f.failOn != "" {
		sev, err := cwlens.ParseSeverity(f.failOn)
		if err != nil {
			return o, usagef("--fail-on: %w", err)
		}
		o.failOn = &sev
	}
	if o.sensitivity, err = analyzer.ParseSensitivity(f.sens); err != nil {
		return o, usagef("--sensitivity: %w", err)
	}
	if f.at != "" {
		if o.at, err = parseTime(f.at); err != nil {
			return o, usagef("--at: %w", err)
		}
	}
	return o, nil
}

// parseTime reads an RFC 3339 time or a date (midnight UTC).
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 (2025-10-31T12:00:00Z) nor a date (2025-10-31)", s)
}
