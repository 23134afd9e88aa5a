// Package batch is the scheduled run of cwlens, as the Lambda function
// (cmd/cwlens-lambda) performs it: scan each region, analyze, price, label
// the findings new, ongoing or resolved against the previous run's report,
// write the reports to S3, publish one alert for new findings, and print
// CloudWatch Embedded Metric Format lines about the run.
//
// The run watches its context's deadline: it stops scanning with a safety
// margin, writes a partial report that says what it skipped, and returns
// normally. A panic in any phase becomes a gap in the report and an error
// metric, never a crash half-way.
//
// The AWS services it uses are behind the small interfaces below, declared
// here where they are consumed, so the run is tested with fakes and the
// Lambda main only adapts the SDK clients.
package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/cwlens/cwlens"
)

// ScanRequest is what to scan in one region.
type ScanRequest struct {
	Region string
	// Until is the end of the window (an hour boundary); the window is the
	// Days days before it.
	Until          time.Time
	Days           int
	LogGroupPrefix string
	Clusters       []string
	// SampleEvents is Config.SampleEvents: how many log events to sample
	// from each log group whose ingestion jumped; 0 samples nothing.
	SampleEvents int
	// Bill is Config.Bill: read the bill from Cost Explorer.
	Bill bool
}

// ScanResult is one region's snapshot and what reading it cost.
type ScanResult struct {
	// Snapshot is what was read; when the scan stopped early (its context
	// ended, an API refused) it is partial, with gaps saying what is missing.
	// It may be nil when nothing could be read at all.
	Snapshot *cwlens.Snapshot
	// APICalls counts the AWS API requests the scan made, retries included.
	APICalls int
}

// Scanner reads one region of the account. It must honour ctx: when ctx ends
// it returns promptly with what it has read.
type Scanner interface {
	Scan(ctx context.Context, req ScanRequest) (ScanResult, error)
}

// ErrNotFound is what an ObjectStore returns for a missing object.
var ErrNotFound = errors.New("object not found")

// ObjectStore reads and writes report objects: S3 in production.
type ObjectStore interface {
	// Get returns the object's body, or an error wrapping ErrNotFound.
	Get(ctx context.Context, bucket, key string) ([]byte, error)
	Put(ctx context.Context, bucket, key string, body []byte, contentType string) error
}

// ObjectOpener is an ObjectStore that can also stream an object. The
// previous report is read through it when the store has it: of a 50,000-
// group account the report is 160 MB, decoded as it arrives rather than
// held whole (runstate.Decode bounds what it reads).
type ObjectOpener interface {
	// Open returns the object's body, or an error wrapping ErrNotFound.
	Open(ctx context.Context, bucket, key string) (io.ReadCloser, error)
}

// Publisher sends the run's one alert: SNS in production.
type Publisher interface {
	Publish(ctx context.Context, topicARN, subject, message string) (messageID string, err error)
}

// AnalyzeFunc turns a snapshot into findings, priced where a price is known,
// and the projection of the account's monthly cost under the scenario
// (scenario is nil when there is none). at is the evaluation time.
type AnalyzeFunc func(snap *cwlens.Snapshot, at time.Time, scenarioName string, scenario []byte) ([]cwlens.Finding, *cwlens.Projection, error)

// Runner performs scheduled runs. Scanner and Analyze are required; Store
// and Publisher may be nil for a dry run.
type Runner struct {
	Scanner   Scanner
	Store     ObjectStore
	Publisher Publisher
	Analyze   AnalyzeFunc
	// CheckScenario parses a scenario before the scan, so that a bad one
	// stops the run with its error instead of after minutes of scanning.
	CheckScenario func(name string, data []byte) error
	// Render renders a region's report; DefaultRender when nil.
	Render RenderFunc
	// Stdout receives the EMF lines and, on a dry run, the report and the
	// alert that would have been sent. In Lambda it is the function's log.
	Stdout io.Writer
	Log    *slog.Logger
	// Now is the clock that measures durations and deadlines; time.Now when
	// nil.
	Now func() time.Time
	// Namespace of the EMF metrics; emf.DefaultNamespace when empty.
	Namespace string
}

// Result is what an invocation returns: a summary of the run.
type Result struct {
	// Status is "ok", "partial" (something was skipped or could not be
	// read; the reports say what) or "error" (a report could not be written
	// or a phase failed; the error says why).
	Status string    `json:"status"`
	At     time.Time `json:"at"`
	DryRun bool      `json:"dry_run,omitempty"`
	// Reports are the S3 URIs of each region's dated report.json.
	Reports  []string `json:"reports,omitempty"`
	Findings int      `json:"findings"`
	New      int      `json:"new"`
	Ongoing  int      `json:"ongoing"`
	Resolved int      `json:"resolved"`
	// Alerted is true when the run published its alert; MessageID is SNS's
	// id for it.
	Alerted   bool   `json:"alerted"`
	MessageID string `json:"message_id,omitempty"`
	// Skipped says what the run did not do, one line each.
	Skipped  []string `json:"skipped,omitempty"`
	Errors   []string `json:"errors,omitempty"`
	APICalls int      `json:"api_calls"`
	Duration string   `json:"duration"`
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Safety margins: the part of the remaining time kept for analysis, the S3
// writes and the alert once the scan stops. A tenth of what remains, at
// least 2 s (a few S3 PUTs and an SNS publish, with the SDK's retries), at
// most 30 s, and never more than half, so a short deadline still scans.
const (
	marginFraction = 10
	minMargin      = 2 * time.Second
	maxMargin      = 30 * time.Second
)

// scanDeadline returns when scanning must stop for a run with deadline,
// seen at now.
func scanDeadline(now, deadline time.Time) time.Time {
	left := deadline.Sub(now)
	m := min(max(left/marginFraction, minMargin), maxMargin, left/2)
	return deadline.Add(-m)
}

// safely runs f, turning a panic into an error that carries the stack, so
// that one failing phase becomes a gap in the report instead of a crash.
func safely(phase string, f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Phase: phase, Value: p, Stack: debug.Stack()}
		}
	}()
	return f()
}

// PanicError is a panic recovered in one phase of a run.
type PanicError struct {
	Phase string
	Value any
	Stack []byte
}

// Error returns "PHASE panicked: VALUE".
func (e *PanicError) Error() string { return fmt.Sprintf("%s panicked: %v", e.Phase, e.Value) }
