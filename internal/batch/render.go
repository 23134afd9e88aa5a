package batch

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/runstate"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/cwlens/cwlens/report"
)

// Region is what one region's report shows.
type Region struct {
	Snapshot *cwlens.Snapshot
	At       time.Time
	// Findings carry their Status (new or ongoing) and FirstSeen.
	Findings []cwlens.Finding
	// Resolved are the previous run's findings this run no longer sees.
	Resolved []runstate.Record
	// Unseen are previous findings this run could not look at.
	Unseen     []runstate.Record
	Projection *cwlens.Projection
	// PastEpisodes are the anomalies over before the findings' lookback.
	PastEpisodes []cwlens.PastEpisode
	// Skipped says what the run did not do.
	Skipped []string
	// Scenario says whether Projection holds a scenario.
	Scenario bool
}

// File is one report object. Render writes its body: files are rendered
// one at a time, each just before it is stored, so that memory holds one
// body, not three.
type File struct {
	Name        string // e.g. report.json
	ContentType string
	Render      func(w io.Writer) error
}

// Content types of the report objects.
const (
	contentJSON     = "application/json"
	contentMarkdown = "text/markdown; charset=utf-8"
	contentHTML     = "text/html; charset=utf-8"
)

// RenderFunc renders a region's report as the files to store.
type RenderFunc func(Region) ([]File, error)

// document is the cwlens.report/v1 report with what only a scheduled run
// knows: what it skipped. A new member; the schema's others are unchanged.
type document struct {
	*report.Report
	Skipped []string `json:"skipped,omitempty"`
}

// DefaultRender renders report.json (cwlens.report/v1), report.md and the
// one-file report.html. It builds the report now; the files keep it, not
// the snapshot, which the run can release.
func DefaultRender(rg Region) ([]File, error) {
	rep := report.New(rg.Snapshot, rg.At, rg.Findings, rg.Projection)
	rep.AddPastEpisodes(rg.PastEpisodes)
	addBill(rep, rg)
	rep.Resolved = make([]cwlens.Finding, 0, len(rg.Resolved))
	for _, r := range rg.Resolved {
		rep.Resolved = append(rep.Resolved, r.Finding())
	}
	run := rg
	run.Snapshot, run.Projection = nil, nil // the report has what it needs of them
	return []File{
		{Name: "report.json", ContentType: contentJSON, Render: func(w io.Writer) error {
			err := report.EncodeJSON(w, rep, func(r *report.Report) any { return document{Report: r, Skipped: run.Skipped} })
			if err != nil {
				return fmt.Errorf("render report.json: %w", err)
			}
			return nil
		}},
		{Name: "report.md", ContentType: contentMarkdown, Render: func(w io.Writer) error {
			if err := report.Write(w, rep, report.FormatMarkdown, report.Options{}); err != nil {
				return fmt.Errorf("render report.md: %w", err)
			}
			bw := bufio.NewWriter(w)
			writeRunSection(bw, run)
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("render report.md: %w", err)
			}
			return nil
		}},
		{Name: "report.html", ContentType: contentHTML, Render: func(w io.Writer) error {
			if err := report.Write(w, rep, report.FormatHTML, report.Options{}); err != nil {
				return fmt.Errorf("render report.html: %w", err)
			}
			return nil
		}},
	}, nil
}

// addBill adds, when the scan read the bill (Config.Bill), the last full
// month beside the model and the forecast of this one, as cwlens report
// does. A bill without a complete month has nothing to reconcile yet, and
// without a projection there is no forecast.
func addBill(rep *report.Report, rg Region) {
	if rg.Snapshot.Bill == nil {
		return
	}
	if rec, err := reconcile.Month(rg.Snapshot, pricing.Default()); err == nil {
		rep.Reconciliation = rec
	}
	if f, err := reconcile.Forecast(rg.Snapshot.Bill, rg.Projection, rg.Scenario); err == nil {
		rep.Forecast = f
	}
}

// writeRunSection adds what a scheduled run knows and a one-off report does
// not: which findings are new, which were resolved, what was skipped.
func writeRunSection(b *bufio.Writer, rg Region) {
	fmt.Fprintf(b, "\n## Since the last run\n\n")
	var newOnes, ongoing []cwlens.Finding
	for _, f := range rg.Findings {
		if f.Status == cwlens.StatusNew {
			newOnes = append(newOnes, f)
		} else {
			ongoing = append(ongoing, f)
		}
	}
	list := func(title string, fs []cwlens.Finding, since bool) {
		fmt.Fprintf(b, "**%s (%d)**\n\n", title, len(fs))
		for _, f := range fs {
			fmt.Fprintf(b, "- %s `%s` %s", f.Severity, f.Kind, f.Subject)
			if f.Filter != "" {
				fmt.Fprintf(b, " [%s]", f.Filter)
			}
			if since && f.FirstSeen != nil {
				fmt.Fprintf(b, " — reported since %s", report.FormatTime(*f.FirstSeen))
			}
			b.WriteString("\n")
		}
		if len(fs) > 0 {
			b.WriteString("\n")
		}
	}
	list("New", newOnes, false)
	list("Ongoing", ongoing, true)
	fmt.Fprintf(b, "**Resolved (%d)**\n\n", len(rg.Resolved))
	for _, r := range rg.Resolved {
		fmt.Fprintf(b, "- %s `%s` %s", r.Severity, r.Kind, r.Subject)
		if r.Filter != "" {
			fmt.Fprintf(b, " [%s]", r.Filter)
		}
		fmt.Fprintf(b, " — reported %s to %s, gone now\n", report.FormatTime(r.FirstSeen), report.FormatTime(r.LastSeen))
	}
	if len(rg.Resolved) > 0 {
		b.WriteString("\n")
	}
	if len(rg.Unseen) > 0 {
		fmt.Fprintf(b, "**Not rechecked (%d)**: this run could not look at their subjects, so they stay open.\n\n", len(rg.Unseen))
	}
	if len(rg.Skipped) > 0 {
		b.WriteString("**Skipped by this run**\n\n")
		for _, s := range rg.Skipped {
			fmt.Fprintf(b, "- %s\n", s)
		}
		b.WriteString("\n")
	}
}
