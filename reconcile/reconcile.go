// Package reconcile sets cwlens's model of a billed month beside the bill:
// per usage type, the usage cwlens measured in the snapshot priced at the
// price book's list prices, the billed quantity and cost, their difference,
// and what cwlens knows that explains it. It is pure: the month is the
// bill's, nothing reads the clock.
package reconcile

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/pricing"
	"github.com/shopspring/decimal"
)

// Row is one service and usage type of the month.
type Row struct {
	Service   string `json:"service"`
	UsageType string `json:"usage_type"`
	Unit      string `json:"unit"`
	// Modelled is false for a usage type cwlens has no model of: it is
	// listed with its billed cost, never dropped.
	Modelled       bool            `json:"modelled"`
	ModelQuantity  decimal.Decimal `json:"model_quantity"`
	ModelCost      decimal.Decimal `json:"model_cost"`
	BilledQuantity decimal.Decimal `json:"billed_quantity"`
	BilledCost     decimal.Decimal `json:"billed_cost"`
	NetAmortized   decimal.Decimal `json:"net_amortized_cost"`
	// Difference is billed less modelled; Percent is it in percent of the
	// modelled cost, nil when that is zero.
	Difference   decimal.Decimal  `json:"difference"`
	Percent      *decimal.Decimal `json:"percent,omitempty"`
	Explanations []string         `json:"explanations"`
}

// Reconciliation is one complete billed month beside the model.
type Reconciliation struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// CoveredDays is how many of the month's days the snapshot's series
	// cover; the model counts only those.
	CoveredDays int   `json:"covered_days"`
	MonthDays   int   `json:"month_days"`
	Rows        []Row `json:"rows"`
	// Totals: BilledCost is the bill's unblended total to the cent.
	ModelCost    decimal.Decimal  `json:"model_cost"`
	BilledCost   decimal.Decimal  `json:"billed_cost"`
	NetAmortized decimal.Decimal  `json:"net_amortized_cost"`
	Difference   decimal.Decimal  `json:"difference"`
	Percent      *decimal.Decimal `json:"percent,omitempty"`
	// Daily is the billed cost of each day of the month, from Cost
	// Explorer's DAILY lines; absent when the bill has no day of the month
	// (read before cwlens read days, or from a Cost and Usage Report).
	Daily []DayCost `json:"daily,omitempty"`
	// CostExplorer is what reading the bill from Cost Explorer cost; nil
	// for a bill read from a Cost and Usage Report.
	CostExplorer *CostExplorerRead `json:"cost_explorer,omitempty"`
}

// CostExplorerRead is when a scan read the bill from Cost Explorer, in how
// many requests, and what they cost.
type CostExplorerRead struct {
	ReadAt   time.Time       `json:"read_at"`
	Requests int             `json:"requests"`
	Cost     decimal.Decimal `json:"cost"`
}

// CostExplorerRequestPrice is what Cost Explorer charges for each API
// request (https://aws.amazon.com/aws-cost-management/pricing/, "Cost
// Explorer API": $0.01 per paginated API request).
var CostExplorerRequestPrice = decimal.New(1, -2)

// DayCost is the billed (unblended) cost of one day of the month.
type DayCost struct {
	Date       time.Time       `json:"date"`
	BilledCost decimal.Decimal `json:"billed_cost"`
}

// ErrNoMonth is returned when the snapshot's bill has no complete month.
var ErrNoMonth = errors.New("no complete billed month")

// Explanations a row may carry.
const (
	Matches     = "matches the model"
	NotModelled = "not modelled: cwlens has no model of this usage type"
	NotBilled   = "modelled but not on the bill"
	Unexplained = "unexplained"
)

// LogsFreeTierGB is the Logs data ingestion the free tier does not bill
// each month (https://aws.amazon.com/cloudwatch/pricing/, "Free tier":
// 5 GB of data ingestion, storage and Logs Insights scans).
var LogsFreeTierGB = decimal.NewFromInt(5)

