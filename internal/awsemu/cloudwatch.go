package awsemu

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cwlens/cwlens"
)

// cloudwatch emulates CloudWatch's GetMetricData over Smithy RPC v2 CBOR
// (the pinned SDK's protocol: service/cloudwatch api_client.go,
// rpcv2.NewCBOR(schemas.GraniteServiceVersion20100801)). It serves the
// snapshot's series as the metrics they came from: AWS/Logs IncomingBytes
// and IncomingLogEvents by LogGroupName, each metric filter's metric, and
// AWS/ECS CPUUtilization and MemoryUtilization by ClusterName and
// ServiceName.
type cloudwatch struct {
	RPCv2CBOR
	now    time.Time
	series map[string][]cwlens.Series // metricKey → stored series, any period
	schema map[string][]string        // schemaKey → metricKeys of its dimension combinations
	dps    func(n int) bool           // datapoints-per-second quota; nil = none
	faults Faults
	// insightsMaxMetrics is how many metrics a Metrics Insights query
	// processes (10,000; Faults.InsightsCap lowers it for tests). The 500
	// series a query returns at most apply to GROUP BY, which the
	// emulator does not serve: its queries return one series.
	insightsMaxMetrics int

	mu       sync.Mutex
	attempts map[string]int // fault place → times asked
}

func newCloudWatch(snap *cwlens.Snapshot, now time.Time) *cloudwatch {
	c := &cloudwatch{
		RPCv2CBOR: RPCv2CBOR{Service: "GraniteServiceVersion20100801", QueryCompatible: true},
		now:       now,
		series:    map[string][]cwlens.Series{},
		schema:    map[string][]string{},
		attempts:  map[string]int{},

		insightsMaxMetrics: 10000,
	}
	for _, g := range snap.LogGroups {
		// AWS/Logs IncomingBytes and IncomingLogEvents have a datapoint
		// only for a period in which the group ingested something
		// (CloudWatch Logs metrics,
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html):
		// a stored zero is served as no datapoint.
		d := []string{"LogGroupName", g.Name}
		c.add("AWS/Logs", "IncomingBytes", "Sum", published(g.DailyIncomingBytes), d...)
		c.add("AWS/Logs", "IncomingBytes", "Sum", published(g.HourlyIncomingBytes), d...)
		c.add("AWS/Logs", "IncomingLogEvents", "Sum", published(g.DailyIncomingEvents), d...)
		c.add("AWS/Logs", "IncomingLogEvents", "Sum", published(g.HourlyIncomingEvents), d...)
		for _, f := range g.MetricFilters {
			c.addFilter(g, f)
		}
	}
	for _, s := range snap.Services {
		d := []string{"ClusterName", s.Cluster, "ServiceName", s.Name}
		c.add("AWS/ECS", "CPUUtilization", "Average", s.CPUAverage, d...)
		c.add("AWS/ECS", "CPUUtilization", "Maximum", s.CPUMaximum, d...)
		c.add("AWS/ECS", "MemoryUtilization", "Average", s.MemoryAverage, d...)
		c.add("AWS/ECS", "MemoryUtilization", "Maximum", s.MemoryMaximum, d...)
		// Container Insights' RunningTaskCount, by ClusterName and
		// ServiceName (Amazon ECS Container Insights metrics,
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html):
		// served where the snapshot has task-hours, the hourly mean of
		// running tasks; an account without it has Container Insights
		// off.
		if s.TaskHoursSource == cwlens.TaskHoursContainerInsights {
			c.add("ECS/ContainerInsights", "RunningTaskCount", "Average", s.TaskHours, d...)
		}
	}
	return c
}

// add stores a series of a metric and statistic. Several series under one
// key and period are summed when served: filters in several log groups
// that publish one metric are aggregated into it by CloudWatch ("metrics
// with the same namespace, name and dimensions are the same metric";
// CloudWatch concepts,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Metric).
func (c *cloudwatch) add(ns, name, stat string, s cwlens.Series, dims ...string) {
	if len(s.Values) == 0 {
		return
	}
	k := metricKey(ns, name, stat, dims)
	c.series[k] = append(c.series[k], s)
}

