// Package ingest reads an AWS account and region into a cwlens.Snapshot. It
// is the only package of cwlens that talks to AWS, and it only reads:
// sts:GetCallerIdentity, logs:DescribeLogGroups, logs:DescribeMetricFilters,
// cloudwatch:GetMetricData, ecs:ListClusters, ecs:ListServices,
// ecs:DescribeServices and ecs:DescribeTaskDefinition, and with
// Options.SampleEvents logs:FilterLogEvents; Events (for
// cwlens patterns) reads logs:FilterLogEvents, logs:StartQuery,
// logs:GetQueryResults and cloudwatch:GetMetricData.
//
// A scan runs at AWS's default request quotas (a rate limiter per quota
// bucket, in front of every attempt) and lets the SDK's standard retryer
// handle throttling and 5xx. What it cannot read — an API refused, a call
// still failing after its retries, a scan cut short — is recorded as a Gap
// and the scan goes on: Scan returns an error only when nothing at all
// could be read.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/cwlens/cwlens"
	"golang.org/x/sync/errgroup"
)

// Options configure a scan. The zero value scans the last DefaultDays days
// of every log group and ECS cluster in the client's region.
type Options struct {
	// Region overrides the aws.Config's region.
	Region string
	// Until is the end of the window; zero means the current hour (now
	// truncated to the hour).
	Until time.Time
	// Days is the window's length in days; 0 means DefaultDays.
	Days int
	// HourlyDays is how many of the window's last days get hourly log
	// ingestion and metric-filter series; 0 means DefaultHourlyDays.
	HourlyDays int
	// ServiceDays is how many of the window's last days get hourly ECS
	// utilisation series; 0 means DefaultServiceDays.
	ServiceDays int
	// LogGroupPrefix limits the scan to log groups whose names start with
	// it (DescribeLogGroups' logGroupNamePrefix).
	LogGroupPrefix string
	// Clusters limits the scan to these ECS clusters (names or ARNs);
	// empty means every cluster ListClusters returns.
	Clusters []string
	// Concurrency bounds the calls in flight; 0 means DefaultConcurrency.
	Concurrency int
	// RateScale multiplies AWS's request quotas the client-side limiters
	// keep to; 0 means 1. Only tests against a scaled emulator change it.
	RateScale float64
	// MaxAttempts and MaxBackoff configure the SDK's standard retryer;
	// 0 means DefaultMaxAttempts and DefaultMaxBackoff.
	MaxAttempts int
	MaxBackoff  time.Duration
	// Progress, if set, is called (from any goroutine, never concurrently)
	// whenever the scan's counts change.
	Progress func(Progress)
	// Logger receives the scan's logs; nil discards them.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now. It sets the
	// snapshot's capture time and the default window end.
	Now func() time.Time
	// SampleEvents, when above 0, makes the scan read a sample of up to
	// this many events (logs:FilterLogEvents) from each log group whose
	// ingestion jumped (see SampleRatio) into LogGroup.Sample, half before
	// the jump and half since; 0 samples nothing.
	SampleEvents int
	// Bill makes the scan read the bill of the services cwlens models from
	// Cost Explorer (ce:GetCostAndUsage, ce:GetCostForecast; $0.01 a
	// request) into Snapshot.Bill.
	Bill bool
}

// Defaults of Options.
const (
	DefaultDays        = 35
	DefaultHourlyDays  = 7
	DefaultServiceDays = 14
	DefaultConcurrency = 8
)

// maxAge is how far back a scan can reach: CloudWatch keeps datapoints of
// periods of an hour or more for 455 days (SDK GetMetricDataInput doc).
const maxAge = 455 * cwlens.Day

// Progress reports how far a scan has got.
type Progress struct {
	LogGroups       int // log groups listed
	MetricFilters   int // metric filters listed
	Services        int // ECS services described
	MetricCalls     int // GetMetricData calls queued
	MetricCallsDone int // GetMetricData calls finished
	SampleGroups    int // log groups to sample (Options.SampleEvents)
	SampledGroups   int // log groups sampled (or failed)
}

