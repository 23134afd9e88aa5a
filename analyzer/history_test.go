package analyzer

import (
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
			if e.Baseline < 2e6 || e.Baseline > 8e6 || e.ExtraBytes != 300e6-e.Baseline {
				t.Errorf("baseline %.0f, extra %.0f", e.Baseline, e.ExtraBytes)
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