// Month reconciles the last complete month of snap's bill with the model of
// the same month from snap's series and book's prices in snap's Region.
func Month(snap *cwlens.Snapshot, book *pricing.Book) (*Reconciliation, error) {
	if snap.Bill == nil {
		return nil, ErrNoMonth
	}
	var month *cwlens.BillMonth
	for i := range snap.Bill.Months {
		if m := &snap.Bill.Months[i]; m.Complete && (month == nil || m.Start.After(month.Start)) {
			month = m
		}
	}
	if month == nil {
		return nil, ErrNoMonth
	}
	model, covered := modelMonth(snap, book, month.Start, month.End)
	rec := &Reconciliation{Start: month.Start, End: month.End, CoveredDays: covered,
		MonthDays: int(month.End.Sub(month.Start) / cwlens.Day)}
	if n := snap.Bill.Requests; n > 0 {
		rec.CostExplorer = &CostExplorerRead{ReadAt: snap.Bill.ReadAt, Requests: n,
			Cost: CostExplorerRequestPrice.Mul(decimal.NewFromInt(int64(n)))}
	}
	rec.Rows = rows(month.Lines, model)
	for _, r := range rec.Rows {
		rec.ModelCost = rec.ModelCost.Add(r.ModelCost)
		rec.BilledCost = rec.BilledCost.Add(r.BilledCost)
		rec.NetAmortized = rec.NetAmortized.Add(r.NetAmortized)
	}
	rec.Difference = rec.BilledCost.Sub(rec.ModelCost)
	rec.Percent = percent(rec.Difference, rec.ModelCost)
	rec.Daily = billedDays(snap.Bill.Daily, month.Start, month.End)
	return rec, nil
}

// billedDays sums the day lines of start to end into every day of the
// month (a day without lines costs nothing), nil when none of the lines
// is of the month.
func billedDays(lines []cwlens.BillDay, start, end time.Time) []DayCost {
	var days []DayCost
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		days = append(days, DayCost{Date: d})
	}
	found := false
	for _, l := range lines {
		if l.Date.Before(start) || !l.Date.Before(end) {
			continue
		}
		i := int(l.Date.Sub(start) / cwlens.Day)
		days[i].BilledCost = days[i].BilledCost.Add(l.UnblendedCost)
		found = true
	}
	if !found {
		return nil
	}
	return days
}

// modelled is the model's usage of one usage type over the month.
type modelled struct {
	suffix    string
	usageType string // as the bill writes it
	service   string
	unit      string
	quantity  decimal.Decimal
	price     pricing.Price
	fargate   bool
	floods    []flood // Logs ingestion: the groups' floods inside the month
}

// at is the list cost of q of the usage type, exact: tiered usage types
// (vended logs, custom metrics) band by band over the account's month.
func (m *modelled) at(q decimal.Decimal) decimal.Decimal {
	c, _ := pricing.TieredCost(m.price, q)
	return c
}

// cost is the model's cost of the month, to the cent.
func (m *modelled) cost() decimal.Decimal { return pricing.Cents(m.at(m.quantity)) }

// The services of the bill lines the model makes, as Cost Explorer names
// them.
const (
	serviceECS        = "Amazon Elastic Container Service"
	serviceCloudWatch = "AmazonCloudWatch"
)

// month is the model of one month being built: its usage by bill usage
// type (every spelling the bill may use maps to the same entry).
type month struct {
	snap       *cwlens.Snapshot
	book       *pricing.Book
	start, end time.Time
	usage      map[string]*modelled
}

func (mo *month) add(suffix, service, unit string, q decimal.Decimal, fargate bool) *modelled {
	p, err := mo.book.Lookup(mo.snap.Region, suffix)
	if err != nil {
		return nil // no price: the bill's line stays "not modelled"
	}
	uts := pricing.BillUsageTypes(mo.snap.Region, suffix)
	m := mo.usage[uts[0]]
	if m == nil {
		m = &modelled{suffix: suffix, usageType: uts[0], service: service, unit: unit, price: p, fargate: fargate}
		for _, ut := range uts {
			mo.usage[ut] = m
		}
	}
	m.quantity = m.quantity.Add(q)
	return m
}

// modelMonth returns the model's usage of [start, end) by bill usage type
// and the days the snapshot's series cover.
func modelMonth(snap *cwlens.Snapshot, book *pricing.Book, start, end time.Time) (map[string]*modelled, int) {
	mo := &month{snap: snap, book: book, start: start, end: end, usage: map[string]*modelled{}}
	covered := mo.logs()
	mo.customMetrics()
	mo.services()
	return mo.usage, covered
}

