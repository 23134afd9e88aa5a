package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/cwlens/cwlens/report"
)

// TestDroppedSeriesChangeNoReport checks the pipeline's releases against
// their claim: no step reads the incoming-events series, and none after
// pricing reads the hourly bytes, so the report (the scan-cost assumption,
// which counts series, included) is byte-for-byte the one the same steps
// build from the whole snapshot.
func TestDroppedSeriesChangeNoReport(t *testing.T) {
	book, err := loadBook("")
	if err != nil {
		t.Fatal(err)
	}
	synth := awsemu.Synthetic{LogGroups: 60, MetricFilters: 12, Services: 3, Clusters: 2, Days: 35,
		End: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), Seed: 7}
	for name, load := range map[string]func() (*cwlens.Snapshot, error){
		"reference": fixtures.Reference,
		"synthetic": func() (*cwlens.Snapshot, error) { return synth.Build(), nil },
	} {
		t.Run(name, func(t *testing.T) {
			opts := pipelineOptions{Book: book}
			render := func(build func(*cwlens.Snapshot) *report.Report) []byte {
				snap, err := load()
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if err := report.Write(&b, build(snap), report.FormatJSON, report.Options{}); err != nil {
					t.Fatal(err)
				}
				return b.Bytes()
			}
			whole := render(func(snap *cwlens.Snapshot) *report.Report { return wholeReport(t, snap, opts) })
			dropped := render(func(snap *cwlens.Snapshot) *report.Report {
				dropUnreadSeries(snap)
				r, err := buildReport(snap.AsOf(time.Time{}), opts)
				if err != nil {
					t.Fatal(err)
				}
				return r
			})
			if !bytes.Equal(whole, dropped) {
				t.Errorf("the report changed when the series were released (%d vs %d bytes)", len(whole), len(dropped))
			}
		})
	}
}

// wholeReport is buildReport's steps on the whole snapshot, releasing
// nothing: what the pipeline must build.
func wholeReport(t *testing.T, snap *cwlens.Snapshot, opts pipelineOptions) *report.Report {
	t.Helper()
	snap = snap.AsOf(time.Time{})
	at := snap.Window.End
	findings, err := analyzer.Analyze(snap, at, analyzerConfig(opts))
	if err != nil {
		t.Fatal(err)
	}
	past, err := analyzer.PastEpisodes(snap, at, analyzerConfig(opts))
	if err != nil {
		t.Fatal(err)
	}
	po := pricing.Options{At: at}
	pricing.PriceFindings(findings, snap, opts.Book, po)
	proj, err := pricing.Project(snap, nil, opts.Book, po)
	if err != nil {
		t.Fatal(err)
	}
	pricing.PricePastEpisodes(past, snap, opts.Book)
	r := report.New(snap, at, findings, proj)
	r.AddPastEpisodes(past)
	if snap.Bill != nil {
		if rec, err := reconcile.Month(snap, opts.Book); err == nil {
			r.Reconciliation = rec
		}
		if f, err := reconcile.Forecast(snap.Bill, proj, false); err == nil {
			r.Forecast = f
		}
	}
	return r
}

// TestDropUnreadSeriesKeepsTheirShape checks that a dropped series still
// counts as read (pricing.ScanMetrics) and the bytes series are untouched.
func TestDropUnreadSeriesKeepsTheirShape(t *testing.T) {
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	before := snap.LogGroups[0]
	dropUnreadSeries(snap)
	g := snap.LogGroups[0]
	if g.HourlyIncomingEvents.Values != nil || g.DailyIncomingEvents.Values != nil {
		t.Fatal("events series kept their values")
	}
	if g.HourlyIncomingEvents.IsZero() != before.HourlyIncomingEvents.IsZero() || g.DailyIncomingEvents.Start != before.DailyIncomingEvents.Start {
		t.Error("a dropped series lost its start: pricing.ScanMetrics would stop counting it")
	}
	if len(g.HourlyIncomingBytes.Values) != len(before.HourlyIncomingBytes.Values) || len(g.DailyIncomingBytes.Values) != len(before.DailyIncomingBytes.Values) {
		t.Error("a bytes series was dropped")
	}
}
