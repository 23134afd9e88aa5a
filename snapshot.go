package cwlens

import (
	"strings"
	"time"
)

// SchemaVersion is the version of the snapshot file format this package reads
// and writes. A file with any other version is refused.
const SchemaVersion = 1

// MaxSampleEvents bounds how many log events a scan may sample from each log
// group (cwlens scan --sample, the Lambda's CWLENS_SAMPLE_EVENTS): a snapshot
// carries the sampled messages, and ten groups of 100,000 lines are already
// tens of megabytes.
const MaxSampleEvents = 100_000

// Snapshot is everything one scan captured of an account and region: plain
// data, no analysis and no prices. Times are UTC.
type Snapshot struct {
	SchemaVersion int       `json:"schema_version"`
	AccountID     string    `json:"account_id"`
	AccountName   string    `json:"account_name,omitempty"`
	Region        string    `json:"region"`
	CapturedAt    time.Time `json:"captured_at"`
	Window        Window    `json:"window"`

	LogGroups []LogGroup `json:"log_groups"`
	Services  []Service  `json:"services"`

	// Gaps lists what the scan could not read. A snapshot with gaps is partial.
	Gaps []Gap `json:"gaps,omitempty"`
	// Bill is what Cost Explorer billed for ECS and CloudWatch, when the
	// scan was asked to read it (cwlens scan --bill); nil otherwise.
	Bill *Bill `json:"bill,omitempty"`

	// readAt is the evaluation time AsOf read this snapshot at; zero for a
	// snapshot as scanned.
	readAt time.Time
}

// Window is the half-open time range [Start, End) a snapshot covers.
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Duration returns End - Start.
func (w Window) Duration() time.Duration { return w.End.Sub(w.Start) }

// Gap records one thing a scan could not read and why, so that a report can
// say what is missing instead of showing it as zero.
type Gap struct {
	API      string `json:"api"`      // e.g. "ecs:DescribeServices"
	Resource string `json:"resource"` // e.g. a cluster ARN or log group name; "*" for all
	Reason   string `json:"reason"`   // the error as AWS returned it

	// Subject names the resource whose series the gap leaves unread, as
	// Covers matches it: a log group's name, a metric filter's
	// FilterSubject, a service's ID, or SubjectAll for everything. Empty
	// when the gap names no series (a listing refused, say): such a gap
	// keeps no point unknown.
	Subject string `json:"subject,omitempty"`
	// Start and End bound the time the gap leaves unread, [Start, End);
	// a zero Start or End leaves that side unbounded.
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
}

// SubjectAll is the Gap.Subject of a gap that covers every series (a scan
// cut short).
const SubjectAll = "*"

// FilterSubject is the Gap.Subject of a metric filter: "group:filter". A
// log group name cannot hold a colon (CreateLogGroup: [.\-_/#A-Za-z0-9]+),
// so the two parts cannot be confused.
func FilterSubject(group, filter string) string { return group + ":" + filter }

// Covers reports whether the gap leaves the series of subject unread at t:
// its subject is subject (or SubjectAll) and t lies in [Start, End).
func (g Gap) Covers(subject string, t time.Time) bool {
	if g.Subject != subject && g.Subject != SubjectAll || g.Subject == "" {
		return false
	}
	return (g.Start.IsZero() || !t.Before(g.Start)) && (g.End.IsZero() || t.Before(g.End))
}

// Partial reports whether the scan behind s missed something.
func (s *Snapshot) Partial() bool { return len(s.Gaps) > 0 }

// LogGroup returns the log group with the given name, or nil.
func (s *Snapshot) LogGroup(name string) *LogGroup {
	for i := range s.LogGroups {
		if s.LogGroups[i].Name == name {
			return &s.LogGroups[i]
		}
	}
	return nil
}

// Service returns the service with the given cluster and name, or nil.
func (s *Snapshot) Service(cluster, name string) *Service {
	for i := range s.Services {
		if s.Services[i].Cluster == cluster && s.Services[i].Name == name {
			return &s.Services[i]
		}
	}
	return nil
}

// Log group classes, as CloudWatch Logs names them.
const (
	ClassStandard         = "STANDARD"
	ClassInfrequentAccess = "INFREQUENT_ACCESS"
	ClassDelivery         = "DELIVERY"
	ClassEssentials       = "ESSENTIALS"
)

// LogGroup is one CloudWatch Logs log group with its ingestion history.
type LogGroup struct {
	Name  string `json:"name"`
	ARN   string `json:"arn,omitempty"`
	Class string `json:"class"`
	// RetentionDays is nil when the group never expires its events.
	RetentionDays *int      `json:"retention_days,omitempty"`
	StoredBytes   int64     `json:"stored_bytes"`
	CreationTime  time.Time `json:"creation_time"`
	// DataProtectionStatus is DescribeLogGroups' dataProtectionStatus
	// (ACTIVATED, DELETED, ARCHIVED or DISABLED); empty when the group has
	// no data protection policy. An ACTIVATED policy scans every ingested
	// byte, billed as DataProtection-Bytes.
	DataProtectionStatus string `json:"data_protection_status,omitempty"`

	// AWS/Logs IncomingBytes and IncomingLogEvents (Sum), daily over the
	// window and hourly over its last days.
	DailyIncomingBytes   Series `json:"daily_incoming_bytes,omitzero"`
	DailyIncomingEvents  Series `json:"daily_incoming_events,omitzero"`
	HourlyIncomingBytes  Series `json:"hourly_incoming_bytes,omitzero"`
	HourlyIncomingEvents Series `json:"hourly_incoming_events,omitzero"`

	MetricFilters []MetricFilter `json:"metric_filters,omitempty"`

	// Sample holds log events read from the group, when the scan took a
	// sample for template mining; empty otherwise.
	Sample []LogEvent `json:"sample,omitempty"`
}

