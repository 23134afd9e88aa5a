package awsemu

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
)

// Expected returns the snapshot a complete scan of an emulator serving
// snap, at now, reads back: what AWS says of the account snap describes.
//
//   - A metric published only when there is data (AWS/Logs IncomingBytes
//     and IncomingLogEvents, a metric filter's metric) has no datapoint
//     where snap holds 0 or null; a scan that read the period writes 0
//     from the resource's creation on (docs/snapshot.md "Missing and
//     zero"), so every null inside the resource's life and within
//     CloudWatch's retention becomes 0.
//   - A metric filter has a creation time (its group's when snap has none).
//   - Filters that publish one metric (namespace, name, dimension names)
//     read that metric's total: each gets the sum of their counts (and of
//     their values, where it keeps values) and lists them all in
//     SharedWith.
//
// snap is not changed.
func Expected(snap *cwlens.Snapshot, now time.Time) *cwlens.Snapshot {
	out := *snap
	out.LogGroups = slices.Clone(snap.LogGroups)
	for i := range out.LogGroups {
		g := &out.LogGroups[i]
		g.DailyIncomingBytes = zeroFilled(g.DailyIncomingBytes, g.CreationTime, now)
		g.DailyIncomingEvents = zeroFilled(g.DailyIncomingEvents, g.CreationTime, now)
		g.HourlyIncomingBytes = zeroFilled(g.HourlyIncomingBytes, g.CreationTime, now)
		g.HourlyIncomingEvents = zeroFilled(g.HourlyIncomingEvents, g.CreationTime, now)
		g.MetricFilters = slices.Clone(g.MetricFilters)
		for j := range g.MetricFilters {
			f := &g.MetricFilters[j]
			f.CreationTime = FilterCreated(*g, *f)
		}
	}
	shareMetrics(out.LogGroups, now)
	return &out
}

// filterRef is one metric filter of a snapshot's log groups.
type filterRef struct {
	g *cwlens.LogGroup
	f *cwlens.MetricFilter
}

// shareMetrics gives every filter its metric's total, zero-filled from the
// first publisher's creation on.
func shareMetrics(groups []cwlens.LogGroup, now time.Time) {
	byMetric := map[string][]filterRef{}
	for i := range groups {
		for j := range groups[i].MetricFilters {
			f := &groups[i].MetricFilters[j]
			k := schemaKey(f.MetricNamespace, f.MetricName, slices.Sorted(maps.Keys(f.Dimensions)))
			byMetric[k] = append(byMetric[k], filterRef{&groups[i], f})
		}
	}
	for _, refs := range byMetric {
		born := refs[0].f.CreationTime
		var counts, sums []cwlens.Series
		var names []string
		for _, r := range refs {
			born = minTime(born, r.f.CreationTime)
			counts = append(counts, r.f.Counts)
			sums = append(sums, valueSums(*r.f))
			names = append(names, cwlens.FilterSubject(r.g.Name, r.f.Name))
		}
		slices.Sort(names)
		count, sum := total(counts), total(sums)
		for _, r := range refs {
			r.f.Counts = zeroFilled(count, born, now)
			if r.f.MetricValue != "1" && r.f.MetricValue != "" {
				sum.Unit = r.f.ValueUnit()
				r.f.Values = zeroFilled(sum, born, now)
			}
			if len(refs) > 1 {
				r.f.SharedWith = names
			}
		}
	}
}

// valueSums returns the sum of the values a filter publishes per period.
func valueSums(f cwlens.MetricFilter) cwlens.Series {
	if !f.Values.IsZero() {
		return f.Values
	}
	s := f.Counts
	v, err := strconv.ParseFloat(strings.TrimSpace(f.MetricValue), 64)
	if err != nil {
		v = 1
	}
	s.Values = slices.Clone(s.Values)
	for i := range s.Values {
		s.Values[i] *= v
	}
	return s
}

// total adds series on one grid (the first's); a period is missing only
// where every series is.
func total(ss []cwlens.Series) cwlens.Series {
	out := ss[0]
	out.Values = slices.Clone(out.Values)
	for _, s := range ss[1:] {
		for i := range out.Values {
			v := at(s, out.Time(i))
			switch {
			case cwlens.IsMissing(v):
			case cwlens.IsMissing(out.Values[i]):
				out.Values[i] = v
			default:
				out.Values[i] += v
			}
		}
	}
	return out
}

// zeroFilled returns s with 0 for every missing period that ends after
// born and starts within CloudWatch's retention of its period at now.
func zeroFilled(s cwlens.Series, born, now time.Time) cwlens.Series {
	if len(s.Values) == 0 {
		return s
	}
	out := s
	out.Values = slices.Clone(s.Values)
	oldest := now.Add(-retention(s.Period))
	for i, v := range out.Values {
		if t := s.Time(i); cwlens.IsMissing(v) && t.Add(s.Period).After(born) && !t.Before(oldest) {
			out.Values[i] = 0
		}
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
