package pricing

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// TieredCost prices qty units a month at p band by band, as AWS bills a
// tiered usage type over the account's monthly volume (CloudWatch pricing,
// https://aws.amazon.com/cloudwatch/pricing/: vended logs "first 10 TB,
// next 20 TB, next 20 TB, over 50 TB"; custom metrics "first 10,000
// metrics, next 240,000, next 750,000, over 1,000,000"). It returns the
// exact cost and the breakdown, e.g. "10240 GB × $0.5 + 2000 GB × $0.25".
// A flat price is one band.
func TieredCost(p Price, qty decimal.Decimal) (decimal.Decimal, string) {
	tiers := p.Tiers
	if len(tiers) == 0 {
		tiers = []Tier{{USD: p.USD}}
	}
	total := decimal.Zero
	var parts []string
	for _, t := range tiers {
		if !qty.GreaterThan(t.From) {
			break
		}
		in := qty.Sub(t.From)
		if t.To != nil {
			in = decimal.Min(in, t.To.Sub(t.From))
		}
		total = total.Add(in.Mul(t.USD))
		parts = append(parts, fmt.Sprintf("%s %s × $%s", in.Round(4).String(), p.Unit, t.USD.String()))
	}
	if len(parts) == 0 {
		parts = []string{"0 " + p.Unit}
	}
	return total, strings.Join(parts, " + ")
}

// MarginalPrice returns the price of the unit after the first qty: the
// band the account's next unit falls in.
func MarginalPrice(p Price, qty decimal.Decimal) decimal.Decimal {
	price := p.USD
	for _, t := range p.Tiers {
		if !qty.LessThan(t.From) {
			price = t.USD
		}
	}
	return price
}

// tieredRate is a tiered usage type priced over the account's monthly
// volume: each subject's line carries the average rate, so the lines add
// up to the tiered cost, and the note the band breakdown.
type tieredRate struct {
	price Price
	rate  decimal.Decimal // average price per unit over the account
	note  string
}

func newTieredRate(p Price, total decimal.Decimal, what string) tieredRate {
	cost, breakdown := TieredCost(p, total)
	r := tieredRate{price: p, rate: p.USD}
	if total.IsPositive() {
		r.rate = cost.DivRound(total, 10)
	}
	r.note = fmt.Sprintf("%s is tiered over the account's monthly volume: %s %s = $%s, an average of $%s per %s",
		p.UsageType, what, breakdown, cost.StringFixed(2), r.rate.String(), strings.TrimSuffix(p.Unit, "s"))
	return r
}