// addFilter stores the metric a filter publishes: its SampleCount (one
// sample per matching event, and one per default value published) and its
// Sum, neither with a datapoint where nothing was published.
func (c *cloudwatch) addFilter(g cwlens.LogGroup, f cwlens.MetricFilter) {
	sc, sum := filterStats(g, f)
	if len(f.Dimensions) == 0 {
		c.add(f.MetricNamespace, f.MetricName, "SampleCount", sc)
		c.add(f.MetricNamespace, f.MetricName, "Sum", sum)
		return
	}
	// A dimensioned metric exists only per combination of values:
	// nothing is stored under the bare name, so a MetricStat without
	// dimensions finds nothing, as on AWS.
	names := slices.Sorted(maps.Keys(f.Dimensions))
	sk := schemaKey(f.MetricNamespace, f.MetricName, names)
	scs := splitCombinations(sc, 2+len(f.Name)%2)
	sums := make([]cwlens.Series, len(scs))
	for i := range scs {
		// The whole Sum goes to the last combination, which has samples
		// wherever the total has (it takes the largest share), so the
		// Sum over the combinations is exact; the others publish zeros.
		sums[i] = sum
		if i < len(scs)-1 {
			sums[i].Values = make([]float64, len(sum.Values))
		}
		unpublished(&scs[i], &sums[i])
		dims := make([]string, 0, 2*len(names))
		for _, n := range names {
			dims = append(dims, n, fmt.Sprintf("%s-%d", n, i))
		}
		c.add(f.MetricNamespace, f.MetricName, "SampleCount", scs[i], dims...)
		c.add(f.MetricNamespace, f.MetricName, "Sum", sums[i], dims...)
		if k := metricKey(f.MetricNamespace, f.MetricName, "Sum", dims); !slices.Contains(c.schema[sk], k) {
			c.schema[sk] = append(c.schema[sk], k)
		}
	}
}

// published returns s with its zeros missing: for a metric AWS publishes
// only when there is data, a zero is no datapoint.
func published(s cwlens.Series) cwlens.Series {
	out := s
	out.Values = slices.Clone(s.Values)
	for i, v := range out.Values {
		if v == 0 {
			out.Values[i] = cwlens.Missing()
		}
	}
	return out
}

// unpublished leaves missing, in both series, every period with no sample.
func unpublished(sc, sum *cwlens.Series) {
	for i, v := range sc.Values {
		if v == 0 || cwlens.IsMissing(v) {
			sc.Values[i], sum.Values[i] = cwlens.Missing(), cwlens.Missing()
		}
	}
}

// filterStats returns the SampleCount and Sum a metric filter publishes
// per period of its counts, following MetricTransformation
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html):
// each matching event publishes metricValue (f.Values holds their sum when
// it is not "1"); without defaultValue nothing else is published, so a
// period with no match has no datapoint. With defaultValue, "the value
// reported to the metric filter during a period when logs are ingested but
// no matching logs are found" ("Default value",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringLogData.html),
// and nothing when no logs are ingested: the emulator, which knows events
// per hour only, publishes the default once for each minute with events
// but no match, taking the events and matches as spread one a minute.
func filterStats(g cwlens.LogGroup, f cwlens.MetricFilter) (sc, sum cwlens.Series) {
	sc, sum = f.Counts, f.Counts
	sc.Values = make([]float64, len(f.Counts.Values))
	sum.Values = make([]float64, len(f.Counts.Values))
	value, constant := 1.0, true
	if f.MetricValue != "" {
		v, err := strconv.ParseFloat(f.MetricValue, 64)
		value, constant = v, err == nil
	}
	minutes := float64(f.Counts.Period / time.Minute)
	for i, m := range f.Counts.Values {
		t := f.Counts.Time(i)
		s := m * value
		if !f.Values.IsZero() || !constant {
			s = at(f.Values, t)
		}
		if cwlens.IsMissing(m) || cwlens.IsMissing(s) {
			sc.Values[i], sum.Values[i] = cwlens.Missing(), cwlens.Missing()
			continue
		}
		if f.DefaultValue != nil {
			if e := at(g.HourlyIncomingEvents, t); !cwlens.IsMissing(e) && f.Counts.Period == time.Hour {
				defaults := math.Max(0, math.Min(minutes, e)-math.Min(minutes, m))
				m += defaults
				s += defaults * *f.DefaultValue
			}
		}
		sc.Values[i], sum.Values[i] = m, s
	}
	unpublished(&sc, &sum)
	return sc, sum
}

