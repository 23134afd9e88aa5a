package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/report"
)

// TestDroppedSeriesChangeNoReport checks dropUnreadSeries against its
// claim: no step of a report reads the incoming-events series, so the
// report, the scan-cost assumption (which counts series) included, is
// byte-for-byte the one built from the whole snapshot.
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
			render := func(drop bool) []byte {
				snap, err := load()
				if err != nil {
					t.Fatal(err)
				}
				if drop {
					dropUnreadSeries(snap)
				}
				r, err := buildReport(snap.AsOf(time.Time{}), pipelineOptions{Book: book})
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if err := report.Write(&b, r, report.FormatJSON, report.Options{}); err != nil {
					t.Fatal(err)
				}
				return b.Bytes()
			}
			whole, dropped := render(false), render(true)
			if !bytes.Equal(whole, dropped) {
				t.Errorf("the report changed when the events series were dropped (%d vs %d bytes)", len(whole), len(dropped))
			}
		})
	}
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
