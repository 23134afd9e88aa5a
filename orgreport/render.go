package orgreport

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cwlens/cwlens/report"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/shopspring/decimal"
)

// Formats the merged report is written in.
const (
	FormatTable    = "table"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
)

// Write renders r in format.
func Write(w io.Writer, r *Report, format string) error {
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case FormatTable, FormatMarkdown:
		return writeText(w, r, format == FormatMarkdown)
	}
	return fmt.Errorf("unknown format %q (want table, markdown or json)", format)
}

func writeText(w io.Writer, r *Report, markdown bool) error {
	render := func(t table.Writer) string {
		if markdown {
			return t.RenderMarkdown()
		}
		return t.Render()
	}
	var b strings.Builder
	title := "cwlens organisation report"
	if r.Run != "" {
		title += " · run " + report.Printable(r.Run)
	}
	if markdown {
		b.WriteString("# " + title + "\n\n")
	} else {
		b.WriteString(title + "\n")
	}
	fmt.Fprintf(&b, "%s · evaluated at %s\n", plural(len(r.Members), "member"), report.FormatTime(r.EvaluatedAt))
	fmt.Fprintf(&b, "monthly cost %s now → %s after the scenario (%s a month)\n",
		totalText(r.Totals.CurrentMonthly, r.Totals), totalText(r.Totals.ProposedMonthly, r.Totals),
		report.FormatDeltaUSD(r.Totals.DeltaMonthly))
	for _, why := range r.Totals.Incomplete {
		fmt.Fprintf(&b, "  incomplete: %s\n", report.Printable(why))
	}
	b.WriteString("\n")
	b.WriteString(render(membersTable(r)) + "\n\n")
	b.WriteString(render(findingsTable(r)) + "\n\n")
	b.WriteString(render(usageTable(r)) + "\n")
	if len(r.Gaps) > 0 {
		fmt.Fprintf(&b, "\n%s not read:\n", plural(len(r.Gaps), "gap"))
		for _, g := range r.Gaps {
			fmt.Fprintf(&b, "  - %s %s: %s\n", report.Printable(g.API), report.Printable(g.Resource), report.Printable(g.Reason))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// totalText is a total as the reader must take it: with "(incomplete)" when
// some member could not be counted.
func totalText(d decimal.Decimal, t Totals) string {
	if t.Complete {
		return report.FormatUSD(d)
	}
	return report.FormatUSD(d) + " (incomplete)"
}

func membersTable(r *Report) table.Writer {
	t := table.NewWriter()
	t.SetTitle("Members (%d)", len(r.Members))
	t.AppendHeader(table.Row{"ACCOUNT", "REGION", "STATUS", "FINDINGS", "NOW $/MONTH", "PROPOSED $/MONTH", "NOTE"})
	for _, m := range r.Members {
		note := m.Reason
		if m.UnknownPrices > 0 {
			note = plural(m.UnknownPrices, "unknown price")
		}
		name := m.Account
		if m.AccountName != "" {
			name += " (" + m.AccountName + ")"
		}
		t.AppendRow(table.Row{report.Printable(name), m.Region, m.Status, m.Findings,
			report.FormatUSDPtr(m.CurrentMonthly), report.FormatUSDPtr(m.ProposedMonthly), report.Printable(note)})
	}
	t.SetColumnConfigs([]table.ColumnConfig{{Number: 7, WidthMax: 60}})
	return t
}

func findingsTable(r *Report) table.Writer {
	t := table.NewWriter()
	t.SetTitle("Worst findings (%d of %d)", len(r.Findings), r.FindingsTotal)
	t.AppendHeader(table.Row{"SEVERITY", "ACCOUNT", "REGION", "KIND", "SUBJECT", "SINCE", "$/MONTH", "SUMMARY"})
	for _, f := range r.Findings {
		t.AppendRow(table.Row{f.Severity, f.Account, f.Region, f.Kind, report.Printable(f.Subject),
			report.FormatTime(f.Start), report.FormatUSDPtr(f.MonthlyCostUSD), report.Printable(f.Summary)})
	}
	t.SetColumnConfigs([]table.ColumnConfig{{Number: 8, WidthMax: 60}})
	return t
}

func usageTable(r *Report) table.Writer {
	t := table.NewWriter()
	t.SetTitle("Monthly cost by usage type")
	t.AppendHeader(table.Row{"USAGE TYPE", "LINES", "QUANTITY", "NOW", "PROPOSED", "DELTA"})
	for _, u := range r.Projection {
		t.AppendRow(table.Row{report.Printable(u.UsageType), u.Lines, u.CurrentQuantity.String() + " " + u.Unit,
			report.FormatUSD(u.CurrentMonthly), report.FormatUSD(u.ProposedMonthly),
			report.FormatDeltaUSD(u.ProposedMonthly.Sub(u.CurrentMonthly))})
	}
	t.AppendFooter(table.Row{"TOTAL", "", "", totalText(r.Totals.CurrentMonthly, r.Totals),
		totalText(r.Totals.ProposedMonthly, r.Totals), report.FormatDeltaUSD(r.Totals.DeltaMonthly)})
	return t
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