// at returns s's value of the period starting at t, or missing.
func at(s cwlens.Series, t time.Time) float64 {
	if i, ok := s.Index(t); ok {
		return s.Values[i]
	}
	return cwlens.Missing()
}

// schemaKey identifies the metrics a Metrics Insights SCHEMA(ns, dims...)
// matches: those with exactly these dimension names; dims are sorted.
func schemaKey(ns, name string, dims []string) string {
	return ns + "\x00" + name + "\x00" + strings.Join(dims, ",")
}

// splitCombinations splits s into n series, one per fake dimension
// combination, whose sum is s exactly: whole values are split into whole
// parts (exact in float64 below 2^53), anything else goes to the last
// combination. A missing point is missing in every combination.
func splitCombinations(s cwlens.Series, n int) []cwlens.Series {
	parts := make([]cwlens.Series, n)
	for i := range parts {
		parts[i] = s
		parts[i].Values = make([]float64, len(s.Values))
	}
	for k, v := range s.Values {
		rest := v
		for i := range parts {
			switch {
			case cwlens.IsMissing(v):
				parts[i].Values[k] = v
			case i == n-1:
				parts[i].Values[k] = rest
			case v == math.Trunc(v) && math.Abs(v) < 1<<53:
				share := math.Floor(rest / float64(n-i))
				parts[i].Values[k], rest = share, rest-share
			default:
				parts[i].Values[k] = 0
			}
		}
	}
	return parts
}

// metricKey identifies a metric and statistic; dims are name, value pairs.
func metricKey(ns, name, stat string, dims []string) string {
	pairs := make([]string, 0, len(dims)/2)
	for i := 0; i+1 < len(dims); i += 2 {
		pairs = append(pairs, dims[i]+"="+dims[i+1])
	}
	sort.Strings(pairs)
	return ns + "\x00" + name + "\x00" + strings.Join(pairs, ",") + "\x00" + stat
}

func (*cloudwatch) Prefix() string                              { return "cloudwatch" }
func (c *cloudwatch) Protocol() Protocol                        { return c.RPCv2CBOR }
func (c *cloudwatch) Route(r *http.Request, body []byte) string { return c.RPCv2CBOR.Route(r) }

func (c *cloudwatch) Error(kind ErrorKind, msg string) *APIError {
	switch kind {
	case ErrThrottle:
		return &APIError{Status: 400, Code: "ThrottlingException", QueryCode: "Throttling", Fault: "Sender", Message: msg}
	case ErrInternal:
		return &APIError{Status: 500, Code: "InternalServiceFault", QueryCode: "InternalServiceError", Fault: "Receiver", Message: msg}
	case ErrAccessDenied:
		return &APIError{Status: 403, Code: "AccessDeniedException", QueryCode: "AccessDenied", Fault: "Sender", Message: msg}
	case ErrExpiredToken:
		return &APIError{Status: 400, Code: "InvalidNextToken", QueryCode: "InvalidNextToken", Fault: "Sender", Message: msg}
	}
	return &APIError{Status: 400, Code: "InvalidParameterValueException", QueryCode: "InvalidParameterValue", Fault: "Sender", Message: msg}
}

