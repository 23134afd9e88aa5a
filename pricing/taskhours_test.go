package pricing

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// ran gives a service hourly task-hours over the snapshot's 7 days, v an
// hour.
func ran(snap *cwlens.Snapshot, i int, v float64) {
	vs := make([]float64, 7*24)
	for k := range vs {
		vs[k] = v
	}
	vs[5] = cwlens.Missing() // an hour without data is left out of the mean
	s := &snap.Services[i]
	s.TaskHours = cwlens.Series{Start: snap.Window.Start, Period: time.Hour, Unit: cwlens.UnitTaskHours, Values: vs}
	s.TaskHoursSource = cwlens.TaskHoursContainerInsights
}

// TestFargateOnTaskHours: a service with measured task-hours is billed
// for them (the mean over the cost window × 730 h), not for its desired
// count; a service that ran no task costs $0; a Spot change applies to the
// same task-hours; a desired-count change prices the stated count; a
// service without the metric keeps the desired count. The line notes and
// assumptions say which.
func TestFargateOnTaskHours(t *testing.T) {
	snap := refSnapshot()
	ran(snap, 1, 0.5) // validator: half the time, though 1 desired
	ran(snap, 4, 0)   // marketplace: 0 of 1 running
	ran(snap, 2, 2)   // karma-hello on Spot: 2 tasks, 1 desired
	ran(snap, 3, 1.5) // test-seller
	sc := &Scenario{Changes: []Change{
		{Kind: ChangeCapacity, Service: "validator", SpotPercent: decimal.NewFromInt(100)},
		{Kind: ChangeDesiredCount, Service: "test-seller", DesiredCount: 1},
	}}
	p, err := Project(snap, sc, Default(), Options{At: snap.Window.End})
	if err != nil {
		t.Fatal(err)
	}
	checkTotals(t, p)
	monthly := func(subject, component string) (cur, prop string, note string) {
		for _, l := range subjectLines(p, "karmacadabra-prod/"+subject) {
			if l.Component == component || l.Component == component+" (Spot)" {
				return l.CurrentQuantity.String(), l.ProposedQuantity.String(), l.Note
			}
		}
		t.Fatalf("no %s line for %s", component, subject)
		return
	}
	// validator: 0.5 task × 730 h = 365 task-hours; 0.25 vCPU → 91.25
	// vCPU-hours now, and the same on Spot.
	if cur, prop, note := monthly("validator", "vCPU"); cur != "91.25" || prop != "91.25" || !strings.Contains(note, "ECS/ContainerInsights RunningTaskCount") {
		t.Errorf("validator vCPU-hours %s → %s, note %q; want 91.25 → 91.25 from RunningTaskCount", cur, prop, note)
	}
	if cur, _, _ := monthly("marketplace", "vCPU"); cur != "0" {
		t.Errorf("marketplace ran no task: %s vCPU-hours, want 0", cur)
	}
	if cur, _, _ := monthly("karma-hello", "vCPU"); cur != "365" {
		t.Errorf("karma-hello ran 2 tasks: %s vCPU-hours, want 365", cur)
	}
	// test-seller: 1.5 tasks measured now; the scenario states 1 task.
	if cur, prop, _ := monthly("test-seller", "vCPU"); cur != "273.75" || prop != "182.5" {
		t.Errorf("test-seller %s → %s, want 273.75 → 182.5", cur, prop)
	}
	// facilitator has no metric: desired count × 730 h.
	if cur, _, note := monthly("facilitator", "vCPU"); cur != "1460" || strings.Contains(note, "task-hours") {
		t.Errorf("facilitator %s, note %q: want desired count × 730 = 1460", cur, note)
	}
	found := false
	for _, a := range p.Assumptions {
		found = found || strings.Contains(a, "karmacadabra-prod/validator") && strings.Contains(a, "task-hours they ran from 2025-10-24 to 2025-10-30")
	}
	if !found {
		t.Errorf("assumptions do not say which services use task-hours: %q", p.Assumptions)
	}
}
