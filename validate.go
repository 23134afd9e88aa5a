package cwlens

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// retentionDays lists the retention periods CloudWatch Logs accepts, in days
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ValidRetentionDays reports whether CloudWatch Logs accepts a retention of
// days days.
func ValidRetentionDays(days int) bool {
	for _, d := range retentionDays {
		if d == days {
			return true
		}
	}
	return false
}

// RetentionDaysAllowed returns the retention periods CloudWatch Logs
// accepts, shortest first.
func RetentionDaysAllowed() []int { return append([]int(nil), retentionDays...) }

// ECS task CPU limits for the EC2 launch type: 0.125 to 192 vCPU
// (RegisterTaskDefinition cpu,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html).
const (
	minEC2CPUUnits = 128
	maxEC2CPUUnits = 196608
)

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// Validate checks everything a reader relies on: the schema version, a
// window that ends after it starts, non-negative bytes and counts, finite
// values, series on their period grid and inside the window, task sizes ECS
// can run, and services whose log group is in the snapshot. It returns the
// first problem as an *InputError whose Where is the JSON path of the field
// (File is left empty; DecodeSnapshot fills it in).
//
// Utilisation: CPUUtilization may exceed 100 % (a task can burst above its
// reservation on EC2 and, briefly, on Fargate), so CPU series only have to
// be non-negative. MemoryUtilization of a Fargate task cannot exceed 100 %
// (its memory is a hard limit), so Fargate memory series must lie in
// [0, 100]; on EC2 a container may use more than its soft reservation, so
// only non-negative is required there.
func (s *Snapshot) Validate() error {
	v := validator{}
	v.snapshot(s)
	return v.err
}

// checkArrays refuses a decoded snapshot without its log_groups or services
// array (missing or null): docs/snapshot.md makes both required, [] when
// there are none, so that a truncated or hand-cut file is not read as an
// account without services.
func (s *Snapshot) checkArrays() error {
	switch {
	case s.LogGroups == nil:
		return Inputf("", "log_groups", "", "missing (required; [] for none)")
	case s.Services == nil:
		return Inputf("", "services", "", "missing (required; [] for none)")
	}
	return nil
}

// validator keeps the first problem found; later checks are skipped once one
// is recorded.
type validator struct{ err error }

func (v *validator) failf(where, value, format string, args ...any) {
	if v.err == nil {
		v.err = Inputf("", where, value, format, args...)
	}
}

func (v *validator) snapshot(s *Snapshot) {
	if s.SchemaVersion != SchemaVersion {
		v.failf("schema_version", strconv.Itoa(s.SchemaVersion), "unsupported schema version (this cwlens reads version %d)", SchemaVersion)
		return
	}
	if !accountIDPattern.MatchString(s.AccountID) {
		v.failf("account_id", strconv.Quote(s.AccountID), "want a 12-digit AWS account id")
	}
	if s.Region == "" {
		v.failf("region", `""`, "missing")
	}
	v.length("account_name", s.AccountName, maxAccountName)
	v.time("captured_at", s.CapturedAt)
	v.time("window.start", s.Window.Start)
	v.time("window.end", s.Window.End)
	if v.err == nil && !s.Window.End.After(s.Window.Start) {
		v.failf("window.end", stamp(s.Window.End), "must be after window.start %s", stamp(s.Window.Start))
	}
	v.bill(s.Bill)
	groups := make(map[string]int, len(s.LogGroups))
	for i := range s.LogGroups {
		g := &s.LogGroups[i]
		p := fmt.Sprintf("log_groups[%d]", i)
		if j, dup := groups[g.Name]; dup {
			v.failf(p+".name", strconv.Quote(g.Name), "duplicate of log_groups[%d]", j)
		}
		groups[g.Name] = i
		v.logGroup(p, g, s.Window)
	}
	services := make(map[string]int, len(s.Services))
	for i := range s.Services {
		svc := &s.Services[i]
		p := fmt.Sprintf("services[%d]", i)
		if j, dup := services[svc.ID()]; dup {
			v.failf(p+".name", strconv.Quote(svc.Name), "duplicate of services[%d] in cluster %q", j, svc.Cluster)
		}
		services[svc.ID()] = i
		v.service(p, svc, s.Window)
		if _, ok := groups[svc.LogGroup]; svc.LogGroup != "" && !ok {
			v.failf(p+".log_group", strconv.Quote(svc.LogGroup), "no such log group in the snapshot's log_groups")
		}
	}
	for i, g := range s.Gaps {
		v.gap(fmt.Sprintf("gaps[%d]", i), g)
	}
}

