package ingest_test

import (
	"slices"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsemu"
)

// filterAccount is a two-group account whose filters count with and
// without a default value, publish values, and share one metric.
func filterAccount() *cwlens.Snapshot {
	snap := awsemu.Synthetic{LogGroups: 2, Days: 3, End: synthEnd, Seed: 4, MissingEvery: 7}.Build()
	hours := func(vs ...float64) cwlens.Series {
		s := snap.LogGroups[0].HourlyIncomingEvents
		s.Values = make([]float64, s.Len())
		copy(s.Values, vs)
		return s
	}
	a, b := &snap.LogGroups[0], &snap.LogGroups[1]
	zero, minusOne := 0.0, -1.0
	latency := hours(0, 250.5, 40, 0, 0, 12.25)
	latency.Unit = "Milliseconds"
	a.MetricFilters = []cwlens.MetricFilter{
		{Name: "errors", Pattern: "ERROR", MetricNamespace: "App", MetricName: "Errors", MetricValue: "1", Counts: hours(0, 3, 0, 5)},
		{Name: "latency", Pattern: "{ $.latency = * }", MetricNamespace: "App", MetricName: "Latency", MetricValue: "$.latency", Unit: "Milliseconds",
			Counts: hours(0, 2, 1, 0, 0, 1), Values: latency},
		{Name: "fatal", Pattern: "FATAL", MetricNamespace: "App", MetricName: "Fatal", MetricValue: "1", DefaultValue: &zero, Counts: hours(0, 0, 2)},
		{Name: "weighted", Pattern: "WARN", MetricNamespace: "App", MetricName: "Weighted", MetricValue: "5", DefaultValue: &minusOne, Counts: hours(1, 0, 4)},
	}
	b.MetricFilters = []cwlens.MetricFilter{
		{Name: "errors", Pattern: "ERROR", MetricNamespace: "App", MetricName: "Errors", MetricValue: "1", Counts: hours(0, 4, 0, 0, 7)},
	}
	return snap
}

// TestScanFilterStatistics: through the real SDK clients and the
// emulator, filters come back as AWS publishes them: matches counted with
// SampleCount, or from Sum where a default value is published too (a
// default of 0, and of -1 with a value of 5); a value metric's values
// summed in its unit; the two filters that publish App/Errors both read
// the metric's total and name each other; hours with no datapoint read 0
// from the filter's creation on.
func TestScanFilterStatistics(t *testing.T) {
	for _, faults := range []string{"", "throttle=0.3,5xx=0.05,seed=3"} {
		t.Run(faults, func(t *testing.T) {
			want := filterAccount()
			got, _ := scan(t, want, faults)
			if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
				t.Fatal(d)
			}
			a, b := got.LogGroups[0], got.LogGroups[1]
			errs := filterNamed(a, "errors")
			if v := errs.Counts.Values[:6]; !slices.Equal(v, []float64{0, 7, 0, 5, 7, 0}) {
				t.Errorf("App/Errors counts %v, want the sum of both groups' [0 7 0 5 7 0]", v)
			}
			shared := []string{a.Name + ":errors", b.Name + ":errors"}
			if !slices.Equal(errs.SharedWith, shared) || !slices.Equal(filterNamed(b, "errors").SharedWith, shared) {
				t.Errorf("shared_with %v / %v, want %v", errs.SharedWith, filterNamed(b, "errors").SharedWith, shared)
			}
			lat := filterNamed(a, "latency")
			if !slices.Equal(lat.Counts.Values[:6], []float64{0, 2, 1, 0, 0, 1}) || !slices.Equal(lat.Values.Values[:6], []float64{0, 250.5, 40, 0, 0, 12.25}) || lat.Values.Unit != "Milliseconds" {
				t.Errorf("latency counts %v, values %v %s", lat.Counts.Values[:6], lat.Values.Values[:6], lat.Values.Unit)
			}
			if c := filterNamed(a, "fatal").Counts.Values[:4]; !slices.Equal(c, []float64{0, 0, 2, 0}) {
				t.Errorf("fatal counts %v, want [0 0 2 0]: matches, not the default's samples", c)
			}
			w := filterNamed(a, "weighted")
			if !slices.Equal(w.Counts.Values[:4], []float64{1, 0, 4, 0}) || !slices.Equal(w.Values.Values[:4], []float64{5, 0, 20, 0}) {
				t.Errorf("weighted counts %v values %v, want [1 0 4 0] and [5 0 20 0]", w.Counts.Values[:4], w.Values.Values[:4])
			}
			if w.DefaultValue == nil || *w.DefaultValue != -1 || errs.CreationTime.IsZero() {
				t.Errorf("default value %v, creation time %s: not read", w.DefaultValue, errs.CreationTime)
			}
		})
	}
}

// TestScanFieldWithDefaultIsAnUpperBound: a field-valued filter with a
// default value cannot be told from its defaults; its counts are the
// metric's SampleCount, at least the matches.
func TestScanFieldWithDefaultIsAnUpperBound(t *testing.T) {
	want := filterAccount()
	zero := 0.0
	lat := &want.LogGroups[0].MetricFilters[1]
	lat.DefaultValue = &zero
	got, _ := scan(t, want, "")
	c := filterNamed(got.LogGroups[0], "latency").Counts
	for i, v := range lat.Counts.Values {
		if cwlens.IsMissing(c.Values[i]) || c.Values[i] < v {
			t.Fatalf("hour %d: %v, below the %v matches", i, c.Values[i], v)
		}
	}
	if c.Values[1] != 60 {
		t.Errorf("hour 1: %v, want 60 (2 matches and 58 minutes of default)", c.Values[1])
	}
}

func filterNamed(g cwlens.LogGroup, name string) cwlens.MetricFilter {
	i := slices.IndexFunc(g.MetricFilters, func(f cwlens.MetricFilter) bool { return f.Name == name })
	return g.MetricFilters[i]
}
