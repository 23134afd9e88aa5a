package emf

import (
	"time"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// DefaultNamespace is the CloudWatch namespace of cwlens's own metrics.
const DefaultNamespace = "cwlens"

// Run is what one scheduled run reports about itself.
type Run struct {
	Namespace string // DefaultNamespace when empty
	Time      time.Time
	Account   string
	// BySeverity counts the run's open findings (new and ongoing) per
	// severity; severities absent from the map are emitted as 0 so that an
	// alarm sees a zero, not missing data.
	BySeverity map[cwlens.Severity]int
	New        int
	Resolved   int
	// ProjectedMonthlyUSD is the current monthly cost of the account as
	// projected; nil when it could not be priced, and then not emitted.
	ProjectedMonthlyUSD *decimal.Decimal
	// ProposedMonthlyUSD is the monthly cost under the scenario, if any.
	ProposedMonthlyUSD *decimal.Decimal
	ScanDuration       time.Duration
	APICalls           int
	Partial            bool
	// Errors counts failures of the run itself (a panic, a report that
	// could not be written), not of the account.
	Errors int
	// Properties go into the summary line unchanged (report URI, request id).
	Properties map[string]any
}

// Lines returns the EMF lines of r: one summary line with dimension Account,
// and one per severity with dimensions Account and Severity. Dimensions are
// few on purpose: each distinct combination is a custom metric billed per
// month.
func (r Run) Lines() []Line {
	ns := r.Namespace
	if ns == "" {
		ns = DefaultNamespace
	}
	account := r.Account
	if account == "" {
		account = "unknown" // a dimension value must not be empty
	}
	partial := 0.0
	if r.Partial {
		partial = 1
	}
	total := 0
	for _, n := range r.BySeverity {
		total += n
	}
	summary := Line{
		Namespace:  ns,
		Time:       r.Time,
		Dimensions: []Dimension{{"Account", account}},
		Metrics: []Metric{
			{"Findings", Count, float64(total)},
			{"NewFindings", Count, float64(r.New)},
			{"ResolvedFindings", Count, float64(r.Resolved)},
			{"ScanDuration", Milliseconds, float64(r.ScanDuration.Milliseconds())},
			{"APICalls", Count, float64(r.APICalls)},
			{"PartialScan", Count, partial},
			{"RunErrors", Count, float64(r.Errors)},
		},
		Properties: r.Properties,
	}
	// Dollars have no CloudWatch unit; the metric name carries it.
	if r.ProjectedMonthlyUSD != nil {
		summary.Metrics = append(summary.Metrics, Metric{"ProjectedMonthlyCostUSD", None, r.ProjectedMonthlyUSD.InexactFloat64()})
	}
	if r.ProposedMonthlyUSD != nil {
		summary.Metrics = append(summary.Metrics, Metric{"ProposedMonthlyCostUSD", None, r.ProposedMonthlyUSD.InexactFloat64()})
	}
	lines := []Line{summary}
	for s := cwlens.SeverityInfo; s <= cwlens.SeverityCritical; s++ {
		lines = append(lines, Line{
			Namespace:  ns,
			Time:       r.Time,
			Dimensions: []Dimension{{"Account", account}, {"Severity", s.String()}},
			Metrics:    []Metric{{"Findings", Count, float64(r.BySeverity[s])}},
		})
	}
	return lines
}