// Scanner reads one account and region into a Snapshot.
type Scanner struct {
	c    Clients
	opts Options
}

// New returns a Scanner that calls AWS with clients built from cfg (its
// credentials, region and endpoint resolution, e.g. AWS_ENDPOINT_URL), each
// with the SDK's standard retryer and a rate limiter per AWS quota.
func New(cfg aws.Config, opts Options) *Scanner {
	opts = opts.withDefaults()
	if opts.Region == "" {
		opts.Region = cfg.Region
	}
	l := newLimits(opts.RateScale)
	l.addEvents(opts.Region, opts.RateScale) // for Options.SampleEvents
	return &Scanner{c: newClients(cfg, opts, l), opts: opts}
}

// NewWithClients returns a Scanner over the given clients as they are: no
// retryer or rate limiter is added.
func NewWithClients(c Clients, opts Options) *Scanner {
	return &Scanner{c: c, opts: opts.withDefaults()}
}

func (o Options) withDefaults() Options {
	if o.Days <= 0 {
		o.Days = DefaultDays
	}
	if o.HourlyDays <= 0 {
		o.HourlyDays = DefaultHourlyDays
	}
	if o.ServiceDays <= 0 {
		o.ServiceDays = DefaultServiceDays
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// ErrWindow reports a window CloudWatch cannot serve.
var ErrWindow = errors.New("scan window")

// ErrNothingRead is returned (wrapped) when every call of a scan failed.
var ErrNothingRead = errors.New("scan read nothing")

// Window returns the window a scan with these options covers.
func (o Options) Window() cwlens.Window {
	o = o.withDefaults()
	end := o.Until
	if end.IsZero() {
		end = o.Now().Truncate(time.Hour)
	}
	end = end.UTC()
	return cwlens.Window{Start: end.Add(-time.Duration(o.Days) * cwlens.Day), End: end}
}

// Scan reads the account. It returns the snapshot even when some of it
// could not be read (the Gaps say what); the error is non-nil only when
// the window is invalid or nothing could be read at all. When ctx ends
// first, what was gathered is returned with a "context canceled" (or
// deadline) gap.
func (s *Scanner) Scan(ctx context.Context) (*cwlens.Snapshot, error) {
	w := s.opts.Window()
	now := s.opts.Now()
	if w.End.After(now.Add(time.Hour)) {
		return nil, fmt.Errorf("%w: end %s is in the future", ErrWindow, w.End.Format(time.RFC3339))
	}
	r := newRun(s, w)
	if w.Start.Before(now.Add(-maxAge)) {
		// CloudWatch has dropped what is older: those points come back
		// missing, which is what they are.
		r.log.Warn("the window starts more than 455 days ago, beyond CloudWatch's retention of hourly data; older points will be missing", "window_start", w.Start)
	}
	snap := &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion,
		Region:        s.opts.Region,
		CapturedAt:    now.UTC().Truncate(time.Second),
		Window:        w,
	}
	r.log.Info("scan started", "window_start", w.Start, "window_end", w.End, "log_group_prefix", s.opts.LogGroupPrefix)

	// Producers list resources and queue metric queries; consumers run the
	// GetMetricData batches as they fill.
	consumers := make(chan struct{})
	go func() {
		defer close(consumers)
		r.runMetricCalls(ctx)
	}()
	var prod errgroup.Group
	prod.Go(func() error { snap.AccountID = r.identity(ctx); return nil })
	prod.Go(func() error { r.logGroups(ctx); return nil })
	prod.Go(func() error { r.metricFilters(ctx); return nil })
	prod.Go(func() error { r.services(ctx); return nil })
	if s.opts.Bill {
		prod.Go(func() error { snap.Bill = r.bill(ctx); return nil })
	}
	prod.Wait()
	r.batches.close()
	<-consumers
	if s.opts.SampleEvents > 0 && ctx.Err() == nil {
		r.sampleGroups(ctx)
	}

	if err := ctx.Err(); err != nil {
		r.mu.Lock()
		r.gaps = append(r.gaps, cwlens.Gap{API: "*", Resource: "*", Reason: r.stoppedReason(err, s.opts.SampleEvents > 0), Subject: cwlens.SubjectAll})
		r.mu.Unlock()
	}
	r.finishFilters()
	r.assemble(snap)
	r.log.Info("scan finished", "log_groups", len(snap.LogGroups), "services", len(snap.Services), "gaps", len(snap.Gaps))
	if r.reads.Load() == 0 {
		return snap, fmt.Errorf("%w: %s", ErrNothingRead, firstReason(snap.Gaps))
	}
	return snap, nil
}

// stoppedReason says, for a scan whose context ended (Ctrl-C, a deadline),
// what it had not read: the reader of the snapshot cannot tell otherwise
// which nulls are zeros it missed.
// The caller holds r.mu.
func (r *run) stoppedReason(err error, sampling bool) string {
	p := r.progress
	var b strings.Builder
	b.WriteString(err.Error())
	b.WriteString(": the scan stopped before it finished; ")
	cut, unsent := r.cut.Load(), r.unsent.Load()
	if cut > 0 {
		fmt.Fprintf(&b, "%d calls were cut short; ", cut)
	}
	if unsent > 0 {
		fmt.Fprintf(&b, "%d GetMetricData calls were not made; ", unsent)
	}
	if cut+unsent > 0 {
		b.WriteString("what they would have read is missing; ")
	}
	fmt.Fprintf(&b, "the listings had reached %d log groups, %d metric filters and %d services and may be incomplete", p.LogGroups, p.MetricFilters, p.Services)
	switch {
	case sampling && p.SampleGroups == 0:
		b.WriteString("; no log events were sampled (sampling follows the metrics)")
	case sampling:
		fmt.Fprintf(&b, "; %d of %d log groups to sample were sampled", p.SampledGroups, p.SampleGroups)
	}
	return b.String()
}

func firstReason(gaps []cwlens.Gap) string {
	if len(gaps) == 0 {
		return "no calls made"
	}
	return gaps[0].API + ": " + gaps[0].Reason
}

// identity returns the account id from sts:GetCallerIdentity, or "".
func (r *run) identity(ctx context.Context) string {
	out, err := r.s.c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		r.fail(ctx, "sts:GetCallerIdentity", "*", err)
		return ""
	}
	r.reads.Add(1)
	return aws.ToString(out.Account)
}

