package ingest

import (
	"log/slog"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
)

// filterMetric is one metric published by one or more metric filters, with
// the statistics read of it.
type filterMetric struct {
	filters []*cwlens.MetricFilter
	names   []string  // FilterSubject of each filter
	born    time.Time // the first publisher's creation
	sc, sum cwlens.Series
}

func (m *filterMetric) add(group string, f *cwlens.MetricFilter) {
	if len(m.filters) == 0 || f.CreationTime.Before(m.born) {
		m.born = f.CreationTime
	}
	m.filters = append(m.filters, f)
	m.names = append(m.names, cwlens.FilterSubject(group, f.Name))
}

// subjects returns the Gap subjects of the metric's publishers.
func (m *filterMetric) subjects() []string { return slices.Clone(m.names) }

// share tells each publisher of a metric several filters publish who else
// does.
func (m *filterMetric) share() {
	if len(m.filters) < 2 {
		return
	}
	names := slices.Sorted(slices.Values(m.names))
	for _, f := range m.filters {
		f.SharedWith = names
	}
}

// needsSum reports whether a publisher's counts or values need the
// metric's Sum.
func (m *filterMetric) needsSum() bool {
	for _, f := range m.filters {
		if f.DefaultValue != nil || !isOne(f.MetricValue) {
			return true
		}
	}
	return false
}

func isOne(v string) bool { return v == "" || strings.TrimSpace(v) == "1" }

// finish derives each publisher's counts and values from what was read.
//
// Counts are matched events. SampleCount is "the number of data points
// used for the statistical calculation" (CloudWatch concepts, Statistics,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Statistic):
// one per matching event whatever metricValue is, which is why a
// "$.latency" filter is counted with it and not with Sum. A default value
// adds samples of its own for periods with events and no match
// (MetricTransformation defaultValue,
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html),
// so with a constant value v and default d ≠ v the matches are
// (Sum − d·SampleCount) ÷ (v − d) — Sum ÷ v for the usual default 0 — and
// exact. A field-valued filter with a default value cannot be separated
// from its defaults: it is counted with SampleCount, an upper bound, and a
// warning says so.
func (m *filterMetric) finish(log *slog.Logger) {
	for _, f := range m.filters {
		v, constant := metricConstant(f.MetricValue)
		f.Counts = m.sc
		switch {
		case f.DefaultValue == nil:
		case constant && v != *f.DefaultValue:
			f.Counts = combine(m.sum, m.sc, func(sum, sc float64) float64 { return (sum - *f.DefaultValue*sc) / (v - *f.DefaultValue) })
		default:
			log.Warn("metric filter has a default value and a value that cannot be told from it: its counts include the periods that published the default",
				"filter", f.Name, "metric_value", f.MetricValue, "default_value", *f.DefaultValue)
		}
		f.Counts.Values = slices.Clone(f.Counts.Values)
		if isOne(f.MetricValue) {
			continue
		}
		f.Values = m.sum
		if f.DefaultValue != nil && constant {
			f.Values = combine(f.Counts, f.Counts, func(n, _ float64) float64 { return n * v })
		}
		f.Values.Values = slices.Clone(f.Values.Values)
		f.Values.Unit = f.ValueUnit()
	}
}

// metricConstant parses a metricValue that is a number.
func metricConstant(v string) (float64, bool) {
	if isOne(v) {
		return 1, true
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return x, err == nil && !math.IsInf(x, 0) && !math.IsNaN(x)
}

// combine applies op point by point to two series on one grid; a point
// missing in either is missing.
func combine(a, b cwlens.Series, op func(x, y float64) float64) cwlens.Series {
	out := a
	out.Unit = cwlens.UnitCount
	out.Values = make([]float64, len(a.Values))
	for i, x := range a.Values {
		y := b.Values[i]
		if cwlens.IsMissing(x) || cwlens.IsMissing(y) {
			out.Values[i] = cwlens.Missing()
			continue
		}
		out.Values[i] = op(x, y)
	}
	return out
}

// finishFilters runs the filters' finishers once every call is done.
func (r *run) finishFilters() {
	r.mu.Lock()
	fs := r.finishers
	r.finishers = nil
	r.mu.Unlock()
	for _, f := range fs {
		f()
	}
}
