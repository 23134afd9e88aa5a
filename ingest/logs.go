package ingest

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/cwlens/cwlens"
)

// Page size of DescribeLogGroups and DescribeMetricFilters: the most AWS
// allows (limit 1–50; SDK DescribeLogGroupsInput.Limit).
const logsPageSize = 50

// logGroups lists the log groups and queues their ingestion metrics.
//
// It never passes logGroupNamePattern: with a pattern DescribeLogGroups
// returns only arn, creationTime and logGroupName, without storedBytes or
// retention (SDK DescribeLogGroupsInput.LogGroupNamePattern doc). A prefix
// keeps every field.
func (r *run) logGroups(ctx context.Context) {
	in := &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(logsPageSize)}
	if p := r.s.opts.LogGroupPrefix; p != "" {
		in.LogGroupNamePrefix = aws.String(p)
	}
	r.paginate(ctx, "logs:DescribeLogGroups", resourceOr(r.s.opts.LogGroupPrefix+"*"), nil, func(token *string) (*string, error) {
		in.NextToken = token
		out, err := r.s.c.Logs.DescribeLogGroups(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, lg := range out.LogGroups {
			r.addGroup(lg) // a restarted listing meets groups again: addGroup skips them
		}
		return out.NextToken, nil
	})
}

// resourceOr returns s, or "*" for an empty or bare wildcard.
func resourceOr(s string) string {
	if s == "" || s == "*" {
		return "*"
	}
	return s
}

func (r *run) addGroup(lg logstypes.LogGroup) {
	name := aws.ToString(lg.LogGroupName)
	g := &cwlens.LogGroup{
		Name:         name,
		ARN:          aws.ToString(lg.LogGroupArn),
		Class:        string(lg.LogGroupClass),
		StoredBytes:  aws.ToInt64(lg.StoredBytes),
		CreationTime: time.UnixMilli(aws.ToInt64(lg.CreationTime)).UTC(),
		// An ACTIVATED data protection policy bills DataProtection-Bytes.
		DataProtectionStatus: string(lg.DataProtectionStatus),
	}
	if g.ARN == "" {
		g.ARN = strings.TrimSuffix(aws.ToString(lg.Arn), ":*")
	}
	if g.Class == "" {
		g.Class = cwlens.ClassStandard
	}
	if lg.RetentionInDays != nil {
		d := int(*lg.RetentionInDays)
		g.RetentionDays = &d
	}
	daily, hourly := r.dailyRange(), r.hourlyRange()
	g.DailyIncomingBytes = daily.series(cwlens.UnitBytes)
	g.DailyIncomingEvents = daily.series(cwlens.UnitCount)
	g.HourlyIncomingBytes = hourly.series(cwlens.UnitBytes)
	g.HourlyIncomingEvents = hourly.series(cwlens.UnitCount)

	r.mu.Lock()
	if _, dup := r.groups[name]; dup {
		r.mu.Unlock()
		return // a restarted listing sees groups again
	}
	r.groups[name] = g
	r.mu.Unlock()
	r.update(func(p *Progress) { p.LogGroups++ })

	// IncomingBytes and IncomingLogEvents have a datapoint only for a
	// period in which the group ingested something (CloudWatch Logs
	// metrics, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html).
	dim := []string{"LogGroupName", name}
	from := r.publishedFrom(g.CreationTime)
	for _, q := range []struct {
		tr     timeRange
		metric string
		sink   *cwlens.Series
	}{
		{daily, "IncomingBytes", &g.DailyIncomingBytes},
		{daily, "IncomingLogEvents", &g.DailyIncomingEvents},
		{hourly, "IncomingBytes", &g.HourlyIncomingBytes},
		{hourly, "IncomingLogEvents", &g.HourlyIncomingEvents},
	} {
		r.batches.add(q.tr, metricQuery{ns: "AWS/Logs", name: q.metric, stat: "Sum", dims: dim, sinks: []*cwlens.Series{q.sink},
			what: name, subjects: []string{name}, publishedFrom: from})
	}
}

// publishedFrom returns from when a resource created at created has
// datapoints CloudWatch still keeps: the later of its creation and the
// retention of hourly data.
func (r *run) publishedFrom(created time.Time) time.Time {
	if oldest := r.s.opts.Now().Add(-maxAge); created.Before(oldest) {
		return oldest
	}
	return created
}

