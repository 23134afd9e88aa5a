// Package cur reads the bill from AWS Cost and Usage Report 2.0 files (the
// Data Exports table COST_AND_USAGE_REPORT), Parquet or gzip-compressed
// CSV, for accounts that export their bill to S3 instead of granting Cost
// Explorer. It keeps the lines of the two services cwlens models and sums
// them per month, service and usage type into the same cwlens.BillMonth the
// Cost Explorer scan writes, so that package reconcile treats both alike.
//
// Column names and meanings follow the CUR 2.0 table dictionary:
// https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2.html
// (line item columns:
// https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-line-item.html,
// Savings Plan columns:
// https://docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-savings-plan.html;
// read 2026-12-07).
package cur

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// The CUR 2.0 columns cwlens reads; every other column is left unread.
const (
	ColBillingPeriod   = "bill_billing_period_start_date"
	ColAccount         = "line_item_usage_account_id"
	ColProductCode     = "line_item_product_code"
	ColUsageType       = "line_item_usage_type"
	ColItemType        = "line_item_line_item_type"
	ColCurrency        = "line_item_currency_code"
	ColUnblended       = "line_item_unblended_cost"
	ColNetUnblended    = "line_item_net_unblended_cost"
	ColUsageAmount     = "line_item_usage_amount"
	ColSPEffective     = "savings_plan_savings_plan_effective_cost"
	ColSPNetEffective  = "savings_plan_net_savings_plan_effective_cost"
	ColPricingUnit     = "pricing_unit"
	maxCellBytes       = 4 << 10 // a usage type or an account id is tens of bytes
	noUsageType        = "NoUsageType"
	lineItemUsage      = "Usage"
	lineItemSPCovered  = "SavingsPlanCoveredUsage"
	lineItemSPNegation = "SavingsPlanNegation"
	lineItemDiscounted = "DiscountedUsage"
	lineItemTax        = "Tax"
)

// required are the columns a file must have. The net columns are optional:
// the dictionary says they are "included in your report only when your
// account has a discount in the applicable billing period"; without them
// the net cost is the unblended one.
var required = []string{ColBillingPeriod, ColAccount, ColProductCode, ColUsageType, ColItemType,
	ColCurrency, ColUnblended, ColUsageAmount, ColSPEffective, ColPricingUnit}

var optional = []string{ColNetUnblended, ColSPNetEffective}

// Services maps the line_item_product_code of the services cwlens models
// to the SERVICE name Cost Explorer gives them (the names ingest's bill
// filter uses), so both paths key their lines alike.
var Services = map[string]string{
	"AmazonECS":        "Amazon Elastic Container Service",
	"AmazonCloudWatch": "AmazonCloudWatch",
}

// Options choose the lines to keep.
type Options struct {
	// Account keeps only lines whose line_item_usage_account_id is this
	// account (a management account's export holds every member's); ""
	// keeps all.
	Account string
}

// record is one CUR line as the reader needs it.
type record struct {
	period                       time.Time
	account, product, usageType  string
	itemType, currency, unit     string
	unblended, netUnblended      decimal.Decimal
	usage, spEffective, spNetEff decimal.Decimal
	hasNetUnblended, hasSPNetEff bool
	// skip is set once the line is known not to be kept: its other
	// columns are not converted.
	skip bool
}

type key struct {
	month              time.Time
	service, usageType string
}

type total struct {
	unblended, net, quantity decimal.Decimal
	unit                     string
}

// Bill sums the lines of any number of CUR files. Its zero value is not
// usable; call New.
type Bill struct {
	opts     Options
	currency string
	totals   map[key]*total
	months   map[time.Time]bool
	accounts map[string]bool // accounts of the lines kept but for Account
	rows     int64
	// chunkLimit is MaxColumnChunkBytes; tests lower it.
	chunkLimit int64
}

// New returns an empty Bill keeping the lines opts selects.
func New(opts Options) *Bill {
	return &Bill{opts: opts, totals: map[key]*total{}, months: map[time.Time]bool{}, accounts: map[string]bool{},
		chunkLimit: MaxColumnChunkBytes}
}

// Rows is the number of lines read so far, kept or not.
func (b *Bill) Rows() int64 { return b.rows }

