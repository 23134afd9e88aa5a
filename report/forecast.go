package report

import (
	"fmt"
	"slices"

	"github.com/cwlens/cwlens/reconcile"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/shopspring/decimal"
)

// forecastTable is the month the bill was read in, three ways: the month to
// date plus the rest at the model's daily cost, at the last 24 h's
// run-rate, and at Cost Explorer's forecast; the scenario's savings below.
func forecastTable(f *reconcile.MonthForecast) section {
	sec := section{title: fmt.Sprintf("Forecast of %s (billed through %s, %d days to go)",
		f.Start.Format("January 2006"), f.BilledThrough.Format("Jan 2"), f.RemainingDays)}
	sec.tab.header = table.Row{"estimate", "a day", "month to date", "rest of the month", "month", "note"}
	var rows []table.Row
	for _, b := range costBases(f) {
		mtd := FormatUSD(b.mtd)
		for _, e := range b.estimates() {
			rows = append(rows, table.Row{b.name + e.name, FormatUSD(e.e.Daily), mtd, FormatUSD(e.e.Rest), FormatUSD(e.e.Month), ""})
		}
		if c := b.ce; c != nil {
			rows = append(rows, table.Row{b.name + "Cost Explorer's forecast", "—", mtd, FormatUSD(c.Rest), FormatUSD(c.Month),
				fmt.Sprintf("80 %%: %s–%s", FormatUSD(c.MonthLow), FormatUSD(c.MonthHigh))})
		}
	}
	sec.tab.body = slices.Values(rows)
	sec.cfg = []table.ColumnConfig{{Number: 2, Align: text.AlignRight}, {Number: 3, Align: text.AlignRight},
		{Number: 4, Align: text.AlignRight}, {Number: 5, Align: text.AlignRight}}
	sec.drop = []string{"note", "a day", "month to date"}
	if s := f.Scenario; s != nil {
		verb, rest, full := "saves", s.RestOfMonth, s.FullMonth
		if full.IsNegative() {
			verb, rest, full = "costs", rest.Neg(), full.Neg()
		}
		sec.notes = append(sec.notes, fmt.Sprintf("the scenario %s %s on the rest of the month and %s on a full month (list prices)",
			verb, FormatUSD(rest), FormatUSD(full)))
	}
	sec.notes = append(sec.notes, f.Notes...)
	return sec
}

// forecastCSV is the forecast's header and rows: one per estimate, the
// scenario's savings last.
func forecastCSV(f *reconcile.MonthForecast) ([]string, [][]string) {
	month := f.Start.UTC().Format("2006-01")
	row := func(what, daily string, mtd decimal.Decimal, rest, total, low, high string) []string {
		return []string{"forecast", month, f.BilledThrough.UTC().Format("2006-01-02"), what, daily, mtd.String(), rest, total, low, high}
	}
	var rows [][]string
	for _, b := range costBases(f) {
		for _, e := range b.estimates() {
			rows = append(rows, row(e.key+b.suffix, e.e.Daily.String(), b.mtd, e.e.Rest.String(), e.e.Month.String(), "", ""))
		}
		if c := b.ce; c != nil {
			rows = append(rows, row("cost_explorer"+b.suffix, "", b.mtd, c.Rest.String(), c.Month.String(), c.MonthLow.String(), c.MonthHigh.String()))
		}
	}
	if s := f.Scenario; s != nil {
		r := row("scenario_savings", "", decimal.Zero, s.RestOfMonth.String(), s.FullMonth.String(), "", "")
		r[5] = "" // savings have no month to date
		rows = append(rows, r)
	}
	return []string{"month", "billed_through", "estimate", "daily_usd", "month_to_date_usd", "rest_of_month_usd", "month_usd",
		"month_low_usd", "month_high_usd"}, rows
}

// forecastView is the HTML page's forecast: each figure with its JSON
// pointer.
type forecastView struct {
	Title    string
	Rows     []forecastRowView
	Scenario *forecastScenarioView
	Notes    []string
}

type forecastRowView struct {
	Name                            string
	Daily, MonthToDate, Rest, Month figure
	Low, High                       figure // Cost Explorer's interval; zero for the model's rows
}

type forecastScenarioView struct {
	Verb       string // saves or costs
	Rest, Full figure
}

func newForecastView(f *reconcile.MonthForecast) *forecastView {
	sec := forecastTable(f)
	v := &forecastView{Title: sec.title, Notes: f.Notes}
	for _, b := range costBases(f) {
		mtd := usdFigure(b.ptr+"month_to_date", b.mtd)
		for _, e := range b.estimates() {
			p := b.ptr + e.key + "/"
			v.Rows = append(v.Rows, forecastRowView{Name: b.name + e.name, Daily: usdFigure(p+"daily", e.e.Daily), MonthToDate: mtd,
				Rest: usdFigure(p+"rest_of_month", e.e.Rest), Month: usdFigure(p+"month", e.e.Month)})
		}
		if c := b.ce; c != nil {
			p := b.ptr + "cost_explorer/"
			v.Rows = append(v.Rows, forecastRowView{Name: b.name + "Cost Explorer's forecast", MonthToDate: mtd,
				Rest: usdFigure(p+"rest_of_month", c.Rest), Month: usdFigure(p+"month", c.Month),
				Low: usdFigure(p+"month_low", c.MonthLow), High: usdFigure(p+"month_high", c.MonthHigh)})
		}
	}
	if s := f.Scenario; s != nil {
		// The JSON holds savings; a scenario that costs more shows them as
		// negative savings, so the page's figure stays the JSON's value.
		verb := "saves"
		if s.FullMonth.IsNegative() {
			verb = "saves (a negative saving is a cost)"
		}
		v.Scenario = &forecastScenarioView{Verb: verb, Rest: usdFigure("/forecast/scenario/rest_of_month", s.RestOfMonth),
			Full: usdFigure("/forecast/scenario/full_month", s.FullMonth)}
	}
	return v
}

// costBasis is one cost basis of the forecast, unblended or net amortized:
// its month to date, the model's two estimates on it and Cost Explorer's
// forecast, with the row-name prefix, CSV estimate suffix and JSON pointer
// every format gives it.
type costBasis struct {
	name, suffix, ptr string
	mtd               decimal.Decimal
	model, runRate    reconcile.Estimate
	ce                *reconcile.CostExplorerForecast
}

// costBases is the forecast's bases in the order every format shows them.
// Net amortized keeps Savings Plan usage at the Plan's rate, like with like
// for the model.
func costBases(f *reconcile.MonthForecast) []costBasis {
	n := f.NetAmortized
	return []costBasis{
		{ptr: "/forecast/", mtd: f.MonthToDate, model: f.Model, runRate: f.RunRate, ce: f.CostExplorer},
		{name: "net amortized: ", suffix: "_net_amortized", ptr: "/forecast/net_amortized/", mtd: n.MonthToDate,
			model: n.Model, runRate: n.RunRate, ce: n.CostExplorer},
	}
}

// basisEstimate is one of a basis's model estimates: its row name and its
// name in the CSV and JSON.
type basisEstimate struct {
	name, key string
	e         reconcile.Estimate
}

func (b costBasis) estimates() []basisEstimate {
	return []basisEstimate{{"model, steady state", "model", b.model}, {"model, last 24 h's run-rate", "run_rate", b.runRate}}
}
