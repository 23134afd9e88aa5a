package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/cwlens/cwlens"
)

// writeCSV writes one block per section, separated by a blank line. Every
// row starts with its section's name, and each block opens with a header
// row whose first cell is "section", so a spreadsheet filter or
// `grep ^findings,` picks one table out. Figures are raw: bytes, percent,
// exact decimal dollars; an empty cell is a missing value.
func writeCSV(w io.Writer, r *Report, o Options) error {
	cw := csv.NewWriter(w)
	blocks := 0
	block := func(header []string, rows [][]string) {
		if blocks > 0 {
			cw.Write(nil) // encoding/csv writes a blank line for an empty record
		}
		blocks++
		cw.Write(append([]string{"section"}, header...))
		for _, row := range rows {
			cw.Write(row)
		}
	}
	if o.Sections.has(SectionInventory) {
		var rows [][]string
		for _, g := range r.Inventory.LogGroups {
			rows = append(rows, []string{"log_groups", g.Name, g.Class, intPtr(g.RetentionDays),
				strconv.FormatInt(g.StoredBytes, 10), dayPtr(g.LastDay), floatPtr(g.LastDayIngestedBytes)})
		}
		block([]string{"name", "class", "retention_days", "stored_bytes", "last_day", "last_day_ingested_bytes"}, rows)
		rows = nil
		for _, s := range r.Inventory.Services {
			rows = append(rows, []string{"services", s.Cluster, s.Name, strconv.Itoa(s.CPUUnits), float(s.VCPU),
				strconv.Itoa(s.MemoryMiB), s.Capacity, s.Architecture, strconv.Itoa(s.DesiredCount), strconv.Itoa(s.RunningCount),
				floatPtr(s.CPUAvgPercent), floatPtr(s.CPUMaxPercent), floatPtr(s.MemoryAvgPercent), floatPtr(s.MemoryMaxPercent)})
		}
		block([]string{"cluster", "name", "cpu_units", "vcpu", "memory_mib", "capacity", "architecture", "desired_count", "running_count",
			"cpu_avg_percent", "cpu_max_percent", "memory_avg_percent", "memory_max_percent"}, rows)
	}
	if o.Sections.has(SectionFindings) {
		var rows [][]string
		// status and first_seen are empty unless a previous run was
		// compared (--state, the Lambda function); the resolved rows
		// follow the open ones under the same header.
		for _, f := range r.Findings {
			rows = append(rows, findingRow("findings", f))
		}
		for _, f := range r.Resolved {
			rows = append(rows, findingRow("resolved", f))
		}
		block([]string{"severity", "kind", "subject", "start", "summary", "monthly_cost_impact_usd", "status", "first_seen"}, rows)
		if len(r.PastEpisodes) > 0 {
			rows = nil
			for _, e := range r.PastEpisodes {
				rows = append(rows, []string{"past_episodes", string(e.Kind), e.Subject, e.Filter, e.Start.UTC().Format(time.RFC3339),
					e.End.UTC().Format(time.RFC3339), float(e.Peak), e.PeakAt.UTC().Format(time.RFC3339), float(e.Baseline), e.Unit,
					strconv.FormatInt(e.PeriodSeconds, 10), float(e.Extra), decimalOrEmpty(e.CostUSD)})
			}
			block([]string{"kind", "subject", "filter", "start", "end", "peak", "peak_at", "baseline", "unit", "period_seconds", "extra", "cost_usd"}, rows)
		}
	}
	if p := r.Projection; o.Sections.has(SectionProjection) && p != nil {
		var rows [][]string
		for _, l := range p.Lines {
			rows = append(rows, []string{"projection", l.Subject, l.Component, l.UsageType, l.ProposedUsageType, l.Unit,
				l.CurrentQuantity.String(), l.ProposedQuantity.String(), l.CurrentPrice.String(), l.ProposedPrice.String(),
				l.CurrentMonthly.String(), l.ProposedMonthly.String(), l.Delta.String(), l.Note})
		}
		t := p.Totals
		rows = append(rows, []string{"projection", "total", "", "", "", "", "", "", "", "",
			decimalOrEmpty(t.CurrentMonthly), decimalOrEmpty(t.ProposedMonthly), decimalOrEmpty(t.DeltaMonthly), totalNote(p)})
		if b := p.NowBasis(); b != "" {
			rows = append(rows, []string{"projection", "total " + RunRateWords, "", "", "", "", "", "", "", "",
				decimalOrEmpty(t.RunRateMonthly), "", "", "monthly cost now is " + p.TotalUSD(p.CurrentMonthly) + ", " + b})
		}
		block([]string{"subject", "component", "usage_type", "proposed_usage_type", "unit", "current_quantity", "proposed_quantity",
			"current_price_usd", "proposed_price_usd", "current_monthly_usd", "proposed_monthly_usd", "delta_monthly_usd", "note"}, rows)
		if len(p.Unknown) > 0 {
			rows = nil
			for _, u := range p.Unknown {
				rows = append(rows, []string{"unknown_prices", u.Subject, u.UsageType, u.Reason})
			}
			block([]string{"subject", "usage_type", "reason"}, rows)
		}
	}
	cw.Flush()
	return cw.Error()
}

// findingRow is a finding's CSV row in section sec.
func findingRow(sec string, f cwlens.Finding) []string {
	start, first := "", ""
	if !f.Start.IsZero() {
		start = f.Start.UTC().Format(time.RFC3339)
	}
	if f.FirstSeen != nil {
		first = f.FirstSeen.UTC().Format(time.RFC3339)
	}
	return []string{sec, f.Severity.String(), string(f.Kind), f.Subject, start, f.Summary,
		decimalOrEmpty(f.MonthlyCostUSD), string(f.Status), first}
}

// totalNote says, on the CSV's total row, whether the total is complete.
func totalNote(p *Projection) string {
	if p.Complete() {
		return "complete"
	}
	return "incomplete: " + p.TotalUSD(p.CurrentMonthly) + " now; the unknown_prices rows are not in the totals"
}

// float writes v in plain decimal: a whole number (bytes, counts) with every
// digit, anything else to 10 significant digits, which drops the noise of
// float sums (a computed 3.8 shows as 3.8, not 3.7999999999999994) and keeps
// far more precision than a percentage or a vCPU count needs.
func float(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	if r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64); err == nil {
		v = r
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func floatPtr(v *float64) string {
	if v == nil {
		return ""
	}
	return float(*v)
}

func intPtr(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

func dayPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return FormatDay(*t)
}
