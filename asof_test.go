package cwlens_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/pricing"
)

var nan = math.NaN()

func day(d int) time.Time { return time.Date(2025, 10, d, 0, 0, 0, 0, time.UTC) }

// values writes a series' values with NaN as -1, so that tests can compare
// them with ==.
func values(s cwlens.Series) []float64 {
	out := make([]float64, len(s.Values))
	for i, v := range s.Values {
		out[i] = v
		if cwlens.IsMissing(v) {
			out[i] = -1
		}
	}
	return out
}

func TestAsOfFillsOnlyWhatWasRead(t *testing.T) {
	daily := func(v ...float64) cwlens.Series {
		return cwlens.Series{Start: day(1), Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: v}
	}
	five := func() cwlens.Series { return daily(nan, nan, 7, nan, nan) } // 1–5 Oct
	tests := []struct {
		name     string
		created  time.Time
		captured time.Time
		gaps     []cwlens.Gap
		at       time.Time
		want     []float64
		// filterWant is the filter's counts, when not want.
		filterWant []float64
	}{
		{name: "created before the series", created: day(1).Add(-time.Hour), captured: day(6), want: []float64{0, 0, 7, 0, 0}},
		{name: "created on day 2: day 1 unknown, day 2 partly lived", created: day(2).Add(15 * time.Hour), captured: day(6), want: []float64{-1, 0, 7, 0, 0}},
		{name: "no creation time: nothing filled", captured: day(6), want: []float64{-1, -1, 7, -1, -1}},
		{name: "last day still open at capture", created: day(1), captured: day(5).Add(time.Hour), want: []float64{0, 0, 7, 0, -1}},
		{name: "cut at the evaluation time", created: day(1), captured: day(6), at: day(4).Add(6 * time.Hour), want: []float64{0, 0, 7}},
		{name: "a gap for the group covers day 4", created: day(1), captured: day(6),
			gaps: []cwlens.Gap{{API: "cloudwatch:GetMetricData", Subject: "/g", Start: day(4), End: day(5)}}, want: []float64{0, 0, 7, -1, 0}, filterWant: []float64{0, 0, 7, 0, 0}},
		{name: "a gap from mid-day 4 on", created: day(1), captured: day(6),
			gaps: []cwlens.Gap{{API: "cloudwatch:GetMetricData", Subject: "/g", Start: day(4).Add(6 * time.Hour)}}, want: []float64{0, 0, 7, -1, -1}, filterWant: []float64{0, 0, 7, 0, 0}},
		{name: "a gap for the filter", created: day(1), captured: day(6),
			gaps: []cwlens.Gap{{API: "cloudwatch:GetMetricData", Subject: cwlens.FilterSubject("/g", "f"), End: day(2)}}, want: []float64{0, 0, 7, 0, 0}, filterWant: []float64{-1, 0, 7, 0, 0}},
		{name: "a gap for everything", created: day(1), captured: day(6),
			gaps: []cwlens.Gap{{API: "cloudwatch:GetMetricData", Subject: cwlens.SubjectAll}}, want: []float64{-1, -1, 7, -1, -1}},
		{name: "a gap naming no series", created: day(1), captured: day(6),
			gaps: []cwlens.Gap{{API: "ecs:DescribeServices", Resource: "*"}}, want: []float64{0, 0, 7, 0, 0}},
		{name: "another group's gap", created: day(1), captured: day(6),
			gaps: []cwlens.Gap{{API: "cloudwatch:GetMetricData", Subject: "/other"}}, want: []float64{0, 0, 7, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := &cwlens.Snapshot{
				CapturedAt: tt.captured, Window: cwlens.Window{Start: day(1), End: day(6)}, Gaps: tt.gaps,
				LogGroups: []cwlens.LogGroup{{Name: "/g", CreationTime: tt.created, DailyIncomingBytes: five(),
					MetricFilters: []cwlens.MetricFilter{{Name: "f", CreationTime: tt.created, MetricValue: "$.latency", Counts: five(), Values: five()}}}},
			}
			got := snap.AsOf(tt.at)
			g := got.LogGroups[0]
			if v := values(g.DailyIncomingBytes); !slices.Equal(v, tt.want) {
				t.Errorf("bytes %v, want %v", v, tt.want)
			}
			fw := tt.want
			if tt.filterWant != nil {
				fw = tt.filterWant
			}
			if v := values(g.MetricFilters[0].Counts); !slices.Equal(v, fw) {
				t.Errorf("filter counts %v, want %v", v, fw)
			}
			if v := values(g.MetricFilters[0].Values); !slices.Equal(v, fw) {
				t.Errorf("filter values %v, want %v", v, fw)
			}
			if v := values(snap.LogGroups[0].DailyIncomingBytes); !slices.Equal(v, []float64{-1, -1, 7, -1, -1}) {
				t.Errorf("the snapshot itself changed: %v", v)
			}
		})
	}
}

