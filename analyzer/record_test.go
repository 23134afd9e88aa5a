package analyzer

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRecordTrackerSince checks the record tracker against a direct search
// back through the series, on series of several shapes (a forgotten
// oldest quarter only where the tracker is too small to hold them all).
func TestRecordTrackerSince(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	series := map[string][]float64{
		"noise":      make([]float64, 3000),
		"increasing": make([]float64, 500),
		"decreasing": make([]float64, 500),
		"ties":       make([]float64, 800),
	}
	for i := range series["noise"] {
		series["noise"][i] = r.NormFloat64()
	}
	for i := range series["increasing"] {
		series["increasing"][i] = float64(i)
		series["decreasing"][i] = -float64(i)
	}
	for i := range series["ties"] {
		series["ties"][i] = float64(r.IntN(4))
	}
	for name, xs := range series {
		t.Run(name, func(t *testing.T) {
			var tr recordTracker
			tr.reset(1 << 20)
			for i, v := range xs {
				x := v - 0.25 // the threshold asked, below the value recorded
				want := i + 1 // never reached: the whole history
				for k := i - 1; k >= 0; k-- {
					if xs[k] >= x {
						want = i - k
						break
					}
				}
				if got := tr.since(x, v, i+1); got != want {
					t.Fatalf("point %d (%v): since %d, want %d", i, v, got, want)
				}
			}
		})
	}
	// a small tracker forgets the oldest records, and then answers "since
	// the oldest remembered" for a value above all it holds
	var tr recordTracker
	tr.reset(8)
	for i := 1; i <= 100; i++ {
		tr.since(0, float64(-i), i) // decreasing: every point stays
	}
	if len(tr.stack) > 8 || !tr.dropped {
		t.Fatalf("tracker of 8 holds %d entries, dropped %v", len(tr.stack), tr.dropped)
	}
	want := 101 - tr.stack[0].t
	if got := tr.since(1, 1, 101); got != want {
		t.Errorf("above all remembered: since %d, want %d (the oldest remembered)", got, want)
	}
}

// TestRoutineRecordCap checks that an alarm stops alarming once the series
// raised alarms as strong routinely, and that a rare one keeps its score.
func TestRoutineRecordCap(t *testing.T) {
	const ref = 11.5
	var r routineRecord
	r.reset(5000)
	// 2000 ordinary points, then an alarm of 0.7 every 100 points
	for i := 0; i < 2000; i++ {
		r.capScore(0.1, ref, 7)
	}
	var got []float64
	for k := 0; k < 10; k++ {
		for i := 0; i < 99; i++ {
			r.capScore(0.1, ref, 7)
		}
		got = append(got, r.capScore(0.7, ref, 7))
	}
	// the record forgets: eight alarms 100 points apart weigh about 7.3
	// of the latest, the first time the record holds seven
	for k, x := range got[:8] {
		if x != 0.7 {
			t.Errorf("alarm %d scores %.3f, want 0.7 while it is not yet routine", k+1, x)
		}
	}
	for k, x := range got[8:] {
		if !(x < 0.5) {
			t.Errorf("alarm %d (routine) scores %.3f, want < 0.5", k+9, x)
		}
	}
	// a stronger alarm than any before is not routine
	if x := r.capScore(0.95, ref, 7); x != 0.95 {
		t.Errorf("a stronger alarm scores %.3f, want 0.95", x)
	}
	// scores below 0.5 and NaN pass through
	for _, x := range []float64{0.3, 0} {
		if y := r.capScore(x, ref, 7); y != x {
			t.Errorf("capScore(%v) = %v, want it unchanged", x, y)
		}
	}
	if y := r.capScore(math.NaN(), ref, 7); !math.IsNaN(y) {
		t.Errorf("capScore(NaN) = %v", y)
	}
}
