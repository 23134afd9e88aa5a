package cwlens

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Units of a Series, as CloudWatch names them.
const (
	UnitBytes   = "Bytes"
	UnitCount   = "Count"
	UnitPercent = "Percent"
	// UnitNone is CloudWatch's unit of a metric published without one.
	UnitNone = "None"
	// UnitTaskHours is the unit of Service.TaskHours.
	UnitTaskHours = "TaskHours"
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

// seriesInJSON is what UnmarshalJSON accepts: the regular form (values), or
// the sparse form (points, and optionally end) that a hand-written file or a
// GetMetricData result looks like.
type seriesInJSON struct {
	Start         time.Time         `json:"start"`
	PeriodSeconds int64             `json:"period_seconds"`
	Unit          string            `json:"unit"`
	Values        *pointsJSON       `json:"values"`
	Points        []json.RawMessage `json:"points"`
	End           *time.Time        `json:"end"`
}

// MarshalJSON writes the regular form, missing points as null, as
// json.Marshal would write seriesJSON. It appends to one buffer: a snapshot
// holds millions of points, and a *float64 apiece cost more than the output.
func (s Series) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 96+12*len(s.Values))
	b = append(b, `{"start":`...)
	b, err := s.Start.UTC().AppendText(append(b, '"'))
	if err != nil {
		return nil, fmt.Errorf("series start: %w", err)
	}
	b = append(b, `","period_seconds":`...)
	b = strconv.AppendInt(b, int64(s.Period/time.Second), 10)
	b = append(b, `,"unit":`...)
	b = appendJSONString(b, s.Unit)
	b = append(b, `,"values":[`...)
	for i, v := range s.Values {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case math.IsInf(v, 0):
			return nil, fmt.Errorf("series value %d is %v", i, v)
		case IsMissing(v):
			b = append(b, "null"...)
		default:
			b = appendJSONFloat(b, v)
		}
	}
	return append(b, "]}"...), nil
}

// appendJSONFloat appends v as encoding/json writes a float64: the
// shortest text that reads back as v, with an exponent only below 1e-6 or
// from 1e21, and no leading zero in a negative exponent.
func appendJSONFloat(b []byte, v float64) []byte {
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString appends s as a JSON string. A unit is plain ASCII; any
// other text goes through encoding/json, so the escaping is its own.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// MaxSeriesPoints bounds the regular form a sparse series expands to, so
// that a two-point series spanning centuries cannot exhaust memory or stall
// a reader. CloudWatch keeps 1-minute data 15 days (21,600 points), 5-minute
// data 63 days and hourly data 455 days (10,920 points), so no series it can
// return at one period comes near this: it is GetMetricData's own limit of
// 100,800 datapoints per call.
const MaxSeriesPoints = 100_800

// UnmarshalJSON reads either form. In the regular form a null point is
// missing. In the sparse form
//
//	{"start": …, "period_seconds": …, "unit": …, "end": …,
//	 "points": [["2025-10-01T00:00:00Z", 123], …]}
//
// each point is [timestamp, value]; timestamps must be strictly increasing,
// on the grid start + k*period, and before end when end is given. Periods
// without a point are missing. The series ends at end, or after the last
// point when end is absent.
//
// Errors are *InputError values whose Where is relative to the series (e.g.
// "points[3]"); DecodeSnapshot prefixes the series' own path.
func (s *Series) UnmarshalJSON(b []byte) error {
	var w seriesInJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return err
	}
	if w.PeriodSeconds <= 0 {
		return Inputf("", "period_seconds", strconv.FormatInt(w.PeriodSeconds, 10), "must be a positive whole number of seconds")
	}
	if w.PeriodSeconds > math.MaxInt64/int64(time.Second) {
		return Inputf("", "period_seconds", strconv.FormatInt(w.PeriodSeconds, 10), "too long")
	}
	out := Series{
		Start:  w.Start.UTC(),
		Period: time.Duration(w.PeriodSeconds) * time.Second,
		Unit:   w.Unit,
	}
	switch {
	case w.Points != nil && w.Values != nil:
		return Inputf("", "points", "", "a series has either values or points, not both")
	case w.Points == nil && w.End != nil:
		return Inputf("", "end", w.End.Format(time.RFC3339), "end belongs to the sparse form (points); the regular form ends after its last value")
	case w.Points != nil:
		if err := out.fillPoints(w.Points, w.End); err != nil {
			return err
		}
	case w.Values != nil:
		out.Values = *w.Values
	}
	*s = out
	return nil
}