func TestAsOfSeesNothingLater(t *testing.T) {
	at := day(31).Add(12 * time.Hour)
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	// Task-hours measured up to the window's end are cut at at too.
	th := snap.Services[0].CPUAverage
	th.Unit = cwlens.UnitTaskHours
	snap.Services[0].TaskHours, snap.Services[0].TaskHoursSource = th, cwlens.TaskHoursContainerInsights
	got := snap.AsOf(at)
	if got.AsOf(at) != got {
		t.Error("reading a read snapshot again at the same time made a new one")
	}
	check := func(what string, s cwlens.Series) {
		if len(s.Values) > 0 && s.End().After(at) {
			t.Errorf("%s ends %s, after %s", what, s.End(), at)
		}
	}
	for _, g := range got.LogGroups {
		check(g.Name+" daily bytes", g.DailyIncomingBytes)
		check(g.Name+" hourly bytes", g.HourlyIncomingBytes)
		for _, f := range g.MetricFilters {
			check(g.Name+" "+f.Name, f.Counts)
		}
		for _, e := range g.Sample {
			if !e.Timestamp.Before(at) {
				t.Errorf("%s: sampled event at %s", g.Name, e.Timestamp)
			}
		}
	}
	late := 0
	for _, s := range snap.Services {
		for _, d := range s.Deployments {
			if d.CreatedAt.After(at) {
				late++
			}
		}
	}
	if late == 0 {
		t.Fatal("the reference account has no deployment after the evaluation time: the test proves nothing")
	}
	for _, s := range got.Services {
		check(s.ID()+" cpu", s.CPUAverage)
		check(s.ID()+" task-hours", s.TaskHours)
		for _, d := range s.Deployments {
			if d.CreatedAt.After(at) {
				t.Errorf("%s: deployment %s created %s", s.ID(), d.ID, d.CreatedAt)
			}
		}
	}
	// The hourly series of the facilitator ends at 12:00 on Oct 31.
	if h := got.LogGroup(fixtures.FloodGroup).HourlyIncomingBytes; !h.End().Equal(at) {
		t.Errorf("hourly bytes end %s, want %s", h.End(), at)
	}
}

// TestNullIsZeroInsideLife is the rule: the reference account with
// every zero of its byte and count series turned into a missing point (as
// AWS would return it: no datapoint) gives the same findings and the same
// cost lines as the account with the zeros.
func TestNullIsZeroInsideLife(t *testing.T) {
	ref, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	nulled, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	zeros := 0
	null := func(s *cwlens.Series) {
		vs := slices.Clone(s.Values)
		for i, v := range vs {
			if v == 0 {
				vs[i] = cwlens.Missing()
				zeros++
			}
		}
		s.Values = vs
	}
	for i := range nulled.LogGroups {
		g := &nulled.LogGroups[i]
		null(&g.DailyIncomingBytes)
		null(&g.DailyIncomingEvents)
		null(&g.HourlyIncomingBytes)
		null(&g.HourlyIncomingEvents)
		for j := range g.MetricFilters {
			null(&g.MetricFilters[j].Counts)
		}
	}
	if zeros < 100 {
		t.Fatalf("only %d zeros nulled: the fixture changed and the test proves little", zeros)
	}
	for _, at := range []time.Time{{}, day(31), day(30).Add(13 * time.Hour)} {
		want, wantSurge := run(t, ref, at)
		got, _ := run(t, nulled, at)
		if got != want {
			t.Errorf("at %s: nulled zeros change the result\n got %s\nwant %s", at, got, want)
		}
		if at.IsZero() && !wantSurge {
			t.Error("the reference account's invalid-signature surge is not found")
		}
	}
}

// run returns the priced findings and the projection of snap at at, as
// JSON, and whether the invalid-signature surge is among the findings.
func run(t *testing.T, snap *cwlens.Snapshot, at time.Time) (string, bool) {
	t.Helper()
	fs, err := analyzer.Analyze(snap, at, analyzer.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	book := pricing.Default()
	pricing.PriceFindings(fs, snap, book, pricing.Options{At: at})
	proj, err := pricing.Project(snap, nil, book, pricing.Options{At: at})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(struct {
		Findings   []cwlens.Finding
		Projection *cwlens.Projection
	}{fs, proj})
	if err != nil {
		t.Fatal(err)
	}
	surge := slices.ContainsFunc(fs, func(f cwlens.Finding) bool {
		return f.Kind == cwlens.KindErrorSurge && f.Filter == "invalid-signature"
	})
	return string(b), surge
}

// BenchmarkAsOf reads the reference account at its window's end: the
// analyzer, pricing and the report each do it once per run.
func BenchmarkAsOf(b *testing.B) {
	snap, err := fixtures.Reference()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := snap.AsOf(time.Time{}); len(got.LogGroups) != len(snap.LogGroups) {
			b.Fatal("groups lost")
		}
	}
}
