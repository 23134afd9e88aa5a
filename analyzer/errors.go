package analyzer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/cwlens/cwlens"
)

// isRequestFilter reports whether a metric filter counts requests rather
// than errors: its name or metric name says so.
func isRequestFilter(m *cwlens.MetricFilter) bool {
	return strings.Contains(strings.ToLower(m.Name), "request") ||
		strings.Contains(strings.ToLower(m.MetricName), "request")
}

// errorFilter is one error-counting metric filter of a group, with what the
// analysis found on it.
type errorFilter struct {
	mf      *cwlens.MetricFilter
	surge   *episode
	last    int     // index of the last complete present hour, -1 if none
	total   float64 // sum of the present counts
	covered []string
}

// errorFilters looks for error surges on a group's metric filters, and for
// error rates above their usual share where a request counter exists.
func (a *analysis) errorFilters(g *cwlens.LogGroup) {
	var req *cwlens.MetricFilter
	var efs []*errorFilter
	for i := range g.MetricFilters {
		m := &g.MetricFilters[i]
		if m.Counts.Period <= 0 || len(m.Counts.Values) == 0 {
			continue
		}
		// A metric several filters publish is a sum over their groups:
		// it is judged once, with its first publisher, and never counts
		// one group's requests.
		if m.Shared() && (isRequestFilter(m) || m.SharedWith[0] != cwlens.FilterSubject(g.Name, m.Name)) {
			continue
		}
		if isRequestFilter(m) {
			if req == nil {
				req = m
			}
			continue
		}
		ef := &errorFilter{mf: m, last: -1}
		ef.total, _ = m.Counts.Sum()
		n := a.complete(m.Counts)
		for i := n - 1; i >= 0; i-- {
			if !cwlens.IsMissing(m.Counts.Values[i]) {
				ef.last = i
				break
			}
		}
		floor := a.cfg.count(a.cfg.MinErrorsPerHour) * float64(m.Counts.Period) / float64(cwlens.Hour)
		r := a.rule(m.Counts, floor)
		r.minHist = int(a.cfg.MinErrorHistory / m.Counts.Period)
		ef.surge = findEpisode(m.Counts, a.judge(m.Counts, floor), r)
		efs = append(efs, ef)
	}
	// The most specific filter first: the fewest lines counted, then the
	// longest pattern. A broader filter whose last hour the specific one
	// matches (90 % of its count or more) is the same incident: it is named
	// in the specific filter's finding instead of getting its own.
	sort.SliceStable(efs, func(i, j int) bool {
		if efs[i].total != efs[j].total {
			return efs[i].total < efs[j].total
		}
		return len(efs[i].mf.Pattern) > len(efs[j].mf.Pattern)
	})
	var kept []*errorFilter
	for _, ef := range efs {
		if ef.surge == nil && ef.last < 0 {
			continue
		}
		dup := false
		for _, k := range kept {
			if k.last >= 0 && ef.last >= 0 && lastCount(ef) > 0 && lastCount(k) >= 0.9*lastCount(ef) && ef.surge != nil && k.surge != nil {
				k.covered = append(k.covered, fmt.Sprintf("filter %s (%s) counted %s in the same hour", ef.mf.Name, ef.mf.Pattern, commas(lastCount(ef))))
				dup = true
				break
			}
		}
		if !dup {
			kept = append(kept, ef)
		}
	}
	for _, ef := range kept {
		if ef.surge != nil {
			a.add(a.surgeFinding(g, ef))
		}
		if req != nil && !ef.mf.Shared() {
			if f, ok := a.rateFinding(g, ef, req); ok {
				a.add(f)
			}
		}
	}
}

func lastCount(ef *errorFilter) float64 {
	if ef.last < 0 {
		return 0
	}
	return ef.mf.Counts.Values[ef.last]
}

func (a *analysis) surgeFinding(g *cwlens.LogGroup, ef *errorFilter) cwlens.Finding {
	s, e := ef.mf.Counts, ef.surge
	observed := e.observed
	when := "peaked at"
	if e.ongoing && ef.last >= 0 {
		observed = lastCount(ef)
		when = "reached"
	}
	per := "/h"
	if s.Period != cwlens.Hour {
		per = "/" + s.Period.String()
	}
	subject, what := g.Name, fmt.Sprintf("filter %s (%s)", ef.mf.Name, ef.mf.Pattern)
	notes := []string{fmt.Sprintf("%d of the hours since are above %s%s", len(e.points), trimFloat(e.baseline), per)}
	if ef.mf.Shared() {
		// The count is the metric's, summed over every publishing
		// group: the finding is about the metric, not one group.
		subject = ef.mf.MetricNamespace + "/" + ef.mf.MetricName
		what = fmt.Sprintf("metric %s (published by %d filters)", subject, len(ef.mf.SharedWith))
		notes = append(notes, "published by "+strings.Join(ef.mf.SharedWith, ", ")+"; CloudWatch sums them into one metric, so no one group's share is known")
	}
	f := cwlens.Finding{
		Kind:    cwlens.KindErrorSurge,
		Subject: subject,
		Filter:  ef.mf.Name,
		Start:   s.Time(e.start),
		Summary: fmt.Sprintf("%s %s %s%s against ~%s%s before %s (%s)",
			what, when, commas(observed), per, trimFloat(e.baseline), per,
			s.Time(e.start).Format("2006-01-02 15:04 MST"), ratioText(observed, e.baseline)),
		Evidence: cwlens.Evidence{
			Baseline: e.baseline,
			Observed: observed,
			Ratio:    ratio(observed, e.baseline),
			Score:    e.score,
			Unit:     cwlens.UnitCount,
			Points:   evidencePoints(s, e.points),
			Series:   seriesCopy(s),
			Notes:    append(notes, ef.covered...),
		},
	}
	f.Severity = cwlens.SeverityMedium
	if observed >= 10*a.cfg.MinErrorsPerHour {
		f.Severity = cwlens.SeverityHigh
	}
	f.Severity = weaken(f.Severity, e.score)
	return f
}

