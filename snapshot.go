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

// NeverExpires reports whether the group keeps its events forever.
func (g *LogGroup) NeverExpires() bool { return g.RetentionDays == nil }

// MetricFilter is a CloudWatch Logs metric filter with the hourly sum of the
// metric it publishes. A metric filter counts matching lines; it never stops
// them from being ingested.
type MetricFilter struct {
	Name            string `json:"name"`
	Pattern         string `json:"pattern"`
	MetricNamespace string `json:"metric_namespace"`
	MetricName      string `json:"metric_name"`
	MetricValue     string `json:"metric_value"`
	// Dimensions maps each dimension the filter's metric is published
	// with to the selector of its value (e.g. "service" → "$.service"); at
	// most MaxMetricFilterDimensions. A system field the filter emits as a
	// dimension (emitSystemFieldDimensions, e.g. "@aws.account") is kept
	// under its own name as both key and value: it counts toward the
	// limit. A dimensioned metric exists once per combination of values,
	// so Counts is the sum over every combination.
	Dimensions map[string]string `json:"dimensions,omitempty"`
	// Counts is the hourly Sum of the metric.
	Counts Series `json:"counts"`
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

	TaskDefinition string `json:"task_definition,omitempty"`
	// CPUUnits is the task size in CPU units (1024 units = 1 vCPU).
	CPUUnits int `json:"cpu_units"`
	// MemoryMiB is the task memory in MiB.
	MemoryMiB           int    `json:"memory_mib"`
	Architecture        string `json:"architecture"`     // ArchX86_64 or ArchARM64
	OperatingSystem     string `json:"operating_system"` // e.g. LINUX
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
}

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
