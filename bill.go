package cwlens

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Bill is what AWS Cost Explorer says the account was billed for the two
// services cwlens models (Amazon Elastic Container Service and
// AmazonCloudWatch): the last full month and the month to date, by usage
// type, and Cost Explorer's forecast of the current month. cwlens scan --bill
// reads it (docs/snapshot.md, "Bill").
type Bill struct {
	// ReadAt is when Cost Explorer was read. Its data lags: it is updated
	// up to three times a day.
	ReadAt time.Time `json:"read_at"`
	// Currency of every amount, as Cost Explorer reports it ("USD").
	Currency string `json:"currency"`
	// Requests counts the Cost Explorer requests the scan made; each costs
	// $0.01 (AWS Cost Management pricing).
	Requests int         `json:"requests"`
	Months   []BillMonth `json:"months"`
	// Forecast is Cost Explorer's forecast of the rest of the current month
	// in unblended cost, nil when it could not be had (e.g. early in a
	// month).
	Forecast *BillForecast `json:"forecast,omitempty"`
	// NetAmortizedForecast is the same forecast in net amortized cost, the
	// metric in which usage a Savings Plan covers keeps its cost. It is
	// nil when it could not be had, and in snapshots from before it was
	// read.
	NetAmortizedForecast *BillForecast `json:"net_amortized_forecast,omitempty"`
	// Daily is the same lines day by day (Cost Explorer's DAILY
	// granularity) over the bill's months, in date order. It is empty in
	// snapshots from before it was read and in bills read from a Cost and
	// Usage Report.
	Daily []BillDay `json:"daily,omitempty"`
}

// BillDay is one service and usage type of one day (midnight UTC).
type BillDay struct {
	Date time.Time `json:"date"`
	BillLine
}

// BillMonth is one month's bill lines. End is exclusive; Complete is false
// for the month to date.
type BillMonth struct {
	Start    time.Time  `json:"start"`
	End      time.Time  `json:"end"`
	Complete bool       `json:"complete"`
	Lines    []BillLine `json:"lines"`
}

// BillLine is one service and usage type of a month: unblended cost (list
// price less nothing), net amortized cost (after discounts, Savings Plans
// and reservations, spread over their term), and the usage quantity in its
// unit. Amounts are exact decimals, as Cost Explorer writes them.
type BillLine struct {
	Service          string          `json:"service"`
	UsageType        string          `json:"usage_type"`
	UnblendedCost    decimal.Decimal `json:"unblended_cost"`
	NetAmortizedCost decimal.Decimal `json:"net_amortized_cost"`
	UsageQuantity    decimal.Decimal `json:"usage_quantity"`
	Unit             string          `json:"unit"`
}

// BillForecast is Cost Explorer's forecast of one cost metric from Start to
// End, with its 80 % prediction interval.
type BillForecast struct {
	Start time.Time       `json:"start"`
	End   time.Time       `json:"end"`
	Mean  decimal.Decimal `json:"mean"`
	Low   decimal.Decimal `json:"low"`
	High  decimal.Decimal `json:"high"`
}

// maxBillAmount bounds any amount or quantity of a bill: far above any
// account's monthly cost, far below what would overflow a report's sums.
var maxBillAmount = decimal.New(1, 15)

// bill checks a snapshot's bill, one rule a function.
func (v *validator) bill(b *Bill) {
	if b == nil {
		return
	}
	v.time("bill.read_at", b.ReadAt)
	if b.Currency == "" {
		v.failf("bill.currency", `""`, "missing")
	}
	if b.Requests < 0 {
		v.failf("bill.requests", strconv.Itoa(b.Requests), "must not be negative")
	}
	for i, m := range b.Months {
		v.billMonth("bill.months["+strconv.Itoa(i)+"]", m)
	}
	for i, d := range b.Daily {
		v.billDay("bill.daily["+strconv.Itoa(i)+"]", d, b.Daily[:i])
	}
	v.billForecast("bill.forecast", b.Forecast)
	v.billForecast("bill.net_amortized_forecast", b.NetAmortizedForecast)
}

func (v *validator) billForecast(where string, f *BillForecast) {
	if f == nil {
		return
	}
	v.billPeriod(where, f.Start, f.End)
	for name, d := range map[string]decimal.Decimal{"mean": f.Mean, "low": f.Low, "high": f.High} {
		v.amount(where+"."+name, d)
	}
	if f.Low.GreaterThan(f.Mean) || f.Mean.GreaterThan(f.High) {
		v.failf(where, f.Mean.String(), "the mean must lie between low and high")
	}
}

func (v *validator) billMonth(where string, m BillMonth) {
	v.billPeriod(where, m.Start, m.End)
	for j, l := range m.Lines {
		v.billLine(where+".lines["+strconv.Itoa(j)+"]", l)
	}
}

// billDay checks a day's line: a whole UTC day, not before the lines
// before it.
func (v *validator) billDay(where string, d BillDay, before []BillDay) {
	v.time(where+".date", d.Date)
	if !d.Date.Equal(d.Date.Truncate(Day)) {
		v.failf(where+".date", d.Date.Format(time.RFC3339), "must be midnight UTC")
	}
	if len(before) > 0 && d.Date.Before(before[len(before)-1].Date) {
		v.failf(where+".date", d.Date.Format(time.RFC3339), "out of order: days must be in date order")
	}
	v.billLine(where, d.BillLine)
}

func (v *validator) billLine(at string, l BillLine) {
	if l.Service == "" {
		v.failf(at+".service", `""`, "missing")
	}
	if l.UsageType == "" {
		v.failf(at+".usage_type", `""`, "missing")
	}
	v.amount(at+".unblended_cost", l.UnblendedCost)
	v.amount(at+".net_amortized_cost", l.NetAmortizedCost)
	v.amount(at+".usage_quantity", l.UsageQuantity)
}

func (v *validator) billPeriod(where string, start, end time.Time) {
	v.time(where+".start", start)
	v.time(where+".end", end)
	if !end.After(start) {
		v.failf(where+".end", end.Format(time.RFC3339), "must be after start")
	}
}

// amount accepts the negative amounts a bill has (credits, refunds) within
// maxBillAmount either way.
func (v *validator) amount(where string, d decimal.Decimal) {
	if d.Abs().GreaterThan(maxBillAmount) {
		v.failf(where, d.String(), "out of range (at most 1e15 either way)")
	}
}
