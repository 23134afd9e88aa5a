// Package curtest writes AWS Cost and Usage Report 2.0 files for tests:
// the lines a bill month is made of, in the shape AWS exports them
// (https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html),
// as Parquet with the library cwlens reads it with, or as gzip-compressed
// CSV. Nothing here is committed as a file: tests build what they read.
package curtest

import (
	"compress/gzip"
	"encoding/csv"
	"io"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/parquet-go/parquet-go"
	"github.com/shopspring/decimal"
)

// Row is one CUR 2.0 line, with the columns cwlens reads and a few it does
// not (a real export has over a hundred).
type Row struct {
	BillingPeriod  time.Time `parquet:"bill_billing_period_start_date,timestamp(millisecond)"`
	BillingEnd     time.Time `parquet:"bill_billing_period_end_date,timestamp(millisecond)"`
	UsageStart     time.Time `parquet:"line_item_usage_start_date,timestamp(millisecond)"`
	Account        string    `parquet:"line_item_usage_account_id"`
	ItemType       string    `parquet:"line_item_line_item_type"`
	ProductCode    string    `parquet:"line_item_product_code"`
	UsageType      string    `parquet:"line_item_usage_type"`
	Description    string    `parquet:"line_item_line_item_description"`
	UsageAmount    float64   `parquet:"line_item_usage_amount"`
	Currency       string    `parquet:"line_item_currency_code"`
	Unblended      float64   `parquet:"line_item_unblended_cost"`
	NetUnblended   *float64  `parquet:"line_item_net_unblended_cost,optional"`
	SPEffective    float64   `parquet:"savings_plan_savings_plan_effective_cost"`
	SPNetEffective *float64  `parquet:"savings_plan_net_savings_plan_effective_cost,optional"`
	PricingUnit    string    `parquet:"pricing_unit"`
	ServiceCode    string    `parquet:"product_servicecode"`
	RegionCode     string    `parquet:"product_region_code"`
}

// ProductCodes are the line_item_product_code of Cost Explorer's service
// names.
var ProductCodes = map[string]string{
	"Amazon Elastic Container Service": "AmazonECS",
	"AmazonCloudWatch":                 "AmazonCloudWatch",
}

func f64(d decimal.Decimal) float64 { x, _ := d.Float64(); return x }

func ptr(d decimal.Decimal) *float64 { x := f64(d); return &x }

// Rows returns CUR lines whose sums, taken as Cost Explorer takes them, are
// m's lines exactly, for account in region. Each line becomes several:
//   - usage split over three days;
//   - for an ECS line whose net amortized cost is above its unblended cost,
//     a Savings Plan covering part of it as AWS bills one
//     (https://docs.aws.amazon.com/cur/latest/userguide/cur-sp.html): a
//     SavingsPlanCoveredUsage line at an on-demand cost with the Plan's
//     effective cost (net amortized − unblended), and the
//     SavingsPlanNegation that cancels the on-demand cost; the Usage lines
//     carry the unblended cost, uncovered;
//   - for a CloudWatch line of at least 5 cents, a Credit of 5 cents (the
//     usage is 5 cents higher to keep the line's sum).
//
// and, beside them, lines that must not count: a Tax line on each service,
// another service's usage, another account's usage, and the same usage in
// the month before.
func Rows(m cwlens.BillMonth, account, region string) []Row {
	var out []Row
	day := func(i int) time.Time { return m.Start.AddDate(0, 0, i) }
	base := func(l cwlens.BillLine, typ string, at time.Time) Row {
		return Row{BillingPeriod: m.Start, BillingEnd: m.Start.AddDate(0, 1, 0), UsageStart: at, Account: account,
			ItemType: typ, ProductCode: ProductCodes[l.Service], UsageType: l.UsageType, Currency: "USD",
			PricingUnit: l.Unit, ServiceCode: ProductCodes[l.Service], RegionCode: region, Description: typ + " " + l.UsageType}
	}
	for _, l := range m.Lines {
		usage, net, qty := l.UnblendedCost, l.NetAmortizedCost, l.UsageQuantity
		if l.Service == "Amazon Elastic Container Service" && net.GreaterThan(usage) {
			// Net amortized above unblended: the Plan's covered usage, at
			// its effective cost, cancelled in unblended cost.
			eff := net.Sub(usage)
			od := eff.Mul(decimal.RequireFromString("1.25")) // any on-demand cost: the negation cancels it
			q := qty.Div(decimal.NewFromInt(2)).Truncate(4)
			cov := base(l, "SavingsPlanCoveredUsage", day(0))
			cov.Unblended, cov.UsageAmount, cov.SPEffective, cov.SPNetEffective = f64(od), f64(q), f64(eff), ptr(eff)
			cov.NetUnblended = ptr(od)
			neg := base(l, "SavingsPlanNegation", day(0))
			neg.Unblended, neg.NetUnblended, neg.UsageAmount = f64(od.Neg()), ptr(od.Neg()), f64(q)
			out = append(out, cov, neg)
			net, qty = usage, qty.Sub(q)
		}
		if l.Service == "AmazonCloudWatch" && usage.GreaterThanOrEqual(decimal.New(5, -2)) {
			c := decimal.New(-5, -2)
			cr := base(l, "Credit", day(0))
			cr.Unblended, cr.NetUnblended = f64(c), ptr(c)
			out = append(out, cr)
			usage, net = usage.Sub(c), net.Sub(c)
		}
		for i, part := range split3(usage, net, qty) {
			r := base(l, "Usage", day(i))
			r.Unblended, r.NetUnblended, r.UsageAmount = f64(part[0]), ptr(part[1]), f64(part[2])
			out = append(out, r)
		}
	}
	for _, svc := range []string{"AmazonECS", "AmazonCloudWatch"} {
		out = append(out, Row{BillingPeriod: m.Start, BillingEnd: m.Start.AddDate(0, 1, 0), UsageStart: m.Start, Account: account,
			ItemType: "Tax", ProductCode: svc, Currency: "USD", Unblended: 1.23, NetUnblended: ptr(decimal.RequireFromString("1.23")),
			Description: "Tax for product code " + svc})
	}
	other := Row{BillingPeriod: m.Start, BillingEnd: m.Start.AddDate(0, 1, 0), UsageStart: m.Start, Account: account, ItemType: "Usage",
		ProductCode: "AmazonEC2", UsageType: "BoxUsage:t3.micro", UsageAmount: 744, Currency: "USD", Unblended: 7.74, PricingUnit: "Hrs"}
	out = append(out, other)
	for _, l := range m.Lines {
		foreign := base(l, "Usage", m.Start)
		foreign.Account, foreign.Unblended, foreign.UsageAmount = "210987654321", 99, 99
		prev := base(l, "Usage", m.Start.AddDate(0, -1, 0))
		prev.BillingPeriod, prev.BillingEnd, prev.Unblended, prev.UsageAmount = m.Start.AddDate(0, -1, 0), m.Start, 42, 42
		out = append(out, foreign, prev)
	}
	return out
}

