package awsemu

import (
	"testing"
	"time"

	"github.com/cwlens/cwlens/fixtures"
)

func TestShiftToNow(t *testing.T) {
	ref, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 5, 42, 13, 0, time.UTC)
	got, err := ShiftToNow(ref, now)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	d := want.Sub(ref.Window.End)
	if !got.Window.End.Equal(want) || got.Window.Duration() != ref.Window.Duration() || !got.CapturedAt.Equal(ref.CapturedAt.Add(d)) {
		t.Errorf("window %v, captured %v", got.Window, got.CapturedAt)
	}
	g, rg := got.LogGroup("/ecs/karmacadabra-prod/facilitator"), ref.LogGroup("/ecs/karmacadabra-prod/facilitator")
	if !g.DailyIncomingBytes.Start.Equal(rg.DailyIncomingBytes.Start.Add(d)) || !g.HourlyIncomingBytes.Start.Equal(rg.HourlyIncomingBytes.Start.Add(d)) ||
		!g.MetricFilters[0].Counts.Start.Equal(rg.MetricFilters[0].Counts.Start.Add(d)) || !g.CreationTime.Equal(rg.CreationTime.Add(d)) {
		t.Error("log group times not shifted")
	}
	if v, _, _ := g.DailyIncomingBytes.Last(); v != func() float64 { v, _, _ := rg.DailyIncomingBytes.Last(); return v }() {
		t.Error("values changed")
	}
	s, rs := got.Service("karmacadabra-prod", "facilitator"), ref.Service("karmacadabra-prod", "facilitator")
	if !s.CPUMaximum.Start.Equal(rs.CPUMaximum.Start.Add(d)) || !s.Deployments[0].CreatedAt.Equal(rs.Deployments[0].CreatedAt.Add(d)) {
		t.Error("service times not shifted")
	}
	if !ref.Window.End.Equal(time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("the original was changed: its window ends %v", ref.Window.End)
	}
}
