package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/internal/runstate"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/cwlens/cwlens/report"
	"github.com/spf13/cobra"
)

// This file is the whole of what cwlens does, in order:
//
//	snapshot → analyze (issue 3; past episodes too) → price (issue 4) → report.New → write
//
// Every command that produces a report goes through runPipeline. A new step
// is one function here, called from buildReport, taking what it needs from
// pipelineOptions.

// pipelineOptions is what the steps take from the command line.
type pipelineOptions struct {
	// At is the evaluation time; zero means the end of the snapshot's window.
	At time.Time
	// Sensitivity scales the analyzer's thresholds; 0 means the default.
	Sensitivity float64
	// Book prices the account and the findings; nil leaves them unpriced.
	Book *pricing.Book
	// Scenario is projected beside the current cost; nil for none.
	Scenario *pricing.Scenario
}

// buildReport runs the steps on snap, and releases its series as the steps
// are done with them (dropHourlyBytes).
func buildReport(snap *cwlens.Snapshot, opts pipelineOptions) (*report.Report, error) {
	at, err := evaluationTime(snap, opts.At)
	if err != nil {
		return nil, err
	}
	findings, err := analyze(snap, at, opts)
	if err != nil {
		return nil, err
	}
	past, err := analyzer.PastEpisodes(snap, at, analyzerConfig(opts))
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	proj, err := price(snap, at, findings, opts)
	if err != nil {
		return nil, err
	}
	if opts.Book != nil {
		pricing.PricePastEpisodes(past, snap, opts.Book)
	}
	var (
		rec      *reconcile.Reconciliation
		forecast *reconcile.MonthForecast
	)
	if snap.Bill != nil && opts.Book != nil {
		// A bill without a complete month (ErrNoMonth) has nothing to
		// reconcile yet; Month fails for no other reason.
		if rec, err = reconcile.Month(snap, opts.Book); err != nil {
			rec = nil
		}
		// The forecast needs the projection, which a book makes.
		if f, err := reconcile.Forecast(snap.Bill, proj, opts.Scenario != nil); err == nil {
			forecast = f
		}
	}
	// The report's inventory is the last reading of the snapshot, and it
	// needs only the daily series; the projection is copied into the
	// report after it, once the snapshot can be collected (runPipeline
	// keeps it only for --state).
	dropHourlyBytes(snap)
	r := report.New(snap, at, findings, nil)
	r.AddProjection(proj)
	r.AddPastEpisodes(past)
	r.Reconciliation, r.Forecast = rec, forecast
	return r, nil
}

// analyzerConfig is the analyzer's configuration for opts.
func analyzerConfig(opts pipelineOptions) analyzer.Config {
	cfg := analyzer.DefaultConfig()
	if opts.Sensitivity > 0 {
		cfg.Sensitivity = opts.Sensitivity
	}
	return cfg
}

// analyze is the analyzer step: the findings of snap as of at.
func analyze(snap *cwlens.Snapshot, at time.Time, opts pipelineOptions) ([]cwlens.Finding, error) {
	findings, err := analyzer.Analyze(snap, at, analyzerConfig(opts))
	if err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	return findings, nil
}

// price is the pricing step: the findings' monthly cost, and the account's
// monthly cost as of at (ingestion at the mean day of the 7 whole days before
// it, with the last 24 hours' run-rate beside it) and
// under the scenario.
func price(snap *cwlens.Snapshot, at time.Time, findings []cwlens.Finding, opts pipelineOptions) (*cwlens.Projection, error) {
	if opts.Book == nil {
		return nil, nil
	}
	po := pricing.Options{At: at}
	pricing.PriceFindings(findings, snap, opts.Book, po)
	return pricing.Project(snap, opts.Scenario, opts.Book, po)
}

// evaluationTime returns at, or the end of the window when at is zero. An
// evaluation time outside the window would judge data the snapshot lacks.
func evaluationTime(snap *cwlens.Snapshot, at time.Time) (time.Time, error) {
	w := snap.Window
	if at.IsZero() {
		return w.End, nil
	}
	if !at.After(w.Start) || at.After(w.End) {
		return time.Time{}, usagef("--at %s is outside the snapshot's window %s → %s",
			at.Format(time.RFC3339), w.Start.Format(time.RFC3339), w.End.Format(time.RFC3339))
	}
	return at, nil
}