// assemble moves what the run gathered into snap, in a stable order: log
// groups by name, metric filters by name, services by cluster and name,
// gaps by API and resource.
func (r *run) assemble(snap *cwlens.Snapshot) {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := make([]string, 0, len(r.groups))
	for n := range r.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	snap.LogGroups = make([]cwlens.LogGroup, 0, len(names))
	for _, n := range names {
		g := r.groups[n]
		for _, f := range r.filters[n] {
			g.MetricFilters = append(g.MetricFilters, *f)
		}
		sort.SliceStable(g.MetricFilters, func(i, j int) bool { return g.MetricFilters[i].Name < g.MetricFilters[j].Name })
		snap.LogGroups = append(snap.LogGroups, *g)
	}
	snap.Services = make([]cwlens.Service, 0, len(r.svcs))
	for _, sv := range r.svcs {
		snap.Services = append(snap.Services, *sv)
	}
	sort.Slice(snap.Services, func(i, j int) bool {
		a, b := snap.Services[i], snap.Services[j]
		if a.Cluster != b.Cluster {
			return a.Cluster < b.Cluster
		}
		return a.Name < b.Name
	})
	// A service's log group is kept only when the snapshot holds the
	// group: a --log-group-prefix or a refused DescribeLogGroups leaves it
	// out, and a snapshot never points at a group it lacks.
	for i := range snap.Services {
		if lg := snap.Services[i].LogGroup; lg != "" && r.groups[lg] == nil {
			r.log.Debug("service log group not in the scan", "service", snap.Services[i].ID(), "log_group", lg)
			snap.Services[i].LogGroup = ""
		}
	}
	if snap.AccountID == "" {
		snap.AccountID = r.accountFromARNs(snap)
	}
	snap.Gaps = append(snap.Gaps, r.gaps...)
	sort.SliceStable(snap.Gaps, func(i, j int) bool {
		a, b := snap.Gaps[i], snap.Gaps[j]
		if a.API != b.API {
			return a.API < b.API
		}
		return a.Resource < b.Resource
	})
}

