package analyzer

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Config holds every threshold of the analyzer. DefaultConfig documents why
// each default is what it is; Sensitivity scales the statistical thresholds
// without touching the rest.
type Config struct {
	// Sensitivity scales the statistical thresholds: 1 is the default
	// (medium), 0.5 low (fewer, stronger findings), 2 high. A threshold t on a
	// z-score becomes t/Sensitivity; a ratio r becomes 1+(r-1)/Sensitivity;
	// a minimum count n becomes n/Sensitivity.
	Sensitivity float64

	// Detector is the engine's configuration; Step is set per series.
	Detector DetectorConfig

	// MinZ is the robust z-score a point needs to be part of an ingestion
	// or error finding.
	MinZ float64
	// MinRatio is how many times its baseline an ingestion point must be
	// (or, for a drop, the baseline must be of it).
	MinRatio float64
	// DailyBytesFloor is the smallest daily change in ingestion worth a
	// finding, in bytes per day. Hourly series use a 24th of it.
	DailyBytesFloor float64
	// MinHistory is how much history before a finding's start a series needs
	// for a baseline.
	MinHistory time.Duration
	// Lookback is how far back from the evaluation time a finding may start
	// and still be reported: older events are history, not news.
	Lookback time.Duration
	// BaselineSpan is how much history before a finding's start its
	// baseline is the median of.
	BaselineSpan time.Duration

	// MinErrorsPerHour is the smallest hourly error count an error surge
	// can rest on.
	MinErrorsPerHour float64
	// MinErrorHistory is how much hourly history before a surge its
	// baseline needs.
	MinErrorHistory time.Duration
	// MinRequests is the smallest request count an error rate is computed on.
	MinRequests float64
	// MinErrorRate is the smallest error share worth an error_rate finding.
	MinErrorRate float64
	// Confidence is the level of the Wilson interval around an error rate.
	Confidence float64

	// TargetUtilization is the peak utilisation a recommended task size is
	// sized for; the rest is headroom.
	TargetUtilization float64
	// UtilizationLookback is the utilisation history a size recommendation
	// looks at.
	UtilizationLookback time.Duration
	// MinUtilizationData is the least utilisation data, in present hourly
	// points' worth of time, a recommendation needs.
	MinUtilizationData time.Duration

	// MinFailedTasks is the number of failed tasks on the newest deployment
	// that makes deployment churn.
	MinFailedTasks int
	// ConcentrationShare is the share of the account's recent ingestion one
	// group must carry for volume_concentration.
	ConcentrationShare float64
	// ConcentrationMinBytes is the least recent ingestion, in bytes per day
	// over the lookback, for concentration to matter at all.
	ConcentrationMinBytes float64
	// ConcentrationShift is how much a group's share must have moved
	// against the baseline span before (0.10 = 10 points) for
	// volume_concentration to be more than info.
	ConcentrationShift float64

	// PageBytesPerMonth is the monthly volume below which a finding is never
	// more than low: a tiny group never pages anyone. HighBytesPerMonth and
	// CriticalBytesPerMonth are the volumes at which an ingestion finding is
	// high and critical.
	PageBytesPerMonth     float64
	HighBytesPerMonth     float64
	CriticalBytesPerMonth float64
}

// DaysPerMonth is the month cwlens uses: 730 hours, AWS's billing month, is
// 30.4167 days.
const DaysPerMonth = 730.0 / 24

