package analyzer

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

func TestReadCSV(t *testing.T) {
	in := "timestamp,value\n2014-04-01 00:00:00,20.5\n2014-04-01T00:05:00Z,\n\"2014-04-01 00:10:00\",-3e2\n"
	ts, err := ReadCSV(strings.NewReader(in), "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Values) != 3 || ts.Values[0] != 20.5 || !math.IsNaN(ts.Values[1]) || ts.Values[2] != -300 {
		t.Fatalf("values %v", ts.Values)
	}
	if want := time.Date(2014, 4, 1, 0, 5, 0, 0, time.UTC); !ts.Times[1].Equal(want) {
		t.Errorf("time %v, want %v", ts.Times[1], want)
	}
	if ts.TimeText[2] != "2014-04-01 00:10:00" || ts.ValueText[2] != "-3e2" {
		t.Errorf("text %q %q", ts.TimeText[2], ts.ValueText[2])
	}
	// value before timestamp, extra columns, no trailing newline
	ts, err = ReadCSV(strings.NewReader("value,label,timestamp\n1,a,2014-04-01 00:00:00"), "b.csv")
	if err != nil || len(ts.Values) != 1 || ts.Values[0] != 1 {
		t.Fatalf("%v %v", ts, err)
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "e.csv: line 1: empty file"},
		{"time,value\n", "e.csv: line 1: time,value: header must name"},
		{"timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,abc\n", "e.csv: line 3 value: abc: not a finite number"},
		{"timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,Inf\n", "e.csv: line 3 value: Inf: not a finite number"},
		{"timestamp,value\nyesterday,1\n", "e.csv: line 2 timestamp: yesterday: not a timestamp"},
		{"timestamp,value\n2014-04-01 00:00:00\n", "e.csv: line 2: 2014-04-01 00:00:00: want 2 columns, have 1"},
		{"timestamp,value\n\"2014,1\n", "e.csv: line 2"},
		{"timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,NaN\n", "e.csv: line 3 value: NaN: not a finite number (leave it empty for a missing point)"},
	}
	for _, c := range cases {
		_, err := ReadCSV(strings.NewReader(c.in), "e.csv")
		var ie *cwlens.InputError
		if !errors.As(err, &ie) {
			t.Errorf("%q: error %v is not an InputError", c.in, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %q, want %q…", c.in, err, c.want)
		}
	}
}

func TestInferStep(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var ts []time.Time
	for i := range 20 {
		ts = append(ts, t0.Add(time.Duration(i)*5*time.Minute))
	}
	ts = append(ts, ts[len(ts)-1], ts[len(ts)-1].Add(3*time.Hour)) // a duplicate and a gap
	if got := InferStep(ts); got != 5*time.Minute {
		t.Errorf("step %v", got)
	}
	if got := InferStep(ts[:1]); got != 0 {
		t.Errorf("one timestamp: step %v", got)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("timestamp,value\n2014-04-01 00:00:00,20.5\n2014-04-01 00:05:00,\n")
	f.Add("value,timestamp\n1,2014-04-01T00:00:00Z\n2,2014-04-01T00:00:00Z\n3,2013-04-01T00:00:00Z")
	f.Add("timestamp,value\n\"x\ny\",1")
	f.Fuzz(func(t *testing.T, in string) {
		ts, err := ReadCSV(strings.NewReader(in), "f.csv")
		if err != nil {
			if !cwlens.IsInputError(err) {
				t.Fatalf("error %v is not an InputError", err)
			}
			if strings.Contains(err.Error(), "\n") && !strings.Contains(in, "\n\n") {
				// the offending value is quoted as written; only a value
				// containing a newline can put one in the message
				if !strings.Contains(in, "\"") {
					t.Fatalf("error spans lines: %q", err)
				}
			}
			return
		}
		if len(ts.Times) != len(ts.Values) || len(ts.TimeText) != len(ts.Values) {
			t.Fatal("columns of different lengths")
		}
		step := InferStep(ts.Times)
		d := NewDetector(DefaultDetectorConfig(step))
		s := ScoreTimed(d, ts, step)
		if len(s) != len(ts.Values) {
			t.Fatalf("%d scores for %d rows", len(s), len(ts.Values))
		}
		for _, v := range s {
			if math.IsNaN(v) || v < 0 || v > 1 {
				t.Fatalf("score %v", v)
			}
		}
	})
}

func TestCheckOrder(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,2\n", ""},
		{"timestamp,value\n2014-04-01 00:05:00,1\n2014-04-01 00:00:00,2\n", "e.csv: row 2 timestamp: 2014-04-01 00:00:00: not after the previous row's 2014-04-01 00:05:00: rows must be in time order"},
		{"timestamp,value\n2014-04-01 00:05:00,1\n2014-04-01T00:05:00Z,2\n", "e.csv: row 2 timestamp: 2014-04-01T00:05:00Z: not after the previous row's 2014-04-01 00:05:00"},
	} {
		ts, err := ReadCSV(strings.NewReader(c.in), "e.csv")
		if err != nil {
			t.Fatal(err)
		}
		err = CheckOrder(ts, "e.csv")
		if (c.want == "") != (err == nil) || (err != nil && !strings.HasPrefix(err.Error(), c.want)) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}
