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
	return sec
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
}

type reconciliationRowView struct {
	Service, UsageType, Unit, Explanation string
	Modelled                              bool
	BilledQuantity, ModelQuantity         figure
	Billed, Net, Model, Difference        figure
}

func newReconciliationView(rec *reconcile.Reconciliation) *reconciliationView {
	sec := reconciliationTable(rec)
	v := &reconciliationView{Title: sec.title, Note: sec.notes[0],
		Billed: usdFigure("/reconciliation/billed_cost", rec.BilledCost), Net: usdFigure("/reconciliation/net_amortized_cost", rec.NetAmortized),
		Model: usdFigure("/reconciliation/model_cost", rec.ModelCost), Difference: deltaFigure("/reconciliation/difference", rec.Difference)}
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