// DataProtectionActivated is DescribeLogGroups' dataProtectionStatus of a
// group whose data protection policy masks its events.
const DataProtectionActivated = "ACTIVATED"

// NeverExpires reports whether the group keeps its events forever.
func (g *LogGroup) NeverExpires() bool { return g.RetentionDays == nil }

// MetricFilter is a CloudWatch Logs metric filter with the hourly count of
// the events its metric counts. A metric filter counts matching lines; it
// never stops them from being ingested.
type MetricFilter struct {
	Name            string `json:"name"`
	Pattern         string `json:"pattern"`
	MetricNamespace string `json:"metric_namespace"`
	MetricName      string `json:"metric_name"`
	// MetricValue is what each matching event publishes: "1", another
	// number, or a field such as "$.latency" (MetricTransformation
	// metricValue).
	MetricValue string `json:"metric_value"`
	// DefaultValue is MetricTransformation defaultValue, the value the
	// filter publishes for a period in which events were ingested and none
	// matched; nil when unset, and then the filter publishes nothing for
	// such a period.
	DefaultValue *float64 `json:"default_value,omitempty"`
	// Unit is MetricTransformation unit (a CloudWatch unit such as
	// "Milliseconds"); empty when unset.
	Unit string `json:"unit,omitempty"`
	// CreationTime is when the filter was created; zero when unknown.
	// Before it the filter published nothing, and its points are unknown.
	CreationTime time.Time `json:"creation_time,omitzero"`
	// Dimensions maps each dimension the filter's metric is published
	// with to the selector of its value (e.g. "service" → "$.service"); at
	// most MaxMetricFilterDimensions. A system field the filter emits as a
	// dimension (emitSystemFieldDimensions, e.g. "@aws.account") is kept
	// under its own name as both key and value: it counts toward the
	// limit. A dimensioned metric exists once per combination of values,
	// so Counts is the sum over every combination.
	Dimensions map[string]string `json:"dimensions,omitempty"`
	// Counts is the hourly number of matching events (the metric's
	// SampleCount, or its Sum ÷ the value where a default value would be
	// counted too).
	Counts Series `json:"counts"`
	// Values is the hourly Sum of the published values, in Unit (or
	// "None"), for a filter whose MetricValue is not "1"; absent
	// otherwise, when it equals Counts.
	Values Series `json:"values,omitzero"`
	// SharedWith lists every metric filter that publishes the same metric
	// (namespace, name and dimensions), this one included, as
	// FilterSubject strings, sorted; empty when none does. CloudWatch sums
	// the filters' data into one metric, so Counts and Values are then the
	// sum over all of them, not this filter's own.
	SharedWith []string `json:"shared_with,omitempty"`
}

// Shared reports whether several filters publish f's metric, so that its
// series are a sum over all of them.
func (f *MetricFilter) Shared() bool { return len(f.SharedWith) > 1 }

// ValueUnit returns the unit of f's Values series: Unit, or "None".
func (f *MetricFilter) ValueUnit() string {
	if f.Unit == "" {
		return UnitNone
	}
	return f.Unit
}

// MaxMetricFilterDimensions is how many dimensions a metric filter's
// metric may have (CloudWatch Logs API reference, MetricTransformation:
// "dimensions ... up to three").
const MaxMetricFilterDimensions = 3

// IsSystemFieldDimension reports whether a metric filter dimension name is
// a system field CloudWatch Logs emits (emitSystemFieldDimensions: "Valid
// values are @aws.account and @aws.region", PutMetricFilter API reference)
// rather than one selected from the event.
func IsSystemFieldDimension(name string) bool { return strings.HasPrefix(name, "@aws.") }

// LogEvent is one sampled log event.
type LogEvent struct {
	Timestamp time.Time `json:"timestamp"`
	Message   string    `json:"message"`
}

// CPU architectures of a task definition's runtime platform.
const (
	ArchX86_64 = "X86_64"
	ArchARM64  = "ARM64"
)

// Capacity providers and launch types of Fargate services.
const (
	LaunchFargate   = "FARGATE"
	LaunchEC2       = "EC2"
	LaunchExternal  = "EXTERNAL"
	ProviderFargate = "FARGATE"
	ProviderSpot    = "FARGATE_SPOT"
)

