package cwlens

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestSeriesUnmarshalJSON(t *testing.T) {
	const head = `"start":"2025-10-29T00:00:00Z","period_seconds":86400,"unit":"Bytes"`
	m := math.NaN()
	tests := []struct {
		name string
		in   string
		want []float64 // nil with err != ""
		err  string
	}{
		{"values", `{` + head + `,"values":[1,null,3]}`, []float64{1, m, 3}, ""},
		{"empty values", `{` + head + `,"values":[]}`, []float64{}, ""},
		{"points with gap", `{` + head + `,"points":[["2025-10-29T00:00:00Z",1],["2025-10-31T00:00:00Z",3]]}`, []float64{1, m, 3}, ""},
		{"points in another zone", `{` + head + `,"points":[["2025-10-29T02:00:00+02:00",1]]}`, []float64{1}, ""},
		{"null point", `{` + head + `,"points":[["2025-10-30T00:00:00Z",null]]}`, []float64{m, m}, ""},
		{"points to end", `{` + head + `,"end":"2025-11-01T00:00:00Z","points":[["2025-10-30T00:00:00Z",2]]}`, []float64{m, 2, m}, ""},
		{"no points to end", `{` + head + `,"end":"2025-10-31T00:00:00Z","points":[]}`, []float64{m, m}, ""},
		{"no points", `{` + head + `,"points":[]}`, []float64{}, ""},

		{"both forms", `{` + head + `,"values":[1],"points":[]}`, nil, "points: a series has either values or points, not both"},
		{"end with values", `{` + head + `,"end":"2025-10-30T00:00:00Z","values":[1]}`, nil, "end: 2025-10-30T00:00:00Z: end belongs to the sparse form"},
		{"unsorted", `{` + head + `,"points":[["2025-10-30T00:00:00Z",1],["2025-10-29T00:00:00Z",2]]}`, nil, "points[1][0]: 2025-10-29T00:00:00Z: timestamps out of order"},
		{"duplicate", `{` + head + `,"points":[["2025-10-30T00:00:00Z",1],["2025-10-30T00:00:00Z",2]]}`, nil, "points[1][0]: 2025-10-30T00:00:00Z: duplicate timestamp"},
		{"off grid", `{` + head + `,"points":[["2025-10-30T00:00:01Z",1]]}`, nil, "points[0][0]: 2025-10-30T00:00:01Z: not on the series' 1 day grid"},
		{"before start", `{` + head + `,"points":[["2025-10-28T00:00:00Z",1]]}`, nil, "points[0][0]: 2025-10-28T00:00:00Z: before the series start"},
		{"at end", `{` + head + `,"end":"2025-10-30T00:00:00Z","points":[["2025-10-30T00:00:00Z",1]]}`, nil, "points[0][0]: 2025-10-30T00:00:00Z: not before the series end"},
		{"end before start", `{` + head + `,"end":"2025-10-28T00:00:00Z","points":[]}`, nil, "end: 2025-10-28T00:00:00Z: before the series start"},
		{"end off grid", `{` + head + `,"end":"2025-10-30T12:00:00Z","points":[]}`, nil, "end: 2025-10-30T12:00:00Z: not on the series' 1 day grid"},
		{"end too far", `{` + head + `,"end":"9500-01-01T00:00:00Z","points":[]}`, nil, "end: 9500-01-01T00:00:00Z: more than"},
		{"point too far", `{"start":"2025-10-29T00:00:00Z","period_seconds":60,"unit":"Bytes","points":[["2035-10-29T00:00:00Z",1]]}`, nil, "points[0][0]: 2035-10-29T00:00:00Z: more than"},
		{"point centuries away", `{` + head + `,"points":[["9999-01-01T00:00:00Z",1]]}`, nil, "points[0][0]: 9999-01-01T00:00:00Z: more than"},
		{"point not a pair", `{` + head + `,"points":[["2025-10-29T00:00:00Z"]]}`, nil, "points[0]: "},
		{"point time", `{` + head + `,"points":[["yesterday",1]]}`, nil, `points[0][0]: "yesterday": not an RFC 3339 timestamp`},
		{"point value", `{` + head + `,"points":[["2025-10-29T00:00:00Z","NaN"]]}`, nil, `points[0][1]: "NaN": not a number or null`},
		{"value string", `{` + head + `,"values":[1,"NaN"]}`, nil, `values[1]: "NaN": want a number or null, got a string`},
		{"zero period", `{"start":"2025-10-29T00:00:00Z","period_seconds":0,"unit":"Bytes","values":[]}`, nil, "period_seconds: 0: must be a positive whole number of seconds"},
		{"negative period", `{"start":"2025-10-29T00:00:00Z","period_seconds":-60,"unit":"Bytes","values":[]}`, nil, "period_seconds: -60"},
		{"huge period", `{"start":"2025-10-29T00:00:00Z","period_seconds":9223372036854775807,"unit":"Bytes","values":[]}`, nil, "too long"},
		{"unknown field", `{` + head + `,"value":[1]}`, nil, `value: "value": unknown field (known: start, period_seconds, unit, values, points, end) (line 1, column 71)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// As a snapshot reads a series; v1 below reads one the same.
			var s Series
			err := inputError(seriesDoc.Decode(strings.NewReader(tt.in), &s), "")
			if tt.err != "" {
				var v1 Series
				if json.Unmarshal([]byte(tt.in), &v1) == nil {
					t.Errorf("encoding/json accepted %s", tt.in)
				}
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !s.Start.Equal(time.Date(2025, 10, 29, 0, 0, 0, 0, time.UTC)) || s.Period != Day || s.Unit != UnitBytes {
				t.Errorf("header %v %v %v", s.Start, s.Period, s.Unit)
			}
			if !sameValues(s.Values, tt.want) {
				t.Errorf("values %v, want %v", s.Values, tt.want)
			}
			// Writing always uses the regular form, and reads back the same.
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "points") {
				t.Errorf("wrote the sparse form: %s", b)
			}
			var back Series
			if err := json.Unmarshal(b, &back); err != nil || !sameValues(back.Values, s.Values) || !back.Start.Equal(s.Start) {
				t.Errorf("round trip: %v %v", back, err)
			}
		})
	}
}

func sameValues(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(IsMissing(a[i]) && IsMissing(b[i])) {
			return false
		}
	}
	return true
}

func TestPeriodText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		Day: "1 day", 7 * Day: "7 days", Hour: "1 hour", 3 * Hour: "3 hours",
		5 * time.Minute: "5 min", 90 * time.Second: "90 s", 0: "0 s",
	} {
		if got := PeriodText(d); got != want {
			t.Errorf("PeriodText(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestValuesErrors reads bad values arrays: each problem is named at its
// element, with the value as written and its column.
func TestValuesErrors(t *testing.T) {
	const head = `{"start":"2025-10-29T00:00:00Z","period_seconds":86400,"unit":"Bytes","values":`
	col := func(n int) string { return fmt.Sprintf("(line 1, column %d)", len(head)+n) }
	tests := []struct{ in, want string }{
		// Syntax: the decoder places it, at the array or the element.
		{`[1,]}`, "values: ,: malformed JSON: "},
		{`[1 2]}`, "values: 2: malformed JSON: "},
		{`[0x10]}`, "values: x10: malformed JSON: "},
		{`[1.]}`, "values[0]: ]: malformed JSON: "},
		{`[1,Infinity]}`, "values[1]: Infinity: malformed JSON: "},
		{`[1, 2`, "values: truncated JSON: the file ends inside this value (line 1, column 85)"},
		// Values: refused at the element.
		{`[1e400]}`, "values[0]: 1e400: number out of range " + col(2)},
		{`[1, "a,b"]}`, `values[1]: "a,b": want a number or null, got a string (JSON has no NaN or Infinity; write null for a missing point) ` + col(5)},
		{`[[1]]}`, "values[0]: [: want a number or null, got an array or object " + col(2)},
		{`[true]}`, "values[0]: true: want a number or null, got a boolean " + col(2)},
		{`{}}`, "values: {: want an array of numbers and nulls " + col(1)},
		{`"x"}`, `values: "x": want an array of numbers and nulls ` + col(1)},
	}
	for _, tt := range tests {
		// Through v2, as a snapshot reads it: v1 refuses bad syntax itself
		// before it calls UnmarshalJSON.
		var s Series
		err := inputError(seriesDoc.Decode(strings.NewReader(head+tt.in), &s), "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("values %s: got %v, want %q", tt.in, err, tt.want)
		}
	}
}
