package ingest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/cwlens/cwlens"
	"golang.org/x/sync/errgroup"
)

// GetMetricData limits (SDK GetMetricData doc): at most 500 queries and
// 100,800 datapoints per call (more datapoints are paginated).
const (
	maxQueriesPerCall    = 500
	maxDatapointsPerCall = 100800
)

// timeRange is the [start, end) and period of a set of series fetched in
// the same GetMetricData calls.
//
// Periods follow CloudWatch's rules (SDK MetricStat.Period and
// GetMetricDataInput.StartTime docs): a period must be a multiple of 60 s
// for data 3 hours to 15 days old, of 300 s for data 15 to 63 days old and
// of 3600 s for older data, which is kept 455 days; StartTime is rounded
// to the minute, 5 minutes or hour by the same ages. A scan asks for 3600 s
// or 86400 s periods starting on the hour, which satisfy every age up to
// 455 days, so the series it gets back are aligned on its own grid.
type timeRange struct {
	start, end time.Time
	period     time.Duration
}

func (t timeRange) points() int { return int(t.end.Sub(t.start) / t.period) }

// series returns an empty series on t's grid: every point missing until
// CloudWatch returns a datapoint for it. A missing datapoint stays missing;
// it is never read as zero.
func (t timeRange) series(unit string) cwlens.Series {
	if t.points() <= 0 {
		return cwlens.Series{}
	}
	v := make([]float64, t.points())
	for i := range v {
		v[i] = cwlens.Missing()
	}
	return cwlens.Series{Start: t.start, Period: t.period, Unit: unit, Values: v}
}

// last returns the range of the window's last n days at period, or the
// whole window if it is shorter.
func (r *run) last(days int, period time.Duration) timeRange {
	start := r.w.End.Add(-time.Duration(days) * cwlens.Day)
	if start.Before(r.w.Start) {
		start = r.w.Start
	}
	return timeRange{start: start, end: r.w.End, period: period}
}

// dailyRange covers the whole UTC days of the window: a daily series starts
// at 00:00 UTC, so a window that ends mid-day leaves its last hours to the
// hourly series.
func (r *run) dailyRange() timeRange {
	start := r.w.Start.Truncate(cwlens.Day)
	if start.Before(r.w.Start) {
		start = start.Add(cwlens.Day)
	}
	end := r.w.End.Truncate(cwlens.Day)
	if end.Before(start) {
		end = start
	}
	return timeRange{start: start, end: end, period: cwlens.Day}
}
func (r *run) hourlyRange() timeRange  { return r.last(r.s.opts.HourlyDays, time.Hour) }
func (r *run) serviceRange() timeRange { return r.last(r.s.opts.ServiceDays, time.Hour) }

// metricQuery is one metric and statistic to fetch and the series its
// datapoints go to.
type metricQuery struct {
	ns, name, stat string
	dims           []string // name, value pairs
	expr           string   // a Metrics Insights query instead of ns/name/dims
	sinks          []*cwlens.Series
	what           string // the resource, for gaps
	// subjects are the Gap subjects of the sinks' resources.
	subjects []string
	// publishedFrom is set for a metric AWS publishes only when there is
	// data (AWS/Logs IncomingBytes and IncomingLogEvents, metric filter
	// metrics): once the query is read whole, a period ending after it
	// with no datapoint is 0 (docs/snapshot.md "Missing and zero"). It is
	// the resource's creation, or the oldest time the query could read if
	// that is later.
	publishedFrom time.Time
}

// zeroFill writes 0 into every missing period of the sinks that ends
// after publishedFrom: the query was read, and CloudWatch publishes no
// datapoint for a period with nothing to publish.
func (q metricQuery) zeroFill(tr timeRange) {
	if q.publishedFrom.IsZero() {
		return
	}
	for _, s := range q.sinks {
		for i, v := range s.Values {
			if cwlens.IsMissing(v) && s.Time(i+1).After(q.publishedFrom) {
				s.Values[i] = 0
			}
		}
	}
}

// metricCall is one GetMetricData call's worth of queries over one range.
type metricCall struct {
	tr      timeRange
	queries []metricQuery
}

// batcher groups queued queries by time range into calls as full as
// GetMetricData allows. Every query of a range requests the same number of
// datapoints, so a call holds min(500, 100,800 ÷ points) queries and a
// range needs the fewest calls possible: ceil(queries ÷ that).
type batcher struct {
	mu      sync.Mutex
	pending map[timeRange][]metricQuery
	order   []timeRange
	out     chan metricCall
	queued  func()
}

func newBatcher(queued func()) *batcher {
	return &batcher{pending: map[timeRange][]metricQuery{}, out: make(chan metricCall, 16), queued: queued}
}