// gap checks a gap names its API and, when bounded on both sides, ends
// after it starts.
func (v *validator) gap(p string, g Gap) {
	if g.API == "" {
		v.failf(p+".api", `""`, "missing")
	}
	if !g.Start.IsZero() && !g.End.IsZero() && !g.End.After(g.Start) {
		v.failf(p+".end", stamp(g.End), "must be after start %s", stamp(g.Start))
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (v *validator) time(where string, t time.Time) {
	if t.IsZero() {
		v.failf(where, "", "missing")
	}
}

func (v *validator) logGroup(p string, g *LogGroup, w Window) {
	if g.Name == "" {
		v.failf(p+".name", `""`, "missing")
	}
	switch g.Class {
	case ClassStandard, ClassInfrequentAccess, ClassDelivery, ClassEssentials:
	default:
		v.failf(p+".class", strconv.Quote(g.Class), "unknown log group class (want %s, %s, %s or %s)", ClassStandard, ClassInfrequentAccess, ClassDelivery, ClassEssentials)
	}
	switch g.DataProtectionStatus {
	case "", DataProtectionActivated, "DELETED", "ARCHIVED", "DISABLED":
	default:
		// CloudWatch Logs API reference, LogGroup dataProtectionStatus.
		v.failf(p+".data_protection_status", strconv.Quote(g.DataProtectionStatus), "unknown status (want ACTIVATED, DELETED, ARCHIVED or DISABLED)")
	}
	if g.RetentionDays != nil && !ValidRetentionDays(*g.RetentionDays) {
		v.failf(p+".retention_days", strconv.Itoa(*g.RetentionDays), "CloudWatch Logs accepts only %v (absent = never expire)", retentionDays)
	}
	if g.StoredBytes < 0 {
		v.failf(p+".stored_bytes", strconv.FormatInt(g.StoredBytes, 10), "must not be negative")
	}
	if g.StoredBytes > noUpperBound {
		v.failf(p+".stored_bytes", strconv.FormatInt(g.StoredBytes, 10), "above 2^53 bytes")
	}
	v.length(p+".name", g.Name, maxLogGroupName)
	for _, c := range []struct {
		name    string
		s       Series
		unit    string
		period  time.Duration
		perSec  float64
		perWhat string
	}{
		{"daily_incoming_bytes", g.DailyIncomingBytes, UnitBytes, Day, maxLogBytesPerSecond, "bytes"},
		{"daily_incoming_events", g.DailyIncomingEvents, UnitCount, Day, maxLogEventsPerSecond, "events"},
		{"hourly_incoming_bytes", g.HourlyIncomingBytes, UnitBytes, Hour, maxLogBytesPerSecond, "bytes"},
		{"hourly_incoming_events", g.HourlyIncomingEvents, UnitCount, Hour, maxLogEventsPerSecond, "events"},
	} {
		v.period(p+"."+c.name, c.s, c.period)
		v.series(p+"."+c.name, c.s, c.unit, w, noUpperBound)
		v.rate(p+"."+c.name, c.s, c.perSec, c.perWhat)
	}
	for i, e := range g.Sample {
		if len(e.Message) > maxEventBytes {
			v.failf(fmt.Sprintf("%s.sample[%d].message", p, i), fmt.Sprintf("%d bytes", len(e.Message)), "longer than a log event can be (1 MB)")
		}
	}
	filters := map[string]int{}
	for i := range g.MetricFilters {
		f := &g.MetricFilters[i]
		fp := fmt.Sprintf("%s.metric_filters[%d]", p, i)
		if f.Name == "" {
			v.failf(fp+".name", `""`, "missing")
		}
		if j, dup := filters[f.Name]; dup {
			v.failf(fp+".name", strconv.Quote(f.Name), "duplicate of metric_filters[%d]", j)
		}
		filters[f.Name] = i
		if f.MetricName == "" {
			v.failf(fp+".metric_name", `""`, "missing")
		}
		if f.MetricNamespace == "" {
			v.failf(fp+".metric_namespace", `""`, "missing")
		}
		v.length(fp+".name", f.Name, maxFilterName)
		v.length(fp+".pattern", f.Pattern, maxFilterPattern)
		v.length(fp+".metric_name", f.MetricName, maxMetricName)
		v.length(fp+".metric_namespace", f.MetricNamespace, maxMetricName)
		v.period(fp+".counts", f.Counts, periodAny)
		v.period(fp+".values", f.Values, periodAny)
		if n := len(f.Dimensions); n > MaxMetricFilterDimensions {
			v.failf(fp+".dimensions", strconv.Itoa(n)+" entries", "at most %d", MaxMetricFilterDimensions)
		}
		for k := range f.Dimensions {
			if k == "" {
				v.failf(fp+".dimensions", `""`, "empty dimension name")
			}
		}
		v.series(fp+".counts", f.Counts, UnitCount, w, noUpperBound)
		v.filterValues(fp, f, w)
		v.sharedWith(fp, g.Name, f)
	}
}

// filterValues checks the sums of a value metric: in the filter's unit,
// finite; a field's values may be negative, so no bound.
func (v *validator) filterValues(fp string, f *MetricFilter, w Window) {
	v.seriesIn(fp+".values", f.Values, f.ValueUnit(), w, -noUpperBound, noUpperBound)
}

// sharedWith checks that a shared metric's publishers are filters named
// "group:filter", sorted, unique, this filter among them.
func (v *validator) sharedWith(fp, group string, f *MetricFilter) {
	if len(f.SharedWith) == 0 {
		return
	}
	self := false
	for i, s := range f.SharedWith {
		g, name, ok := strings.Cut(s, ":")
		if !ok || g == "" || name == "" {
			v.failf(fmt.Sprintf("%s.shared_with[%d]", fp, i), strconv.Quote(s), `want "log group:filter name"`)
		}
		if i > 0 && s <= f.SharedWith[i-1] {
			v.failf(fmt.Sprintf("%s.shared_with[%d]", fp, i), strconv.Quote(s), "not sorted or a duplicate")
		}
		self = self || s == FilterSubject(group, f.Name)
	}
	if !self {
		v.failf(fp+".shared_with", fmt.Sprintf("%d entries", len(f.SharedWith)), "does not list the filter itself (%q)", FilterSubject(group, f.Name))
	}
}

// noUpperBound is the largest value any series may hold: 2^53, past which
// a float64 no longer holds every whole number, so sums of bytes or counts
// would silently lose units (and 1e308 overflows to +Inf when multiplied
// into a month).
const noUpperBound = 1 << 53

// AWS's own limits, which a snapshot of a real account cannot exceed.
const (
	// maxLogBytesPerSecond bounds ingestion: PutLogEvents takes at most
	// 1,048,576 bytes per call at 5,000 calls per second per account and
	// Region (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html,
	// read 2026-12). The call quota can be raised: ten times it leaves room.
	maxLogBytesPerSecond = 1_048_576 * 5_000 * 10
	// maxLogEventsPerSecond is the same for events: 10,000 per call.
	maxLogEventsPerSecond = 10_000 * 5_000 * 10
	// Name lengths, from the APIs that create them: CreateLogGroup and
	// PutMetricFilter take names of 1 to 512 characters, a filter
	// pattern of up to 1,024 and metric names and namespaces of up to 255
	// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html);
	// ECS cluster and service names are up to 255 (CreateService,
	// CreateCluster); an Organizations account name is 1 to 50
	// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html);
	// a log event is at most 1 MB (PutLogEvents).
	maxLogGroupName  = 512
	maxFilterName    = 512
	maxFilterPattern = 1024
	maxMetricName    = 255
	maxECSName       = 255
	maxAccountName   = 50
	maxEventBytes    = 1 << 20
)

// MaxTasksPerService is ECS's "Tasks per service" quota, 5,000
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html):
// no service runs, or can be asked to run, more.
const MaxTasksPerService = 5_000

// periodAny marks a series whose period may be any CloudWatch accepts.
const periodAny time.Duration = 0

// cloudWatchPeriod reports whether CloudWatch can return data at period
// d: 1, 5, 10, 20 or 30 seconds (high resolution) or a multiple of 60
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricStat.html).
func cloudWatchPeriod(d time.Duration) bool {
	switch d {
	case time.Second, 5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second:
		return true
	}
	return d%time.Minute == 0
}