// gridIndex returns k such that t = Start + k*Period, and whether there is
// one. It counts in whole seconds, so it cannot overflow as a Duration
// would for times centuries apart. t must not be before Start.
func (s *Series) gridIndex(t time.Time) (int64, bool) {
	if t.Nanosecond() != s.Start.Nanosecond() {
		return 0, false // periods are whole seconds
	}
	secs, period := t.Unix()-s.Start.Unix(), int64(s.Period/time.Second)
	return secs / period, secs%period == 0
}

// fillPoints expands the sparse form into s.Values.
func (s *Series) fillPoints(points []json.RawMessage, end *time.Time) error {
	type point struct {
		i int
		v float64
	}
	ps := make([]point, 0, len(points))
	last := -1
	for k, raw := range points {
		where := fmt.Sprintf("points[%d]", k)
		var pair []json.RawMessage
		if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
			return Inputf("", where, string(raw), "a point is [timestamp, value]")
		}
		var t time.Time
		if err := json.Unmarshal(pair[0], &t); err != nil {
			return Inputf("", where+"[0]", string(pair[0]), "not an RFC 3339 timestamp")
		}
		var v *float64
		if err := json.Unmarshal(pair[1], &v); err != nil {
			return Inputf("", where+"[1]", string(pair[1]), "not a number or null")
		}
		t = t.UTC()
		ts := t.Format(time.RFC3339Nano)
		if t.Before(s.Start) {
			return Inputf("", where+"[0]", ts, "before the series start %s", s.Start.Format(time.RFC3339))
		}
		i64, ok := s.gridIndex(t)
		if !ok {
			return Inputf("", where+"[0]", ts, "not on the series' %s grid from %s", PeriodText(s.Period), s.Start.Format(time.RFC3339))
		}
		if i64 >= MaxSeriesPoints {
			return Inputf("", where+"[0]", ts, "more than %d periods after the series start", MaxSeriesPoints)
		}
		i := int(i64)
		if i == last {
			return Inputf("", where+"[0]", ts, "duplicate timestamp")
		}
		if i < last {
			return Inputf("", where+"[0]", ts, "timestamps out of order: after %s", s.Time(last).Format(time.RFC3339))
		}
		if end != nil && !t.Before(*end) {
			return Inputf("", where+"[0]", ts, "not before the series end %s", end.UTC().Format(time.RFC3339))
		}
		last = i
		val := Missing()
		if v != nil {
			val = *v
		}
		ps = append(ps, point{i, val})
	}
	n := last + 1
	if end != nil {
		e := end.UTC()
		if e.Before(s.Start) {
			return Inputf("", "end", e.Format(time.RFC3339), "before the series start %s", s.Start.Format(time.RFC3339))
		}
		k, ok := s.gridIndex(e)
		if !ok {
			return Inputf("", "end", e.Format(time.RFC3339), "not on the series' %s grid from %s", PeriodText(s.Period), s.Start.Format(time.RFC3339))
		}
		if k > MaxSeriesPoints {
			return Inputf("", "end", e.Format(time.RFC3339), "more than %d periods after the series start", MaxSeriesPoints)
		}
		n = int(k)
	}
	s.Values = make([]float64, n)
	for i := range s.Values {
		s.Values[i] = Missing()
	}
	for _, p := range ps {
		s.Values[p.i] = p.v
	}
	return nil
}

// pointsJSON is the values array of the regular form, parsed by hand: a
// snapshot holds millions of points, and decoding each into a *float64
// costs an allocation apiece.
type pointsJSON []float64

// UnmarshalJSON reads an array of numbers and nulls; null is a missing point.
func (p *pointsJSON) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	v, n, err := scanPoints(b)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b[n:])) > 0 {
		return Inputf("", "values", abbreviate(b[n:]), "unexpected data after the array")
	}
	*p = v
	return nil
}

