package reconcile

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/pricing"
)

// MonthForecast is the month the bill was read in, forecast three ways:
// what Cost Explorer has billed so far plus the remaining days at the
// model's steady-state daily cost, the same at the last 24 hours' run-rate,
// and Cost Explorer's own forecast of the remaining days. Money is in the
// bill's currency; each month figure is the month to date plus the rest.
type MonthForecast struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// BilledThrough ends the month to date (exclusive): Cost Explorer's
	// data are whole days up to the day the bill was read.
	BilledThrough time.Time       `json:"billed_through"`
	MonthToDate   decimal.Decimal `json:"month_to_date"`
	RemainingDays int             `json:"remaining_days"`
	Model         Estimate        `json:"model"`
	RunRate       Estimate        `json:"run_rate"`
	// CostExplorer is absent when Cost Explorer gave no forecast (early in
	// a month, or on its last day).
	CostExplorer *CostExplorerForecast `json:"cost_explorer,omitempty"`
	// NetAmortized is the month to date and Cost Explorer's forecast in net
	// amortized cost beside the model: under a Savings Plan the figures
	// above (unblended) leave out the usage it covers, these keep it at
	// the Plan's rate, so they compare with the model's.
	NetAmortized NetAmortizedForecast `json:"net_amortized"`
	// Scenario is absent without a scenario.
	Scenario *ScenarioSavings `json:"scenario,omitempty"`
	Notes    []string         `json:"notes"`
}

// NetAmortizedForecast is the month in net amortized cost: the month to
// date, the rest at the model's daily cost and at the last 24 hours'
// run-rate, and Cost Explorer's forecast.
type NetAmortizedForecast struct {
	MonthToDate decimal.Decimal `json:"month_to_date"`
	Model       Estimate        `json:"model"`
	RunRate     Estimate        `json:"run_rate"`
	// CostExplorer is absent when Cost Explorer gave no net amortized
	// forecast, or the snapshot predates its reading.
	CostExplorer *CostExplorerForecast `json:"cost_explorer,omitempty"`
}

// Estimate is the rest of the month at a daily cost, and the month.
type Estimate struct {
	Daily decimal.Decimal `json:"daily"`
	Rest  decimal.Decimal `json:"rest_of_month"`
	Month decimal.Decimal `json:"month"`
}

// CostExplorerForecast is Cost Explorer's forecast of the rest of the month
// (mean and 80 % interval), and the month with the month to date.
type CostExplorerForecast struct {
	Rest      decimal.Decimal `json:"rest_of_month"`
	Month     decimal.Decimal `json:"month"`
	MonthLow  decimal.Decimal `json:"month_low"`
	MonthHigh decimal.Decimal `json:"month_high"`
}

// ScenarioSavings is what the scenario saves (negative: costs) on the rest
// of the month and on a full month, at the model's list prices.
type ScenarioSavings struct {
	RestOfMonth decimal.Decimal `json:"rest_of_month"`
	FullMonth   decimal.Decimal `json:"full_month"`
}

// ErrNoBill is returned when there is no bill to forecast from, or no
// projection of a month to forecast with.
var ErrNoBill = errors.New("no bill or no projection")