// logs models each log group's ingestion in the month from its daily
// series (vended groups on their own, tiered usage type; data protection
// scanning every ingested byte) and its storage: the stored bytes of the
// capture, for the part of the month the group existed. It returns the
// most days any group's series covers.
func (mo *month) logs() int {
	covered := 0
	for i := range mo.snap.LogGroups {
		g := &mo.snap.LogGroups[i]
		s := g.DailyIncomingBytes.Slice(mo.start, mo.end)
		covered = max(covered, s.Present())
		sum, _ := s.Sum()
		gb := decimal.NewFromFloat(sum).Shift(-9)
		ia := g.Class == cwlens.ClassInfrequentAccess
		suffix := pick(ia, pricing.UsageLogsIngestionIA, pricing.UsageLogsIngestion)
		if pricing.IsVendedLogGroup(g.Name) {
			suffix = pick(ia, pricing.UsageVendedLogsIA, pricing.UsageVendedLogs)
		}
		if m := mo.add(suffix, serviceCloudWatch, "GB", gb, false); m != nil {
			if f, ok := findFlood(g.Name, s); ok {
				m.floods = append(m.floods, f)
			}
		}
		if g.DataProtectionStatus == cwlens.DataProtectionActivated {
			mo.add(pricing.UsageDataProtection, serviceCloudWatch, "GB", gb, false)
		}
		from := mo.start
		if g.CreationTime.After(from) {
			from = g.CreationTime
		}
		if from.Before(mo.end) {
			share := decimal.NewFromInt(int64(mo.end.Sub(from))).Div(decimal.NewFromInt(int64(mo.end.Sub(mo.start))))
			mo.add(pick(ia, pricing.UsageLogsStorageIA, pricing.UsageLogsStorage), serviceCloudWatch, "GB-Mo",
				decimal.NewFromInt(g.StoredBytes).Shift(-9).Mul(share), false)
		}
	}
	return covered
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// customMetrics models the metric filters' plain custom metrics as a
// metric-month each (those with dimensions cannot be counted from a scan:
// their line stays unmodelled when they are all there is).
func (mo *month) customMetrics() {
	if n, _ := pricing.CustomMetrics(mo.snap); n > 0 {
		mo.add(pricing.UsageCustomMetrics, serviceCloudWatch, "Metrics", decimal.NewFromInt(int64(n)), false)
	}
}

// services models each Fargate service's compute in the month: its
// task-hours inside the month when the snapshot has them, else its desired
// count × the month's hours, metered as pricing meters them (Spot shares,
// ARM, Windows and its licence, ephemeral storage). A service Fargate does
// not price (EC2, a size Fargate does not run) is left out.
func (mo *month) services() {
	hours := decimal.NewFromInt(int64(mo.end.Sub(mo.start) / time.Hour))
	for i := range mo.snap.Services {
		s := &mo.snap.Services[i]
		if !s.OnFargate() {
			continue
		}
		th := hours.Mul(decimal.NewFromInt(int64(s.DesiredCount)))
		if !s.TaskHours.IsZero() {
			sum, _ := s.TaskHours.Slice(mo.start, mo.end).Sum()
			th = decimal.NewFromFloat(sum)
		}
		us, err := pricing.ServiceUsage(s, th)
		if err != nil {
			continue
		}
		for _, u := range us {
			mo.add(u.Suffix, serviceECS, u.Unit, u.Quantity, true)
		}
	}
}

// rows sets each bill line beside the model, then adds the modelled usage
// types the bill lacks, sorted by service and usage type.
func rows(lines []cwlens.BillLine, model map[string]*modelled) []Row {
	seen := map[*modelled]bool{}
	var out []Row
	for _, l := range lines {
		r := Row{Service: l.Service, UsageType: l.UsageType, Unit: l.Unit, BilledQuantity: l.UsageQuantity,
			BilledCost: l.UnblendedCost, NetAmortized: l.NetAmortizedCost}
		if m := model[l.UsageType]; m != nil && !seen[m] {
			seen[m] = true
			r.Modelled, r.ModelQuantity = true, m.quantity.Round(4)
			r.ModelCost = m.cost()
		}
		r.Difference = r.BilledCost.Sub(r.ModelCost)
		r.Percent = percent(r.Difference, r.ModelCost)
		r.Explanations = explain(r, model[l.UsageType])
		if r.Modelled {
			r.Explanations = append(r.Explanations, model[l.UsageType].floodNotes()...)
		}
		out = append(out, r)
	}
	for ut, m := range model {
		if seen[m] || ut != m.usageType || m.quantity.IsZero() {
			continue // none of it, or listed already
		}
		seen[m] = true
		r := Row{Service: m.service, UsageType: ut, Unit: m.unit, Modelled: true, ModelQuantity: m.quantity.Round(4),
			ModelCost: m.cost()}
		r.Difference = r.BilledCost.Sub(r.ModelCost)
		r.Percent = percent(r.Difference, r.ModelCost)
		r.Explanations = append([]string{NotBilled}, m.floodNotes()...)
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Service != out[j].Service {
			return out[i].Service < out[j].Service
		}
		return out[i].UsageType < out[j].UsageType
	})
	return out
}

