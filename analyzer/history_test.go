package analyzer

import (
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
)

// spikedReference is the reference account with the validator's ingestion
// at 300 MB on 2025-10-17, two weeks before the window's end, and back to
// normal the day after.
func spikedReference(t *testing.T) *cwlens.Snapshot {
	t.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	g := snap.LogGroup("/ecs/karmacadabra-prod/validator")
	i, ok := g.DailyIncomingBytes.Index(time.Date(2025, 10, 17, 0, 0, 0, 0, time.UTC))
	if !ok {
		t.Fatal("no 2025-10-17 in the validator's daily series")
	}
	g.DailyIncomingBytes.Values[i] = 300e6
	return snap
}

func TestPastEpisodes(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 10, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		at   time.Time
		want int // past episodes of the validator
	}{
		{"a monthly report two weeks later lists it", time.Time{}, 1},
		{"at the end of Oct 27 it is 10 days old: history", day(27), 1},
		// Within the lookback it is a finding, not history.
		{"at the end of Oct 20 it is news", day(20), 0},
		// --at sees nothing later: at noon on Oct 17 the day is not over.
		{"before it happened", day(17).Add(12 * time.Hour), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eps, err := PastEpisodes(spikedReference(t), tt.at, DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			var got []cwlens.PastEpisode
			for _, e := range eps {
				if e.Subject == "/ecs/karmacadabra-prod/facilitator" {
					t.Errorf("the facilitator's ongoing flood listed as past: %+v", e)
				}
				if e.Subject == "/ecs/karmacadabra-prod/validator" {
					got = append(got, e)
				}
			}
			if len(got) != tt.want {
				t.Fatalf("validator past episodes %+v, want %d", got, tt.want)
			}
			if tt.want == 0 {
				return
			}
			e := got[0]
			if e.Kind != cwlens.KindIngestionSpike || !e.Start.Equal(day(17)) || !e.End.Equal(day(18)) || e.Peak != 300e6 ||
				!e.PeakAt.Equal(day(17)) || e.Unit != cwlens.UnitBytes || e.PeriodSeconds != 86400 {
				t.Errorf("episode %+v", e)
			}
			// 300 MB against a baseline of a few MB a day.
			if e.Baseline < 2e6 || e.Baseline > 8e6 || e.Extra != 300e6-e.Baseline {
				t.Errorf("baseline %.0f, extra %.0f", e.Baseline, e.Extra)
			}
		})
	}
	// The findings at the end of Oct 20 have it; those at the window's end
	// do not.
	for _, c := range []struct {
		at   time.Time
		want bool
	}{{day(20), true}, {time.Time{}, false}} {
		fs, err := Analyze(spikedReference(t), c.at, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range fs {
			found = found || (f.Subject == "/ecs/karmacadabra-prod/validator" && f.Kind == cwlens.KindIngestionSpike)
		}
		if found != c.want {
			t.Errorf("at %s: a validator spike finding is %v, want %v", c.at, found, c.want)
		}
	}
}

