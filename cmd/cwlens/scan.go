package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/ingest"
	"github.com/cwlens/cwlens/internal/sdkhttp"
	"github.com/jedib0t/go-pretty/v6/progress"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newScanCmd(stderr io.Writer) *cobra.Command {
	var f scanFlags
	var out string
	cmd := &cobra.Command{
		Use:   "scan --out FILE",
		Short: "Read an AWS account's log groups, metric filters and ECS services into a snapshot",
		Long: `scan reads one region of an AWS account — CloudWatch Logs groups and metric
filters, their CloudWatch metrics, and ECS services — into a snapshot file.
It only reads (docs/iam-policy.json lists the actions) and keeps to AWS's
request quotas; throttled and failed calls are retried by the AWS SDK.

Credentials and region come the AWS way: environment, shared config and SSO
profiles (--profile), or the role of the EC2 instance, ECS task or Lambda
function. --endpoint-url, AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>
send the calls elsewhere (e.g. to cwlens-emulator).

The window is the --days days before --until (default: now, truncated to the
hour); CloudWatch keeps hourly data for 455 days, so a past incident can be
scanned after the fact. Daily series cover the window's whole UTC days.

--sample N also reads up to N log events of each log group whose ingestion
jumped (a day of the last week at least 3 times its median day and 1 MB
above it; the 10 largest jumps; not Delivery-class groups): half over the
week before the jump, half since, spread over time. The report then lists
the log templates that hold most of the flood's bytes. It adds
logs:FilterLogEvents, which reads log contents, to the scan's actions.

--bill also reads what AWS Cost Explorer billed for ECS and CloudWatch, by
usage type, for the last full month and the month to date, and its forecast
of the rest of the month in unblended and in net amortized cost
(ce:GetCostAndUsage, ce:GetCostForecast). Cost Explorer charges $0.01 a
request; a scan makes one per page of the bill plus one a forecast (two),
and says how many in the snapshot. Its data is
updated up to three times a day. Without ce: permission the rest of the scan
is unaffected and the refusal is one gap.

What could not be read (an API refused, a call still failing after its
retries, Ctrl-C) is recorded in the snapshot as a gap; the snapshot is still
written and the exit status is 3.`,
		Example: `  cwlens scan --out snapshot.json
  cwlens scan --profile prod --region us-east-1 --days 35 --until 2025-11-01 --out incident.json
  cwlens scan --log-group-prefix /ecs/ --cluster prod --out snapshot.json
  cwlens scan --sample 2000 --out snapshot.json
  cwlens scan --bill --out snapshot.json`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("--out FILE is required")
			}
			if err := checkOut(out); err != nil {
				return err // before a scan that may take minutes
			}
			snap, err := scanAccount(cmd.Context(), stderr, &f)
			if err != nil {
				return err
			}
			if err := cwlens.WriteSnapshot(out, snap); err != nil {
				return fmt.Errorf("write snapshot: %w", err)
			}
			if snap.Partial() {
				return &statusError{code: exitPartial, msg: partialMessage(snap, out)}
			}
			return nil
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the snapshot to `FILE` (atomically)")
	return cmd
}

// partialMessage says what a partial scan missed.
func partialMessage(snap *cwlens.Snapshot, out string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "partial scan written to %s: %d item(s) could not be read:", out, len(snap.Gaps))
	for i, g := range snap.Gaps {
		if i == 10 {
			fmt.Fprintf(&b, "\n  … and %d more (see gaps in the snapshot)", len(snap.Gaps)-i)
			break
		}
		fmt.Fprintf(&b, "\n  %s %s: %s", g.API, g.Resource, g.Reason)
	}
	return b.String()
}

// scanFlags are the flags of the commands that read an account: scan and
// report --live.
type scanFlags struct {
	profile, region, until, prefix, endpoint, logLevel string
	days, sample                                       int
	clusters                                           []string
	quiet, bill                                        bool
}