func (c *cloudwatch) Call(_ context.Context, op string, body []byte) (any, error) {
	if op != "GetMetricData" {
		return nil, c.Error(ErrValidation, "operation "+op+" is not emulated")
	}
	var in gmdIn
	if err := decodeCBOR(body, &in); err != nil {
		return nil, err
	}
	return c.getMetricData(in)
}

type gmdDimension struct {
	Name  string `cbor:"Name"`
	Value string `cbor:"Value"`
}

type gmdMetric struct {
	Namespace  string         `cbor:"Namespace"`
	MetricName string         `cbor:"MetricName"`
	Dimensions []gmdDimension `cbor:"Dimensions"`
}

type gmdMetricStat struct {
	Metric gmdMetric `cbor:"Metric"`
	Period int64     `cbor:"Period"`
	Stat   string    `cbor:"Stat"`
	Unit   *string   `cbor:"Unit"`
}

type gmdQuery struct {
	ID         string         `cbor:"Id"`
	MetricStat *gmdMetricStat `cbor:"MetricStat"`
	Expression *string        `cbor:"Expression"`
	Label      *string        `cbor:"Label"`
	ReturnData *bool          `cbor:"ReturnData"`
	Period     *int32         `cbor:"Period"`
}

type gmdIn struct {
	MetricDataQueries []gmdQuery `cbor:"MetricDataQueries"`
	StartTime         time.Time  `cbor:"StartTime"`
	EndTime           time.Time  `cbor:"EndTime"`
	NextToken         *string    `cbor:"NextToken"`
	ScanBy            *string    `cbor:"ScanBy"`
	MaxDatapoints     *int64     `cbor:"MaxDatapoints"`
}

type gmdMessage struct {
	Code  string `cbor:"Code"`
	Value string `cbor:"Value"`
}

type gmdResult struct {
	ID         string       `cbor:"Id"`
	Label      string       `cbor:"Label"`
	Timestamps []time.Time  `cbor:"Timestamps"`
	Values     []float64    `cbor:"Values"`
	StatusCode string       `cbor:"StatusCode"`
	Messages   []gmdMessage `cbor:"Messages,omitempty"`
}

type gmdOut struct {
	MetricDataResults []gmdResult  `cbor:"MetricDataResults"`
	NextToken         *string      `cbor:"NextToken,omitempty"`
	Messages          []gmdMessage `cbor:"Messages,omitempty"`
}

func appendOnce(ms []gmdMessage, m gmdMessage) []gmdMessage {
	if slices.Contains(ms, m) {
		return ms
	}
	return append(ms, m)
}

// roll returns a number in [0, 1) for an injected GetMetricData fault of
// kind on query qi of in, from point from: the seed, the request, the
// place and how often it was asked decide it, so runs are reproducible and
// a retried place is rolled again.
func (c *cloudwatch) roll(kind string, in gmdIn, qi, from int) float64 {
	if c.faults.GMDInternal+c.faults.GMDPartial+c.faults.GMDMessage+c.faults.GMDCallMessage == 0 {
		return 1
	}
	key := fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00%d\x00%d", kind, c.faults.Seed, in.StartTime, in.EndTime, qi, from)
	if qi >= 0 {
		q := in.MetricDataQueries[qi]
		key += "\x00" + q.ID
		if q.MetricStat != nil {
			key += fmt.Sprint(*q.MetricStat)
		}
		if q.Expression != nil {
			key += *q.Expression
		}
	}
	c.mu.Lock()
	n := c.attempts[key]
	c.attempts[key] = n + 1
	c.mu.Unlock()
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d", key, n)
	return float64(mix64(h.Sum64())>>11) / float64(1<<53)
}

// GetMetricData limits (SDK GetMetricData doc): at most 500 queries per
// call; MaxDatapoints defaults to 100,800 and results past it are paginated.
const (
	maxQueries    = 500
	maxDatapoints = 100800
)