// Repeat returns rows n times over, each copy's amounts as they are: the
// sums grow n-fold. For benchmarks and page-boundary tests.
func Repeat(rows []Row, n int) []Row {
	out := make([]Row, 0, len(rows)*n)
	for range n {
		out = append(out, rows...)
	}
	return out
}

// split3 splits cost, net and quantity into three parts each that add up
// to them exactly.
func split3(cost, net, qty decimal.Decimal) [3][3]decimal.Decimal {
	var out [3][3]decimal.Decimal
	three := decimal.NewFromInt(3)
	for j, v := range []decimal.Decimal{cost, net, qty} {
		p := v.Div(three).Truncate(6)
		out[0][j], out[1][j], out[2][j] = p, p, v.Sub(p).Sub(p)
	}
	return out
}

// WriteParquet writes rows as a Parquet file, rowGroup rows to a row
// group (Snappy-compressed, as exports are); opts add writer options (a
// page size).
func WriteParquet(w io.Writer, rows []Row, rowGroup int, opts ...parquet.WriterOption) error {
	pw := parquet.NewGenericWriter[Row](w, append([]parquet.WriterOption{parquet.Compression(&parquet.Snappy)}, opts...)...)
	for len(rows) > 0 {
		n := min(rowGroup, len(rows))
		if _, err := pw.Write(rows[:n]); err != nil {
			return err
		}
		if err := pw.Flush(); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return pw.Close()
}

// WriteCSVGz writes rows as a gzip-compressed CSV export. A net cost equal
// to the unblended one is left empty, as in an account without discounts.
func WriteCSVGz(w io.Writer, rows []Row) error {
	zw := gzip.NewWriter(w)
	cw := csv.NewWriter(zw)
	_ = cw.Write([]string{"identity_line_item_id", "bill_billing_period_start_date", "bill_billing_period_end_date",
		"line_item_usage_start_date", "line_item_usage_account_id", "line_item_line_item_type", "line_item_product_code",
		"line_item_usage_type", "line_item_line_item_description", "line_item_usage_amount", "line_item_currency_code",
		"line_item_unblended_cost", "line_item_net_unblended_cost", "savings_plan_savings_plan_effective_cost",
		"savings_plan_net_savings_plan_effective_cost", "pricing_unit", "product_servicecode", "product_region_code", "product"})
	ts := func(t time.Time) string { return t.Format("2006-01-02T15:04:05.000Z") }
	num := func(x float64) string { return decimal.NewFromFloat(x).String() }
	opt := func(p *float64, same float64) string {
		if p == nil || *p == same {
			return ""
		}
		return num(*p)
	}
	for i, r := range rows {
		_ = cw.Write([]string{"id" + decimal.NewFromInt(int64(i)).String(), ts(r.BillingPeriod), ts(r.BillingEnd), ts(r.UsageStart),
			r.Account, r.ItemType, r.ProductCode, r.UsageType, r.Description, num(r.UsageAmount), r.Currency, num(r.Unblended),
			opt(r.NetUnblended, r.Unblended), num(r.SPEffective), opt(r.SPNetEffective, r.SPEffective), r.PricingUnit,
			r.ServiceCode, r.RegionCode, `{"product_name": "x, \"quoted\""}`})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return zw.Close()
}
