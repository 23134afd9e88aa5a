package ingest

import (
	"fmt"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

func TestSampleTargets(t *testing.T) {
	end := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	w := cwlens.Window{Start: end.Add(-35 * cwlens.Day), End: end}
	hourlyStart := end.Add(-7 * cwlens.Day)
	// group builds a group at level bytes a day whose days in jump (days
	// before the end) carry those bytes instead, spread evenly over the
	// hours from the hour given (0 when the day is all of it).
	group := func(name string, level float64, jump map[int]float64, fromHour int) *cwlens.LogGroup {
		daily := make([]float64, 35)
		hourly := make([]float64, 7*24)
		for i := range daily {
			daily[i] = level
			if v, ok := jump[35-i]; ok {
				daily[i] = v
			}
		}
		for h := range hourly {
			d := 28 + h/24
			hourly[h] = level / 24
			if v, ok := jump[35-d]; ok && h%24 >= fromHour {
				hourly[h] = (v - level*float64(fromHour)/24) / float64(24-fromHour)
			}
		}
		return &cwlens.LogGroup{
			Name:                name,
			DailyIncomingBytes:  cwlens.Series{Start: w.Start, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: daily},
			HourlyIncomingBytes: cwlens.Series{Start: hourlyStart, Period: cwlens.Hour, Unit: cwlens.UnitBytes, Values: hourly},
		}
	}
	day := func(before int) time.Time { return end.Add(-time.Duration(before) * cwlens.Day) }
	for _, tc := range []struct {
		name   string
		groups []*cwlens.LogGroup
		want   []string // group@onset
	}{
		{"flat", []*cwlens.LogGroup{group("a", 5e6, nil, 0)}, nil},
		{"weekday swing below 3×", []*cwlens.LogGroup{group("a", 5e6, map[int]float64{2: 14e6}, 0)}, nil},
		{"3× but under 1 MB more", []*cwlens.LogGroup{group("a", 4e5, map[int]float64{2: 13e5}, 0)}, nil},
		{"flood from 12:00", []*cwlens.LogGroup{group("a", 5e6, map[int]float64{3: 500e6, 2: 2800e6, 1: 150e6}, 12)},
			[]string{"a@" + day(3).Add(12*time.Hour).Format(time.RFC3339)}},
		{"a Delivery group is not sampled", []*cwlens.LogGroup{func() *cwlens.LogGroup {
			g := group("a", 5e6, map[int]float64{1: 500e6}, 0)
			g.Class = cwlens.ClassDelivery
			return g
		}()}, nil},
		{"flood older than the last week", []*cwlens.LogGroup{group("a", 5e6, map[int]float64{10: 500e6}, 0)}, nil},
		{"largest jump first", []*cwlens.LogGroup{
			group("small", 1e6, map[int]float64{1: 9e6}, 0),
			group("big", 5e6, map[int]float64{2: 900e6}, 0),
			group("flat", 5e6, nil, 0),
		}, []string{"big@" + day(2).Format(time.RFC3339), "small@" + day(1).Format(time.RFC3339)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range sampleTargets(tc.groups, w, 7) {
				got = append(got, s.group+"@"+s.onset.Format(time.RFC3339))
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("targets %v, want %v", got, tc.want)
			}
		})
	}

	// Missing days are no datapoint, not zero; a group without any has no
	// median and is skipped.
	g := group("gappy", 5e6, map[int]float64{1: 50e6}, 0)
	for i := range 20 {
		g.DailyIncomingBytes.Values[i] = cwlens.Missing()
	}
	empty := &cwlens.LogGroup{Name: "empty", DailyIncomingBytes: cwlens.Series{Start: w.Start, Period: cwlens.Day, Values: []float64{cwlens.Missing()}}}
	if got := sampleTargets([]*cwlens.LogGroup{g, empty}, w, 7); len(got) != 1 || got[0].group != "gappy" {
		t.Errorf("targets %+v, want gappy only", got)
	}

	// At most SampleMaxGroups, the largest jumps.
	var many []*cwlens.LogGroup
	for i := range SampleMaxGroups + 5 {
		many = append(many, group(fmt.Sprintf("g%02d", i), 1e6, map[int]float64{1: float64(10+i) * 1e6}, 0))
	}
	got := sampleTargets(many, w, 7)
	if len(got) != SampleMaxGroups || got[0].group != "g14" || got[len(got)-1].group != "g05" {
		t.Errorf("%d targets from %s to %s, want %d from g14 to g05", len(got), got[0].group, got[len(got)-1].group, SampleMaxGroups)
	}
}