var queryID = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// retention returns how long CloudWatch keeps datapoints of a period
// (SDK GetMetricDataInput.StartTime doc / MetricStat.Period): below 60 s
// 3 hours, 60 s 15 days, 300 s 63 days, 3600 s and more 455 days.
func retention(period time.Duration) time.Duration {
	switch {
	case period < time.Minute:
		return 3 * time.Hour
	case period < 5*time.Minute:
		return 15 * cwlens.Day
	case period < time.Hour:
		return 63 * cwlens.Day
	}
	return 455 * cwlens.Day
}

type point struct {
	t time.Time
	v float64
}

func (c *cloudwatch) getMetricData(in gmdIn) (any, error) {
	if n := len(in.MetricDataQueries); n == 0 || n > maxQueries {
		return nil, c.Error(ErrValidation, fmt.Sprintf("MetricDataQueries: %d queries, want 1 to %d", n, maxQueries))
	}
	if !in.StartTime.Before(in.EndTime) {
		return nil, c.Error(ErrValidation, "The parameter StartTime must be less than the parameter EndTime.")
	}
	limit := int64(maxDatapoints)
	if in.MaxDatapoints != nil && *in.MaxDatapoints > 0 {
		limit = *in.MaxDatapoints
	}
	descending := in.ScanBy == nil || *in.ScanBy != "TimestampAscending"
	qi0, pi0, err := gmdToken(in.NextToken, c.Error(ErrExpiredToken, "The service returned an invalid or expired NextToken."))
	if err != nil {
		return nil, err
	}

	seen := map[string]bool{}
	requested := 0
	insights := 0
	for _, q := range in.MetricDataQueries {
		if !queryID.MatchString(q.ID) || seen[q.ID] {
			return nil, c.Error(ErrValidation, fmt.Sprintf("The value %s for parameter MetricDataQueries.member.Id is not valid or not unique.", q.ID))
		}
		seen[q.ID] = true
		var p int64
		switch {
		case q.MetricStat != nil && q.Expression == nil:
			p = q.MetricStat.Period
		case q.Expression != nil && q.MetricStat == nil:
			if _, err := parseInsights(*q.Expression); err != nil {
				return nil, c.Error(ErrValidation, fmt.Sprintf("MetricDataQueries.member.Expression %q: %v (only Metrics Insights SELECT SUM(metric) FROM SCHEMA(...) is emulated)", *q.Expression, err))
			}
			// "Each GetMetricData operation can have only one query"
			// (Metrics Insights quotas).
			if insights++; insights > 1 {
				return nil, c.Error(ErrValidation, "a GetMetricData call can include only one Metrics Insights query")
			}
			if q.Period == nil {
				return nil, c.Error(ErrValidation, "MetricDataQueries.member.Period is required for a Metrics Insights query")
			}
			p = int64(*q.Period)
		default:
			return nil, c.Error(ErrValidation, "Exactly one of MetricStat and Expression must be set in a MetricDataQuery")
		}
		if p < 60 || p%60 != 0 {
			return nil, c.Error(ErrValidation, fmt.Sprintf("The parameter MetricDataQueries.member.MetricStat.Period must be a multiple of 60 (got %d).", p))
		}
		requested += int(math.Ceil(in.EndTime.Sub(in.StartTime).Seconds() / float64(p)))
	}
	if in.NextToken == nil && c.dps != nil && !c.dps(requested) {
		return nil, c.Error(ErrThrottle, "Rate exceeded: datapoints per second")
	}

	var out gmdOut
	if in.NextToken == nil && c.roll("call-message", in, -1, 0) < c.faults.GMDCallMessage {
		// A message about the whole call; "as much of the operation as
		// possible is still executed" (GetMetricData API reference,
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
		// AWS documents no code list: this code is the emulator's own.
		out.Messages = append(out.Messages, gmdMessage{Code: "EmulatedNotice", Value: "an injected message about this GetMetricData call"})
	}
	budget := limit
	for qi := qi0; qi < len(in.MetricDataQueries); qi++ {
		q := in.MetricDataQueries[qi]
		pts, label, capped := c.queryPoints(q, in.StartTime, in.EndTime)
		if capped {
			// Metrics Insights "can process no more than 10,000
			// metrics": past them only the first are read (Metrics
			// Insights quotas,
			// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html).
			// The code and text are those clients such as Grafana
			// check for.
			out.Messages = appendOnce(out.Messages, gmdMessage{Code: "MaxMetricsExceeded", Value: "Maximum number of allowed metrics exceeded"})
		}
		if descending {
			for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
				pts[i], pts[j] = pts[j], pts[i]
			}
		}
		from := 0
		if qi == qi0 {
			from = pi0
		}
		if from > len(pts) {
			from = len(pts)
		}
		if q.Label != nil {
			label = *q.Label
		}
		to := from + int(budget)
		if to > len(pts) {
			to = len(pts)
		}
		if c.roll("internal", in, qi, from) < c.faults.GMDInternal {
			// "InternalError indicates that an error occurred. Retry
			// your request using NextToken, if present"
			// (MetricDataResult,
			// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html):
			// the token resumes this query where it stopped.
			out.MetricDataResults = append(out.MetricDataResults, gmdResult{ID: q.ID, Label: label, Timestamps: []time.Time{}, Values: []float64{}, StatusCode: "InternalError"})
			out.NextToken = gmdNext(qi, from)
			return out, nil
		}
		res := gmdResult{ID: q.ID, Label: label, Timestamps: make([]time.Time, 0, to-from), Values: make([]float64, 0, to-from), StatusCode: "Complete"}
		if to == len(pts) && c.roll("partial", in, qi, from) < c.faults.GMDPartial {
			// A final PartialData: "an incomplete set of data points
			// were returned" (MetricDataResult), with no NextToken to
			// fetch the rest; the emulator drops the later half.
			res.StatusCode = "PartialData"
			to = from + (to-from)/2
		}
		if c.roll("message", in, qi, from) < c.faults.GMDMessage {
			// "A list of messages with additional information about the
			// data returned" (MetricDataResult); the code is the
			// emulator's own.
			res.Messages = append(res.Messages, gmdMessage{Code: "EmulatedNotice", Value: "an injected message about this result"})
		}
		for _, p := range pts[from:to] {
			res.Timestamps = append(res.Timestamps, p.t)
			res.Values = append(res.Values, p.v)
		}
		budget -= int64(to - from)
		if to < len(pts) && res.StatusCode == "Complete" {
			res.StatusCode = "PartialData"
			out.MetricDataResults = append(out.MetricDataResults, res)
			out.NextToken = gmdNext(qi, to)
			return out, nil
		}
		if q.ReturnData == nil || *q.ReturnData {
			out.MetricDataResults = append(out.MetricDataResults, res)
		}
		if budget == 0 && qi+1 < len(in.MetricDataQueries) {
			out.NextToken = gmdNext(qi+1, 0)
			return out, nil
		}
	}
	return out, nil
}