// explain says what cwlens knows of a row's difference. A Savings Plan is
// recognised first (savingsPlan) and its covered usage's on-demand cost set
// aside. A discount that is not a Plan shows as net amortized below
// unblended. The rest of the difference is split in two at the book's
// price: what the quantity explains ((billed − modelled quantity) × price)
// and what the price does (billed cost + the covered on-demand cost −
// billed quantity × price). Each part of a cent or more is explained: the
// quantity as usage (or task-hours) that differ, the price as the free
// tier, Spot's floating price, or else unexplained.
func explain(r Row, m *modelled) []string {
	if !r.Modelled {
		return []string{NotModelled}
	}
	var out []string
	covered := decimal.Zero // the on-demand cost the Plan's negation cancelled
	if p, ok := savingsPlan(r, m); ok {
		out = append(out, p.String(r.Unit))
		covered = p.onDemand
	} else if r.NetAmortized.LessThan(r.BilledCost) {
		out = append(out, fmt.Sprintf("discount: net amortized $%s, $%s below unblended",
			r.NetAmortized.StringFixed(2), r.BilledCost.Sub(r.NetAmortized).StringFixed(2)))
	}
	if r.Difference.Add(covered).Abs().LessThan(cent) {
		return append(out, Matches)
	}
	byQuantity := m.at(r.BilledQuantity).Sub(m.at(m.quantity))
	byPrice := r.BilledCost.Add(covered).Sub(m.at(r.BilledQuantity))
	explained := false
	if byQuantity.Abs().GreaterThanOrEqual(halfCent) {
		what := "usage differs"
		if m.fargate {
			what = "task-hours differ (scaling, or tasks the model does not see)"
		}
		out = append(out, fmt.Sprintf("%s: billed %s %s, modelled %s (%s)", what, r.BilledQuantity.Round(4), r.Unit,
			r.ModelQuantity, signedUSD(byQuantity)))
		explained = true
	}
	if byPrice.Abs().GreaterThanOrEqual(halfCent) {
		e, ok := priceReason(r, m, byPrice)
		out = append(out, e)
		explained = explained || ok
		if !ok {
			return out
		}
	}
	if !explained {
		out = append(out, Unexplained)
	}
	return out
}

// plan is the share of a usage type a Savings Plan covered, as read from
// its bill line.
type plan struct {
	quantity, of decimal.Decimal // covered, of the billed quantity
	onDemand     decimal.Decimal // the covered usage's on-demand cost, cancelled
	effective    decimal.Decimal // what the Plan amortized to it
}

// savingsPlan recognises a Savings Plan on a row from the signature AWS
// gives it when Cost Explorer sums a usage type's lines. In the Cost and
// Usage Report, covered usage is a SavingsPlanCoveredUsage line at its
// on-demand cost and a SavingsPlanNegation line of the same usage type
// cancels that cost, so unblended cost keeps only the uncovered usage;
// amortized and net amortized cost carry the covered usage at the Plan's
// effective cost (https://docs.aws.amazon.com/cur/latest/userguide/cur-sp.html,
// https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-savings-plan.html,
// https://docs.aws.amazon.com/cost-management/latest/userguide/ce-advanced.html).
// The Plan's own fee is a line of product ComputeSavingsPlans, outside ECS.
// So on a usage type a Compute Savings Plan covers (Fargate on demand, not
// Spot: https://aws.amazon.com/savingsplans/compute-pricing/), net
// amortized above unblended, with unblended below the billed quantity at
// list price, is a Plan: the uncovered usage is what unblended pays for at
// list, the rest is covered. (A credit on the same line lowers both costs
// alike and would be read as more coverage at a lower rate: Cost Explorer
// grouped by usage type alone cannot tell them apart.)
func savingsPlan(r Row, m *modelled) (plan, bool) {
	if !m.fargate || m.price.Spot || m.price.USD.IsZero() {
		return plan{}, false
	}
	list := m.at(r.BilledQuantity)
	if !r.NetAmortized.Sub(r.BilledCost).GreaterThanOrEqual(halfCent) || !list.Sub(r.BilledCost).GreaterThanOrEqual(halfCent) {
		return plan{}, false
	}
	od := list.Sub(decimal.Max(r.BilledCost, decimal.Zero))
	return plan{quantity: decimal.Min(od.Div(m.price.USD), r.BilledQuantity), of: r.BilledQuantity,
		onDemand: od, effective: r.NetAmortized.Sub(decimal.Max(r.BilledCost, decimal.Zero))}, true
}