// Forecast forecasts the month the bill was read in from the bill's month to
// date and forecast and from p, the projection of the account at the
// report's evaluation time (its CurrentMonthly and RunRateMonthly are a
// month of p.HoursPerMonth hours). withScenario says whether p holds a
// scenario. Nothing reads the clock: "now" is the bill's read time.
func Forecast(b *cwlens.Bill, p *cwlens.Projection, withScenario bool) (*MonthForecast, error) {
	if b == nil || p == nil || p.HoursPerMonth <= 0 {
		return nil, ErrNoBill
	}
	read := b.ReadAt.UTC()
	start := time.Date(read.Year(), read.Month(), 1, 0, 0, 0, 0, time.UTC)
	f := &MonthForecast{Start: start, End: start.AddDate(0, 1, 0), BilledThrough: start}
	var net decimal.Decimal
	for _, m := range b.Months {
		if m.Start.Equal(start) {
			f.BilledThrough = m.End
			for _, l := range m.Lines {
				f.MonthToDate = f.MonthToDate.Add(l.UnblendedCost)
				net = net.Add(l.NetAmortizedCost)
			}
		}
	}
	f.RemainingDays = int(f.End.Sub(f.BilledThrough) / cwlens.Day)
	days := decimal.NewFromInt(int64(f.RemainingDays))
	perDay := decimal.NewFromInt(24).Div(decimal.NewFromInt(int64(p.HoursPerMonth)))
	estimate := func(mtd, monthly decimal.Decimal) Estimate {
		daily := monthly.Mul(perDay)
		rest := pricing.Cents(daily.Mul(days))
		return Estimate{Daily: pricing.Cents(daily), Rest: rest, Month: pricing.Cents(mtd).Add(rest)}
	}
	f.Model, f.RunRate = estimate(f.MonthToDate, p.CurrentMonthly), estimate(f.MonthToDate, p.RunRateMonthly)
	f.CostExplorer = f.costExplorer(b.Forecast, f.MonthToDate)
	f.NetAmortized = NetAmortizedForecast{MonthToDate: net, Model: estimate(net, p.CurrentMonthly),
		RunRate: estimate(net, p.RunRateMonthly), CostExplorer: f.costExplorer(b.NetAmortizedForecast, net)}
	if withScenario {
		saves := p.CurrentMonthly.Sub(p.ProposedMonthly)
		f.Scenario = &ScenarioSavings{RestOfMonth: pricing.Cents(saves.Mul(perDay).Mul(days)), FullMonth: pricing.Cents(saves)}
	}
	f.Notes = forecastNotes(f, p)
	return f, nil
}

// costExplorer is Cost Explorer's forecast fc on the month to date mtd, or
// nil when there is none for exactly the rest of f's month.
func (f *MonthForecast) costExplorer(fc *cwlens.BillForecast, mtd decimal.Decimal) *CostExplorerForecast {
	if fc == nil || !fc.Start.Equal(f.BilledThrough) || !fc.End.Equal(f.End) {
		return nil
	}
	mtd = pricing.Cents(mtd)
	return &CostExplorerForecast{Rest: pricing.Cents(fc.Mean), Month: mtd.Add(pricing.Cents(fc.Mean)),
		MonthLow: mtd.Add(pricing.Cents(fc.Low)), MonthHigh: mtd.Add(pricing.Cents(fc.High))}
}

// forecastNotes says what the figures assume.
func forecastNotes(f *MonthForecast, p *cwlens.Projection) []string {
	notes := []string{
		fmt.Sprintf("model: the projection's monthly cost now, a day of a %d-hour month: list prices, no free tier or discount, only the usage types cwlens models (the reconciliation shows how the last billed month differed)", p.HoursPerMonth),
		"run-rate: the same with each log group's last 24 h of ingestion continuing",
	}
	if len(p.Unknown) > 0 {
		notes = append(notes, "the model is incomplete: usage the price book cannot price is not in it")
	}
	if f.CostExplorer == nil {
		notes = append(notes, "Cost Explorer gave no forecast for the rest of this month")
	} else {
		notes = append(notes, "Cost Explorer: its forecast of the rest of the month (80 % prediction interval) on the month to date")
	}
	// Cost Explorer forecasts, and the month to date sums, unblended cost,
	// in which a Savings Plan's covered usage is cancelled by its
	// negation (https://docs.aws.amazon.com/cur/latest/userguide/cur-sp.html).
	if f.CostExplorer != nil || !f.MonthToDate.IsZero() {
		notes = append(notes, "billed and Cost Explorer: unblended cost, in which usage a Savings Plan covers is cancelled; the Plan's fee is billed under Savings Plans, outside ECS")
	}
	// Net amortized cost carries covered usage at the Plan's effective
	// cost (https://docs.aws.amazon.com/cost-management/latest/userguide/ce-advanced.html),
	// the figures to set beside a list-price model.
	if n := f.NetAmortized; n.CostExplorer != nil || !n.MonthToDate.IsZero() {
		notes = append(notes, "net amortized: after discounts and Savings Plans, spread over their term; usage a Plan covers keeps its cost at the Plan's rate, so these compare with the model")
	}
	if f.CostExplorer != nil && f.NetAmortized.CostExplorer == nil {
		notes = append(notes, "Cost Explorer's net amortized forecast was not read (a scan before cwlens asked for it)")
	}
	return notes
}
