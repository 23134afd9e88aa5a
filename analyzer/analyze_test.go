package analyzer

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

var evalAt = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)

const week = "5.2 5.1 5.3 5.0 5.2 3.4 3.5"

// dailySnapshot returns a snapshot with one log group (retention 7 days)
// whose daily ingestion, in MB, is written in the series notation and ends
// at evalAt.
func dailySnapshot(t *testing.T, mb string) *cwlens.Snapshot {
	t.Helper()
	vals := series(t, mb)
	for i := range vals {
		vals[i] *= 1e6
	}
	start := evalAt.Add(-time.Duration(len(vals)) * cwlens.Day)
	seven := 7
	return &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion,
		Window:        cwlens.Window{Start: start, End: evalAt},
		LogGroups: []cwlens.LogGroup{{
			Name: "/test/group", Class: cwlens.ClassStandard, RetentionDays: &seven,
			DailyIncomingBytes: cwlens.Series{Start: start, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: vals},
		}},
	}
}

func ingestionFindings(t *testing.T, snap *cwlens.Snapshot, cfg Config) []cwlens.Finding {
	t.Helper()
	fs, err := Analyze(snap, evalAt, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []cwlens.Finding
	for _, f := range fs {
		if strings.HasPrefix(string(f.Kind), "ingestion_") {
			out = append(out, f)
		}
	}
	return out
}

func TestIngestionTable(t *testing.T) {
	day := func(i int, n int) time.Time { return evalAt.Add(-time.Duration(n-i) * cwlens.Day) }
	cases := []struct {
		name  string
		mb    string
		kind  cwlens.Kind // "" for no finding
		start int         // index of the expected start, from the front
		peak  float64     // expected observed value in MB, 0 to skip
	}{
		{name: "flat with a weekly rhythm", mb: "[" + week + "]x8"},
		{name: "single spike", mb: "[" + week + "]x4 5.1 5.2 300 5.0 5.3 3.5 3.4", kind: cwlens.KindIngestionSpike, start: 30, peak: 300},
		{name: "sustained level shift", mb: "[" + week + "]x4 5.1 5.2 5.0 60 62 58 61", kind: cwlens.KindIngestionLevelShift, start: 31, peak: 62},
		{name: "the reference flood", mb: "[" + week + "]x4 5.1 5.2 5.0 5.1 555 2886 150", kind: cwlens.KindIngestionLevelShift, start: 32, peak: 2886},
		{name: "slow ramp", mb: "[" + week + "]x4 5.5 6 6.6 7.3 8 8.8 9.7"},
		{name: "silence", mb: "[50 51 49 50 52 48 50]x4 50 49 51 0 0 0 0", kind: cwlens.KindIngestionDrop, start: 31},
		{name: "new group with two days of history", mb: "500 2886"},
		{name: "gaps are not zeros", mb: "[50 51 49 _ 52 48 50]x4 50 _ _ _ _ _ _"},
		{name: "gaps around a shift", mb: "[" + week + "]x4 5.1 _ 5.0 60 _ 58 61", kind: cwlens.KindIngestionLevelShift, start: 31, peak: 61},
		{name: "a tiny group never floods", mb: "0.002x28 0.02 0.02 0.02 0.02 0.02 0.02 0.02"},
		{name: "an old spike is history", mb: "[" + week + "]x2 300 [" + week + "]x3"},
		{name: "a spike, then a flood", mb: "[" + week + "]x4 5.1 40 5.0 5.1 90 95 92", kind: cwlens.KindIngestionLevelShift, start: 32, peak: 95},
		{name: "two spikes: the larger", mb: "[" + week + "]x4 5.1 40 5.0 5.1 90 5.0 5.2", kind: cwlens.KindIngestionSpike, start: 32, peak: 90},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snap := dailySnapshot(t, c.mb)
			n := len(snap.LogGroups[0].DailyIncomingBytes.Values)
			fs := ingestionFindings(t, snap, DefaultConfig())
			if c.kind == "" {
				if len(fs) != 0 {
					t.Fatalf("want no ingestion finding, got %s: %s", fs[0].Kind, fs[0].Summary)
				}
				return
			}
			if len(fs) != 1 {
				t.Fatalf("want one %s finding, got %d: %v", c.kind, len(fs), summaries(fs))
			}
			f := fs[0]
			if f.Kind != c.kind {
				t.Fatalf("kind %s, want %s: %s", f.Kind, c.kind, f.Summary)
			}
			if want := day(c.start, n); !f.Start.Equal(want) {
				t.Errorf("start %s, want %s", f.Start.Format(time.DateOnly), want.Format(time.DateOnly))
			}
			if c.peak != 0 && math.Abs(f.Evidence.Observed-c.peak*1e6) > 1 {
				t.Errorf("observed %.0f, want %.0f", f.Evidence.Observed, c.peak*1e6)
			}
			if f.Evidence.Series == nil || len(f.Evidence.Series.Values) != n {
				t.Errorf("evidence series missing or cut: %+v", f.Evidence.Series)
			}
			if f.Evidence.Score <= 0 || f.Evidence.Score > 1 {
				t.Errorf("score %v outside (0, 1]", f.Evidence.Score)
			}
			wantSign := 1.0
			if c.kind == cwlens.KindIngestionDrop {
				wantSign = -1
			}
			if f.Impact == nil || f.Impact.IngestedBytesPerMonth*wantSign <= 0 {
				t.Errorf("impact %+v has the wrong sign", f.Impact)
			}
		})
	}
}