// accountFromARNs returns the account id in the ARNs the scan read, for
// when sts:GetCallerIdentity could not be called.
func (r *run) accountFromARNs(snap *cwlens.Snapshot) string {
	var arns []string
	for _, g := range snap.LogGroups {
		arns = append(arns, g.ARN)
	}
	for _, s := range snap.Services {
		arns = append(arns, s.ARN)
	}
	for _, a := range arns {
		// arn:partition:service:region:account:resource
		if parts := strings.SplitN(a, ":", 6); len(parts) == 6 && len(parts[4]) == 12 {
			return parts[4]
		}
	}
	return ""
}

// run is the state of one Scan.
type run struct {
	s       *Scanner
	w       cwlens.Window
	log     *slog.Logger
	batches *batcher

	reads atomic.Int64 // successful calls
	// cut counts calls the scan's end cut short, and unsent GetMetricData
	// batches it never sent: what a stopped scan did not read.
	cut, unsent atomic.Int64

	mu      sync.Mutex
	groups  map[string]*cwlens.LogGroup
	filters map[string][]*cwlens.MetricFilter // by log group name
	svcs    []*cwlens.Service
	gaps    []cwlens.Gap
	// finishers derive series from what the metric calls read, once
	// they are all done.
	finishers []func()
	progress  Progress
}

func newRun(s *Scanner, w cwlens.Window) *run {
	r := &run{
		s:       s,
		w:       w,
		log:     s.opts.Logger,
		groups:  map[string]*cwlens.LogGroup{},
		filters: map[string][]*cwlens.MetricFilter{},
	}
	r.batches = newBatcher(r.queued)
	return r
}

// gap records something the scan could not read.
func (r *run) gap(api, resource, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gaps = append(r.gaps, cwlens.Gap{API: api, Resource: resource, Reason: reason})
}

// gapRange records that the series of subject were not read over tr.
func (r *run) gapRange(subject, resource string, tr timeRange, reason string) {
	r.log.Warn("series not read", "subject", subject, "resource", resource, "reason", reason)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gaps = append(r.gaps, cwlens.Gap{API: "cloudwatch:GetMetricData", Resource: resource, Reason: reason,
		Subject: subject, Start: tr.start, End: tr.end})
}

// failRange records a failed GetMetricData call: every series it would
// have filled is unread over tr. One gap for all of them (subject "*") keeps
// a refused CloudWatch from writing a gap per query; it covers only series
// with points left missing, since every series read is complete.
func (r *run) failRange(ctx context.Context, resource string, tr timeRange, err error) {
	if canceled(ctx, err) {
		r.cut.Add(1)
		return
	}
	r.gapRange(cwlens.SubjectAll, resource, tr, errorReason(err))
}

// fail records a failed call as a gap and logs it. Calls cut short by
// the scan's end are not recorded one by one: Scan adds one gap for them.
func (r *run) fail(ctx context.Context, api, resource string, err error) {
	if canceled(ctx, err) {
		r.cut.Add(1)
		return
	}
	reason := errorReason(err)
	r.log.Warn("call failed", "api", api, "resource", resource, "err", err)
	r.gap(api, resource, reason)
}

// update changes the progress counts and reports them.
func (r *run) update(f func(*Progress)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.progress)
	if r.s.opts.Progress != nil {
		r.s.opts.Progress(r.progress)
	}
}

func (r *run) queued() { r.update(func(p *Progress) { p.MetricCalls++ }) }