// TestConcentrationOnlyWhenShareChanged: a group that has always carried
// most of the account's bytes is info; one whose share jumped is more.
func TestConcentrationOnlyWhenShareChanged(t *testing.T) {
	start := time.Date(2025, 9, 27, 0, 0, 0, 0, time.UTC)
	daily := func(before, recent float64) cwlens.Series {
		v := make([]float64, 35)
		for i := range v {
			v[i] = before
			if i >= 28 {
				v[i] = recent
			}
		}
		return cwlens.Series{Start: start, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: v}
	}
	tests := []struct {
		name            string
		big, small      cwlens.Series
		want            cwlens.Severity
		wantShiftInNote bool
	}{
		// 90 % of the bytes all along.
		{"steady", daily(900e6, 900e6), daily(100e6, 100e6), cwlens.SeverityInfo, true},
		// 93 % against 90 % before: 3 points.
		{"wandering a little", daily(900e6, 1300e6), daily(100e6, 100e6), cwlens.SeverityInfo, true},
		// 40 % → 90 %.
		{"jumped", daily(400e6, 900e6), daily(600e6, 100e6), cwlens.SeverityMedium, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			created := start.Add(-24 * time.Hour)
			snap := &cwlens.Snapshot{
				SchemaVersion: cwlens.SchemaVersion, Region: "us-east-1",
				CapturedAt: start.Add(35 * cwlens.Day), Window: cwlens.Window{Start: start, End: start.Add(35 * cwlens.Day)},
				LogGroups: []cwlens.LogGroup{
					{Name: "/big", Class: cwlens.ClassStandard, CreationTime: created, DailyIncomingBytes: tt.big},
					{Name: "/small", Class: cwlens.ClassStandard, CreationTime: created, DailyIncomingBytes: tt.small},
				},
			}
			fs, err := Analyze(snap, time.Time{}, DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			var got *cwlens.Finding
			for i := range fs {
				if fs[i].Kind == cwlens.KindVolumeConcentration {
					got = &fs[i]
				}
			}
			if got == nil || got.Subject != "/big" {
				t.Fatalf("volume_concentration = %+v", got)
			}
			if got.Severity != tt.want {
				t.Errorf("severity %s (share %.2f, was %.2f), want %s", got.Severity, got.Evidence.Observed, got.Evidence.Baseline, tt.want)
			}
			noted := strings.Contains(strings.Join(got.Evidence.Notes, "; "), "moved less than 10 points")
			if noted != tt.wantShiftInNote {
				t.Errorf("notes %q", got.Evidence.Notes)
			}
		})
	}
}

// TestShiftDatedFromHoursWhenDayMissing: the daily point of the day a
// group's ingestion jumped was not read (a gap), but the hourly series shows
// the jump at 10:00 that day; the level shift starts then, not a day late.
func TestShiftDatedFromHoursWhenDayMissing(t *testing.T) {
	start := time.Date(2025, 9, 27, 0, 0, 0, 0, time.UTC)
	end := start.Add(35 * cwlens.Day)
	jump := time.Date(2025, 10, 28, 10, 0, 0, 0, time.UTC)
	daily := make([]float64, 35)
	for i := range daily {
		daily[i] = 5e6
		if d := start.Add(time.Duration(i) * cwlens.Day); d.After(jump) {
			daily[i] = 500e6
		}
	}
	missing := int(jump.Truncate(cwlens.Day).Sub(start) / cwlens.Day)
	daily[missing] = cwlens.Missing()
	hStart := end.Add(-7 * cwlens.Day)
	hourly := make([]float64, 7*24)
	for i := range hourly {
		hourly[i] = 5e6 / 24
		if !hStart.Add(time.Duration(i) * time.Hour).Before(jump) {
			hourly[i] = 500e6 / 24
		}
	}
	name := "/g"
	snap := &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion, Region: "us-east-1", CapturedAt: end, Window: cwlens.Window{Start: start, End: end},
		LogGroups: []cwlens.LogGroup{{Name: name, Class: cwlens.ClassStandard, CreationTime: start.Add(-cwlens.Day),
			DailyIncomingBytes:  cwlens.Series{Start: start, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: daily},
			HourlyIncomingBytes: cwlens.Series{Start: hStart, Period: time.Hour, Unit: cwlens.UnitBytes, Values: hourly}}},
		Gaps: []cwlens.Gap{{API: "cloudwatch:GetMetricData", Subject: name, Start: jump.Truncate(cwlens.Day), End: jump.Truncate(cwlens.Day).Add(cwlens.Day),
			Reason: "daily IncomingBytes not read"}},
	}
	fs, err := Analyze(snap, time.Time{}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Kind == cwlens.KindIngestionLevelShift {
			if !f.Start.Equal(jump) {
				t.Errorf("level shift starts %s, want %s (the hour the hourly series jumped)", f.Start, jump)
			}
			return
		}
	}
	t.Fatalf("no level shift in %+v", fs)
}

