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

	dim := []string{"LogGroupName", name}
	r.batches.add(daily, metricQuery{ns: "AWS/Logs", name: "IncomingBytes", stat: "Sum", dims: dim, sinks: []*cwlens.Series{&g.DailyIncomingBytes}, what: name})
	r.batches.add(daily, metricQuery{ns: "AWS/Logs", name: "IncomingLogEvents", stat: "Sum", dims: dim, sinks: []*cwlens.Series{&g.DailyIncomingEvents}, what: name})
	r.batches.add(hourly, metricQuery{ns: "AWS/Logs", name: "IncomingBytes", stat: "Sum", dims: dim, sinks: []*cwlens.Series{&g.HourlyIncomingBytes}, what: name})
	r.batches.add(hourly, metricQuery{ns: "AWS/Logs", name: "IncomingLogEvents", stat: "Sum", dims: dim, sinks: []*cwlens.Series{&g.HourlyIncomingEvents}, what: name})
}

// metricFilters lists the account's metric filters in one account-wide
// listing (DescribeMetricFilters without logGroupName: 50 filters a call,
// instead of a call per log group at 5 TPS) and queues each filter's
// metric, hourly. Filters that publish the same metric share one query.
func (r *run) metricFilters(ctx context.Context) {
	in := &cloudwatchlogs.DescribeMetricFiltersInput{Limit: aws.Int32(logsPageSize)}
	byMetric := map[[3]string][]*cwlens.Series{}
	var order [][3]string
	names := map[[3]string][]string{} // filters publishing each metric, as group:filter
	seen := map[[2]string]bool{}      // (group, filter) already listed
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
			t := mf.MetricTransformations[0]
			f := &cwlens.MetricFilter{
				Name:            aws.ToString(mf.FilterName),
				Pattern:         aws.ToString(mf.FilterPattern),
				MetricNamespace: aws.ToString(t.MetricNamespace),
				MetricName:      aws.ToString(t.MetricName),
				MetricValue:     aws.ToString(t.MetricValue),
				Counts:          r.hourlyRange().series(cwlens.UnitCount),
			}
			if mf.CreationTime != nil && *mf.CreationTime > 0 {
				f.CreationTime = time.UnixMilli(*mf.CreationTime).UTC()
			}
			// System fields emitted as dimensions are dimensions of the
			// metric too, and "count toward the total dimension limit"
			// (PutMetricFilter API reference, emitSystemFieldDimensions).
			if len(t.Dimensions)+len(mf.EmitSystemFieldDimensions) > 0 {
				f.Dimensions = maps.Clone(t.Dimensions)
				if f.Dimensions == nil {
					f.Dimensions = map[string]string{}
				}
				for _, d := range mf.EmitSystemFieldDimensions {
					f.Dimensions[d] = d
				}
			}
			r.mu.Lock()
			r.filters[group] = append(r.filters[group], f)
			r.mu.Unlock()
			r.update(func(p *Progress) { p.MetricFilters++ })
			// A dimensioned metric is a different query (and a different
			// metric) from the same name without dimensions.
			m := [3]string{f.MetricNamespace, f.MetricName, strings.Join(slices.Sorted(maps.Keys(f.Dimensions)), "\x00")}
			if _, ok := byMetric[m]; !ok {
				order = append(order, m)
			}
			byMetric[m] = append(byMetric[m], &f.Counts)
			names[m] = append(names[m], group+":"+f.Name)
		}
		return out.NextToken, nil
	})
	hourly := r.hourlyRange()
	for _, m := range order {
		q := metricQuery{ns: m[0], name: m[1], stat: "Sum", sinks: byMetric[m], what: m[0] + "/" + m[1]}
		if m[2] != "" {
			r.dimensioned(hourly, q, strings.Split(m[2], "\x00"), names[m])
			continue
		}
		r.batches.add(hourly, q)
	}
}