// length fails when s is longer than max characters.
func (v *validator) length(where, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		v.failf(where, fmt.Sprintf("%d characters", n), "longer than %d, AWS's limit", max)
	}
}

// period checks a series' period: want when set (a daily series is daily),
// else one CloudWatch can serve. A period that is not a positive whole
// number of seconds is left to seriesIn to name.
func (v *validator) period(p string, s Series, want time.Duration) {
	switch {
	case s.IsZero() || s.Period <= 0 || s.Period%time.Second != 0:
	case want != periodAny && s.Period != want:
		v.failf(p+".period_seconds", strconv.FormatInt(int64(s.Period/time.Second), 10), "want %d (%s)", int64(want/time.Second), PeriodText(want))
	case !cloudWatchPeriod(s.Period):
		v.failf(p+".period_seconds", strconv.FormatInt(int64(s.Period/time.Second), 10), "CloudWatch periods are 1, 5, 10, 20, 30 or a multiple of 60 seconds")
	}
}

// rate bounds a series of bytes or events per period by a rate per second.
func (v *validator) rate(p string, s Series, perSecond float64, what string) {
	if s.IsZero() || s.Period <= 0 {
		return
	}
	limit := perSecond * s.Period.Seconds()
	for i, x := range s.Values {
		if !IsMissing(x) && x > limit {
			v.failf(fmt.Sprintf("%s.values[%d]", p, i), strconv.FormatFloat(x, 'g', -1, 64),
				"more %s in %s than CloudWatch Logs can ingest (%.3g; PutLogEvents quotas)", what, PeriodText(s.Period), limit)
			return
		}
	}
}

