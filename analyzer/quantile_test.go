package analyzer

import (
	"math"
	"testing"
)

// The quantiles z of the two-sided intervals, to 12 decimals, as published in
// the table "Standard deviations from the mean and the corresponding
// two-sided probabilities" of
// https://en.wikipedia.org/wiki/Normal_distribution#Quantile_function
// (retrieved 2026-12-07): p is the probability inside (−z, z), so z is
// Φ⁻¹((1+p)/2).
func TestNormalQuantilePublished(t *testing.T) {
	tests := []struct{ p, z float64 }{
		{0.80, 1.281551565545},
		{0.90, 1.644853626951},
		{0.95, 1.959963984540},
		{0.98, 2.326347874041},
		{0.99, 2.575829303549},
		{0.995, 2.807033768344},
		{0.998, 3.090232306168},
		{0.999, 3.290526731492},
	}
	for _, tt := range tests {
		upper := normalQuantile((1 + tt.p) / 2)
		if math.Abs(upper-tt.z) > 5e-13 {
			t.Errorf("normalQuantile(%v) = %.15f, want %.12f", (1+tt.p)/2, upper, tt.z)
		}
		// The distribution is symmetric: the lower tail is the negation.
		lower := normalQuantile((1 - tt.p) / 2)
		if math.Abs(lower+tt.z) > 5e-13 {
			t.Errorf("normalQuantile(%v) = %.15f, want %.12f", (1-tt.p)/2, lower, -tt.z)
		}
	}
	if got := normalQuantile(0.5); got != 0 {
		t.Errorf("normalQuantile(0.5) = %v, want 0", got)
	}
}
