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
	rec.Rows = rows(month.Lines, model)
	for _, r := range rec.Rows {
		rec.ModelCost = rec.ModelCost.Add(r.ModelCost)
		rec.BilledCost = rec.BilledCost.Add(r.BilledCost)
		rec.NetAmortized = rec.NetAmortized.Add(r.NetAmortized)
	}
	rec.Difference = rec.BilledCost.Sub(rec.ModelCost)
	rec.Percent = percent(rec.Difference, rec.ModelCost)
	return rec, nil
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
}

// modelMonth returns the model's usage by bill usage type (every spelling
// the bill may use maps to the same entry) and the days covered.
func modelMonth(snap *cwlens.Snapshot, book *pricing.Book, start, end time.Time) (map[string]*modelled, int) {
	out := map[string]*modelled{}
	add := func(suffix, service, unit string, q decimal.Decimal, fargate bool) {
		p, err := book.Lookup(snap.Region, suffix)
		if err != nil {
			return // no price: the bill's line stays "not modelled"
		}
		uts := pricing.BillUsageTypes(snap.Region, suffix)
		m := out[uts[0]]
		if m == nil {
			m = &modelled{suffix: suffix, usageType: uts[0], service: service, unit: unit, price: p, fargate: fargate}
			for _, ut := range uts {
				out[ut] = m
			}
		}
		m.quantity = m.quantity.Add(q)
	}
	covered := 0
	for _, g := range snap.LogGroups {
		s := g.DailyIncomingBytes.Slice(start, end)
		covered = max(covered, s.Present())
		if pricing.IsVendedLogGroup(g.Name) {
			continue // vended logs are priced in tiers, not modelled here
		}
		sum, _ := s.Sum()
		suffix := pricing.UsageLogsIngestion
		if g.Class == cwlens.ClassInfrequentAccess {
			suffix = pricing.UsageLogsIngestionIA
		}
		add(suffix, "AmazonCloudWatch", "GB", decimal.NewFromFloat(sum).Shift(-9), false)
	}
	hours := decimal.NewFromInt(int64(end.Sub(start) / time.Hour))
	for i := range snap.Services {
		s := &snap.Services[i]
		vs, gs, ok := fargateSuffixes(s)
		if !ok {
			continue
		}
		th := hours.Mul(decimal.NewFromInt(int64(s.DesiredCount)))
		if !s.TaskHours.IsZero() {
			sum, _ := s.TaskHours.Slice(start, end).Sum()
			th = decimal.NewFromFloat(sum)
		}
		const ecs = "Amazon Elastic Container Service"
		add(vs, ecs, "Hrs", th.Mul(decimal.NewFromInt(int64(s.CPUUnits))).Div(decimal.NewFromInt(1024)), true)
		add(gs, ecs, "GB-Hours", th.Mul(decimal.NewFromInt(int64(s.MemoryMiB))).Div(decimal.NewFromInt(1024)), true)
	}
	return out, covered
}

// fargateSuffixes returns the compute usage types of a service that runs
// only on on-demand Linux Fargate; a Spot share or Windows is not modelled
// here.
func fargateSuffixes(s *cwlens.Service) (vcpu, gb string, ok bool) {
	if !s.OnFargate() || s.IsWindows() {
		return "", "", false
	}
	for _, it := range s.CapacityProviderStrategy {
		if it.CapacityProvider != cwlens.ProviderFargate && it.Weight > 0 {
			return "", "", false
		}
	}
	if s.Architecture == cwlens.ArchARM64 {
		return pricing.UsageFargateARMVCPU, pricing.UsageFargateARMGB, true
	}
	return pricing.UsageFargateVCPU, pricing.UsageFargateGB, true
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
			r.ModelCost = pricing.Cents(m.quantity.Mul(m.price.USD))
		}
		r.Difference = r.BilledCost.Sub(r.ModelCost)
		r.Percent = percent(r.Difference, r.ModelCost)
		r.Explanations = explain(r, model[l.UsageType])
		out = append(out, r)
	}
	for ut, m := range model {
		if seen[m] || ut != m.usageType {
			continue
		}
		seen[m] = true
		r := Row{Service: m.service, UsageType: ut, Unit: m.unit, Modelled: true, ModelQuantity: m.quantity.Round(4),
			ModelCost: pricing.Cents(m.quantity.Mul(m.price.USD))}
		r.Difference = r.BilledCost.Sub(r.ModelCost)
		r.Percent = percent(r.Difference, r.ModelCost)
		r.Explanations = []string{NotBilled}
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

// explain says what cwlens knows of a row's difference. After a discount
// (net amortized below unblended), the difference is split in two at the
// book's price: what the quantity explains ((billed − modelled quantity) ×
// price) and what the price does (billed cost − billed quantity × price).
// Each part of a cent or more is explained: the quantity as usage (or
// task-hours) that differ, the price as the free tier, Spot's floating
// price, or else unexplained.
func explain(r Row, m *modelled) []string {
	if !r.Modelled {
		return []string{NotModelled}
	}
	var out []string
	if r.NetAmortized.LessThan(r.BilledCost) {
		out = append(out, fmt.Sprintf("discount or Savings Plan: net amortized $%s, $%s below unblended",
			r.NetAmortized.StringFixed(2), r.BilledCost.Sub(r.NetAmortized).StringFixed(2)))
	}
	if r.Difference.Abs().LessThan(cent) {
		return append(out, Matches)
	}
	byQuantity := r.BilledQuantity.Sub(m.quantity).Mul(m.price.USD)
	byPrice := r.BilledCost.Sub(r.BilledQuantity.Mul(m.price.USD))
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
		above := decimal.Max(r.BilledQuantity.Sub(f.q), decimal.Zero).Mul(m.price.USD)
		if r.BilledCost.Sub(above).Abs().LessThan(cent) {
			return fmt.Sprintf("free tier: %s (%s)", f.what, signedUSD(byPrice)), true
		}
	}
	avg := "—"
	if !r.BilledQuantity.IsZero() {
		avg = "$" + r.BilledCost.Div(r.BilledQuantity).Round(8).String()
	}
	if m.price.Spot {
		return fmt.Sprintf("Spot price drift: billed %s per %s on average, the book's $%s is of %s (%s)",
			avg, r.Unit, m.price.USD, m.price.Effective.Format(time.DateOnly), signedUSD(byPrice)), true
	}
	return fmt.Sprintf("%s: billed %s per %s on average, the book's list price is $%s (%s)",
		Unexplained, avg, r.Unit, m.price.USD, signedUSD(byPrice)), false
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
