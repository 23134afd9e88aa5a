// Package report turns a snapshot, the analyzer's findings and the pricing
// engine's projection into the cwlens.report/v1 model, and renders it as a
// table, CSV, Markdown or JSON.
//
// The package never inspects the terminal or the environment: whether to use
// colour is the caller's decision (Options.Color).
package report

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/shopspring/decimal"
)

// Schema names the JSON format of a Report. It changes only when a field is
// removed or changes meaning; new fields may appear within a version.
const Schema = "cwlens.report/v1"

// Report is everything one cwlens run found about an account, in the shape of
// the cwlens.report/v1 JSON format (docs/report-json.md).
type Report struct {
	Schema      string        `json:"schema"`
	Account     Account       `json:"account"`
	Region      string        `json:"region"`
	Window      cwlens.Window `json:"window"`
	EvaluatedAt time.Time     `json:"evaluated_at"`
	CapturedAt  time.Time     `json:"captured_at"`
	// Partial is true when the scan missed something; Gaps says what.
	Partial bool         `json:"partial"`
	Gaps    []cwlens.Gap `json:"gaps"`

	Inventory Inventory `json:"inventory"`
	// Findings are ordered most severe first, then by start and subject.
	Findings []cwlens.Finding `json:"findings"`
	// Resolved lists, in a run that compares with the previous one (the
	// Lambda function, or --state), the previous run's findings this run no
	// longer sees, each with status "resolved"; listed once. Absent otherwise.
	Resolved []cwlens.Finding `json:"resolved,omitzero"`
	// PastEpisodes are the anomalies that started before the findings'
	// lookback and were over by the evaluation time, oldest first; empty
	// until AddPastEpisodes.
	PastEpisodes []cwlens.PastEpisode `json:"past_episodes"`
	// Projection is nil until the account has been priced.
	Projection *Projection `json:"projection"`
	// Reconciliation sets the snapshot's last complete billed month beside
	// cwlens's model of it; absent when the snapshot has no bill.
	Reconciliation *reconcile.Reconciliation `json:"reconciliation,omitempty"`
	// Forecast is the month the bill was read in, from the month to date,
	// the model and Cost Explorer's forecast; absent without a bill.
	Forecast *reconcile.MonthForecast `json:"forecast,omitempty"`
}

// Account identifies the AWS account.
type Account struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Inventory is what the account runs, as of the evaluation time.
type Inventory struct {
	LogGroups []LogGroup `json:"log_groups"`
	Services  []Service  `json:"services"`
}

// LogGroup is one log group's row of the inventory.
type LogGroup struct {
	Name  string `json:"name"`
	Class string `json:"class"`
	// RetentionDays is null when the group never expires its events.
	RetentionDays *int  `json:"retention_days"`
	StoredBytes   int64 `json:"stored_bytes"`
	// LastDay is the start of the last whole day before the evaluation time;
	// LastDayIngestedBytes is null when that day has no datapoint.
	LastDay              *time.Time `json:"last_day"`
	LastDayIngestedBytes *float64   `json:"last_day_ingested_bytes"`
	// DailyIngestedBytes is the daily IncomingBytes series from the start of
	// the window up to the evaluation time; missing days are null.
	DailyIngestedBytes cwlens.Series `json:"daily_ingested_bytes"`
}

// Service is one ECS service's row of the inventory. Utilisation figures are
// over the hourly series up to the evaluation time, and null when the
// snapshot has no datapoint for them.
type Service struct {
	Cluster   string  `json:"cluster"`
	Name      string  `json:"name"`
	CPUUnits  int     `json:"cpu_units"`
	VCPU      float64 `json:"vcpu"`
	MemoryMiB int     `json:"memory_mib"`
	// Capacity is the launch type, or the capacity provider strategy as
	// written by CapacityString.
	Capacity                 string                        `json:"capacity"`
	LaunchType               string                        `json:"launch_type,omitempty"`
	CapacityProviderStrategy []cwlens.CapacityProviderItem `json:"capacity_provider_strategy,omitempty"`
	Architecture             string                        `json:"architecture"`
	DesiredCount             int                           `json:"desired_count"`
	RunningCount             int                           `json:"running_count"`
	LogGroup                 string                        `json:"log_group,omitempty"`

	CPUAvgPercent    *float64 `json:"cpu_avg_percent"`
	CPUMaxPercent    *float64 `json:"cpu_max_percent"`
	MemoryAvgPercent *float64 `json:"memory_avg_percent"`
	MemoryMaxPercent *float64 `json:"memory_max_percent"`
}

// ID returns "cluster/name", the subject of the service's findings.
func (s Service) ID() string { return s.Cluster + "/" + s.Name }

