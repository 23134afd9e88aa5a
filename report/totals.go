package report

import (
	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// Totals says how complete a projection's totals are. A usage the price
// book cannot price is left out of the sums, so a total with unknown lines
// is a lower bound: every format shows it as "$X + unknown (N lines)", or
// "unknown (N lines)" when nothing at all was priced, never as a bare
// figure that looks complete.
type Totals struct {
	// Complete is true when every usage was priced.
	Complete bool `json:"complete"`
	// PricedLines and UnknownLines count the priced lines and the usages
	// without a price.
	PricedLines  int `json:"priced_lines"`
	UnknownLines int `json:"unknown_lines"`
	// The money totals are the sums of the priced lines, null when no line
	// was priced: then the total is unknown, not $0.
	CurrentMonthly  *decimal.Decimal `json:"current_monthly_usd"`
	ProposedMonthly *decimal.Decimal `json:"proposed_monthly_usd"`
	DeltaMonthly    *decimal.Decimal `json:"delta_monthly_usd"`
	// RunRateMonthly is the current total if the last 24 h continued.
	RunRateMonthly *decimal.Decimal `json:"run_rate_monthly_usd"`
	// Text is the current monthly total as every other format shows it,
	// e.g. "$131.87 + unknown (3 lines)".
	Text string `json:"text"`
	// Unknown lists the usages left out of the totals.
	Unknown []cwlens.UnknownPrice `json:"unknown"`
}

func newTotals(p *Projection) Totals {
	t := Totals{
		Complete:     len(p.Unknown) == 0,
		PricedLines:  len(p.Lines),
		UnknownLines: len(p.Unknown),
		Unknown:      p.Unknown,
	}
	if len(p.Lines) > 0 {
		cur, prop, delta, run := p.CurrentMonthly, p.ProposedMonthly, p.DeltaMonthly, p.RunRateMonthly
		t.CurrentMonthly, t.ProposedMonthly, t.DeltaMonthly, t.RunRateMonthly = &cur, &prop, &delta, &run
	}
	t.Text = p.TotalUSD(p.CurrentMonthly)
	return t
}

// TotalUSD writes a total of p as a reader must see it: FormatUSD when every
// usage is priced, "$X + unknown (N lines)" when some are not, and
// "unknown (N lines)" when none is.
func (p *Projection) TotalUSD(d decimal.Decimal) string {
	return p.withUnknown(FormatUSD(d))
}

// TotalDeltaUSD is TotalUSD for a change of cost.
func (p *Projection) TotalDeltaUSD(d decimal.Decimal) string {
	return p.withUnknown(FormatDeltaUSD(d))
}

func (p *Projection) withUnknown(known string) string {
	n := len(p.Unknown)
	switch {
	case n == 0:
		return known
	case len(p.Lines) == 0:
		return "unknown (" + unknownLines(n) + ")"
	}
	return known + " + unknown (" + unknownLines(n) + ")"
}

// Complete reports whether every usage of p was priced.
func (p *Projection) Complete() bool { return len(p.Unknown) == 0 }

// priced reports whether any line of p has a price, so that its totals
// are at least partly known.
func (p *Projection) priced() bool { return len(p.Lines) > 0 }

func unknownLines(n int) string {
	if n == 1 {
		return "1 line"
	}
	return itoa(n) + " lines"
}
