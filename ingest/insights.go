package ingest

import (
	"fmt"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
)

// insightsMaxAge is how far back a Metrics Insights query reads. The
// current "Metrics Insights quotas" page (cloudwatch-metrics-insights-limits)
// says: "Query up to two weeks of data for visualization"; the
// GetMetricData API reference still says "only the most recent three
// hours", the rule before AWS extended it, and the Troubleshooting page
// confirms "CloudWatch Metrics Insights supports up to two weeks of
// historical data". We follow the quotas page.
const insightsMaxAge = 14 * cwlens.Day

// dimensioned queues the hourly Sum of a metric that a metric filter
// publishes with dimensions. Such a metric exists once per combination of
// dimension values, and a MetricStat without dimensions matches none of
// them, so the total is read with one Metrics Insights query,
// SELECT COUNT(metric) (and SUM where needed) FROM SCHEMA(namespace, dim...),
// which aggregates every
// combination that has exactly those dimensions.
//
// Why Metrics Insights and not ListMetrics plus a MetricStat per
// combination: the filter series cover the last HourlyDays (7 by default),
// within Insights' two weeks; one call per metric replaces a ListMetrics
// listing and up to hundreds of queries per metric; and ListMetrics would
// miss combinations anyway, since it lists only metrics with data in the
// past two weeks (ListMetrics API reference). Its limits: one Insights
// query per GetMetricData call ("Each GetMetricData operation can have
// only one query", Metrics Insights quotas), so the batcher sends each in a
// call of its own; a query processes at most 10,000 metrics (combinations).
//
// A range that starts more than two weeks ago cannot be read whole this
// way: the hours older than two weeks stay missing and each filter gets a
// gap saying its counts before then were not read, rather than a series
// that looks like silence. (ListMetrics would not rescue them: it lists
// only metrics that reported data in the past two weeks.)
func (r *run) dimensioned(tr timeRange, q metricQuery, fn string, dims []string) {
	if tr.points() <= 0 {
		return
	}
	cutoff := r.s.opts.Now().Add(-insightsMaxAge)
	if tr.start.Before(cutoff) {
		what := "its counts were not read"
		if tr.end.After(cutoff) {
			what = "its counts before " + cutoff.Format(time.RFC3339) + " were not read"
		}
		old := timeRange{start: tr.start, end: minTime(cutoff, tr.end), period: tr.period}
		if q.stat == "SampleCount" { // one gap per filter, not per statistic
			for _, f := range q.subjects {
				r.gapRange(f, f, old, fmt.Sprintf("metric filter %s publishes %s/%s with dimensions %s; %s: Metrics Insights reads only the last 14 days",
					f, q.ns, q.name, strings.Join(dims, ", "), what))
			}
		}
		if !tr.end.After(cutoff) {
			return
		}
		// Only the hours since the cutoff are read: only they are zero
		// where no datapoint came.
		if q.publishedFrom.Before(cutoff) {
			q.publishedFrom = cutoff
		}
	}
	q.expr = insightsQuery(fn, q.ns, q.name, dims)
	q.what = strings.Join(q.subjects, ", ")
	r.batches.add(tr, q)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// insightsQuery builds SELECT fn("name") FROM SCHEMA("ns", "dim", ...),
// fn SUM or COUNT (the Sum and SampleCount of the datapoints).
// Every identifier is double-quoted: namespaces such as "AWS/Logs" and any
// name with a character other than a letter, digit or underscore must be
// ("Metrics Insights query components and syntax"), and quoting the rest
// is harmless; a double quote or backslash inside is escaped with a
// backslash.
func insightsQuery(fn, ns, name string, dims []string) string {
	var b strings.Builder
	b.WriteString("SELECT " + fn + "(")
	b.WriteString(insightsQuote(name))
	b.WriteString(") FROM SCHEMA(")
	b.WriteString(insightsQuote(ns))
	for _, d := range dims {
		b.WriteString(", ")
		b.WriteString(insightsQuote(d))
	}
	b.WriteString(")")
	return b.String()
}

var insightsEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

func insightsQuote(s string) string { return `"` + insightsEscaper.Replace(s) + `"` }
