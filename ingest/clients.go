package ingest

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/costexplorer"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	"github.com/cwlens/cwlens/internal/awsquota"
	"github.com/cwlens/cwlens/internal/sdkhttp"
	"golang.org/x/time/rate"
)

// STSAPI is the part of the STS client a scan uses.
type STSAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, opts ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// LogsAPI is the part of the CloudWatch Logs client a scan uses.
type LogsAPI interface {
	DescribeLogGroups(ctx context.Context, in *cloudwatchlogs.DescribeLogGroupsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeLogGroupsOutput, error)
	DescribeMetricFilters(ctx context.Context, in *cloudwatchlogs.DescribeMetricFiltersInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.DescribeMetricFiltersOutput, error)
}

// MetricsAPI is the part of the CloudWatch client a scan uses.
type MetricsAPI interface {
	GetMetricData(ctx context.Context, in *cloudwatch.GetMetricDataInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
}

// ECSAPI is the part of the ECS client a scan uses.
type ECSAPI interface {
	ListClusters(ctx context.Context, in *ecs.ListClustersInput, opts ...func(*ecs.Options)) (*ecs.ListClustersOutput, error)
	ListServices(ctx context.Context, in *ecs.ListServicesInput, opts ...func(*ecs.Options)) (*ecs.ListServicesOutput, error)
	DescribeServices(ctx context.Context, in *ecs.DescribeServicesInput, opts ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	DescribeTaskDefinition(ctx context.Context, in *ecs.DescribeTaskDefinitionInput, opts ...func(*ecs.Options)) (*ecs.DescribeTaskDefinitionOutput, error)
}

// Clients are the AWS clients a Scanner calls. New builds them from an
// aws.Config; tests may pass small fakes to NewWithClients.
type Clients struct {
	STS        STSAPI
	Logs       LogsAPI
	CloudWatch MetricsAPI
	ECS        ECSAPI
	// CostExplorer is called only by a scan with Options.Bill.
	CostExplorer CostExplorerAPI
}

// Default retry settings. AWS's standard retryer makes 3 attempts; a scan
// that runs at the request quotas for minutes meets throttling routinely, so
// it is given more attempts (the backoff between them is the SDK's
// exponential jitter, capped at MaxBackoff).
const (
	DefaultMaxAttempts = 10
	DefaultMaxBackoff  = 20 * time.Second
)

// limits holds the client-side rate limiters: one per AWS quota bucket and
// GetMetricData's datapoints-per-second quota.
type limits struct {
	byAPI map[string]*rate.Limiter
	dps   *rate.Limiter
}

// newLimits builds limiters at AWS's default quotas times scale (tests run
// against an emulator whose quotas are scaled the same way).
func newLimits(scale float64) *limits {
	if scale <= 0 {
		scale = 1
	}
	l := &limits{byAPI: map[string]*rate.Limiter{}}
	for _, q := range awsquota.Default() {
		// One request of the bucket is left unused: when the bucket runs
		// dry, requests go out exactly one refill apart, and network jitter
		// would otherwise bring two into the same refill at AWS's end.
		lim := rate.NewLimiter(rate.Limit(q.Rate*scale), max(1, q.Burst-1))
		for _, api := range q.APIs {
			l.byAPI[api] = lim
		}
	}
	// The datapoint bucket keeps one call's worth of headroom, for the
	// same reason.
	l.dps = rate.NewLimiter(rate.Limit(awsquota.GetMetricDataDPS*scale), awsquota.GetMetricDataDPS-maxDatapointsPerCall)
	return l
}

type datapointsKey struct{}

// withDatapoints tells the quota middleware how many datapoints a
// GetMetricData call requests, for the datapoints-per-second quota.
func withDatapoints(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, datapointsKey{}, n)
}

// quotaMiddleware waits for the API's rate limiter before every attempt
// (it sits after the SDK's retry middleware, so retries are paced too).
type quotaMiddleware struct {
	prefix string
	limits *limits
}

func (quotaMiddleware) ID() string { return "cwlensQuota" }

func (m quotaMiddleware) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	if lim := m.limits.byAPI[m.prefix+":"+middleware.GetOperationName(ctx)]; lim != nil {
		if err := lim.Wait(ctx); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
	}
	if n, ok := ctx.Value(datapointsKey{}).(int); ok && n > 0 {
		if err := m.limits.dps.WaitN(ctx, min(n, m.limits.dps.Burst())); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
	}
	return next.HandleFinalize(ctx, in)
}

// apiOptions returns the stack mutation that adds the quota middleware.
func (l *limits) apiOptions(prefix string) func(*middleware.Stack) error {
	return func(st *middleware.Stack) error {
		mw := quotaMiddleware{prefix: prefix, limits: l}
		if err := st.Finalize.Insert(mw, "Retry", middleware.After); err != nil {
			return st.Finalize.Add(mw, middleware.After)
		}
		return nil
	}
}

// newClients builds the SDK clients from cfg with the retryer and the
// quota middleware.
func newClients(cfg aws.Config, o Options, l *limits) Clients {
	retryer := func() aws.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = o.MaxAttempts
			so.MaxBackoff = o.MaxBackoff
		})
	}
	cfg = sdkhttp.Config(cfg)
	if o.Region != "" {
		cfg.Region = o.Region
	}
	return Clients{
		STS: sts.NewFromConfig(cfg, func(c *sts.Options) {
			c.Retryer = retryer()
			c.APIOptions = append(c.APIOptions, l.apiOptions("sts"))
		}),
		Logs: cloudwatchlogs.NewFromConfig(cfg, func(c *cloudwatchlogs.Options) {
			c.Retryer = retryer()
			c.APIOptions = append(c.APIOptions, l.apiOptions("logs"))
		}),
		CloudWatch: cloudwatch.NewFromConfig(cfg, func(c *cloudwatch.Options) {
			c.Retryer = retryer()
			c.APIOptions = append(c.APIOptions, l.apiOptions("cloudwatch"))
		}),
		ECS: ecs.NewFromConfig(cfg, func(c *ecs.Options) {
			c.Retryer = retryer()
			c.APIOptions = append(c.APIOptions, l.apiOptions("ecs"))
		}),
		CostExplorer: costexplorer.NewFromConfig(cfg, func(c *costexplorer.Options) {
			c.Region = costExplorerRegion
			c.Retryer = retryer()
			c.APIOptions = append(c.APIOptions, l.apiOptions("ce"))
		}),
	}
}
