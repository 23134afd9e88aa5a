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
	mtd := FormatUSD(f.MonthToDate)
	rows := []table.Row{
		{"model, steady state", FormatUSD(f.Model.Daily), mtd, FormatUSD(f.Model.Rest), FormatUSD(f.Model.Month), ""},
		{"model, last 24 h's run-rate", FormatUSD(f.RunRate.Daily), mtd, FormatUSD(f.RunRate.Rest), FormatUSD(f.RunRate.Month), ""},
	}
	ceRow := func(name, mtd string, c *reconcile.CostExplorerForecast) {
		if c != nil {
			rows = append(rows, table.Row{name, "—", mtd, FormatUSD(c.Rest), FormatUSD(c.Month),
				fmt.Sprintf("80 %%: %s–%s", FormatUSD(c.MonthLow), FormatUSD(c.MonthHigh))})
		}
	}
	ceRow("Cost Explorer's forecast", mtd, f.CostExplorer)
	// Net amortized: the month to date and Cost Explorer's forecast with
	// Savings Plan usage at the Plan's rate, like with like for the model.
	n := f.NetAmortized
	netMtd := FormatUSD(n.MonthToDate)
	rows = append(rows, table.Row{"net amortized: model, steady state", FormatUSD(n.Model.Daily), netMtd, FormatUSD(n.Model.Rest), FormatUSD(n.Model.Month), ""},
		table.Row{"net amortized: model, last 24 h's run-rate", FormatUSD(n.RunRate.Daily), netMtd, FormatUSD(n.RunRate.Rest), FormatUSD(n.RunRate.Month), ""})
	ceRow("net amortized: Cost Explorer's forecast", netMtd, n.CostExplorer)
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
	n := f.NetAmortized
	rows := [][]string{
		row("model", f.Model.Daily.String(), f.MonthToDate, f.Model.Rest.String(), f.Model.Month.String(), "", ""),
		row("run_rate", f.RunRate.Daily.String(), f.MonthToDate, f.RunRate.Rest.String(), f.RunRate.Month.String(), "", ""),
	}
	ceRow := func(what string, mtd decimal.Decimal, c *reconcile.CostExplorerForecast) {
		if c != nil {
			rows = append(rows, row(what, "", mtd, c.Rest.String(), c.Month.String(), c.MonthLow.String(), c.MonthHigh.String()))
		}
	}
	ceRow("cost_explorer", f.MonthToDate, f.CostExplorer)
	rows = append(rows, row("model_net_amortized", n.Model.Daily.String(), n.MonthToDate, n.Model.Rest.String(), n.Model.Month.String(), "", ""),
		row("run_rate_net_amortized", n.RunRate.Daily.String(), n.MonthToDate, n.RunRate.Rest.String(), n.RunRate.Month.String(), "", ""))
	ceRow("cost_explorer_net_amortized", n.MonthToDate, n.CostExplorer)
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
	mtd := usdFigure("/forecast/month_to_date", f.MonthToDate)
	for _, e := range []struct {
		name, ptr string
		e         reconcile.Estimate
	}{{"model, steady state", "/forecast/model/", f.Model}, {"model, last 24 h's run-rate", "/forecast/run_rate/", f.RunRate}} {
		v.Rows = append(v.Rows, forecastRowView{Name: e.name, Daily: usdFigure(e.ptr+"daily", e.e.Daily), MonthToDate: mtd,
			Rest: usdFigure(e.ptr+"rest_of_month", e.e.Rest), Month: usdFigure(e.ptr+"month", e.e.Month)})
	}
	ceRow := func(name, p string, mtd figure, c *reconcile.CostExplorerForecast) {
		if c != nil {
			v.Rows = append(v.Rows, forecastRowView{Name: name, MonthToDate: mtd,
				Rest: usdFigure(p+"rest_of_month", c.Rest), Month: usdFigure(p+"month", c.Month),
				Low: usdFigure(p+"month_low", c.MonthLow), High: usdFigure(p+"month_high", c.MonthHigh)})
		}
	}
	ceRow("Cost Explorer's forecast", "/forecast/cost_explorer/", mtd, f.CostExplorer)
	const np = "/forecast/net_amortized/"
	n := f.NetAmortized
	netMtd := usdFigure(np+"month_to_date", n.MonthToDate)
	for _, e := range []struct {
		name, ptr string
		e         reconcile.Estimate
	}{{"net amortized: model, steady state", np + "model/", n.Model}, {"net amortized: model, last 24 h's run-rate", np + "run_rate/", n.RunRate}} {
		v.Rows = append(v.Rows, forecastRowView{Name: e.name, Daily: usdFigure(e.ptr+"daily", e.e.Daily), MonthToDate: netMtd,
			Rest: usdFigure(e.ptr+"rest_of_month", e.e.Rest), Month: usdFigure(e.ptr+"month", e.e.Month)})
	}
	ceRow("net amortized: Cost Explorer's forecast", np+"cost_explorer/", netMtd, n.CostExplorer)
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