// Projection is the priced view of the account: the lines, their totals and
// what the scenario could not do. Money is exact; the JSON writes it as
// decimal strings.
type Projection struct {
	Region        string           `json:"region"`
	PricesAsOf    time.Time        `json:"prices_as_of"`
	HoursPerMonth int              `json:"hours_per_month"`
	Lines         []ProjectionLine `json:"lines"`

	// CurrentMonthly is "monthly cost now": log ingestion at the mean day
	// of CostFrom to CostTo (the 7 whole UTC days before the evaluation
	// time); RunRateMonthly is the same total "if the last 24 h continued".
	CurrentMonthly  decimal.Decimal `json:"current_monthly_usd"`
	ProposedMonthly decimal.Decimal `json:"proposed_monthly_usd"`
	DeltaMonthly    decimal.Decimal `json:"delta_monthly_usd"`
	RunRateMonthly  decimal.Decimal `json:"run_rate_monthly_usd"`
	CostFrom        time.Time       `json:"cost_from"`
	CostTo          time.Time       `json:"cost_to"`
	// The yearly figures are twelve times the monthly ones.
	CurrentYearly  decimal.Decimal `json:"current_yearly_usd"`
	ProposedYearly decimal.Decimal `json:"proposed_yearly_usd"`
	DeltaYearly    decimal.Decimal `json:"delta_yearly_usd"`

	// Totals says whether the totals above are complete: a usage without
	// a price is left out of them, never counted as $0.
	Totals Totals `json:"totals"`

	Rejected     []cwlens.RejectedChange `json:"rejected"`
	Unknown      []cwlens.UnknownPrice   `json:"unknown"`
	Assumptions  []string                `json:"assumptions"`
	Trajectories []cwlens.Trajectory     `json:"trajectories,omitempty"`
}

// ProjectionLine is one priced usage with its monthly delta.
type ProjectionLine struct {
	cwlens.ProjectionLine
	// Delta is ProposedMonthly - CurrentMonthly.
	Delta decimal.Decimal `json:"delta_monthly_usd"`
}

// New builds the report of snap evaluated at at (read as snap.AsOf(at)), with the analyzer's
// findings (nil or empty when there are none) and the pricing engine's
// projection (nil when the account was not priced). It copies what it keeps,
// so later changes to snap do not show in the report.
func New(snap *cwlens.Snapshot, at time.Time, findings []cwlens.Finding, proj *cwlens.Projection) *Report {
	snap = snap.AsOf(at)
	r := &Report{
		Schema:      Schema,
		Account:     Account{ID: snap.AccountID, Name: snap.AccountName},
		Region:      snap.Region,
		Window:      snap.Window,
		EvaluatedAt: at.UTC(),
		CapturedAt:  snap.CapturedAt,
		Partial:     snap.Partial(),
		Gaps:        append([]cwlens.Gap{}, snap.Gaps...),
		Inventory: Inventory{
			LogGroups: make([]LogGroup, 0, len(snap.LogGroups)),
			Services:  make([]Service, 0, len(snap.Services)),
		},
		Findings:   slices.Clone(findings),
		Projection: newProjection(proj),
	}
	if r.Findings == nil {
		r.Findings = []cwlens.Finding{}
	}
	r.PastEpisodes = []cwlens.PastEpisode{}
	for i := range snap.LogGroups {
		r.Inventory.LogGroups = append(r.Inventory.LogGroups, newLogGroup(&snap.LogGroups[i], snap.Window.Start, at))
	}
	for i := range snap.Services {
		r.Inventory.Services = append(r.Inventory.Services, newService(&snap.Services[i], at))
	}
	slices.SortStableFunc(r.Findings, CompareFindings)
	return r
}

// AddProjection adds the pricing engine's projection to a report built
// without one, copied as New copies it. A caller that keeps the snapshot
// only for New adds the projection after it: the snapshot can then be
// collected before the projection's lines are copied (for 50,000 log
// groups, 150 MB and 35 MB).
func (r *Report) AddProjection(p *cwlens.Projection) { r.Projection = newProjection(p) }

// AddPastEpisodes adds the analyzer's past episodes (analyzer.PastEpisodes,
// priced by pricing.PricePastEpisodes) to the report, copied.
func (r *Report) AddPastEpisodes(eps []cwlens.PastEpisode) {
	r.PastEpisodes = append(r.PastEpisodes, eps...)
}

// MaxSeverity returns the highest severity among the findings, and false
// when there are none.
func (r *Report) MaxSeverity() (cwlens.Severity, bool) {
	if len(r.Findings) == 0 {
		return 0, false
	}
	return r.Findings[0].Severity, true
}