// String says what the Plan did to the row, in the bill's unit.
func (p plan) String(unit string) string {
	share := "all"
	if p.quantity.LessThan(p.of) {
		share = p.quantity.Round(4).String() + " of"
	}
	return fmt.Sprintf("Savings Plan: %s %s %s covered: on-demand $%s cancelled in unblended (SavingsPlanNegation), "+
		"amortized at $%s (%s %% of list); the Plan's fee is billed outside ECS, under Savings Plans for AWS Compute usage (%s)",
		share, p.of.Round(4), unit, p.onDemand.StringFixed(2), p.effective.StringFixed(2),
		p.effective.Mul(decimal.NewFromInt(100)).Div(p.onDemand).Round(1), signedUSD(p.onDemand.Neg()))
}

var (
	cent     = decimal.New(1, -2)
	halfCent = decimal.New(5, -3)
)

// freeAllowance is what the free tier leaves unbilled each month, by
// usage-type suffix (https://aws.amazon.com/cloudwatch/pricing/, "Free
// tier": 5 GB of Logs data ingestion, 5 GB-month of storage, 10 custom
// metrics), with the words that say so.
var freeAllowance = map[string]struct {
	q    decimal.Decimal
	what string
}{
	pricing.UsageLogsIngestion: {LogsFreeTierGB, "the first 5 GB of Logs ingestion a month are not billed"},
	pricing.UsageLogsStorage:   {decimal.NewFromInt(5), "the first 5 GB-month of Logs storage are not billed"},
	pricing.UsageCustomMetrics: {decimal.NewFromInt(10), "the first 10 custom metrics a month are not billed"},
}

// priceReason explains the part of a difference that the price makes: the
// free tier when the billed cost is what is left above the allowance at the
// book's price, Spot's floating price, or nothing (ok false: unexplained).
func priceReason(r Row, m *modelled, byPrice decimal.Decimal) (string, bool) {
	if f, ok := freeAllowance[m.suffix]; ok {
		above := m.at(decimal.Max(r.BilledQuantity.Sub(f.q), decimal.Zero))
		if r.BilledCost.Sub(above).Abs().LessThan(cent) {
			return fmt.Sprintf("free tier: %s (%s)", f.what, signedUSD(byPrice)), true
		}
	}
	avg := "—"
	if !r.BilledQuantity.IsZero() {
		avg = "$" + r.BilledCost.Div(r.BilledQuantity).Round(8).String()
	}
	if m.price.Spot {
		return fmt.Sprintf("Spot price drift: billed at %s on average, the book's $%s is of %s (%s)",
			avg, m.price.USD, m.price.Effective.Format(time.DateOnly), signedUSD(byPrice)), true
	}
	return fmt.Sprintf("%s: billed at %s on average, the book's list price is $%s (%s)",
		Unexplained, avg, m.price.USD, signedUSD(byPrice)), false
}

// signedUSD writes an amount to the cent with its sign.
func signedUSD(d decimal.Decimal) string {
	if d.IsNegative() {
		return "-$" + d.Neg().StringFixed(2)
	}
	return "+$" + d.StringFixed(2)
}

func percent(diff, of decimal.Decimal) *decimal.Decimal {
	if of.IsZero() {
		return nil
	}
	p := diff.Mul(decimal.NewFromInt(100)).Div(of).Round(1)
	return &p
}