// series checks one series: a positive whole-second period, a start on the
// period grid (so daily series start at 00:00 UTC), the expected unit, lying
// inside the window, and finite values in [0, upper].
func (v *validator) series(p string, s Series, unit string, w Window, upper float64) {
	v.seriesIn(p, s, unit, w, 0, upper)
}

// seriesIn is series with values bounded by [lower, upper].
func (v *validator) seriesIn(p string, s Series, unit string, w Window, lower, upper float64) {
	if s.IsZero() {
		return // no data captured for this series
	}
	if s.Period <= 0 || s.Period%time.Second != 0 {
		v.failf(p+".period_seconds", s.Period.String(), "must be a positive whole number of seconds")
		return
	}
	if s.Start.Unix()%int64(s.Period/time.Second) != 0 || s.Start.Nanosecond() != 0 {
		v.failf(p+".start", stamp(s.Start), "not aligned to its %s period (a daily series starts at 00:00 UTC)", PeriodText(s.Period))
	}
	if s.Unit != unit {
		v.failf(p+".unit", strconv.Quote(s.Unit), "want %q", unit)
	}
	if s.Start.Before(w.Start) || s.End().After(w.End) {
		v.failf(p, stamp(s.Start)+" to "+stamp(s.End()), "series reaches outside the window %s to %s", stamp(w.Start), stamp(w.End))
	}
	for i, x := range s.Values {
		switch {
		case IsMissing(x):
		case math.IsInf(x, 0):
			v.failf(fmt.Sprintf("%s.values[%d]", p, i), strconv.FormatFloat(x, 'g', -1, 64), "not a finite number")
		case x < lower:
			v.failf(fmt.Sprintf("%s.values[%d]", p, i), strconv.FormatFloat(x, 'g', -1, 64), "must not be negative")
		case x > upper:
			v.failf(fmt.Sprintf("%s.values[%d]", p, i), strconv.FormatFloat(x, 'g', -1, 64), "above %g", upper)
		}
		if v.err != nil {
			return
		}
	}
}