// scanPoints parses the JSON array of numbers and nulls at the start of b
// and returns its values and its length in bytes. It stops at the first
// element that is not a finite number or null and returns an *InputError
// naming it (values[i]) and, instead of the length, the offset in b of the
// problem.
func scanPoints(b []byte) ([]float64, int, error) {
	fail := func(i, off int, value, msg string) ([]float64, int, error) {
		return nil, off, Inputf("", fmt.Sprintf("values[%d]", i), value, "%s", msg)
	}
	ws := func(j int) int {
		for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
			j++
		}
		return j
	}
	j := ws(0)
	if j >= len(b) || b[j] != '[' {
		return nil, j, Inputf("", "values", abbreviate(b[j:]), "want an array of numbers and nulls")
	}
	// Size the slice from the commas before the first ']' (a hint only:
	// the rest of b may be the rest of a whole snapshot).
	hint := b
	if k := bytes.IndexByte(b, ']'); k >= 0 {
		hint = b[:k]
	}
	out := make([]float64, 0, bytes.Count(hint, []byte{','})+1)
	j = ws(j + 1)
	if j < len(b) && b[j] == ']' {
		return out, j + 1, nil
	}
	for i := 0; ; i++ {
		j = ws(j)
		if j >= len(b) {
			return fail(i, j, "", "truncated: the array ends here")
		}
		start := j
		switch b[j] {
		case '"':
			k := j + 1
			for k < len(b) && b[k] != '"' {
				if b[k] == '\\' {
					k++
				}
				k++
			}
			return fail(i, start, abbreviate(b[start:min(k+1, len(b))]), "want a number or null, got a string (JSON has no NaN or Infinity; write null for a missing point)")
		case '[', '{':
			return fail(i, start, string(b[j]), "want a number or null, got an array or object")
		}
		for j < len(b) && !isDelim(b[j]) {
			j++
		}
		word := b[start:j]
		if len(word) == 0 {
			return fail(i, start, abbreviate(b[start:min(start+1, len(b))]), "want a number or null")
		}
		if string(word) == "null" {
			out = append(out, Missing())
		} else {
			v, err := parseJSONNumber(word)
			if err != nil {
				return fail(i, start, abbreviate(word), err.Error())
			}
			out = append(out, v)
		}
		j = ws(j)
		if j >= len(b) {
			return fail(i+1, j, "", "truncated: the array ends here")
		}
		switch b[j] {
		case ',':
			j++
		case ']':
			return out, j + 1, nil
		default:
			return fail(i+1, j, abbreviate(b[j:min(j+1, len(b))]), "want ',' or ']' after a value")
		}
	}
}

func isDelim(c byte) bool {
	return c == ',' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '}' || c == '"' || c == '[' || c == '{'
}

// parseJSONNumber parses a JSON number literal into a finite float64.
func parseJSONNumber(b []byte) (float64, error) {
	if !validJSONNumber(b) {
		return 0, fmt.Errorf("want a number or null (JSON has no NaN or Infinity; write null for a missing point)")
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, fmt.Errorf("number out of range")
	}
	return v, nil
}

// validJSONNumber reports whether b is a number as JSON writes it:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? — stricter than ParseFloat,
// which also takes "Inf", "0x1p3" and "1_000".
func validJSONNumber(b []byte) bool {
	i := 0
	digits := func() bool {
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(b)
}

// abbreviate returns b, shortened to at most 40 bytes for an error message.
func abbreviate(b []byte) string {
	if len(b) > 40 {
		return string(b[:37]) + "..."
	}
	return string(b)
}

// PeriodText writes a period as people say it: "1 day", "1 hour", "5 min",
// "90 s".
func PeriodText(d time.Duration) string {
	unit := func(n time.Duration, name string) string {
		if n == 1 {
			return "1 " + name
		}
		return fmt.Sprintf("%d %ss", n, name)
	}
	switch {
	case d > 0 && d%Day == 0:
		return unit(d/Day, "day")
	case d > 0 && d%Hour == 0:
		return unit(d/Hour, "hour")
	case d > 0 && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%g s", d.Seconds())
}
