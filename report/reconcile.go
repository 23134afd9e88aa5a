package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cwlens/cwlens/reconcile"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/shopspring/decimal"
)

// reconciliationTable sets each usage type of the billed month beside the
// model, with the totals and what explains each difference.
func reconciliationTable(rec *reconcile.Reconciliation) section {
	sec := section{title: fmt.Sprintf("Bill and model, %s (%d of %d days in the snapshot)",
		rec.Start.Format("January 2006"), rec.CoveredDays, rec.MonthDays)}
	sec.tab.header = table.Row{"service", "usage type", "billed qty", "model qty", "billed", "net amortized", "model", "difference", "explanation"}
	var rows []table.Row
	for _, r := range rec.Rows {
		model, qty := FormatUSD(r.ModelCost), r.ModelQuantity.String()
		if !r.Modelled {
			model, qty = "—", "—"
		}
		rows = append(rows, table.Row{r.Service, r.UsageType, r.BilledQuantity.Round(4).String() + " " + r.Unit, qty,
			FormatUSD(r.BilledCost), FormatUSD(r.NetAmortized), model, difference(r.Difference, r.Percent),
			strings.Join(r.Explanations, "; ")})
	}
	sec.tab.body = slices.Values(rows)
	sec.tab.footer = table.Row{"total", "", "", "", FormatUSD(rec.BilledCost), FormatUSD(rec.NetAmortized), FormatUSD(rec.ModelCost),
		difference(rec.Difference, rec.Percent), ""}
	// Quantities and money right-aligned in the body and the total alike;
	// the explanation wrapped at word boundaries, as the findings' summary.
	for n := 3; n <= 8; n++ {
		sec.cfg = append(sec.cfg, table.ColumnConfig{Number: n, Align: text.AlignRight, AlignFooter: text.AlignRight})
	}
	sec.cfg = append(sec.cfg, table.ColumnConfig{Name: "explanation", WidthMax: 60, WidthMaxEnforcer: text.WrapSoft})
	sec.drop = []string{"model qty", "billed qty", "net amortized", "service"}
	sec.notes = []string{"billed: Cost Explorer's unblended cost; model: the snapshot's usage of the month at the price book's list prices; difference: billed − model"}
	if n := billSource(rec); n != "" {
		sec.notes = append(sec.notes, n)
	}
	if len(rec.Daily) > 0 {
		peak := peakDay(rec.Daily)
		sec.notes = append(sec.notes, fmt.Sprintf("billed per day: %s (peak %s on %s)", Sparkline(dailyValues(rec.Daily), 0),
			FormatUSD(rec.Daily[peak].BilledCost), rec.Daily[peak].Date.Format("Jan 2")))
	}
	sec.fold = "explanation"
	sec.folded = func(sec section) section { return foldExplanations(sec, rec) }
	return sec
}

// billSource says when the bill was read from Cost Explorer and what the
// reading cost, "" for a bill that was not read from it.
func billSource(rec *reconcile.Reconciliation) string {
	ce := rec.CostExplorer
	if ce == nil {
		return ""
	}
	requests := "requests"
	if ce.Requests == 1 {
		requests = "request"
	}
	return fmt.Sprintf("bill read from Cost Explorer at %s in %d %s (%s at %s a request)",
		ce.ReadAt.UTC().Format("2006-01-02 15:04 MST"), ce.Requests, requests, FormatUSD(ce.Cost), FormatUSD(reconcile.CostExplorerRequestPrice))
}

// upperFirst makes a note a sentence of its own: the HTML writes notes
// as paragraphs.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// foldExplanations is the reconciliation for a terminal too narrow to give
// the explanations a readable column: a [n] marker in their place, each
// explanation written under the table as note [n] with its usage type, and
// the usage type wrapped when even that does not fit.
func foldExplanations(sec section, rec *reconcile.Reconciliation) section {
	header := slices.Clone(sec.tab.header)
	header[len(header)-1] = "note"
	var rows []table.Row
	var notes []string
	for row := range sec.tab.body {
		r := rec.Rows[len(rows)] // the body has a row per rec.Rows, in order
		row = slices.Clone(row)
		row[len(row)-1] = ""
		if len(r.Explanations) > 0 {
			notes = append(notes, "["+itoa(len(notes)+1)+"] "+r.UsageType+": "+strings.Join(r.Explanations, "; "))
			row[len(row)-1] = "[" + itoa(len(notes)) + "]"
		}
		rows = append(rows, row)
	}
	sec.tab.header, sec.tab.body = header, slices.Values(rows)
	sec.cfg = append(slices.Clone(sec.cfg[:len(sec.cfg)-1]),
		table.ColumnConfig{Name: "usage type", WidthMax: usageWidth, WidthMaxEnforcer: wrapUsageType})
	sec.notes = append(slices.Clone(sec.notes), notes...)
	sec.fold, sec.folded = "", nil
	return sec
}

