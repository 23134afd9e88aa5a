package ingest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/awsquota"
	"golang.org/x/time/rate"
)

// EventsAPI is the part of the CloudWatch Logs client that reads log
// events: logs:FilterLogEvents, logs:StartQuery and logs:GetQueryResults.
type EventsAPI interface {
	FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
	StartQuery(ctx context.Context, in *cloudwatchlogs.StartQueryInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.StartQueryOutput, error)
	GetQueryResults(ctx context.Context, in *cloudwatchlogs.GetQueryResultsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetQueryResultsOutput, error)
}

// ErrLogGroupNotFound is returned (wrapped) when the log group to read does
// not exist.
var ErrLogGroupNotFound = errors.New("log group not found")

// Events reads a log group's events — a bounded sample, or Logs Insights'
// patterns — and the volume it ingested.
type Events struct {
	logs EventsAPI
	cw   MetricsAPI
}

// NewEvents returns an Events calling AWS with clients built from cfg,
// with the SDK's standard retryer and rate limiters at the Region's request
// quotas (FilterLogEvents 25, 10 or 5 per second by Region; StartQuery and
// GetQueryResults 10; see awsquota.Events). Of opts only Region, RateScale,
// MaxAttempts and MaxBackoff are used.
func NewEvents(cfg aws.Config, opts Options) *Events {
	opts = opts.withDefaults()
	region := opts.Region
	if region == "" {
		region = cfg.Region
	}
	l := newLimits(opts.RateScale)
	l.addEvents(region, opts.RateScale)
	c := newClients(cfg, opts, l)
	return &Events{logs: c.Logs.(EventsAPI), cw: c.CloudWatch}
}

// addEvents adds the limiters of the APIs that read events, at region's
// quotas times scale (0 means 1).
func (l *limits) addEvents(region string, scale float64) {
	if scale <= 0 {
		scale = 1
	}
	for _, q := range awsquota.Events(region) {
		l.addQuota(q, scale)
	}
}

// addQuota sets q's limiter, at scale times its rate.
func (l *limits) addQuota(q awsquota.Quota, scale float64) {
	lim := rate.NewLimiter(rate.Limit(q.Rate*scale), q.Burst)
	for _, api := range q.APIs {
		l.byAPI[api] = lim
	}
}

// NewEventsWithClients returns an Events over the given clients as they are.
func NewEventsWithClients(logs EventsAPI, cw MetricsAPI) *Events {
	return &Events{logs: logs, cw: cw}
}

// Defaults of SampleOptions.
const (
	DefaultSampleEvents = 10000
	DefaultSampleSlices = 12
)

// FilterLogEvents returns at most 10,000 events per page (limit 1–10,000;
// SDK FilterLogEventsInput.Limit), and at most 1 MB.
const filterPageEvents = 10000

// maxEmptyPages bounds the pages a slice may turn without events: AWS may
// return empty pages with a nextToken while it searches (SDK
// FilterLogEvents doc), but not forever.
const maxEmptyPages = 50

// SampleOptions say what Events.Sample reads.
type SampleOptions struct {
	Group      string
	Start, End time.Time // End excluded
	// MaxEvents bounds the sample; 0 means DefaultSampleEvents.
	MaxEvents int
	// Slices is how many equal time slices the window is cut into, each
	// read from its start up to its share of MaxEvents, so that a sample of
	// a busy window is spread over it rather than its first minutes; 0 means
	// DefaultSampleSlices.
	Slices int
}

// Sample is a bounded, time-spread sample of a log group's events.
type Sample struct {
	Group      string
	Start, End time.Time
	Events     []cwlens.LogEvent
	Slices     []SampleSlice
	Calls      int // FilterLogEvents calls made
}

// SampleSlice is what one time slice of a sample read.
type SampleSlice struct {
	Start, End time.Time
	Events     int
	Bytes      int64 // message bytes
	// Complete is set when every event of the slice was read.
	Complete bool
	// Covered is the part of the slice, from its start, that the events
	// read span (the whole slice when Complete): FilterLogEvents returns a
	// range's events in time order.
	Covered time.Duration
}

// Complete reports whether the sample holds every event of the window.
func (s *Sample) Complete() bool {
	for _, sl := range s.Slices {
		if !sl.Complete {
			return false
		}
	}
	return true
}