// add sums one line. It follows how Cost Explorer computes its metrics from
// the same lines:
//   - Tax lines carry the taxed service's product code, but Cost Explorer
//     shows tax as a service of its own ("Tax"), outside the two services
//     cwlens asks for: they are left out.
//   - UnblendedCost is line_item_unblended_cost summed over every other
//     line type: a SavingsPlanNegation line cancels the on-demand cost of the
//     SavingsPlanCoveredUsage line it pairs with; a Credit or Refund is
//     negative.
//   - NetAmortizedCost counts a covered line at its (net) Savings Plan
//     effective cost and a negation at zero; any other line at its net
//     unblended cost.
//   - UsageQuantity sums line_item_usage_amount of the usage lines only
//     (Usage, SavingsPlanCoveredUsage, DiscountedUsage); a negation or a
//     credit is no usage.
//
// (https://docs.aws.amazon.com/cur/latest/userguide/cur-sp.html for the
// Savings Plan line types.)
func (b *Bill) add(r *record) error {
	b.rows++
	if !b.keeps(r) {
		if _, ok := Services[r.product]; ok && r.itemType != lineItemTax && r.account != b.opts.Account && len(b.accounts) < maxAccounts {
			b.accounts[r.account] = true
		}
		return nil
	}
	service := Services[r.product]
	if err := checkPeriod(r.period); err != nil {
		return err
	}
	if r.currency != "" {
		if b.currency != "" && b.currency != r.currency {
			return fmt.Errorf("%s %q: the files mix currencies (%s before)", ColCurrency, r.currency, b.currency)
		}
		b.currency = r.currency
	}
	ut := r.usageType
	if ut == "" {
		ut = noUsageType // Cost Explorer's name for a line without one
	}
	k := key{month: r.period, service: service, usageType: ut}
	t := b.totals[k]
	if t == nil {
		t = &total{}
		b.totals[k] = t
	}
	b.months[r.period] = true
	t.unblended = t.unblended.Add(r.unblended)
	net := r.unblended
	if r.hasNetUnblended {
		net = r.netUnblended
	}
	switch r.itemType {
	case lineItemSPCovered:
		net = r.spEffective
		if r.hasSPNetEff {
			net = r.spNetEff
		}
		fallthrough
	case lineItemUsage, lineItemDiscounted:
		t.quantity = t.quantity.Add(r.usage)
		if t.unit == "" {
			t.unit = r.unit
		}
	case lineItemSPNegation:
		net = decimal.Zero
	}
	t.net = t.net.Add(net)
	return nil
}

// maxAccounts bounds the other accounts remembered for an error message.
const maxAccounts = 100

// keeps reports whether r is a line of a service cwlens models, not tax,
// of the account asked for.
func (b *Bill) keeps(r *record) bool {
	_, ok := Services[r.product]
	return ok && r.itemType != lineItemTax && (b.opts.Account == "" || r.account == b.opts.Account)
}

// checkPeriod accepts a billing period that starts a calendar month, as
// AWS's do.
func checkPeriod(p time.Time) error {
	if p.IsZero() {
		return fmt.Errorf("%s: missing, or not a timestamp", ColBillingPeriod)
	}
	if p.Day() != 1 || p.Hour() != 0 || p.Minute() != 0 || p.Second() != 0 || p.Nanosecond() != 0 {
		return fmt.Errorf("%s %s: a billing period starts on the first of a month", ColBillingPeriod, p.Format(time.RFC3339))
	}
	return nil
}

// Months are the billing periods with lines kept, oldest first.
func (b *Bill) Months() []time.Time {
	return slices.SortedFunc(maps.Keys(b.months), func(x, y time.Time) int { return x.Compare(y) })
}

// OtherAccounts are the accounts whose lines Options.Account left out.
func (b *Bill) OtherAccounts() []string { return slices.Sorted(maps.Keys(b.accounts)) }

// Currency is the line_item_currency_code of the lines kept ("USD" if none
// said).
func (b *Bill) Currency() string {
	if b.currency == "" {
		return "USD"
	}
	return b.currency
}

// Month returns the lines of the billing period starting at start, ordered
// by service and usage type; ok is false when the files have none. complete
// says whether the month is over (the caller knows the date).
func (b *Bill) Month(start time.Time, complete bool) (m cwlens.BillMonth, ok bool) {
	if !b.months[start] {
		return m, false
	}
	m = cwlens.BillMonth{Start: start, End: start.AddDate(0, 1, 0), Complete: complete, Lines: []cwlens.BillLine{}}
	for k, t := range b.totals {
		if k.month.Equal(start) {
			m.Lines = append(m.Lines, cwlens.BillLine{Service: k.service, UsageType: k.usageType,
				UnblendedCost: t.unblended, NetAmortizedCost: t.net, UsageQuantity: t.quantity, Unit: t.unit})
		}
	}
	slices.SortFunc(m.Lines, func(x, y cwlens.BillLine) int {
		return strings.Compare(x.Service+"\x00"+x.UsageType, y.Service+"\x00"+y.UsageType)
	})
	return m, true
}
