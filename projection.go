package cwlens

import (
	"time"

	"github.com/shopspring/decimal"
)

// Projection is the monthly cost of an account now and under a scenario.
// Every line names the AWS usage type and quantity it prices, and the totals
// equal the sums of the lines.
type Projection struct {
	Region        string    `json:"region"`
	PricesAsOf    time.Time `json:"prices_as_of"`
	HoursPerMonth int       `json:"hours_per_month"`

	Lines []ProjectionLine `json:"lines"`

	// CurrentMonthly is "monthly cost now": log ingestion at the mean day
	// of the cost window, CostFrom to CostTo (the 7 whole UTC days before
	// the evaluation time).
	CurrentMonthly  decimal.Decimal `json:"current_monthly_usd"`
	ProposedMonthly decimal.Decimal `json:"proposed_monthly_usd"`
	// RunRateMonthly is the current total "if the last 24 h continued":
	// each ingestion line at its RunRateMonthly, every other line as is.
	RunRateMonthly decimal.Decimal `json:"run_rate_monthly_usd"`
	CostFrom       time.Time       `json:"cost_from"`
	CostTo         time.Time       `json:"cost_to"`
	// CurrentYearly and ProposedYearly are twelve times the monthly totals
	// (and the sums of the lines' yearly figures).
	CurrentYearly  decimal.Decimal `json:"current_yearly_usd"`
	ProposedYearly decimal.Decimal `json:"proposed_yearly_usd"`

	// Rejected lists the scenario's changes that AWS would not accept as
	// written, with the nearest valid alternative.
	Rejected []RejectedChange `json:"rejected"`
	// Unknown lists usages whose price the book lacks; they are not in the
	// totals and are never shown as $0.
	Unknown []UnknownPrice `json:"unknown,omitempty"`
	// Assumptions are stated in every output: the prices' date and region,
	// hours per month, the Spot price's date, the GB convention.
	Assumptions []string `json:"assumptions"`
	// Trajectories show month-by-month storage after a retention change.
	Trajectories []Trajectory `json:"trajectories,omitempty"`
}

// ProjectionLine is one priced usage of one subject.
type ProjectionLine struct {
	Subject   string `json:"subject"`   // log group or cluster/service
	Component string `json:"component"` // e.g. "vCPU", "memory", "ingestion", "storage"
	UsageType string `json:"usage_type"`
	Unit      string `json:"unit"` // e.g. "vCPU-Hours", "GB"

	CurrentQuantity  decimal.Decimal `json:"current_quantity"`
	ProposedQuantity decimal.Decimal `json:"proposed_quantity"`
	CurrentPrice     decimal.Decimal `json:"current_price_usd"`
	ProposedPrice    decimal.Decimal `json:"proposed_price_usd"`
	// ProposedUsageType differs from UsageType when the change moves the
	// usage to another meter (Spot, ARM, Infrequent Access).
	ProposedUsageType string `json:"proposed_usage_type,omitempty"`

	CurrentMonthly  decimal.Decimal `json:"current_monthly_usd"`
	ProposedMonthly decimal.Decimal `json:"proposed_monthly_usd"`
	// CurrentYearly and ProposedYearly are twelve times the monthly figures.
	CurrentYearly  decimal.Decimal `json:"current_yearly_usd"`
	ProposedYearly decimal.Decimal `json:"proposed_yearly_usd"`

	// BaselineQuantity and BaselineMonthly price a log group's ingestion at
	// its baseline rate, beside the current run-rate in CurrentQuantity and
	// CurrentMonthly. They are shown for comparison and are not in the totals.
	BaselineQuantity *decimal.Decimal `json:"baseline_quantity,omitempty"`
	BaselineMonthly  *decimal.Decimal `json:"baseline_monthly_usd,omitempty"`
	// RunRateQuantity and RunRateMonthly price a log group's ingestion "if
	// the last 24 h continued", beside the mean day in CurrentQuantity;
	// they are not in the totals but in Projection.RunRateMonthly.
	RunRateQuantity *decimal.Decimal `json:"run_rate_quantity,omitempty"`
	RunRateMonthly  *decimal.Decimal `json:"run_rate_monthly_usd,omitempty"`

	// Change names the scenario change behind the proposed figure; Note says
	// anything a reader must know (e.g. "a metric filter never drops lines").
	Change string `json:"change,omitempty"`
	Note   string `json:"note,omitempty"`
}

// DeltaMonthly returns proposed minus current.
func (l ProjectionLine) DeltaMonthly() decimal.Decimal {
	return l.ProposedMonthly.Sub(l.CurrentMonthly)
}

// DeltaYearly returns twelve times the monthly delta.
func (l ProjectionLine) DeltaYearly() decimal.Decimal {
	return l.DeltaMonthly().Mul(decimal.NewFromInt(12))
}

// DeltaMonthly returns the proposed minus the current monthly total.
func (p *Projection) DeltaMonthly() decimal.Decimal {
	return p.ProposedMonthly.Sub(p.CurrentMonthly)
}

// RejectedChange is a scenario change AWS would not accept as written.
type RejectedChange struct {
	Subject string `json:"subject"`
	Change  string `json:"change"`
	Reason  string `json:"reason"`
	// Alternative is the nearest change AWS would accept, and
	// AlternativeMonthly what the subject would cost with it.
	Alternative        string           `json:"alternative,omitempty"`
	AlternativeMonthly *decimal.Decimal `json:"alternative_monthly_usd,omitempty"`
}

// UnknownPrice is a usage the price book cannot price.
type UnknownPrice struct {
	Subject   string `json:"subject"`
	UsageType string `json:"usage_type"`
	Reason    string `json:"reason"`
}

// Trajectory is a month-by-month series of a monthly cost until it settles.
type Trajectory struct {
	Subject   string            `json:"subject"`
	Component string            `json:"component"`
	Monthly   []decimal.Decimal `json:"monthly_usd"`
}