// queryPoints returns a validated query's datapoints in [start, end) and
// its default label.
func (c *cloudwatch) queryPoints(q gmdQuery, start, end time.Time) ([]point, string, bool) {
	if q.MetricStat != nil {
		ms := q.MetricStat
		dims := make([]string, 0, 2*len(ms.Metric.Dimensions))
		for _, d := range ms.Metric.Dimensions {
			dims = append(dims, d.Name, d.Value)
		}
		period := time.Duration(ms.Period) * time.Second
		srcs := c.source(metricKey(ms.Metric.Namespace, ms.Metric.MetricName, ms.Stat, dims), period)
		if srcs == nil {
			return nil, ms.Metric.MetricName, false
		}
		return aggregate(srcs, ms.Stat, period, start, end, c.now.Add(-retention(period))), ms.Metric.MetricName, false
	}
	iq, _ := parseInsights(*q.Expression) // validated by getMetricData
	period := time.Duration(*q.Period) * time.Second
	var srcs []*cwlens.Series
	keys := c.schema[schemaKey(iq.namespace, iq.metric, iq.dims)]
	limit := c.insightsMaxMetrics
	if c.faults.InsightsCap > 0 {
		limit = c.faults.InsightsCap
	}
	capped := len(keys) > limit
	if capped {
		keys = keys[:limit]
	}
	for _, k := range keys {
		k = strings.TrimSuffix(k, "\x00Sum") + "\x00" + iq.stat
		srcs = append(srcs, c.source(k, period)...)
	}
	// Metrics Insights reads two weeks back at most (quotas page), less
	// if the period's retention is shorter.
	oldest := c.now.Add(-min(retention(period), insightsMaxAge))
	return aggregate(srcs, iq.stat, period, start, end, oldest), *q.Expression, capped
}