// EstimatedBytes extrapolates the message bytes of the whole window: a
// slice read completely counts what it read, a truncated one its bytes at
// the rate of the part it covered.
func (s *Sample) EstimatedBytes() float64 {
	var total float64
	for _, sl := range s.Slices {
		b := float64(sl.Bytes)
		if !sl.Complete && sl.Covered > 0 {
			b *= float64(sl.End.Sub(sl.Start)) / float64(sl.Covered)
		}
		total += b
	}
	return total
}

// Sample reads a bounded sample of the group's events over [Start, End)
// with FilterLogEvents, spread over the window's slices.
func (e *Events) Sample(ctx context.Context, o SampleOptions) (*Sample, error) {
	if o.MaxEvents <= 0 {
		o.MaxEvents = DefaultSampleEvents
	}
	if o.Slices <= 0 {
		o.Slices = DefaultSampleSlices
	}
	if !o.End.After(o.Start) {
		return nil, fmt.Errorf("sample %s: empty window %s – %s", o.Group, o.Start.Format(time.RFC3339), o.End.Format(time.RFC3339))
	}
	// A slice shorter than a millisecond cannot be asked for.
	if span := o.End.Sub(o.Start).Milliseconds(); int64(o.Slices) > span {
		o.Slices = int(max(1, span))
	}
	s := &Sample{Group: o.Group, Start: o.Start, End: o.End}
	step := o.End.Sub(o.Start) / time.Duration(o.Slices)
	for i := 0; i < o.Slices; i++ {
		sl := SampleSlice{Start: o.Start.Add(time.Duration(i) * step), End: o.Start.Add(time.Duration(i+1) * step)}
		if i == o.Slices-1 {
			sl.End = o.End
		}
		// Share what is left among the slices left, so that quiet slices
		// leave their part to busy ones.
		quota := (o.MaxEvents - len(s.Events)) / (o.Slices - i)
		if err := e.readSlice(ctx, s, &sl, quota); err != nil {
			return nil, err
		}
		s.Slices = append(s.Slices, sl)
	}
	return s, nil
}

func (e *Events) readSlice(ctx context.Context, s *Sample, sl *SampleSlice, quota int) error {
	in := &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: aws.String(s.Group),
		StartTime:    aws.Int64(sl.Start.UnixMilli()),
		// endTime is inclusive ("events with a timestamp later than this
		// time are not returned"): stop a millisecond before the next slice.
		EndTime: aws.Int64(sl.End.UnixMilli() - 1),
	}
	var last time.Time
	empty := 0
	for sl.Events < quota {
		in.Limit = aws.Int32(int32(min(filterPageEvents, quota-sl.Events)))
		out, err := e.logs.FilterLogEvents(ctx, in)
		s.Calls++
		if err != nil {
			var nf *logstypes.ResourceNotFoundException
			if errors.As(err, &nf) {
				return fmt.Errorf("%w: %s", ErrLogGroupNotFound, s.Group)
			}
			return fmt.Errorf("logs:FilterLogEvents %s: %w", s.Group, err)
		}
		for _, ev := range out.Events {
			if sl.Events >= quota {
				break
			}
			t := time.UnixMilli(aws.ToInt64(ev.Timestamp)).UTC()
			msg := aws.ToString(ev.Message)
			s.Events = append(s.Events, cwlens.LogEvent{Timestamp: t, Message: msg})
			sl.Events++
			sl.Bytes += int64(len(msg))
			if t.After(last) {
				last = t
			}
		}
		if out.NextToken == nil || *out.NextToken == "" {
			sl.Complete = true // the page limit kept every event of the last page
			break
		}
		if len(out.Events) == 0 {
			if empty++; empty >= maxEmptyPages {
				break
			}
		} else {
			empty = 0
		}
		in.NextToken = out.NextToken
	}
	sl.Covered = sl.End.Sub(sl.Start)
	if !sl.Complete && !last.IsZero() {
		sl.Covered = last.Sub(sl.Start) + time.Millisecond
	}
	return nil
}

// PatternQueryString is the Logs Insights query Events.Patterns runs: the
// pattern command clusters @message into @pattern with @sampleCount,
// @ratio and @severityLabel (AWS docs CWL_QuerySyntax-Pattern).
const PatternQueryString = "pattern @message"

// PatternRow is one pattern Logs Insights found.
type PatternRow struct {
	Pattern  string
	Count    int64
	Ratio    float64
	Severity string
}

// PatternResult is the outcome of a pattern query.
type PatternResult struct {
	Rows []PatternRow
	// BytesScanned is what the query is billed on.
	BytesScanned   float64
	RecordsScanned float64
	Polls          int
}

