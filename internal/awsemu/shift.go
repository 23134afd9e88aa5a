package awsemu

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/cwlens/cwlens"
)

// ShiftToNow returns a copy of snap whose window ends at the hour now falls
// in, every timestamp moved by the same whole number of hours: a recorded
// account replayed as if it were scanned now, as a scheduled run (whose
// window ends at the current hour) expects. snap is not changed.
func ShiftToNow(snap *cwlens.Snapshot, now time.Time) (*cwlens.Snapshot, error) {
	return Shift(snap, now.UTC().Truncate(time.Hour).Sub(snap.Window.End))
}

// Shift returns a copy of snap with every timestamp moved by d: the window,
// the capture time, each series' start, creation and deployment times, and
// sampled events. d should be a whole number of hours, so that hourly series
// stay on the hour.
func Shift(snap *cwlens.Snapshot, d time.Duration) (*cwlens.Snapshot, error) {
	b, err := json.Marshal(snap)
	if err != nil {
		return nil, fmt.Errorf("shift snapshot: %w", err)
	}
	var cp cwlens.Snapshot
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("shift snapshot: %w", err)
	}
	mv := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.Add(d)
		}
	}
	mvSeries := func(ss ...*cwlens.Series) {
		for _, s := range ss {
			mv(&s.Start)
		}
	}
	mv(&cp.CapturedAt)
	mv(&cp.Window.Start)
	mv(&cp.Window.End)
	for i := range cp.LogGroups {
		g := &cp.LogGroups[i]
		mv(&g.CreationTime)
		mvSeries(&g.DailyIncomingBytes, &g.DailyIncomingEvents, &g.HourlyIncomingBytes, &g.HourlyIncomingEvents)
		for j := range g.MetricFilters {
			mv(&g.MetricFilters[j].CreationTime)
			mvSeries(&g.MetricFilters[j].Counts)
		}
		for j := range g.Sample {
			mv(&g.Sample[j].Timestamp)
		}
	}
	for i := range cp.Services {
		s := &cp.Services[i]
		mvSeries(&s.CPUAverage, &s.CPUMaximum, &s.MemoryAverage, &s.MemoryMaximum)
		for j := range s.Deployments {
			mv(&s.Deployments[j].CreatedAt)
			mv(&s.Deployments[j].UpdatedAt)
		}
	}
	return &cp, nil
}