// source returns the stored series of key with the longest period that
// divides period (several when several filters publish the metric), or
// nil.
func (c *cloudwatch) source(key string, period time.Duration) []*cwlens.Series {
	var best time.Duration
	stored := c.series[key]
	for _, s := range stored {
		if s.Period > 0 && period%s.Period == 0 && s.Period > best {
			best = s.Period
		}
	}
	var srcs []*cwlens.Series
	for i := range stored {
		if stored[i].Period == best {
			srcs = append(srcs, &stored[i])
		}
	}
	return srcs
}

// aggregate returns the datapoints of srcs in [start, end), ascending,
// aggregated by stat into periods that start at start, leaving out points
// older than oldest. A period no source has a value in has no datapoint.
func aggregate(srcs []*cwlens.Series, stat string, period time.Duration, start, end, oldest time.Time) []point {
	nb := int((end.Sub(start) + period - 1) / period)
	if nb <= 0 || len(srcs) == 0 {
		return nil
	}
	sums := make([]float64, nb)
	counts := make([]int32, nb)
	for _, src := range srcs {
		for i, v := range src.Values {
			t := src.Time(i)
			if cwlens.IsMissing(v) || t.Before(start) || !t.Before(end) || t.Before(oldest) {
				continue
			}
			k := int(t.Sub(start) / period)
			switch {
			case counts[k] == 0:
				sums[k] = v
			case stat == "Maximum":
				sums[k] = math.Max(sums[k], v)
			case stat == "Minimum":
				sums[k] = math.Min(sums[k], v)
			default: // Sum, SampleCount; Average is averaged below
				sums[k] += v
			}
			counts[k]++
		}
	}
	n := 0
	for _, c := range counts {
		if c > 0 {
			n++
		}
	}
	pts := make([]point, 0, n)
	for k, c := range counts {
		if c == 0 {
			continue
		}
		v := sums[k]
		if stat == "Average" {
			v /= float64(c)
		}
		pts = append(pts, point{t: start.Add(time.Duration(k) * period).UTC(), v: v})
	}
	return pts
}

// gmdNext returns the token of a page that starts at point pi of query qi.
func gmdNext(qi, pi int) *string {
	t := tokenString(fmt.Sprintf("gmd:%d.%d", qi, pi))
	return &t
}

// gmdToken decodes a GetMetricData token into the query and point index
// where the next page starts.
func gmdToken(t *string, bad *APIError) (qi, pi int, err error) {
	if t == nil {
		return 0, 0, nil
	}
	s, ok := untoken(*t, "gmd")
	if !ok {
		return 0, 0, bad
	}
	if _, err := fmt.Sscanf(s, "%d.%d", &qi, &pi); err != nil || qi < 0 || pi < 0 {
		return 0, 0, bad
	}
	return qi, pi, nil
}