// runReport is the RunE of a command that reports on the snapshot load
// returns for its arguments. Flags are checked before anything is read.
func runReport(stdout io.Writer, f *reportFlags, load func(args []string) (*cwlens.Snapshot, error), sections report.Sections) func(*cobra.Command, []string) error {
	return func(_ *cobra.Command, args []string) error {
		o, err := f.parse()
		if err != nil {
			return err
		}
		o.inputs = append(slices.Clone(args), f.scenario, f.prices, f.state)
		if err := checkOut(o.out, o.inputs...); err != nil {
			return err
		}
		snap, err := load(args)
		if err != nil {
			return err
		}
		return runPipeline(stdout, snap, o, sections)
	}
}

// snapshotFile loads the snapshot file named by the first argument.
func snapshotFile(args []string) (*cwlens.Snapshot, error) { return cwlens.ReadSnapshot(args[0]) }

// runPipeline builds the report of snap, which it takes over, writes it, and turns what it found
// into the command's outcome: a partial snapshot or findings at or above
// --fail-on end the command with their exit status.
func runPipeline(stdout io.Writer, snap *cwlens.Snapshot, o reportOptions, sections report.Sections) error {
	at, err := evaluationTime(snap, o.at)
	if err != nil {
		return err
	}
	dropUnreadSeries(snap)
	// Every step reads the snapshot as of the evaluation time, each into a
	// copy of its own; read once here, the steps share the copy and the
	// original can be collected (for 50,000 log groups, each copy is
	// about 200 MB).
	snap = snap.AsOf(at)
	// Only --state reads the snapshot after the report is built; held
	// for nothing else, it is collected while the report is made.
	var forState *cwlens.Snapshot
	if o.state != "" {
		forState = snap
	}
	r, err := buildReport(snap, pipelineOptions{At: at, Sensitivity: o.sensitivity, Book: o.book, Scenario: o.scenario})
	if err != nil {
		return err
	}
	var next *runstate.State
	if o.state != "" {
		if next, err = labelFindings(r, forState, o.state); err != nil {
			return err
		}
	}
	err = writeOutput(stdout, o.out, func(w io.Writer) error {
		color := o.format == report.FormatTable && useColor(w)
		return report.Write(w, r, o.format, report.Options{Color: color, Sections: sections, Width: tableWidth(o.width, w, w == stdout)})
	}, o.inputs...)
	if err != nil {
		return err
	}
	// The state moves on only once the report is out, so a failed run is
	// labelled again next time.
	if next != nil {
		if err := runstate.Save(o.state, next); err != nil {
			return err
		}
	}
	return verdict(r, o.failOn)
}

// dropUnreadSeries releases the values of the series no step of a report
// reads: the log groups' daily and hourly incoming-events series. The
// analyzer judges ingestion by its bytes, pricing bills bytes, and the
// report shows bytes; pricing.ScanMetrics only counts the series, which
// keep their start, period and unit. They are about a third of a
// snapshot's memory (81 MB of 235 MB for 50,000 log groups), held from
// the read to the report while pricing and the report's copies join them.
// snap must be runPipeline's own: it is changed in place.
func dropUnreadSeries(snap *cwlens.Snapshot) {
	for i := range snap.LogGroups {
		g := &snap.LogGroups[i]
		g.DailyIncomingEvents.Values = nil
		g.HourlyIncomingEvents.Values = nil
	}
}

// dropHourlyBytes releases the log groups' hourly incoming-bytes series
// once the analyzer (surges within the day) and pricing (the last 24
// hours' run-rate) have read them: the report shows the daily series, and
// reconciliation, past episodes and --state read no hourly one. It is a
// quarter of a snapshot's memory (67 MB for 50,000 log groups). As
// dropUnreadSeries, it keeps the series' shape and changes snap in place.
func dropHourlyBytes(snap *cwlens.Snapshot) {
	for i := range snap.LogGroups {
		snap.LogGroups[i].HourlyIncomingBytes.Values = nil
	}
}

// verdict is the exit status a written report earns (see root.go).
func verdict(r *report.Report, failOn *cwlens.Severity) error {
	failing := 0
	if failOn != nil {
		for _, f := range r.Findings {
			// With --state an ongoing finding has been reported before.
			if f.Severity >= *failOn && f.Status != cwlens.StatusOngoing {
				failing++
			}
		}
	}
	switch {
	case r.Partial:
		msg := fmt.Sprintf("partial snapshot: %d item(s) could not be read; the report lists them", len(r.Gaps))
		if failing > 0 {
			msg += fmt.Sprintf(" (and %d finding(s) at or above %s)", failing, *failOn)
		}
		return &statusError{code: exitPartial, msg: msg}
	case failing > 0:
		return &statusError{code: exitFindings, msg: fmt.Sprintf("%d finding(s) at or above %s", failing, *failOn)}
	}
	return nil
}