// TestReferenceAtSeesNothingLater: evaluated at noon on Oct 31, the
// reference account's findings know nothing of what came later: not the
// 22:41 deployment's failed tasks, and no evidence after noon.
func TestReferenceAtSeesNothingLater(t *testing.T) {
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 10, 31, 12, 0, 0, 0, time.UTC)
	all, err := Analyze(snap, time.Time{}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	churn := func(fs []cwlens.Finding) bool {
		for _, f := range fs {
			if f.Kind == cwlens.KindDeploymentChurn {
				return true
			}
		}
		return false
	}
	if !churn(all) {
		t.Fatal("no deployment_churn at the window's end: the test proves nothing")
	}
	fs, err := Analyze(snap, at, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if churn(fs) {
		t.Error("deployment_churn from a deployment created after the evaluation time")
	}
	for _, f := range fs {
		for _, p := range f.Evidence.Points {
			if !p.Time.Before(at) {
				t.Errorf("%s %s: evidence point at %s", f.Kind, f.Subject, p.Time)
			}
		}
		if s := f.Evidence.Series; s != nil && s.End().After(at) {
			t.Errorf("%s %s: evidence series ends %s", f.Kind, f.Subject, s.End())
		}
		if f.Start.After(at) {
			t.Errorf("%s %s starts %s", f.Kind, f.Subject, f.Start)
		}
	}
}

// TestPastErrorSurge: a filter whose hourly counts go back two weeks had a
// six-hour surge ten days ago; it is a past episode of its group, named by
// its filter. A request counter's rise is not an error surge.
func TestPastErrorSurge(t *testing.T) {
	end := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	start := end.Add(-14 * cwlens.Day)
	surge := end.Add(-10 * cwlens.Day).Add(9 * time.Hour)
	errs := make([]float64, 14*24)
	reqs := make([]float64, 14*24)
	for i := range errs {
		errs[i] = float64(i % 3) // 0, 1, 2 an hour
		reqs[i] = 1000
		if h := start.Add(time.Duration(i) * time.Hour); !h.Before(surge) && h.Before(surge.Add(6*time.Hour)) {
			errs[i] = 150
			reqs[i] = 5000
		}
	}
	hourly := func(v []float64) cwlens.Series {
		return cwlens.Series{Start: start, Period: time.Hour, Unit: cwlens.UnitCount, Values: v}
	}
	snap := &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion, Region: "us-east-1", CapturedAt: end, Window: cwlens.Window{Start: start, End: end},
		LogGroups: []cwlens.LogGroup{{Name: "/app", Class: cwlens.ClassStandard, CreationTime: start.Add(-cwlens.Day),
			MetricFilters: []cwlens.MetricFilter{
				{Name: "errors", Pattern: "ERROR", MetricNamespace: "app", MetricName: "Errors", MetricValue: "1", CreationTime: start, Counts: hourly(errs)},
				{Name: "requests", Pattern: "request", MetricNamespace: "app", MetricName: "Requests", MetricValue: "1", CreationTime: start, Counts: hourly(reqs)},
			}}},
	}
	eps, err := PastEpisodes(snap, time.Time{}, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(eps) != 1 {
		t.Fatalf("past episodes %+v, want the errors filter's surge", eps)
	}
	e := eps[0]
	if e.Kind != cwlens.KindErrorSurge || e.Subject != "/app" || e.Filter != "errors" || !e.Start.Equal(surge) ||
		!e.End.Equal(surge.Add(6*time.Hour)) || e.Peak != 150 || e.Unit != cwlens.UnitCount || e.PeriodSeconds != 3600 {
		t.Errorf("episode %+v", e)
	}
	if e.Extra < 6*148 || e.Extra > 6*150 {
		t.Errorf("extra %v errors, want about 6 × 149", e.Extra)
	}
}