// perCall is how many queries over tr one call can hold.
func perCall(tr timeRange) int {
	n := maxDatapointsPerCall / max(tr.points(), 1)
	return max(1, min(n, maxQueriesPerCall))
}

// add queues q; a full call is sent at once.
func (b *batcher) add(tr timeRange, q metricQuery) {
	if tr.points() <= 0 {
		return
	}
	if q.expr != "" {
		// GetMetricData takes one Metrics Insights query per call
		// (dimensioned's doc comment has the citation).
		b.send(metricCall{tr: tr, queries: []metricQuery{q}})
		return
	}
	b.mu.Lock()
	if _, ok := b.pending[tr]; !ok {
		b.order = append(b.order, tr)
	}
	b.pending[tr] = append(b.pending[tr], q)
	var full []metricQuery
	if len(b.pending[tr]) >= perCall(tr) {
		full, b.pending[tr] = b.pending[tr], nil
	}
	b.mu.Unlock()
	if full != nil {
		b.send(metricCall{tr: tr, queries: full})
	}
}

func (b *batcher) send(c metricCall) {
	b.queued()
	b.out <- c
}

// close sends what is left and closes the channel.
func (b *batcher) close() {
	b.mu.Lock()
	var rest []metricCall
	for _, tr := range b.order {
		if qs := b.pending[tr]; len(qs) > 0 {
			rest = append(rest, metricCall{tr: tr, queries: qs})
		}
	}
	b.pending = nil
	b.mu.Unlock()
	for _, c := range rest {
		b.send(c)
	}
	close(b.out)
}

// runMetricCalls runs the batches as they arrive, Concurrency at a time.
func (r *run) runMetricCalls(ctx context.Context) {
	var g errgroup.Group
	g.SetLimit(r.s.opts.Concurrency)
	for c := range r.batches.out {
		if ctx.Err() != nil {
			r.unsent.Add(1)
			continue // drain: the scan is over
		}
		g.Go(func() error {
			r.metricCall(ctx, c)
			r.update(func(p *Progress) { p.MetricCallsDone++ })
			return nil
		})
	}
	g.Wait()
}

// metricCall runs one batch through GetMetricData, page by page (ScanBy
// TimestampAscending, NextToken), fills the queries' series and judges
// what came back (see judge).
func (r *run) metricCall(ctx context.Context, c metricCall) {
	in := metricInput(c)
	ids := make(map[string]int, len(c.queries))
	for i := range c.queries {
		ids["m"+strconv.Itoa(i)] = i
	}
	res := newBatchResult(len(c.queries))
	restarts := 0
	for pages := 0; ; pages++ {
		if pages == maxBatchPages {
			r.gapRange(cwlens.SubjectAll, describeBatch(c), c.tr, fmt.Sprintf("GetMetricData still returned a NextToken after %d pages", maxBatchPages))
			return
		}
		cctx := ctx
		if in.NextToken == nil {
			cctx = withDatapoints(ctx, c.tr.points()*len(c.queries))
		}
		out, err := r.s.c.CloudWatch.GetMetricData(cctx, in)
		if err != nil {
			if in.NextToken != nil && restarts == 0 && isExpiredToken(err) {
				// Datapoints go straight into the series: the batch
				// fetched again writes the same points again.
				r.log.Warn("pagination token expired; fetching the batch again", "api", "cloudwatch:GetMetricData")
				restarts, in.NextToken = restarts+1, nil
				res = newBatchResult(len(c.queries))
				continue
			}
			r.failRange(ctx, describeBatch(c), c.tr, err)
			return
		}
		r.reads.Add(1)
		res.messages = append(res.messages, messageTexts(out.Messages)...)
		for _, mr := range out.MetricDataResults {
			i, ok := ids[aws.ToString(mr.Id)]
			if !ok {
				continue
			}
			res.seen[i], res.status[i] = true, mr.StatusCode
			res.qmessages[i] = append(res.qmessages[i], messageTexts(mr.Messages)...)
			c.queries[i].fill(c.tr, mr.Timestamps, mr.Values)
		}
		if out.NextToken != nil && *out.NextToken != "" {
			// "InternalError indicates that an error occurred. Retry
			// your request using NextToken, if present", and
			// PartialData has more with NextToken (MetricDataResult,
			// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataResult.html):
			// the next page carries the queries' results on.
			in.NextToken = out.NextToken
			continue
		}
		if res.internalError() && restarts < maxBatchRestarts {
			// An InternalError without a NextToken: the request again.
			r.log.Warn("GetMetricData returned InternalError without a NextToken; fetching the batch again", "api", "cloudwatch:GetMetricData")
			restarts, in.NextToken = restarts+1, nil
			res = newBatchResult(len(c.queries))
			continue
		}
		break
	}
	r.judge(c, res)
}

