package cwlens

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Severity orders findings from informational to critical.
type Severity int

// Severities, least to most severe.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the lower-case name of the severity.
func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses a severity name, case-insensitively.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want one of %s)", name, strings.Join(severityNames[:], ", "))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Kind names what a finding is about. Its values are part of the JSON report.
type Kind string

// Kinds of findings.
const (
	KindIngestionSpike      Kind = "ingestion_spike"
	KindIngestionLevelShift Kind = "ingestion_level_shift"
	KindIngestionDrop       Kind = "ingestion_drop"
	KindErrorSurge          Kind = "error_surge"
	KindErrorRate           Kind = "error_rate"
	KindOverprovisioned     Kind = "overprovisioned"
	KindNearCapacity        Kind = "near_capacity"
	KindDeploymentChurn     Kind = "deployment_churn"
	KindNoRetention         Kind = "no_retention"
	KindVolumeConcentration Kind = "volume_concentration"
)

// Finding is one thing the analyzer noticed about a log group or service.
type Finding struct {
	Kind Kind `json:"kind"`
	// Subject is the log group name, or "cluster/service" for a service;
	// for an error surge on a metric several filters publish, the metric
	// as "namespace/name" (MetricFilter.SharedWith).
	Subject string `json:"subject"`
	// Filter names the metric filter an error_surge or error_rate finding is
	// about, so that two filters on one log group stay two findings from one
	// run to the next.
	Filter   string    `json:"filter,omitempty"`
	Severity Severity  `json:"severity"`
	Start    time.Time `json:"start"`
	// Summary is one human sentence: what, how much, since when.
	Summary  string   `json:"summary"`
	Evidence Evidence `json:"evidence"`
	// Impact is the finding's effect on monthly usage, in AWS's units; the
	// pricing package turns it into dollars.
	Impact *Impact `json:"impact,omitempty"`
	// MonthlyCostUSD is the monthly cost impact, once priced; nil when the
	// finding has no cost or its price is unknown.
	MonthlyCostUSD *decimal.Decimal `json:"monthly_cost_impact_usd"`
	// Recommendation is the proposed size for overprovisioned and
	// near-capacity services.
	Recommendation *Resize `json:"recommendation,omitempty"`
	// Templates are the top log templates behind an ingestion finding, when
	// the snapshot carries a sample.
	Templates []TemplateShare `json:"templates,omitempty"`

	// Status says whether a scheduled run saw the finding for the first time
	// or had reported it before; empty when no previous run was compared.
	Status Status `json:"status,omitempty"`
	// FirstSeen is when a run first reported the finding, when known.
	FirstSeen *time.Time `json:"first_seen,omitempty"`
}

// Status labels a finding against the previous run's findings.
type Status string

// Statuses of a finding from one run to the next.
const (
	// StatusNew marks a finding the previous run did not report.
	StatusNew Status = "new"
	// StatusOngoing marks a finding the previous run reported too.
	StatusOngoing Status = "ongoing"
	// StatusResolved marks a finding the previous run reported and this one
	// no longer sees; it is listed once, in the run that noticed.
	StatusResolved Status = "resolved"
)

// Evidence is what a finding rests on.
type Evidence struct {
	Baseline float64 `json:"baseline"`
	Observed float64 `json:"observed"`
	Ratio    float64 `json:"ratio"`
	Score    float64 `json:"score"`
	Unit     string  `json:"unit"`
	// Interval is a confidence interval on Observed, when there is one.
	Interval *Interval `json:"interval,omitempty"`
	// Points are the points that triggered the finding.
	Points []Point `json:"points,omitempty"`
	// Series is the series the finding was found on, for sparklines and charts.
	Series *Series `json:"series,omitempty"`
	// Notes hold evidence that is not a number, one short sentence each.
	Notes []string `json:"notes,omitempty"`
}

// Interval is a two-sided confidence interval.
type Interval struct {
	Low        float64 `json:"low"`
	High       float64 `json:"high"`
	Confidence float64 `json:"confidence"` // e.g. 0.95
}

// Point is one timestamped value.
type Point struct {
	Time  time.Time `json:"time"`
	Value float64   `json:"value"`
}

// Impact measures a finding's effect on monthly usage before it is priced.
type Impact struct {
	// IngestedBytesPerMonth is the extra (or, when negative, missing) bytes
	// ingested per month at the observed rate against the baseline.
	IngestedBytesPerMonth float64 `json:"ingested_bytes_per_month,omitempty"`
	// StoredBytes is the volume kept forever by a group that never expires.
	StoredBytes int64 `json:"stored_bytes,omitempty"`
	// From and To are the current and recommended task sizes of a resize.
	From *TaskSize `json:"from,omitempty"`
	To   *TaskSize `json:"to,omitempty"`
	// Tasks is the number of tasks the resize applies to.
	Tasks int `json:"tasks,omitempty"`
}

// TaskSize is a Fargate task size.
type TaskSize struct {
	CPUUnits  int `json:"cpu_units"`
	MemoryMiB int `json:"memory_mib"`
}

// String formats the size as "256 CPU units / 512 MiB (0.25 vCPU, 0.5 GB)".
func (t TaskSize) String() string {
	return fmt.Sprintf("%d CPU / %d MiB", t.CPUUnits, t.MemoryMiB)
}

// Resize is a recommended task size and why.
type Resize struct {
	TaskSize
	Reason string `json:"reason"`
}

// TemplateShare is one log template's share of a group's ingestion.
type TemplateShare struct {
	Template   string  `json:"template"`
	Events     int64   `json:"events"`
	Bytes      int64   `json:"bytes"`
	ByteShare  float64 `json:"byte_share"`
	GrowthRate float64 `json:"growth,omitempty"`
}