// Service is one ECS service with the size of its task and how busy it is.
type Service struct {
	Cluster string `json:"cluster"`
	Name    string `json:"name"`
	ARN     string `json:"arn,omitempty"`

	// LaunchType is set when the service was created with a launch type;
	// CapacityProviderStrategy when it uses capacity providers. ECS never
	// returns both.
	LaunchType               string                 `json:"launch_type,omitempty"`
	CapacityProviderStrategy []CapacityProviderItem `json:"capacity_provider_strategy,omitempty"`

	// DeploymentController is ECS, CODE_DEPLOY or EXTERNAL
	// (DescribeServices deploymentController.type); empty means ECS.
	DeploymentController string `json:"deployment_controller,omitempty"`

	// TaskDefinition is empty for a service of the EXTERNAL deployment
	// controller that has none; its size, architecture and operating
	// system are then unknown (zero and empty).
	TaskDefinition string `json:"task_definition,omitempty"`
	// CPUUnits is the task size in CPU units (1024 units = 1 vCPU); 0
	// outside Fargate when the task definition sets CPU only per
	// container, or none.
	CPUUnits int `json:"cpu_units"`
	// MemoryMiB is the task memory in MiB; 0 outside Fargate when the task
	// definition sets none at task level.
	MemoryMiB           int    `json:"memory_mib"`
	Architecture        string `json:"architecture"`     // ArchX86_64 or ArchARM64
	OperatingSystem     string `json:"operating_system"` // e.g. LINUX, WINDOWS_SERVER_2022_CORE
	EphemeralStorageGiB int    `json:"ephemeral_storage_gib,omitempty"`

	DesiredCount int `json:"desired_count"`
	RunningCount int `json:"running_count"`
	PendingCount int `json:"pending_count"`

	Deployments []Deployment `json:"deployments,omitempty"`
	HealthCheck *HealthCheck `json:"health_check,omitempty"`
	// LogGroup is the awslogs-group the task definition writes to, if any.
	LogGroup string `json:"log_group,omitempty"`

	// AWS/ECS CPUUtilization and MemoryUtilization, hourly, in percent of
	// the task size.
	CPUAverage    Series `json:"cpu_average,omitzero"`
	CPUMaximum    Series `json:"cpu_maximum,omitzero"`
	MemoryAverage Series `json:"memory_average,omitzero"`
	MemoryMaximum Series `json:"memory_maximum,omitzero"`

	// TaskHours is, per hour, the task-hours the service ran (the mean
	// number of running tasks over the hour), read from TaskHoursSource;
	// absent when CloudWatch had no such metric.
	TaskHours       Series `json:"task_hours,omitzero"`
	TaskHoursSource string `json:"task_hours_source,omitempty"`
}

// Task-hours sources (Service.TaskHoursSource).
const (
	// TaskHoursContainerInsights: ECS/ContainerInsights RunningTaskCount
	// by ClusterName and ServiceName, Average per hour.
	TaskHoursContainerInsights = "ECS/ContainerInsights RunningTaskCount"
)

// OnFargate reports whether the service's tasks run on Fargate: launch
// type FARGATE, or a capacity provider strategy of FARGATE and FARGATE_SPOT
// only.
func (s *Service) OnFargate() bool {
	if len(s.CapacityProviderStrategy) == 0 {
		return s.LaunchType == LaunchFargate
	}
	for _, c := range s.CapacityProviderStrategy {
		if c.CapacityProvider != ProviderFargate && c.CapacityProvider != ProviderSpot {
			return false
		}
	}
	return true
}

// IsWindows reports whether the task definition names a Windows operating
// system family (runtimePlatform operatingSystemFamily WINDOWS_SERVER_…).
func (s *Service) IsWindows() bool { return strings.HasPrefix(s.OperatingSystem, "WINDOWS") }

// ID returns "cluster/name", the subject used for the service in findings
// and projections.
func (s *Service) ID() string { return s.Cluster + "/" + s.Name }

// VCPU returns the task's vCPU count.
func (s *Service) VCPU() float64 { return float64(s.CPUUnits) / 1024 }

// CapacityProviderItem is one entry of a capacity provider strategy.
type CapacityProviderItem struct {
	CapacityProvider string `json:"capacity_provider"`
	Base             int    `json:"base"`
	Weight           int    `json:"weight"`
}

// Deployment is one ECS deployment of a service.
type Deployment struct {
	ID             string    `json:"id"`
	Status         string    `json:"status"`        // PRIMARY, ACTIVE, INACTIVE
	RolloutState   string    `json:"rollout_state"` // IN_PROGRESS, COMPLETED, FAILED
	TaskDefinition string    `json:"task_definition,omitempty"`
	DesiredCount   int       `json:"desired_count"`
	RunningCount   int       `json:"running_count"`
	PendingCount   int       `json:"pending_count"`
	FailedTasks    int       `json:"failed_tasks"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// HealthCheck is a container health check of the task definition.
type HealthCheck struct {
	Container          string   `json:"container,omitempty"`
	Command            []string `json:"command"`
	IntervalSeconds    int      `json:"interval_seconds"`
	TimeoutSeconds     int      `json:"timeout_seconds"`
	Retries            int      `json:"retries"`
	StartPeriodSeconds int      `json:"start_period_seconds"`
}