// maxBatchPages bounds the pages of one batch: a full batch takes about 2
// (100,800 datapoints a page, up to 500 queries), and each InternalError
// one more; a service that never stops returning tokens must not hold the
// scan forever.
const maxBatchPages = 1000

// maxBatchRestarts bounds how often a batch is fetched again from its
// start after an InternalError with no NextToken.
const maxBatchRestarts = 2

// batchResult is what the pages of one batch said about its queries.
type batchResult struct {
	seen      []bool
	status    []cwtypes.StatusCode
	qmessages [][]string
	messages  []string // about the whole call
}

func newBatchResult(n int) *batchResult {
	return &batchResult{seen: make([]bool, n), status: make([]cwtypes.StatusCode, n), qmessages: make([][]string, n)}
}

func (b *batchResult) internalError() bool {
	return slices.Contains(b.status, cwtypes.StatusCodeInternalError)
}

// judge records a gap for every query not read whole and zero-fills the
// others. A query is read whole when its last result is Complete with no
// message. A final PartialData, InternalError or Forbidden, a message
// ("If there is a message, as much of the operation as possible is still
// executed", GetMetricData API reference,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html;
// Metrics Insights says so when it stopped at its 10,000 metrics or 500
// series) or no result at all leaves its points as they came, missing
// where no datapoint came, and a gap says so.
func (r *run) judge(c metricCall, res *batchResult) {
	if len(res.messages) > 0 {
		r.gapRange(cwlens.SubjectAll, describeBatch(c), c.tr, "GetMetricData message: "+strings.Join(res.messages, "; "))
		return
	}
	for i, q := range c.queries {
		var reason string
		switch {
		case !res.seen[i]:
			reason = "no result returned for the query"
		case res.status[i] != cwtypes.StatusCodeComplete:
			reason = "StatusCode " + string(res.status[i])
		case len(res.qmessages[i]) > 0:
			reason = "message: " + strings.Join(res.qmessages[i], "; ")
		default:
			q.zeroFill(c.tr)
			continue
		}
		subjects := q.subjects
		if len(subjects) == 0 {
			subjects = []string{cwlens.SubjectAll}
		}
		for _, subj := range subjects {
			r.gapRange(subj, q.describe(c.tr), c.tr, reason)
		}
	}
}

// messageTexts renders GetMetricData messages as "Code: Value".
func messageTexts(ms []cwtypes.MessageData) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, strings.TrimPrefix(aws.ToString(m.Code)+": "+aws.ToString(m.Value), ": "))
	}
	return out
}

// metricInput builds the GetMetricData request of a batch.
func metricInput(c metricCall) *cloudwatch.GetMetricDataInput {
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(c.tr.start),
		EndTime:   aws.Time(c.tr.end),
		ScanBy:    cwtypes.ScanByTimestampAscending,
	}
	period := int32(c.tr.period / time.Second)
	for i, q := range c.queries {
		m := &cwtypes.Metric{Namespace: aws.String(q.ns), MetricName: aws.String(q.name)}
		for j := 0; j+1 < len(q.dims); j += 2 {
			m.Dimensions = append(m.Dimensions, cwtypes.Dimension{Name: aws.String(q.dims[j]), Value: aws.String(q.dims[j+1])})
		}
		mq := cwtypes.MetricDataQuery{Id: aws.String("m" + strconv.Itoa(i)), ReturnData: aws.Bool(true)}
		if q.expr != "" {
			mq.Expression, mq.Period = aws.String(q.expr), aws.Int32(period)
		} else {
			mq.MetricStat = &cwtypes.MetricStat{Metric: m, Period: aws.Int32(period), Stat: aws.String(q.stat)}
		}
		in.MetricDataQueries = append(in.MetricDataQueries, mq)
	}
	return in
}

// fill writes datapoints into the query's series; points off the grid or
// not finite are left missing.
func (q metricQuery) fill(tr timeRange, ts []time.Time, vs []float64) {
	n := tr.points()
	for k := range min(len(ts), len(vs)) {
		idx := int(ts[k].Sub(tr.start) / tr.period)
		v := vs[k]
		if idx < 0 || idx >= n || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		for _, s := range q.sinks {
			s.Values[idx] = v
		}
	}
}

// describe names a query for a gap: metric, resource and range.
func (q metricQuery) describe(tr timeRange) string {
	return fmt.Sprintf("%s/%s %s %s (%s, %s–%s)", q.ns, q.name, q.stat, q.what, tr.period, tr.start.Format(time.RFC3339), tr.end.Format(time.RFC3339))
}

// describeBatch names a failed batch for a gap.
func describeBatch(c metricCall) string {
	d := c.queries[0].describe(c.tr)
	if n := len(c.queries) - 1; n > 0 {
		d += fmt.Sprintf(" and %d more queries", n)
	}
	return d
}