func (f *scanFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.profile, "profile", "", "AWS shared config `PROFILE` (default: AWS_PROFILE or default)")
	fs.StringVar(&f.region, "region", "", "AWS `REGION` (default: AWS_REGION or the profile's)")
	fs.IntVar(&f.days, "days", ingest.DefaultDays, "window length in `DAYS`")
	fs.StringVar(&f.until, "until", "", "window end `TIME`, RFC 3339 or YYYY-MM-DD (default: now, truncated to the hour)")
	fs.StringVar(&f.prefix, "log-group-prefix", "", "scan only log groups whose names start with `PREFIX`")
	fs.StringArrayVar(&f.clusters, "cluster", nil, "scan only this ECS `CLUSTER` (repeatable; default: all)")
	fs.IntVar(&f.sample, "sample", 0, "read up to `N` log events (logs:FilterLogEvents) from each log group whose ingestion jumped, so the report can say which lines flood (0: none)")
	fs.BoolVar(&f.bill, "bill", false, "also read the bill of ECS and CloudWatch from AWS Cost Explorer (ce:GetCostAndUsage, ce:GetCostForecast; $0.01 a request)")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "send every AWS call to `URL` (e.g. a cwlens-emulator)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar and only error logs")
	fs.StringVar(&f.logLevel, "log-level", "warn", "log `LEVEL` on standard error: debug, info, warn or error")
}

// scanAccount loads the AWS configuration and scans. It returns the
// snapshot even when partial; an error means nothing usable was read.
func scanAccount(ctx context.Context, stderr io.Writer, f *scanFlags) (*cwlens.Snapshot, error) {
	opts, err := f.options(stderr)
	if err != nil {
		return nil, err
	}
	cfg, err := f.awsConfig(ctx)
	if err != nil {
		return nil, err
	}
	var bar *scanProgress
	if !f.quiet && isTerminal(stderr) {
		bar = newScanProgress(stderr, opts.SampleEvents > 0)
		opts.Progress = bar.update
	}
	snap, err := ingest.New(cfg, opts).Scan(ctx)
	if bar != nil {
		bar.stop()
	}
	switch {
	case errors.Is(err, ingest.ErrWindow):
		return nil, usageErr(err)
	case err != nil:
		return nil, err
	}
	if snap.AccountID == "" {
		return nil, fmt.Errorf("scan: the account id could not be read (sts:GetCallerIdentity failed and no ARN was read): %s", snap.Gaps[0].Reason)
	}
	return snap, nil
}

// maxDays bounds --days: CloudWatch keeps data points of an hour or more for
// 455 days, so a longer window would read nothing older
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Metric, "Metrics retention").
const maxDays = 455

// maxSample bounds --sample, as it bounds the Lambda's CWLENS_SAMPLE_EVENTS.
const maxSample = cwlens.MaxSampleEvents

// options checks the flags and turns them into ingest.Options.
func (f *scanFlags) options(stderr io.Writer) (ingest.Options, error) {
	var o ingest.Options
	if f.days < 1 || f.days > maxDays {
		return o, usagef("--days %d: want 1 to %d (CloudWatch keeps hourly metrics %d days)", f.days, maxDays, maxDays)
	}
	o.Days = f.days
	if f.sample < 0 || f.sample > maxSample {
		return o, usagef("--sample %d: want 0 (off) to %d events", f.sample, maxSample)
	}
	o.SampleEvents = f.sample
	o.Bill = f.bill
	if f.until != "" {
		t, err := parseTime(f.until)
		if err != nil {
			return o, usagef("--until: %w", err)
		}
		o.Until = t.Truncate(time.Hour)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return o, usagef("--log-level %q: want debug, info, warn or error", f.logLevel)
	}
	if f.quiet && level < slog.LevelError {
		level = slog.LevelError
	}
	o.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	o.LogGroupPrefix = f.prefix
	o.Clusters = f.clusters
	return o, nil
}

