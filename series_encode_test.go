package cwlens

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// seriesJSON is the regular wire form as plain encoding/json writes it,
// with a *float64 per point: what the hand-written MarshalJSON must equal.
type seriesJSON struct {
	Start         time.Time  `json:"start"`
	PeriodSeconds int64      `json:"period_seconds"`
	Unit          string     `json:"unit"`
	Values        []*float64 `json:"values"`
}

func plainSeriesJSON(t *testing.T, s Series) []byte {
	t.Helper()
	w := seriesJSON{Start: s.Start.UTC(), PeriodSeconds: int64(s.Period / time.Second), Unit: s.Unit, Values: make([]*float64, len(s.Values))}
	for i := range s.Values {
		if !IsMissing(s.Values[i]) {
			w.Values[i] = &s.Values[i]
		}
	}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSeriesMarshalJSONMatchesEncodingJSON(t *testing.T) {
	start := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	zone := time.FixedZone("CEST", 2*3600)
	tests := []struct {
		name string
		s    Series
	}{
		{"nil values", Series{Start: start, Period: Day, Unit: UnitBytes}},
		{"empty values", Series{Start: start, Period: Hour, Unit: UnitCount, Values: []float64{}}},
		{"zero series", Series{}},
		{"missing points", Series{Start: start, Period: Day, Unit: UnitBytes, Values: []float64{Missing(), 1, Missing()}}},
		{"exponents", Series{Start: start, Period: Hour, Unit: UnitPercent,
			Values: []float64{1e-7, 1e-6, 9.99e-7, 1e20, 1e21, 1.5e300, -2.5e-9, 5e-324, math.MaxFloat64}}},
		{"signs and zeros", Series{Start: start, Period: Hour, Unit: UnitPercent, Values: []float64{0, math.Copysign(0, -1), -1, 0.1, 123456789.125}}},
		{"start in a zone, nanoseconds", Series{Start: start.Add(123456789).In(zone), Period: 90 * time.Second, Unit: UnitCount, Values: []float64{7}}},
		{"unit needing escapes", Series{Start: start, Period: Hour, Unit: "a<b>&\"c\\\n\u00e9\u2028", Values: []float64{1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.s.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if want := plainSeriesJSON(t, tt.s); string(got) != string(want) {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})
	}
	t.Run("random values", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		v := make([]float64, 5000)
		for i := range v {
			v[i] = math.Float64frombits(rng.Uint64())
			if math.IsInf(v[i], 0) {
				v[i] = Missing()
			}
		}
		s := Series{Start: start, Period: Hour, Unit: UnitBytes, Values: v}
		got, err := s.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if want := plainSeriesJSON(t, s); string(got) != string(want) {
			t.Fatal("random values encode differently from encoding/json")
		}
	})
}

func TestSeriesMarshalJSONRefuses(t *testing.T) {
	start := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []Series{
		{Start: start, Period: Hour, Values: []float64{1, math.Inf(1)}},
		{Start: start, Period: Hour, Values: []float64{math.Inf(-1)}},
		{Start: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Period: Hour, Values: []float64{1}},
	} {
		if b, err := s.MarshalJSON(); err == nil {
			t.Errorf("%v encoded as %s", s, b)
		}
	}
}