func (v *validator) service(p string, s *Service, w Window) {
	if s.Cluster == "" {
		v.failf(p+".cluster", `""`, "missing")
	}
	if s.Name == "" {
		v.failf(p+".name", `""`, "missing")
	}
	v.length(p+".cluster", s.Cluster, maxECSName)
	v.length(p+".name", s.Name, maxECSName)
	fargate := v.capacity(p, s)
	v.taskSize(p, s, fargate)
	v.platform(p, s, fargate)
	v.deploymentController(p, s)
	if e := s.EphemeralStorageGiB; e != 0 && (e < 20 || e > 200) {
		v.failf(p+".ephemeral_storage_gib", strconv.Itoa(e), "Fargate ephemeral storage is 20 to 200 GiB")
	}
	v.tasks(p+".desired_count", s.DesiredCount)
	v.tasks(p+".running_count", s.RunningCount)
	v.tasks(p+".pending_count", s.PendingCount)
	for i, d := range s.Deployments {
		dp := fmt.Sprintf("%s.deployments[%d]", p, i)
		switch d.Status {
		case "PRIMARY", "ACTIVE", "INACTIVE":
		default:
			v.failf(dp+".status", strconv.Quote(d.Status), "want PRIMARY, ACTIVE or INACTIVE")
		}
		switch d.RolloutState {
		case "", "IN_PROGRESS", "COMPLETED", "FAILED":
		default:
			v.failf(dp+".rollout_state", strconv.Quote(d.RolloutState), "want IN_PROGRESS, COMPLETED or FAILED")
		}
		v.tasks(dp+".desired_count", d.DesiredCount)
		v.tasks(dp+".running_count", d.RunningCount)
		v.tasks(dp+".pending_count", d.PendingCount)
		v.count(dp+".failed_tasks", d.FailedTasks)
	}
	if h := s.HealthCheck; h != nil {
		hp := p + ".health_check"
		if len(h.Command) == 0 {
			v.failf(hp+".command", "[]", "missing")
		}
		v.inRange(hp+".interval_seconds", h.IntervalSeconds, 5, 300)
		v.inRange(hp+".timeout_seconds", h.TimeoutSeconds, 2, 60)
		v.inRange(hp+".retries", h.Retries, 1, 10)
		v.inRange(hp+".start_period_seconds", h.StartPeriodSeconds, 0, 300)
	}
	memUpper := float64(noUpperBound)
	if fargate {
		memUpper = 100
	}
	for _, c := range []struct {
		name  string
		s     Series
		upper float64
	}{
		{"cpu_average", s.CPUAverage, noUpperBound}, {"cpu_maximum", s.CPUMaximum, noUpperBound},
		{"memory_average", s.MemoryAverage, memUpper}, {"memory_maximum", s.MemoryMaximum, memUpper},
	} {
		v.period(p+"."+c.name, c.s, periodAny)
		v.series(p+"."+c.name, c.s, UnitPercent, w, c.upper)
	}
	v.taskHours(p, s, w)
}

// taskSize checks the task size: a Fargate pair on Fargate; elsewhere
// 128–196,608 CPU units, or 0 when the task definition sets CPU only per
// container or has none (EC2 and EXTERNAL allow that: RegisterTaskDefinition
// cpu "is optional for tasks that are hosted on Amazon EC2"), and memory
// ≥ 0 likewise.
func (v *validator) taskSize(p string, s *Service, fargate bool) {
	switch {
	case fargate && !ValidFargateSize(s.CPUUnits, s.MemoryMiB):
		v.failf(p+".cpu_units", fmt.Sprintf("%d CPU units / %d MiB", s.CPUUnits, s.MemoryMiB), "not a Fargate task size (%d CPU units allow %v MiB; CPU sizes %v)", s.CPUUnits, FargateMemoryMiB(s.CPUUnits), FargateCPUUnits())
	case !fargate && s.CPUUnits != 0 && (s.CPUUnits < minEC2CPUUnits || s.CPUUnits > maxEC2CPUUnits):
		v.failf(p+".cpu_units", strconv.Itoa(s.CPUUnits), "an ECS task has %d to %d CPU units (1024 = 1 vCPU), or 0 when only its containers are sized", minEC2CPUUnits, maxEC2CPUUnits)
	case !fargate && s.MemoryMiB < 0:
		v.failf(p+".memory_mib", strconv.Itoa(s.MemoryMiB), "must not be negative")
	}
}