// rateFinding compares the error filter's share of the request counter's
// count in the last complete hour with its share before.
func (a *analysis) rateFinding(g *cwlens.LogGroup, ef *errorFilter, req *cwlens.MetricFilter) (cwlens.Finding, bool) {
	es, rs := ef.mf.Counts, req.Counts
	if ef.last < 0 || rs.Period != es.Period {
		return cwlens.Finding{}, false
	}
	t := es.Time(ef.last)
	ri, ok := rs.Index(t)
	if !ok || cwlens.IsMissing(rs.Values[ri]) {
		return cwlens.Finding{}, false
	}
	errs, reqs := es.Values[ef.last], rs.Values[ri]
	if reqs < a.cfg.count(a.cfg.MinRequests) || errs <= 0 || errs > reqs {
		return cwlens.Finding{}, false
	}
	p := errs / reqs
	if p < a.cfg.MinErrorRate/a.cfg.sens() {
		return cwlens.Finding{}, false
	}
	// the usual share: all hours before the surge (or before the last hour)
	// within the baseline span
	end := ef.last
	if ef.surge != nil {
		end = ef.surge.start
	}
	var be, br float64
	lo := end - int(a.cfg.BaselineSpan/es.Period)
	for i := max(lo, 0); i < end; i++ {
		e := es.Values[i]
		j, ok := rs.Index(es.Time(i))
		if !ok || cwlens.IsMissing(e) || cwlens.IsMissing(rs.Values[j]) {
			continue
		}
		be += e
		br += rs.Values[j]
	}
	if br < a.cfg.MinRequests {
		return cwlens.Finding{}, false
	}
	p0 := be / br
	lowCI, highCI := wilson(errs, reqs, a.cfg.Confidence)
	if lowCI <= p0 {
		return cwlens.Finding{}, false
	}
	// strength: a one-sided test of p against p0
	sd := math.Sqrt(math.Max(p0*(1-p0), 1/(br+1)) / reqs)
	zs := (p - p0) / sd
	sur := surprise(zs)
	score := sur / (sur + a.cfg.Detector.SurpriseRef)
	start := t
	if ef.surge != nil {
		start = es.Time(ef.surge.start)
	}
	f := cwlens.Finding{
		Kind:    cwlens.KindErrorRate,
		Subject: g.Name,
		Filter:  ef.mf.Name,
		Start:   start,
		Summary: fmt.Sprintf("%s%% of requests hit filter %s (%s) in the hour from %s: %s of %s (%.0f%% confidence: %s%%–%s%%), against %s%% before",
			pct(p), ef.mf.Name, ef.mf.Pattern, t.Format("2006-01-02 15:04 MST"), commas(errs), commas(reqs),
			100*a.cfg.Confidence, pct(lowCI), pct(highCI), pct(p0)),
		Evidence: cwlens.Evidence{
			Baseline: p0,
			Observed: p,
			Ratio:    ratio(p, p0),
			Score:    score,
			Unit:     "ratio",
			Interval: &cwlens.Interval{Low: lowCI, High: highCI, Confidence: a.cfg.Confidence},
			Points:   []cwlens.Point{{Time: t, Value: p}},
			Series:   rateSeries(es, rs),
			Notes: append([]string{
				fmt.Sprintf("requests counted by filter %s (%s)", req.Name, req.Pattern),
				"Wilson score interval",
			}, ef.covered...),
		},
	}
	switch {
	case p >= 0.5:
		f.Severity = cwlens.SeverityCritical
	case p >= 0.1:
		f.Severity = cwlens.SeverityHigh
	case p >= 0.05:
		f.Severity = cwlens.SeverityMedium
	default:
		f.Severity = cwlens.SeverityLow
	}
	return f, true
}

// rateSeries returns errors/requests hour by hour, missing where either is
// missing or there were no requests.
func rateSeries(es, rs cwlens.Series) *cwlens.Series {
	out := &cwlens.Series{Start: es.Start, Period: es.Period, Unit: "ratio", Values: make([]float64, len(es.Values))}
	for i, e := range es.Values {
		out.Values[i] = cwlens.Missing()
		j, ok := rs.Index(es.Time(i))
		if !ok || cwlens.IsMissing(e) || cwlens.IsMissing(rs.Values[j]) || rs.Values[j] <= 0 {
			continue
		}
		out.Values[i] = e / rs.Values[j]
	}
	return out
}

// wilson returns the Wilson score interval of k successes in n trials at
// the given two-sided confidence.
func wilson(k, n, confidence float64) (lo, hi float64) {
	z := normalQuantile(1 - (1-confidence)/2)
	p := k / n
	d := 1 + z*z/n
	c := (p + z*z/(2*n)) / d
	h := z / d * math.Sqrt(p*(1-p)/n+z*z/(4*n*n))
	return math.Max(0, c-h), math.Min(1, c+h)
}

// normalQuantile returns the standard normal quantile of p, Φ⁻¹(p), from
// the identity Φ(x) = erfc(−x/√2)/2.
func normalQuantile(p float64) float64 {
	return -math.Sqrt2 * math.Erfcinv(2*p)
}

func pct(p float64) string { return trimFloat(100 * p) }

// trimFloat writes v with one decimal, or none when it is whole.
func trimFloat(v float64) string {
	if v == math.Trunc(v) {
		return commas(v)
	}
	return fmt.Sprintf("%.1f", v)
}
