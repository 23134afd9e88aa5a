package analyzer

import (
	"math"
	"testing"
	"time"
)

// TestScorerFailureKinds holds the Scorer to the four failures operators
// reported on held-out KPIs, on generated series of each kind at 1- and
// 5-minute steps: the labelled anomalies alarm (≥ 0.5) within their first 8
// points (all of them, or at least four of an incident's five spikes, where
// the engine used to alarm on the first only), false alarms stay rare, and
// exactly the missing points (every series has some) score NaN.
func TestScorerFailureKinds(t *testing.T) {
	cases := []struct {
		kind      kpiKind
		caught    float64 // fraction of the anomalies that must alarm
		maxPerDay float64 // false alarms per day after the first day
	}{
		{kindIncident, 0.8, 1}, // several anomalies in one incident
		{kindDropZero, 1, 1},   // lone one-point drops to zero
		{kindSparse, 1, 1},     // a lone large value on a mostly-zero count
		{kindQuantised, 1, 1},  // a change of texture at the same level
	}
	for _, c := range cases {
		for _, step := range []time.Duration{time.Minute, 5 * time.Minute} {
			for seed := uint64(11); seed <= 13; seed++ {
				l := genKPI(c.kind, step, seed)
				t.Run(l.name, func(t *testing.T) {
					s := scoreSeries(DefaultScorerConfig, &l)
					in := make([]bool, len(s))
					missed := 0
					for _, sg := range l.segs {
						best := 0.0
						for i := sg[0]; i <= sg[1]; i++ {
							in[i] = true
							if i <= sg[0]+7 {
								best = max(best, s[i])
							}
						}
						if best < 0.5 {
							missed++
							t.Logf("anomaly at %d..%d: best score %.3f in its first 8 points", sg[0], sg[1], best)
						}
					}
					if got := 1 - float64(missed)/float64(len(l.segs)); got < c.caught {
						t.Errorf("%d of %d anomalies alarmed within their first 8 points, want %.0f %%", len(l.segs)-missed, len(l.segs), 100*c.caught)
					}
					nan := 0
					perDay := int(24 * time.Hour / step)
					false := 0
					for i, x := range s {
						if math.IsNaN(x) {
							nan++
						}
						if math.IsNaN(l.values[i]) != math.IsNaN(x) {
							t.Fatalf("point %d: value %v scores %v; want NaN exactly for missing points", i, l.values[i], x)
						}
						if x < 0 || x > 1 {
							t.Fatalf("point %d scores %v, outside [0, 1]", i, x)
						}
						if i >= perDay && !in[i] && x >= 0.5 {
							false++
						}
					}
					if nan == 0 {
						t.Errorf("no missing point in the series: the NaN check checked nothing")
					}
					days := float64(len(s)-perDay) / float64(perDay)
					if got := float64(false) / days; got > c.maxPerDay {
						t.Errorf("%.2f false alarms a day (%d), want ≤ %.1f", got, false, c.maxPerDay)
					}
				})
			}
		}
	}
}

// BenchmarkScorerKPI scores a week of one-minute points of a daily-rhythm
// KPI with incidents and gaps, reusing one Scorer as `cwlens detect` would
// across files: the engine's speed and allocations per point.
func BenchmarkScorerKPI(b *testing.B) {
	l := genKPI(kindIncident, time.Minute, 1)
	sc := NewScorer(DefaultScorerConfig(time.Minute))
	sc.Score(l.values) // grow the buffers once
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		sc.Reset()
		for _, v := range l.values {
			sc.Update(v)
		}
	}
	reportPoints(b, len(l.values), cpu0)
}

func TestGaussBody(t *testing.T) {
	for z := 0.0; z <= gaussBodyMax; z += 0.001 {
		if d := math.Abs(gaussBody(z) - surprise(z)); d > 0.002 {
			t.Fatalf("z %.3f: table %v, exact %v", z, gaussBody(z), surprise(z))
		}
	}
	if gaussBody(-1) != gaussBody(0) || gaussBody(9) != gaussBody(gaussBodyMax) {
		t.Errorf("outside [0, %v] the table does not clamp", gaussBodyMax)
	}
}
