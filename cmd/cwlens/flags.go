package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/pricing"
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
	prices string
	width  int
	// scenario is the --scenario flag of the commands that take one;
	// defaultScenario, when set, supplies the scenario without it (demo).
	scenario        string
	defaultScenario func() (*pricing.Scenario, error)
}

func (f *reportFlags) register(cmd *cobra.Command) {
	f.registerOutput(cmd)
	fs := cmd.Flags()
	fs.Var(nonEmpty{&f.failOn}, "fail-on", "exit 1 when a finding is at least `SEVERITY` (info, low, medium, high, critical)")
	fs.StringVar(&f.state, "state", "", "label findings new, ongoing or resolved against the previous run kept in `FILE`, then update it;\nwith --fail-on, only new findings fail (for cron: one alert per finding);\nthe file holds one account and Region and refuses another's; an --at before its run leaves it as it was")
	f.sens = "medium"
	fs.Var(nonEmpty{&f.sens}, "sensitivity", "how readily the analyzer reports: `LEVEL` low, medium, high, or a positive number (0.5 = low, 1 = medium, 2 = high)")
	fs.StringVar(&f.at, "at", "", "evaluation `TIME`, RFC 3339 or YYYY-MM-DD (default: the end of the snapshot's window)")
}

// registerOutput adds the flags of how a report is priced and written,
// for a command that takes no other report flag.
func (f *reportFlags) registerOutput(cmd *cobra.Command) {
	names := make([]string, len(report.Formats))
	for i, x := range report.Formats {
		names[i] = string(x)
	}
	fs := cmd.Flags()
	fs.StringVarP(&f.format, "format", "f", string(report.FormatTable), "output `FORMAT`: "+strings.Join(names, ", "))
	fs.StringVarP(&f.out, "out", "o", "", "write the report to `FILE` (atomically; - is standard output)")
	fs.StringVar(&f.prices, "prices", "", "price with the price book in `FILE` (default: the built-in book; see cwlens prices)")
	fs.IntVar(&f.width, "width", 0, "fit the table format in `COLUMNS` (default: the terminal's width, or $COLUMNS when writing to standard output;\nnarrow tables hide columns, sparklines first, then wrap)")
}

// nonEmpty is a string flag that refuses "": --fail-on ” from a script
// whose variable is unset would otherwise turn failing off without a word,
// and --sensitivity ” would quietly mean medium.
type nonEmpty struct{ p *string }

func (v nonEmpty) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}

func (v nonEmpty) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must not be empty")
	}
	*v.p = s
	return nil
}

func (nonEmpty) Type() string { return "string" }

// registerScenario adds --scenario to a command that projects one.
func (f *reportFlags) registerScenario(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.scenario, "scenario", "", "project the changes in the scenario `FILE` (YAML; see docs/scenario.md)")
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
	book        *pricing.Book     // the price book
	scenario    *pricing.Scenario // nil: no scenario
	// inputs are the files the command reads, which --out must not be.
	inputs []string
	// width is --width; 0 reads the terminal's (see tableWidth).
	width int
}

// parse checks the flags before any input is read, so a typo fails fast.
func (f *reportFlags) parse() (reportOptions, error) {
	var o reportOptions
	var err error
	if o.format, err = report.ParseFormat(f.format); err != nil {
		return o, usagef("--format: %w", err)
	}
	if f.width < 0 {
		return o, usagef("--width %d: want a number of columns, or 0 for no limit", f.width)
	}
	o.width = f.width
	o.out = f.out
	o.state = f.state
	if f.failOn != "" {
		sev, err := cwlens.ParseSeverity(f.failOn)
		if err != nil {
			return o, usagef("--fail-on: %w", err)
		}
		o.failOn = &sev
	}
	// --sensitivity refuses "", so an empty f.sens is a command without
	// the flag (reconcile): 0 leaves the analyzer at its default.
	if f.sens != "" {
		if o.sensitivity, err = analyzer.ParseSensitivity(f.sens); err != nil {
			return o, usagef("--sensitivity: %w", err)
		}
	}
	if f.at != "" {
		if o.at, err = parseTime(f.at); err != nil {
			return o, usagef("--at: %w", err)
		}
	}
	if o.book, err = loadBook(f.prices); err != nil {
		return o, err
	}
	switch {
	case f.scenario != "":
		if o.scenario, err = loadScenario(f.scenario); err != nil {
			return o, err
		}
	case f.defaultScenario != nil:
		if o.scenario, err = f.defaultScenario(); err != nil {
			return o, err
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

// loadBook returns the price book in path, or the built-in one when path is
// empty.
func loadBook(path string) (*pricing.Book, error) {
	if path == "" {
		return pricing.Default(), nil
	}
	return pricing.LoadBook(path)
}

// loadScenario reads and parses the scenario file at path.
func loadScenario(path string) (*pricing.Scenario, error) {
	data, err := cwlens.ReadLimited(path, cwlens.MaxScenarioBytes, "scenario")
	if err != nil {
		return nil, err
	}
	return pricing.ParseScenario(data, path)
}
