package cwlens

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Units of a Series, as CloudWatch names them.
const (
	UnitBytes   = "Bytes"
	UnitCount   = "Count"
	UnitPercent = "Percent"
)

// Common periods of a Series.
const (
	Hour = time.Hour
	Day  = 24 * time.Hour
)

// Series is a regularly spaced time series: Values[i] is the value of the
// period that starts at Start + i*Period.
//
// A missing point (CloudWatch returned no datapoint, or the scan could not read
// it) is NaN in Values and null in JSON. A missing point is not a zero: a day
// with no datapoint is unknown, a day with zero bytes is silence. Use Missing
// and IsMissing rather than comparing with NaN.
type Series struct {
	Start  time.Time     // UTC start of the first period
	Period time.Duration // spacing of the points; a whole number of seconds
	Unit   string        // UnitBytes, UnitCount or UnitPercent
	Values []float64     // one value per period; NaN where missing
}

// Missing returns the value that marks a missing point.
func Missing() float64 { return math.NaN() }

// IsMissing reports whether v marks a missing point.
func IsMissing(v float64) bool { return math.IsNaN(v) }

// Len returns the number of points, missing ones included.
func (s Series) Len() int { return len(s.Values) }

// IsZero reports whether s has no points and no start.
func (s Series) IsZero() bool { return len(s.Values) == 0 && s.Start.IsZero() }

// Time returns the start of the i-th period.
func (s Series) Time(i int) time.Time { return s.Start.Add(time.Duration(i) * s.Period) }

// End returns the end of the last period (the start of the one after it).
func (s Series) End() time.Time { return s.Time(len(s.Values)) }

// Index returns the index of the period that contains t, and whether t falls
// inside the series.
func (s Series) Index(t time.Time) (int, bool) {
	if s.Period <= 0 || t.Before(s.Start) {
		return 0, false
	}
	i := int(t.Sub(s.Start) / s.Period)
	return i, i < len(s.Values)
}

// Present returns the number of points that are not missing.
func (s Series) Present() int {
	n := 0
	for _, v := range s.Values {
		if !IsMissing(v) {
			n++
		}
	}
	return n
}

// Sum returns the sum of the present points and how many there were.
func (s Series) Sum() (sum float64, n int) {
	for _, v := range s.Values {
		if !IsMissing(v) {
			sum += v
			n++
		}
	}
	return sum, n
}

// Last returns the last present point, its time, and whether there was one.
func (s Series) Last() (float64, time.Time, bool) {
	for i := len(s.Values) - 1; i >= 0; i-- {
		if !IsMissing(s.Values[i]) {
			return s.Values[i], s.Time(i), true
		}
	}
	return 0, time.Time{}, false
}

// Slice returns the points whose periods start in [from, to).
func (s Series) Slice(from, to time.Time) Series {
	out := Series{Period: s.Period, Unit: s.Unit}
	if s.Period <= 0 {
		return out
	}
	lo, hi := 0, len(s.Values)
	if from.After(s.Start) {
		lo = int((from.Sub(s.Start) + s.Period - 1) / s.Period)
	}
	if to.Before(s.End()) {
		hi = int((to.Sub(s.Start) + s.Period - 1) / s.Period)
	}
	if lo > len(s.Values) {
		lo = len(s.Values)
	}
	if hi < lo {
		hi = lo
	}
	out.Start = s.Time(lo)
	out.Values = s.Values[lo:hi]
	return out
}

// seriesJSON is the wire form of a Series: the period in whole seconds and
// missing points as null.
type seriesJSON struct {
	Start         time.Time  `json:"start"`
	PeriodSeconds int64      `json:"period_seconds"`
	Unit          string     `json:"unit"`
	Values        []*float64 `json:"values"`
}

// MarshalJSON writes missing points as null.
func (s Series) MarshalJSON() ([]byte, error) {
	w := seriesJSON{
		Start:         s.Start.UTC(),
		PeriodSeconds: int64(s.Period / time.Second),
		Unit:          s.Unit,
		Values:        make([]*float64, len(s.Values)),
	}
	for i := range s.Values {
		v := s.Values[i]
		if math.IsInf(v, 0) {
			return nil, fmt.Errorf("series value %d is %v", i, v)
		}
		if !IsMissing(v) {
			w.Values[i] = &s.Values[i]
		}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads null points as missing.
func (s *Series) UnmarshalJSON(b []byte) error {
	var w seriesJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	s.Start = w.Start.UTC()
	s.Period = time.Duration(w.PeriodSeconds) * time.Second
	s.Unit = w.Unit
	s.Values = make([]float64, len(w.Values))
	for i, p := range w.Values {
		if p == nil {
			s.Values[i] = Missing()
		} else {
			s.Values[i] = *p
		}
	}
	return nil
}