// metricFilters lists the account's metric filters in one account-wide
// listing (DescribeMetricFilters without logGroupName: 50 filters a call,
// instead of a call per log group at 5 TPS) and queues each metric, hourly.
// Filters that publish the same metric share its queries: CloudWatch
// aggregates what they publish into one metric, so each is told the others
// (SharedWith) and gets the metric's total.
func (r *run) metricFilters(ctx context.Context) {
	in := &cloudwatchlogs.DescribeMetricFiltersInput{Limit: aws.Int32(logsPageSize)}
	metrics := map[metricID]*filterMetric{}
	var order []metricID
	seen := map[[2]string]bool{} // (group, filter) already listed
	r.paginate(ctx, "logs:DescribeMetricFilters", resourceOr(r.s.opts.LogGroupPrefix+"*"), nil, func(token *string) (*string, error) {
		in.NextToken = token
		out, err := r.s.c.Logs.DescribeMetricFilters(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, mf := range out.MetricFilters {
			group := aws.ToString(mf.LogGroupName)
			key := [2]string{group, aws.ToString(mf.FilterName)}
			if !strings.HasPrefix(group, r.s.opts.LogGroupPrefix) || seen[key] || len(mf.MetricTransformations) == 0 {
				continue
			}
			seen[key] = true
			f := r.toFilter(mf)
			r.mu.Lock()
			r.filters[group] = append(r.filters[group], f)
			r.mu.Unlock()
			r.update(func(p *Progress) { p.MetricFilters++ })
			id := metricIDOf(f)
			if metrics[id] == nil {
				metrics[id] = &filterMetric{}
				order = append(order, id)
			}
			metrics[id].add(group, f)
		}
		return out.NextToken, nil
	})
	hourly := r.hourlyRange()
	for _, id := range order {
		m := metrics[id]
		m.share()
		r.mu.Lock()
		r.finishers = append(r.finishers, func() { m.finish(r.log) })
		r.mu.Unlock()
		r.queueFilterMetric(hourly, id, m)
	}
}

// toFilter converts a listed metric filter; its series are filled later.
func (r *run) toFilter(mf logstypes.MetricFilter) *cwlens.MetricFilter {
	t := mf.MetricTransformations[0]
	f := &cwlens.MetricFilter{
		Name:            aws.ToString(mf.FilterName),
		Pattern:         aws.ToString(mf.FilterPattern),
		MetricNamespace: aws.ToString(t.MetricNamespace),
		MetricName:      aws.ToString(t.MetricName),
		MetricValue:     aws.ToString(t.MetricValue),
		DefaultValue:    t.DefaultValue,
	}
	if c := aws.ToInt64(mf.CreationTime); c > 0 {
		f.CreationTime = time.UnixMilli(c).UTC()
	}
	if t.Unit != "" && t.Unit != logstypes.StandardUnitNone {
		f.Unit = string(t.Unit)
	}
	// System fields emitted as dimensions are dimensions of the metric
	// too, and "count toward the total dimension limit" (PutMetricFilter
	// API reference, emitSystemFieldDimensions).
	if len(t.Dimensions)+len(mf.EmitSystemFieldDimensions) > 0 {
		f.Dimensions = maps.Clone(t.Dimensions)
		if f.Dimensions == nil {
			f.Dimensions = map[string]string{}
		}
		for _, d := range mf.EmitSystemFieldDimensions {
			f.Dimensions[d] = d
		}
	}
	return f
}

// metricID names a metric: namespace, name and its dimension names. A
// dimensioned metric is a different metric from the same name without
// dimensions.
type metricID [3]string

func metricIDOf(f *cwlens.MetricFilter) metricID {
	return metricID{f.MetricNamespace, f.MetricName, strings.Join(slices.Sorted(maps.Keys(f.Dimensions)), "\x00")}
}

// queueFilterMetric queues the metric's SampleCount, and its Sum when a
// publisher needs it (a value other than "1", or a default value).
func (r *run) queueFilterMetric(tr timeRange, id metricID, m *filterMetric) {
	m.sc, m.sum = tr.series(cwlens.UnitCount), tr.series(cwlens.UnitNone)
	q := metricQuery{ns: id[0], name: id[1], what: id[0] + "/" + id[1], subjects: m.subjects(), publishedFrom: r.publishedFrom(m.born)}
	stats := []struct {
		stat, fn string
		sink     *cwlens.Series
	}{{"SampleCount", "COUNT", &m.sc}}
	if m.needsSum() {
		stats = append(stats, struct {
			stat, fn string
			sink     *cwlens.Series
		}{"Sum", "SUM", &m.sum})
	}
	for _, st := range stats {
		q := q
		q.stat, q.sinks = st.stat, []*cwlens.Series{st.sink}
		if id[2] != "" {
			r.dimensioned(tr, q, st.fn, strings.Split(id[2], "\x00"))
			continue
		}
		r.batches.add(tr, q)
	}
}