// awsConfig loads credentials and region the AWS way (environment, shared
// config and SSO profiles, IMDS/ECS/Lambda roles; AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE> are honoured by the SDK itself).
func (f *scanFlags) awsConfig(ctx context.Context) (aws.Config, error) {
	var lo []func(*config.LoadOptions) error
	if f.profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(f.profile))
	}
	if f.region != "" {
		lo = append(lo, config.WithRegion(f.region))
	}
	// The SDK's own warnings (one per instance-metadata attempt when no
	// credentials are found) are not the user's concern: what failed is
	// reported once, as an error or a gap.
	lo = append(lo, config.WithLogger(logging.Nop{}))
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return cfg, fmt.Errorf("load AWS configuration: %w", err)
	}
	cfg = sdkhttp.Config(cfg)
	if f.endpoint != "" {
		cfg.BaseEndpoint = aws.String(f.endpoint)
	}
	if cfg.Region == "" {
		return cfg, usagef("no AWS region: pass --region or set AWS_REGION (or a region in the profile)")
	}
	// Resolve the credentials now: without any, the SDK would fail every
	// call with its whole provider chain, after logging a warning per
	// instance-metadata attempt.
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		if ctx.Err() != nil {
			return cfg, ctx.Err()
		}
		return cfg, fmt.Errorf("no AWS credentials found (tried the environment's AWS_ACCESS_KEY_ID, the shared config and credentials files%s, SSO, web identity, and the ECS and EC2 roles): set AWS_PROFILE or pass --profile, or run aws configure or aws sso login", profileNote(f.profile))
	}
	return cfg, nil
}

// profileNote names the profile the credentials were looked up for.
func profileNote(flag string) string {
	p := flag
	if p == "" {
		p = os.Getenv("AWS_PROFILE")
	}
	if p == "" {
		p = "default"
	}
	return " for profile " + strconv.Quote(p)
}

// isTerminal reports whether w is a terminal (any character device:
// /dev/null passes too, harmlessly).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// scanProgress draws the scan's progress on a terminal.
type scanProgress struct {
	pw                                progress.Writer
	groups, filters, services, metric *progress.Tracker
	sampled                           *progress.Tracker // nil without --sample
}

func newScanProgress(w io.Writer, sample bool) *scanProgress {
	pw := progress.NewWriter()
	pw.SetOutputWriter(w)
	pw.SetUpdateFrequency(200 * time.Millisecond)
	pw.SetTrackerLength(30)
	pw.SetMessageLength(24)
	pw.Style().Visibility.ETA = false
	p := &scanProgress{
		pw:       pw,
		groups:   &progress.Tracker{Message: "log groups", Units: progress.UnitsDefault},
		filters:  &progress.Tracker{Message: "metric filters", Units: progress.UnitsDefault},
		services: &progress.Tracker{Message: "ECS services", Units: progress.UnitsDefault},
		metric:   &progress.Tracker{Message: "GetMetricData calls", Units: progress.UnitsDefault, Total: 1},
	}
	pw.AppendTrackers([]*progress.Tracker{p.groups, p.filters, p.services, p.metric})
	if sample {
		p.sampled = &progress.Tracker{Message: "log groups sampled", Units: progress.UnitsDefault, Total: 1}
		pw.AppendTracker(p.sampled)
	}
	go pw.Render()
	return p
}

func (p *scanProgress) update(s ingest.Progress) {
	p.groups.SetValue(int64(s.LogGroups))
	p.filters.SetValue(int64(s.MetricFilters))
	p.services.SetValue(int64(s.Services))
	if s.MetricCalls > 0 {
		p.metric.UpdateTotal(int64(s.MetricCalls))
	}
	p.metric.SetValue(int64(s.MetricCallsDone))
	if p.sampled != nil && s.SampleGroups > 0 {
		p.sampled.UpdateTotal(int64(s.SampleGroups))
		p.sampled.SetValue(int64(s.SampledGroups))
	}
}

func (p *scanProgress) stop() {
	for _, t := range []*progress.Tracker{p.groups, p.filters, p.services, p.metric, p.sampled} {
		if t != nil {
			t.MarkAsDone()
		}
	}
	time.Sleep(250 * time.Millisecond) // let the last frame render
	p.pw.Stop()
}
