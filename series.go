package cwlens

import (
	"bytes"
	jsonv1 "encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cwlens/cwlens/internal/jsonin"
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

// seriesInJSON is what UnmarshalJSONFrom accepts: the regular form
// (values), or the sparse form (points, and optionally end) that a
// hand-written file or a GetMetricData result looks like.
type seriesInJSON struct {
	Start         time.Time   `json:"start"`
	PeriodSeconds int64       `json:"period_seconds"`
	Unit          string      `json:"unit"`
	Values        *valuesJSON `json:"values"`
	Points        []pointJSON `json:"points"`
	End           *time.Time  `json:"end"`
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
			q, _ := jsonv1.Marshal(s) // a string always marshals
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

// UnmarshalJSONFrom reads either form from dec (encoding/json/v2's
// UnmarshalerFrom). In the regular form a null point is missing. In the
// sparse form
//
//	{"start": …, "period_seconds": …, "unit": …, "end": …,
//	 "points": [["2025-10-01T00:00:00Z", 123], …]}
//
// each point is [timestamp, value]; timestamps must be strictly increasing,
// on the grid start + k*period, and before end when end is given. Periods
// without a point are missing. The series ends at end, or after the last
// point when end is absent.
//
// A problem is reported at its place in dec's document (see jsonin).
func (s *Series) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return s.decodeAt(dec, dec.StackPointer())
}

// decodeAt is UnmarshalJSONFrom for the series at, the member or element
// of dec's document the series is.
func (s *Series) decodeAt(dec *jsontext.Decoder, at jsontext.Pointer) error {
	off := dec.InputOffset()
	var w seriesInJSON
	// A series has no other members, whoever reads it (encoding/json
	// itself calls this method from Go 1.27 on).
	if err := json.UnmarshalDecode(dec, &w, json.RejectUnknownMembers(true)); err != nil {
		return err
	}
	out, err := w.series(at, off)
	if err != nil {
		return err
	}
	*s = out
	return nil
}

// UnmarshalJSON reads either form for encoding/json (v1); see
// UnmarshalJSONFrom. Errors are *InputError values whose Where is relative
// to the series (e.g. "points[3]").
func (s *Series) UnmarshalJSON(b []byte) error {
	return inputError(seriesDoc.Decode(bytes.NewReader(b), s), "")
}

// seriesDoc is a series read on its own, by the rules of a snapshot.
var seriesDoc = jsonin.Doc{
	What:    "series object",
	Options: json.JoinOptions(json.RejectUnknownMembers(true), json.MatchCaseInsensitiveNames(true)),
	Forms:   seriesForm,
}

// seriesForm tells paths that a Series is read as a seriesInJSON.
var seriesForm = map[reflect.Type]reflect.Type{reflect.TypeFor[Series](): reflect.TypeFor[seriesInJSON]()}

// series checks w and expands it; at and off place the series for errors.
func (w *seriesInJSON) series(at jsontext.Pointer, off int64) (Series, error) {
	fail := func(sub, value, format string, args ...any) error {
		return jsonin.Invalid(at+jsontext.Pointer(sub), off, value, format, args...)
	}
	if w.PeriodSeconds <= 0 {
		return Series{}, fail("/period_seconds", strconv.FormatInt(w.PeriodSeconds, 10), "must be a positive whole number of seconds")
	}
	if w.PeriodSeconds > math.MaxInt64/int64(time.Second) {
		return Series{}, fail("/period_seconds", strconv.FormatInt(w.PeriodSeconds, 10), "too long")
	}
	out := Series{
		Start:  w.Start.UTC(),
		Period: time.Duration(w.PeriodSeconds) * time.Second,
		Unit:   w.Unit,
	}
	switch {
	case w.Points != nil && w.Values != nil:
		return Series{}, fail("/points", "", "a series has either values or points, not both")
	case w.Points == nil && w.End != nil:
		return Series{}, fail("/end", w.End.Format(time.RFC3339), "end belongs to the sparse form (points); the regular form ends after its last value")
	case w.Points != nil:
		if err := out.fillPoints(w.Points, w.End, fail); err != nil {
			return Series{}, err
		}
	case w.Values != nil:
		out.Values = *w.Values
	}
	return out, nil
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

// fillPoints expands the sparse form into s.Values. fail reports a problem
// at a path under the series.
func (s *Series) fillPoints(points []pointJSON, end *time.Time, fail func(sub, value, format string, args ...any) error) error {
	last := -1
	idx := make([]int, len(points))
	for k, p := range points {
		t := p.t.UTC()
		ts := t.Format(time.RFC3339Nano)
		if t.Before(s.Start) {
			return p.fail(ts, "before the series start %s", s.Start.Format(time.RFC3339))
		}
		i64, ok := s.gridIndex(t)
		if !ok {
			return p.fail(ts, "not on the series' %s grid from %s", PeriodText(s.Period), s.Start.Format(time.RFC3339))
		}
		if i64 >= MaxSeriesPoints {
			return p.fail(ts, "more than %d periods after the series start", MaxSeriesPoints)
		}
		i := int(i64)
		if i == last {
			return p.fail(ts, "duplicate timestamp")
		}
		if i < last {
			return p.fail(ts, "timestamps out of order: after %s", s.Time(last).Format(time.RFC3339))
		}
		if end != nil && !t.Before(*end) {
			return p.fail(ts, "not before the series end %s", end.UTC().Format(time.RFC3339))
		}
		last, idx[k] = i, i
	}
	n := last + 1
	if end != nil {
		e := end.UTC()
		if e.Before(s.Start) {
			return fail("/end", e.Format(time.RFC3339), "before the series start %s", s.Start.Format(time.RFC3339))
		}
		k, ok := s.gridIndex(e)
		if !ok {
			return fail("/end", e.Format(time.RFC3339), "not on the series' %s grid from %s", PeriodText(s.Period), s.Start.Format(time.RFC3339))
		}
		if k > MaxSeriesPoints {
			return fail("/end", e.Format(time.RFC3339), "more than %d periods after the series start", MaxSeriesPoints)
		}
		n = int(k)
	}
	s.Values = make([]float64, n)
	for i := range s.Values {
		s.Values[i] = Missing()
	}
	for k, p := range points {
		s.Values[idx[k]] = p.v
	}
	return nil
}

// valuesJSON is the values array of the regular form, read token by token:
// a snapshot holds millions of points, and decoding each into a *float64
// would cost an allocation apiece.
type valuesJSON []float64

// UnmarshalJSONFrom reads an array of numbers and nulls; null is a missing
// point.
func (p *valuesJSON) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == 'n' {
		_, err := dec.ReadToken()
		*p = nil
		return err
	}
	if _, err := expectArray(dec, "want an array of numbers and nulls"); err != nil {
		return err
	}
	// Read into a buffer on the stack, then keep an exact copy: a few
	// months of daily points need no growing slices.
	var buf [256]float64
	out := buf[:0]
	for dec.PeekKind() != ']' {
		v, err := readPoint(dec, "want a number or null")
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*p = append(make([]float64, 0, len(out)), out...)
	return nil
}

// expectArray reads the '[' that opens an array, or refuses what is there:
// want says what the value must be. It returns the offset of the '['.
func expectArray(dec *jsontext.Decoder, want string) (int64, error) {
	if dec.PeekKind() == '[' {
		_, err := dec.ReadToken()
		return dec.InputOffset() - 1, err
	}
	v, err := dec.ReadValue()
	if err != nil {
		return 0, err
	}
	return 0, jsonin.Invalid(dec.StackPointer(), dec.InputOffset()-int64(len(v)), short(v), "%s", want)
}

// readPoint reads one value of a series: a finite number, or null for a
// missing point. want says what a point must be.
func readPoint(dec *jsontext.Decoder, want string) (float64, error) {
	switch dec.PeekKind() {
	case '"', '[', '{':
		v, err := dec.ReadValue()
		if err != nil {
			return 0, err
		}
		got := "a string (" + jsonin.NoNaN + ")"
		if v.Kind() != '"' {
			got = "an array or object"
		}
		return 0, jsonin.Invalid(dec.StackPointer(), dec.InputOffset()-int64(len(v)), short(v), "%s, got %s", want, got)
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return 0, err
	}
	switch tok.Kind() {
	case 'n':
		return Missing(), nil
	case '0':
		v, err := tok.Float()
		if err != nil || math.IsInf(v, 0) {
			raw := tok.String()
			return 0, jsonin.Invalid(dec.StackPointer(), dec.InputOffset()-int64(len(raw)), raw, "number out of range")
		}
		return v, nil
	}
	raw := tok.String()
	return 0, jsonin.Invalid(dec.StackPointer(), dec.InputOffset()-int64(len(raw)), raw, "%s, got a boolean", want)
}

// short returns a value as written, shortened to at most 40 bytes for a
// message, or its first character when it is an array or object.
func short(v jsontext.Value) string {
	switch {
	case v.Kind() == '[' || v.Kind() == '{':
		return v.Kind().String()
	case len(v) > 40:
		return string(v[:37]) + "..."
	}
	return string(v)
}

// pointJSON is one point of the sparse form, [timestamp, value], and where
// it is, for the checks made once the series' grid is known.
type pointJSON struct {
	t   time.Time
	v   float64
	ptr jsontext.Pointer // the point
	off int64            // its timestamp
}

// fail reports a problem with the point's timestamp.
func (p *pointJSON) fail(value, format string, args ...any) error {
	return jsonin.Invalid(p.ptr+"/0", p.off, value, format, args...)
}

// UnmarshalJSONFrom reads [timestamp, value].
func (p *pointJSON) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	const want = "a point is [timestamp, value]: two elements"
	open, err := expectArray(dec, want)
	if err != nil {
		return err
	}
	p.ptr = dec.StackPointer()
	n := 0
	for ; dec.PeekKind() != ']'; n++ {
		if n == 1 {
			if p.v, err = readPoint(dec, "not a number or null"); err != nil {
				return err
			}
			continue
		}
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		off := dec.InputOffset() - int64(len(v))
		if n > 1 {
			return jsonin.Invalid(dec.StackPointer(), off, short(v), want)
		}
		p.off = off
		if v.Kind() != '"' || p.t.UnmarshalJSON(v) != nil {
			return jsonin.Invalid(dec.StackPointer(), off, short(v), "not an RFC 3339 timestamp such as 2025-10-31T00:00:00Z")
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if n < 2 {
		return jsonin.Invalid(p.ptr, open, "", want)
	}
	return nil
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