// Patterns runs PatternQueryString over the group's events in [start, end]
// and polls GetQueryResults every poll until the query completes. Logs
// Insights takes whole seconds, both ends inclusive (SDK StartQueryInput).
func (e *Events) Patterns(ctx context.Context, group string, start, end time.Time, poll time.Duration) (*PatternResult, error) {
	q, err := e.logs.StartQuery(ctx, &cloudwatchlogs.StartQueryInput{
		LogGroupName: aws.String(group),
		StartTime:    aws.Int64(start.Unix()),
		EndTime:      aws.Int64(end.Unix()),
		QueryString:  aws.String(PatternQueryString),
	})
	if err != nil {
		var nf *logstypes.ResourceNotFoundException
		if errors.As(err, &nf) {
			return nil, fmt.Errorf("%w: %s", ErrLogGroupNotFound, group)
		}
		return nil, fmt.Errorf("logs:StartQuery %s: %w", group, err)
	}
	res := &PatternResult{}
	for {
		out, err := e.logs.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: q.QueryId})
		res.Polls++
		if err != nil {
			return nil, fmt.Errorf("logs:GetQueryResults %s: %w", aws.ToString(q.QueryId), err)
		}
		switch out.Status {
		case logstypes.QueryStatusComplete:
			if st := out.Statistics; st != nil {
				res.BytesScanned, res.RecordsScanned = st.BytesScanned, st.RecordsScanned
			}
			for _, row := range out.Results {
				res.Rows = append(res.Rows, patternRow(row))
			}
			return res, nil
		case logstypes.QueryStatusScheduled, logstypes.QueryStatusRunning:
		default:
			return nil, fmt.Errorf("logs Insights query %s on %s ended %s", aws.ToString(q.QueryId), group, out.Status)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(poll):
		}
	}
}

func patternRow(fields []logstypes.ResultField) PatternRow {
	var r PatternRow
	for _, f := range fields {
		v := aws.ToString(f.Value)
		switch aws.ToString(f.Field) {
		case "@pattern":
			r.Pattern = v
		case "@sampleCount":
			r.Count, _ = strconv.ParseInt(v, 10, 64)
		case "@ratio":
			r.Ratio, _ = strconv.ParseFloat(v, 64)
		case "@severityLabel":
			r.Severity = v
		}
	}
	return r
}

// IncomingBytes returns the bytes the group ingested over [start, end),
// widened to whole hours, from AWS/Logs IncomingBytes (Sum, hourly). An
// hour with no datapoint ingested nothing (the metric has datapoints only
// for periods with ingestion; docs/snapshot.md "Missing and zero"), so a
// complete answer with no datapoint is 0 bytes; ok is false when the
// answer was not complete (a final PartialData, InternalError or
// Forbidden, or a message).
func (e *Events) IncomingBytes(ctx context.Context, group string, start, end time.Time) (bytes float64, ok bool, err error) {
	start = start.UTC().Truncate(time.Hour)
	if t := end.UTC().Truncate(time.Hour); t.Before(end) {
		end = t.Add(time.Hour)
	}
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start),
		EndTime:   aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{{
			Id: aws.String("bytes"),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{
					Namespace:  aws.String("AWS/Logs"),
					MetricName: aws.String("IncomingBytes"),
					Dimensions: []cwtypes.Dimension{{Name: aws.String("LogGroupName"), Value: aws.String(group)}},
				},
				Period: aws.Int32(3600),
				Stat:   aws.String("Sum"),
			},
		}},
	}
	for {
		out, err := e.cw.GetMetricData(withDatapoints(ctx, int(end.Sub(start)/time.Hour)), in)
		if err != nil {
			return 0, false, fmt.Errorf("cloudwatch:GetMetricData IncomingBytes %s: %w", group, err)
		}
		complete := len(out.Messages) == 0
		for _, r := range out.MetricDataResults {
			for _, v := range r.Values {
				bytes += v
			}
			complete = complete && r.StatusCode == cwtypes.StatusCodeComplete && len(r.Messages) == 0
		}
		if out.NextToken == nil || *out.NextToken == "" {
			// The last page's status is the query's: an InternalError
			// or PartialData earlier was carried on by its NextToken.
			return bytes, complete && len(out.MetricDataResults) > 0, nil
		}
		in.NextToken = out.NextToken
	}
}