func newLogGroup(g *cwlens.LogGroup, from, at time.Time) LogGroup {
	row := LogGroup{
		Name:               g.Name,
		Class:              g.Class,
		StoredBytes:        g.StoredBytes,
		DailyIngestedBytes: clone(g.DailyIncomingBytes.Slice(from, at)),
	}
	if g.RetentionDays != nil {
		d := *g.RetentionDays
		row.RetentionDays = &d
	}
	if i, ok := lastWholePeriod(g.DailyIncomingBytes, at); ok {
		day := g.DailyIncomingBytes.Time(i)
		row.LastDay = &day
		row.LastDayIngestedBytes = present(g.DailyIncomingBytes.Values[i])
	}
	return row
}

// lastWholePeriod returns the index of the last period of s that ends at or
// before at.
func lastWholePeriod(s cwlens.Series, at time.Time) (int, bool) {
	if s.Period <= 0 || len(s.Values) == 0 || at.Before(s.Time(1)) {
		return 0, false
	}
	i := int(at.Sub(s.Start)/s.Period) - 1
	return min(i, len(s.Values)-1), true
}

func newService(s *cwlens.Service, at time.Time) Service {
	upTo := func(x cwlens.Series) cwlens.Series { return x.Slice(x.Start, at) }
	return Service{
		Cluster:                  s.Cluster,
		Name:                     s.Name,
		CPUUnits:                 s.CPUUnits,
		VCPU:                     s.VCPU(),
		MemoryMiB:                s.MemoryMiB,
		Capacity:                 CapacityString(s.LaunchType, s.CapacityProviderStrategy),
		LaunchType:               s.LaunchType,
		CapacityProviderStrategy: slices.Clone(s.CapacityProviderStrategy),
		Architecture:             s.Architecture,
		DesiredCount:             s.DesiredCount,
		RunningCount:             s.RunningCount,
		LogGroup:                 s.LogGroup,
		CPUAvgPercent:            mean(upTo(s.CPUAverage)),
		CPUMaxPercent:            maximum(upTo(s.CPUMaximum)),
		MemoryAvgPercent:         mean(upTo(s.MemoryAverage)),
		MemoryMaxPercent:         maximum(upTo(s.MemoryMaximum)),
	}
}

// CapacityString describes how a service gets its capacity: its launch type,
// the single provider of a one-item strategy, or every provider with its base
// and weight ("FARGATE base 1 weight 1 + FARGATE_SPOT weight 3").
func CapacityString(launchType string, strategy []cwlens.CapacityProviderItem) string {
	switch {
	case launchType != "":
		return launchType
	case len(strategy) == 0:
		return ""
	case len(strategy) == 1:
		return strategy[0].CapacityProvider
	}
	parts := make([]string, len(strategy))
	for i, it := range strategy {
		p := it.CapacityProvider
		if it.Base > 0 {
			p += " base " + itoa(it.Base)
		}
		parts[i] = p + " weight " + itoa(it.Weight)
	}
	return strings.Join(parts, " + ")
}

func newProjection(p *cwlens.Projection) *Projection {
	if p == nil {
		return nil
	}
	out := &Projection{
		Region:          p.Region,
		PricesAsOf:      p.PricesAsOf,
		HoursPerMonth:   p.HoursPerMonth,
		Lines:           make([]ProjectionLine, len(p.Lines)),
		CurrentMonthly:  p.CurrentMonthly,
		ProposedMonthly: p.ProposedMonthly,
		DeltaMonthly:    p.ProposedMonthly.Sub(p.CurrentMonthly),
		RunRateMonthly:  p.RunRateMonthly,
		CostFrom:        p.CostFrom,
		CostTo:          p.CostTo,
		CurrentYearly:   p.CurrentYearly,
		ProposedYearly:  p.ProposedYearly,
		DeltaYearly:     p.ProposedYearly.Sub(p.CurrentYearly),
		Rejected:        append([]cwlens.RejectedChange{}, p.Rejected...),
		Unknown:         append([]cwlens.UnknownPrice{}, p.Unknown...),
		Assumptions:     append([]string{}, p.Assumptions...),
		Trajectories:    slices.Clone(p.Trajectories),
	}
	for i, l := range p.Lines {
		out.Lines[i] = ProjectionLine{ProjectionLine: l, Delta: l.DeltaMonthly()}
	}
	out.Totals = newTotals(out)
	return out
}

func clone(s cwlens.Series) cwlens.Series {
	s.Values = slices.Clone(s.Values)
	return s
}

func present(v float64) *float64 {
	if cwlens.IsMissing(v) {
		return nil
	}
	return &v
}

func mean(s cwlens.Series) *float64 {
	sum, n := s.Sum()
	if n == 0 {
		return nil
	}
	m := sum / float64(n)
	return &m
}

func maximum(s cwlens.Series) *float64 {
	m, ok := math.Inf(-1), false
	for _, v := range s.Values {
		if !cwlens.IsMissing(v) {
			m, ok = max(m, v), true
		}
	}
	if !ok {
		return nil
	}
	return &m
}
