package analyzer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
)

// TimedSeries is a series read from a CSV file: one timestamp and one value
// per row, in file order. Timestamps need not be regular; duplicates and
// gaps are kept as they are.
type TimedSeries struct {
	Times  []time.Time
	Values []float64 // NaN where the row's value was empty
	// TimeText and ValueText are the fields as written, so output can echo
	// the input exactly.
	TimeText, ValueText []string
}

// timeLayouts are the timestamp forms ReadCSV accepts: NAB's, and RFC 3339.
var timeLayouts = []string{
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05.999999999",
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
}

// MaxCSVRows bounds the rows ReadCSV keeps: two years of minutes. Each
// costs about 100 bytes with its text, so the series stays near 100 MB.
const MaxCSVRows = 1_000_000

// ReadCSV reads a CSV with the header timestamp,value (in either order,
// other columns ignored). Timestamps are NAB's "YYYY-MM-DD HH:MM:SS" (taken as
// UTC) or RFC 3339; an empty value is a missing point. name is the file name
// used in errors, which are *cwlens.InputError naming the line and value.
// NaN is refused. Rows are kept in the file's order, repeats included, as
// NAB's files have them (see CheckOrder).
func ReadCSV(r io.Reader, name string) (*TimedSeries, error) {
	cr := csv.NewReader(cwlens.LimitReader(r, name, cwlens.MaxCSVBytes, "time series"))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, cwlens.Inputf(name, "line 1", "", "empty file: want a header timestamp,value")
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	ti, vi := -1, -1
	for i, h := range head {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "timestamp":
			ti = i
		case "value":
			vi = i
		}
	}
	if ti < 0 || vi < 0 {
		return nil, cwlens.Inputf(name, "line 1", strings.Join(head, ","), "header must name the columns timestamp and value")
	}
	out := &TimedSeries{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("line %d", line)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if ti >= len(rec) || vi >= len(rec) {
			return nil, cwlens.Inputf(name, where, strings.Join(rec, ","), "want %d columns, have %d", len(head), len(rec))
		}
		ts, err := parseTime(strings.TrimSpace(rec[ti]))
		if err != nil {
			return nil, cwlens.Inputf(name, where+" timestamp", rec[ti], "not a timestamp (want YYYY-MM-DD HH:MM:SS or RFC 3339)")
		}
		v := math.NaN() // an empty value is a missing point
		if s := strings.TrimSpace(rec[vi]); s != "" {
			v, err = strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				return nil, cwlens.Inputf(name, where+" value", rec[vi], "not a finite number (leave it empty for a missing point)")
			}
		}
		if len(out.Times) >= MaxCSVRows {
			return nil, cwlens.Inputf(name, where, "", "more than %d rows", MaxCSVRows)
		}
		out.Times = append(out.Times, ts)
		out.Values = append(out.Values, v)
		out.TimeText = append(out.TimeText, strings.TrimSpace(rec[ti]))
		out.ValueText = append(out.ValueText, strings.TrimSpace(rec[vi]))
	}
	return out, nil
}

// CheckOrder returns an *InputError naming the first row of ts that is not
// after the one before it: a detector fed a series out of order, or with a
// time twice, scores steps that never happened.
func CheckOrder(ts *TimedSeries, name string) error {
	for i := 1; i < len(ts.Times); i++ {
		if !ts.Times[i].After(ts.Times[i-1]) {
			return cwlens.Inputf(name, fmt.Sprintf("row %d timestamp", i+1), ts.TimeText[i],
				"not after the previous row's %s: rows must be in time order, one per time", ts.TimeText[i-1])
		}
	}
	return nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &cwlens.InputError{File: name, Where: fmt.Sprintf("line %d", pe.Line), Err: pe.Err}
	}
	return fmt.Errorf("read %s: %w", name, err)
}

func parseTime(s string) (time.Time, error) {
	var err error
	for _, l := range timeLayouts {
		var t time.Time
		if t, err = time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, err
}

// InferStep returns the sampling period of times: the median of the positive
// differences between consecutive timestamps, which ignores the odd gap,
// duplicate or backward step. It is 0 when there are no two increasing
// timestamps.
func InferStep(times []time.Time) time.Duration {
	var d []float64
	for i := 1; i < len(times); i++ {
		if dt := times[i].Sub(times[i-1]); dt > 0 {
			d = append(d, float64(dt))
		}
	}
	if len(d) == 0 {
		return 0
	}
	sort.Float64s(d)
	return time.Duration(d[len(d)/2]).Round(time.Second)
}

// maxGapFill bounds how many missing points ScoreTimed inserts for one gap,
// so a typo in a year cannot make it allocate gigabytes.
const maxGapFill = 100000

// PointScorer is a causal, streaming scorer of one series: a Detector or a
// Scorer.
type PointScorer interface {
	Reset()
	Update(v float64) float64
}

// ScoreTimed scores an irregular series with a scorer configured for step:
// a forward gap of more than one step feeds the engine missing points, so
// seasonal phases stay aligned, but only the rows themselves get a score.
// Duplicate or backward timestamps are judged as the next point.
func ScoreTimed(d PointScorer, ts *TimedSeries, step time.Duration) []float64 {
	out := make([]float64, len(ts.Values))
	d.Reset()
	for i, v := range ts.Values {
		if i > 0 && step > 0 {
			gap := int(ts.Times[i].Sub(ts.Times[i-1])/step) - 1
			if rem := ts.Times[i].Sub(ts.Times[i-1]) % step; rem > step/2 {
				gap++
			}
			if gap > maxGapFill {
				gap = maxGapFill
			}
			for ; gap > 0; gap-- {
				d.Update(math.NaN())
			}
		}
		out[i] = d.Update(v)
	}
	return out
}