// DefaultConfig returns the analyzer's defaults.
func DefaultConfig() Config {
	return Config{
		Sensitivity: 1,
		Detector:    DefaultDetectorConfig(0),
		// z = 6: with a robust scale, a Gaussian residual that large is a
		// one-in-a-billion event; real operational noise has heavier tails,
		// and 6 keeps a quiet weekly rhythm from ever crossing it.
		MinZ: 6,
		// 3×: CloudWatch Logs bills by volume, and a group that merely
		// doubled is usually a busy day, not a flood (the reference account's
		// weekday/weekend swing is 1.5×).
		MinRatio: 3,
		// 1 MB a day: 30 MB a month, $0.015 of ingestion. Changes between 2 KB
		// and 20 KB a day are noise in anything worth alerting on.
		DailyBytesFloor: 1e6,
		// A week: the least history that has seen a weekend.
		MinHistory: 7 * 24 * time.Hour,
		// A week: a scan is run at least weekly, so anything older was
		// reported by an earlier run.
		Lookback: 7 * 24 * time.Hour,
		// Four weeks: a whole number of weeks, so a weekly rhythm cannot bias
		// the median, and long enough to outvote a bad week.
		BaselineSpan: 28 * 24 * time.Hour,

		// 10 an hour: below that a surge is a handful of lines.
		MinErrorsPerHour: 10,
		// A day: the least hourly history that has seen a whole daily
		// rhythm; CloudWatch keeps hourly metrics 455 days but a scan
		// usually fetches a week.
		MinErrorHistory: 24 * time.Hour,
		// 100 requests: a rate on fewer is too uncertain to act on (the
		// Wilson interval of 5/100 spans 2 %–11 %).
		MinRequests: 100,
		// 1 %: below that an error rate is within what retrying clients
		// shrug off.
		MinErrorRate: 0.01,
		// 95 %, the usual two-sided level.
		Confidence: 0.95,

		// 70 %: AWS Compute Optimizer keeps headroom above the observed peak
		// (its model is not published); sizing the peak to 70 % of the task
		// leaves 43 % more than the peak.
		TargetUtilization: 0.70,
		// 14 days: Compute Optimizer's default lookback for ECS on Fargate.
		UtilizationLookback: 14 * 24 * time.Hour,
		// 24 hours: Compute Optimizer needs 24 hours of metrics before it
		// recommends anything.
		MinUtilizationData: 24 * time.Hour,

		// 3: ECS's deployment circuit breaker fails a deployment at half the
		// desired count of failed tasks, at least 3 and at most 200 (ECS API
		// reference, ServiceDeploymentCircuitBreaker.threshold); one or two
		// failures are a flaky start.
		MinFailedTasks: 3,
		// Half: one group carrying most of the account's bytes is where a
		// log-level change pays off first.
		ConcentrationShare: 0.5,
		// 10 MB a day across the account: below that nothing is worth
		// concentrating on.
		ConcentrationMinBytes: 10e6,
		// 10 points: a steady large group's share wanders by a few points
		// from week to week; a flood moves it by tens (the reference
		// facilitator: 3 % → 94 %).
		ConcentrationShift: 0.10,

		// 1 GB a month ($0.50 of Standard ingestion) before anything is more
		// than low; 10 GB ($5) is high; 100 GB ($50) critical.
		PageBytesPerMonth:     1e9,
		HighBytesPerMonth:     10e9,
		CriticalBytesPerMonth: 100e9,
	}
}

// ParseSensitivity reads "low", "medium", "high" or a positive number. An
// empty string is refused, not read as medium: it is more likely an unset
// variable than a choice.
func ParseSensitivity(s string) (float64, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "low":
		return 0.5, nil
	case "medium":
		return 1, nil
	case "high":
		return 2, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("sensitivity %q: want low, medium, high or a positive number", s)
	}
	return v, nil
}

func (c Config) sens() float64 {
	if !(c.Sensitivity > 0) {
		return 1
	}
	return c.Sensitivity
}

// z scales a z-score threshold by the sensitivity.
func (c Config) z(t float64) float64 { return t / c.sens() }

// ratio scales a ratio threshold (> 1) by the sensitivity.
func (c Config) ratio(r float64) float64 { return 1 + (r-1)/c.sens() }

// count scales a minimum count by the sensitivity.
func (c Config) count(n float64) float64 { return n / c.sens() }