func summaries(fs []cwlens.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Kind)+": "+f.Summary)
	}
	return out
}

func TestSensitivityScalesThresholds(t *testing.T) {
	// a 2.5× day is below the default 3× ratio but above high sensitivity's 2×
	mb := "[50 51 49 50 52 48 50]x4 50 49 51 50 49 125 50"
	if fs := ingestionFindings(t, dailySnapshot(t, mb), DefaultConfig()); len(fs) != 0 {
		t.Fatalf("medium: want nothing, got %v", summaries(fs))
	}
	cfg := DefaultConfig()
	cfg.Sensitivity = 2
	if fs := ingestionFindings(t, dailySnapshot(t, mb), cfg); len(fs) != 1 || fs[0].Kind != cwlens.KindIngestionSpike {
		t.Fatalf("high: want one spike, got %v", summaries(fs))
	}
}

func TestParseSensitivity(t *testing.T) {
	for in, want := range map[string]float64{"low": 0.5, "Medium": 1, "high": 2, "1.5": 1.5} {
		got, err := ParseSensitivity(in)
		if err != nil || got != want {
			t.Errorf("ParseSensitivity(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-1", "NaN", "Inf", "extreme", "", "  "} {
		if _, err := ParseSensitivity(in); err == nil {
			t.Errorf("ParseSensitivity(%q) accepted", in)
		}
	}
}

func TestNoRetention(t *testing.T) {
	snap := dailySnapshot(t, "["+week+"]x4")
	g := &snap.LogGroups[0]
	g.RetentionDays = nil
	g.StoredBytes = 42e9
	g.CreationTime = time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	fs, err := Analyze(snap, evalAt, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var got *cwlens.Finding
	for i := range fs {
		if fs[i].Kind == cwlens.KindNoRetention {
			got = &fs[i]
		}
	}
	if got == nil {
		t.Fatalf("no no_retention finding in %v", summaries(fs))
	}
	if got.Impact == nil || got.Impact.StoredBytes != 42e9 || got.Severity != cwlens.SeverityMedium || !got.Start.Equal(g.CreationTime) {
		t.Errorf("no_retention finding %+v, impact %+v", got, got.Impact)
	}
	// with a retention policy there is nothing to say
	seven := 7
	g.RetentionDays = &seven
	fs, _ = Analyze(snap, evalAt, DefaultConfig())
	for _, f := range fs {
		if f.Kind == cwlens.KindNoRetention {
			t.Errorf("no_retention with a 7-day policy: %s", f.Summary)
		}
	}
}

func TestCapacityNeedsADayOfData(t *testing.T) {
	start := evalAt.Add(-23 * time.Hour)
	pct := func(v float64, n int) cwlens.Series {
		s := cwlens.Series{Start: start, Period: time.Hour, Unit: cwlens.UnitPercent}
		for range n {
			s.Values = append(s.Values, v)
		}
		return s
	}
	svc := cwlens.Service{Cluster: "c", Name: "big", LaunchType: cwlens.LaunchFargate, CPUUnits: 4096, MemoryMiB: 8192, DesiredCount: 2,
		CPUAverage: pct(1, 23), CPUMaximum: pct(2, 23), MemoryAverage: pct(1, 23), MemoryMaximum: pct(2, 23)}
	snap := &cwlens.Snapshot{SchemaVersion: 1, Window: cwlens.Window{Start: start, End: evalAt}, Services: []cwlens.Service{svc}}
	fs, err := Analyze(snap, evalAt, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 0 {
		t.Fatalf("23 hours of data: want no recommendation, got %v", summaries(fs))
	}
	// one more hour and the recommendation comes, for both tasks
	start = start.Add(-time.Hour)
	svc.CPUMaximum, svc.MemoryMaximum = pct(2, 24), pct(2, 24)
	svc.CPUMaximum.Start, svc.MemoryMaximum.Start = start, start
	snap.Services[0] = svc
	fs, _ = Analyze(snap, evalAt, DefaultConfig())
	if len(fs) != 1 || fs[0].Kind != cwlens.KindOverprovisioned || fs[0].Impact.Tasks != 2 {
		t.Fatalf("24 hours: want one overprovisioned for 2 tasks, got %v", summaries(fs))
	}
	if to := fs[0].Impact.To; !cwlens.ValidFargateSize(to.CPUUnits, to.MemoryMiB) || to.CPUUnits != 256 {
		t.Errorf("recommended %v, want a valid 256-unit size", to)
	}
}

func TestWilson(t *testing.T) {
	lo, hi := wilson(152, 1000, 0.95)
	// reference values: 0.1310 and 0.1757 (Wilson score interval, z = 1.95996)
	if math.Abs(lo-0.1310) > 5e-4 || math.Abs(hi-0.1757) > 5e-4 {
		t.Errorf("wilson(152, 1000) = %.4f, %.4f", lo, hi)
	}
}

// errorSnapshot returns a group with an ERROR filter whose hourly counts
// are low for six days and then surge, and, when requests > 0, a request
// counter with that many requests an hour.
func errorSnapshot(t *testing.T, surge float64, requests float64) *cwlens.Snapshot {
	t.Helper()
	snap := dailySnapshot(t, "["+week+"]x4")
	start := evalAt.Add(-7 * 24 * time.Hour)
	errs := series(t, "[0 1 2 1]x36 "+strings.Repeat(formatF(surge)+" ", 24))
	g := &snap.LogGroups[0]
	g.MetricFilters = []cwlens.MetricFilter{{Name: "errors", Pattern: "ERROR", MetricName: "ErrorCount",
		Counts: cwlens.Series{Start: start, Period: time.Hour, Unit: cwlens.UnitCount, Values: errs}}}
	if requests > 0 {
		reqs := make([]float64, len(errs))
		for i := range reqs {
			reqs[i] = requests
		}
		g.MetricFilters = append(g.MetricFilters, cwlens.MetricFilter{Name: "requests", Pattern: "request completed", MetricName: "RequestCount",
			Counts: cwlens.Series{Start: start, Period: time.Hour, Unit: cwlens.UnitCount, Values: reqs}})
	}
	return snap
}

func TestErrorFindings(t *testing.T) {
	kinds := func(snap *cwlens.Snapshot) map[cwlens.Kind]*cwlens.Finding {
		fs, err := Analyze(snap, evalAt, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		out := map[cwlens.Kind]*cwlens.Finding{}
		for i := range fs {
			out[fs[i].Kind] = &fs[i]
		}
		return out
	}
	// a surge with a request counter: both findings, the rate with its interval
	k := kinds(errorSnapshot(t, 150, 1000))
	if k[cwlens.KindErrorSurge] == nil || k[cwlens.KindErrorRate] == nil {
		t.Fatalf("want surge and rate, got %v", k)
	}
	if r := k[cwlens.KindErrorRate]; r.Evidence.Observed != 0.15 || r.Filter != "errors" || r.Evidence.Interval == nil {
		t.Errorf("rate %+v", r.Evidence)
	}
	if s := k[cwlens.KindErrorSurge]; !s.Start.Equal(evalAt.Add(-24 * time.Hour)) {
		t.Errorf("surge starts %s, want the first hour of the last day", s.Start)
	}
	// no request counter: a surge, no rate
	k = kinds(errorSnapshot(t, 150, 0))
	if k[cwlens.KindErrorSurge] == nil || k[cwlens.KindErrorRate] != nil {
		t.Errorf("without requests: %v", k)
	}
	// below the minimum volume (50 errors in 60 requests is 83 %, but on
	// fewer than 100 requests an hour): no rate
	k = kinds(errorSnapshot(t, 50, 60))
	if k[cwlens.KindErrorRate] != nil {
		t.Errorf("rate on 60 requests an hour: %s", k[cwlens.KindErrorRate].Summary)
	}
	// a handful of errors is no surge
	k = kinds(errorSnapshot(t, 6, 1000))
	if k[cwlens.KindErrorSurge] != nil {
		t.Errorf("surge of 6 an hour: %s", k[cwlens.KindErrorSurge].Summary)
	}
}