// wrapUsageType wraps a usage type ("USE1-SpotUsage-Fargate-vCPU-Hours:perCPU")
// to width columns after its hyphens and colons, where it reads best, and
// cuts a part longer than width.
func wrapUsageType(s string, width int) string {
	var lines []string
	line := ""
	for part := range strings.SplitAfterSeq(s, "-") {
		for p := range strings.SplitAfterSeq(part, ":") {
			if line != "" && text.RuneWidthWithoutEscSequences(line+p) > width {
				lines, line = append(lines, line), ""
			}
			line += p
		}
	}
	lines = append(lines, line)
	for i, l := range lines {
		if text.RuneWidthWithoutEscSequences(l) > width {
			lines[i] = text.WrapHard(l, width)
		}
	}
	return strings.Join(lines, "\n")
}

// peakDay is the index of the day billed most, the earliest of equals.
func peakDay(days []reconcile.DayCost) int {
	peak := 0
	for i, d := range days {
		if d.BilledCost.GreaterThan(days[peak].BilledCost) {
			peak = i
		}
	}
	return peak
}

func dailyValues(days []reconcile.DayCost) []float64 {
	out := make([]float64, len(days))
	for i, d := range days {
		out[i] = d.BilledCost.InexactFloat64()
	}
	return out
}

// difference formats a difference in dollars and, when the model is not
// zero, in percent of it.
func difference(d decimal.Decimal, percent *decimal.Decimal) string {
	if percent == nil {
		return FormatDeltaUSD(d)
	}
	return fmt.Sprintf("%s (%s %%)", FormatDeltaUSD(d), percent.StringFixed(1))
}

// reconciliationView is the HTML page's reconciliation: each figure with
// its JSON pointer, as the page's other figures.
type reconciliationView struct {
	Title                          string
	Rows                           []reconciliationRowView
	Billed, Net, Model, Difference figure
	Note                           string
	// Source is billSource's line, "" for a bill not read from Cost
	// Explorer.
	Source string
	// Daily is the billed-per-day line, nil without the bill's days.
	Daily *dailyView
}

// dailyView is the month's billed cost per day as a sparkline, with its
// peak day.
type dailyView struct {
	Spark, PeakDay string
	Peak           figure
}

type reconciliationRowView struct {
	Service, UsageType, Unit, Explanation string
	Modelled                              bool
	BilledQuantity, ModelQuantity         figure
	Billed, Net, Model, Difference        figure
}

func newReconciliationView(rec *reconcile.Reconciliation) *reconciliationView {
	sec := reconciliationTable(rec)
	v := &reconciliationView{Title: sec.title, Note: sec.notes[0], Source: upperFirst(billSource(rec)),
		Billed: usdFigure("/reconciliation/billed_cost", rec.BilledCost), Net: usdFigure("/reconciliation/net_amortized_cost", rec.NetAmortized),
		Model: usdFigure("/reconciliation/model_cost", rec.ModelCost), Difference: deltaFigure("/reconciliation/difference", rec.Difference)}
	if len(rec.Daily) > 0 {
		peak := peakDay(rec.Daily)
		v.Daily = &dailyView{Spark: Sparkline(dailyValues(rec.Daily), 0), PeakDay: rec.Daily[peak].Date.Format("Jan 2"),
			Peak: usdFigure(fmt.Sprintf("/reconciliation/daily/%d/billed_cost", peak), rec.Daily[peak].BilledCost)}
	}
	for i, r := range rec.Rows {
		p := fmt.Sprintf("/reconciliation/rows/%d/", i)
		v.Rows = append(v.Rows, reconciliationRowView{Service: r.Service, UsageType: r.UsageType,
			Unit: r.Unit, BilledQuantity: quantityFigure(p+"billed_quantity", r.BilledQuantity),
			ModelQuantity: quantityFigure(p+"model_quantity", r.ModelQuantity),
			Explanation:   strings.Join(r.Explanations, "; "), Modelled: r.Modelled,
			Billed: usdFigure(p+"billed_cost", r.BilledCost), Net: usdFigure(p+"net_amortized_cost", r.NetAmortized),
			Model: usdFigure(p+"model_cost", r.ModelCost), Difference: deltaFigure(p+"difference", r.Difference)})
	}
	return v
}