// platform checks the architecture and operating system. A service with
// no task definition (an EXTERNAL deployment controller may have none)
// outside Fargate has neither.
func (v *validator) platform(p string, s *Service, fargate bool) {
	unknown := !fargate && s.TaskDefinition == ""
	switch {
	case s.Architecture == ArchX86_64, s.Architecture == ArchARM64:
	case s.Architecture == "" && unknown:
	default:
		v.failf(p+".architecture", strconv.Quote(s.Architecture), "want %s or %s", ArchX86_64, ArchARM64)
	}
	if s.OperatingSystem == "" && !unknown {
		v.failf(p+".operating_system", `""`, "missing (e.g. LINUX)")
	}
}

// deploymentController checks DescribeServices deploymentController.type.
func (v *validator) deploymentController(p string, s *Service) {
	switch s.DeploymentController {
	case "", "ECS", "CODE_DEPLOY", "EXTERNAL":
	default:
		v.failf(p+".deployment_controller", strconv.Quote(s.DeploymentController), "want ECS, CODE_DEPLOY or EXTERNAL")
	}
}

// taskHours checks the task-hours series and that it names its source.
func (v *validator) taskHours(p string, s *Service, w Window) {
	v.series(p+".task_hours", s.TaskHours, UnitTaskHours, w, noUpperBound)
	if !s.TaskHours.IsZero() && s.TaskHoursSource == "" {
		v.failf(p+".task_hours_source", `""`, "missing: task_hours must say which metric they come from")
	}
}

// capacity checks the launch type or capacity provider strategy and reports
// whether the service's tasks run on Fargate (launch type FARGATE, or a
// strategy of FARGATE and FARGATE_SPOT only).
func (v *validator) capacity(p string, s *Service) (fargate bool) {
	if s.LaunchType != "" && len(s.CapacityProviderStrategy) > 0 {
		v.failf(p+".launch_type", strconv.Quote(s.LaunchType), "a service has a launch type or a capacity provider strategy, never both")
	}
	if len(s.CapacityProviderStrategy) == 0 {
		switch s.LaunchType {
		case LaunchFargate:
			return true
		case LaunchEC2, "EXTERNAL", "MANAGED_INSTANCES":
			return false
		case "":
			v.failf(p+".launch_type", `""`, "missing: a service has a launch type or a capacity provider strategy")
		default:
			v.failf(p+".launch_type", strconv.Quote(s.LaunchType), "want FARGATE, EC2, EXTERNAL or MANAGED_INSTANCES")
		}
		return false
	}
	fargate = true
	bases := 0
	for i, c := range s.CapacityProviderStrategy {
		cp := fmt.Sprintf("%s.capacity_provider_strategy[%d]", p, i)
		if c.CapacityProvider == "" {
			v.failf(cp+".capacity_provider", `""`, "missing")
		}
		if c.CapacityProvider != ProviderFargate && c.CapacityProvider != ProviderSpot {
			fargate = false
		}
		v.inRange(cp+".base", c.Base, 0, 100000)
		v.inRange(cp+".weight", c.Weight, 0, 1000)
		if c.Base > 0 {
			bases++
			if bases > 1 {
				v.failf(cp+".base", strconv.Itoa(c.Base), "only one capacity provider in a strategy can have a base")
			}
		}
	}
	return fargate
}

func (v *validator) count(where string, n int) {
	if n < 0 {
		v.failf(where, strconv.Itoa(n), "must not be negative")
	}
}

// tasks checks a service's task count: 0 to ECS's tasks per service.
func (v *validator) tasks(where string, n int) {
	v.count(where, n)
	if n > MaxTasksPerService {
		v.failf(where, strconv.Itoa(n), "above ECS's %d tasks per service", MaxTasksPerService)
	}
}

func (v *validator) inRange(where string, n, lo, hi int) {
	if n < lo || n > hi {
		v.failf(where, strconv.Itoa(n), "must be %d to %d", lo, hi)
	}
}

// regionPattern matches AWS Region codes such as us-east-1, eu-central-2,
// us-gov-west-1 and cn-north-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool { return accountIDPattern.MatchString(s) }

// IsRegion reports whether s has the shape of an AWS Region code.
func IsRegion(s string) bool { return regionPattern.MatchString(s) }
