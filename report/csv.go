package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/shopspring/decimal"
)

// writeCSV writes one table: a header row, then every row of every section.
// The first column, "section", names the row's part of the report
// (log_groups, services, findings, resolved, past_episodes, projection,
// unknown_prices); the other columns are the union of the sections' own,
// in the order they first appear, so a column such as subject means the
// same in every section and the file loads as one table (a spreadsheet
// filter or `grep ^findings,` picks one section out). A cell a section does
// not have is empty. Figures are raw: bytes, percent, exact decimal
// dollars; an empty cell is a missing value.
func writeCSV(w io.Writer, r *Report, o Options) error {
	var tab csvTable
	block := tab.add
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
	if rec := r.Reconciliation; o.Sections.has(SectionProjection|SectionReconciliation) && rec != nil {
		block(reconciliationCSV(rec))
	}
	if f := r.Forecast; o.Sections.has(SectionProjection) && f != nil {
		block(forecastCSV(f))
	}
	return tab.write(w)
}

// percentOrEmpty writes a reconciliation's percent with the one decimal it
// is rounded to (-100.0, not -100, for -99.96 %), as the table shows it, or ""
// when nil.
func percentOrEmpty(p *decimal.Decimal) string {
	if p == nil {
		return ""
	}
	return p.StringFixed(1)
}

// reconciliationCSV is the reconciliation's header and rows, the total last.
func reconciliationCSV(rec *reconcile.Reconciliation) ([]string, [][]string) {
	month := rec.Start.UTC().Format("2006-01")
	var rows [][]string
	for _, x := range rec.Rows {
		rows = append(rows, []string{"reconciliation", month, x.Service, x.UsageType, x.Unit, strconv.FormatBool(x.Modelled),
			x.ModelQuantity.String(), x.ModelCost.String(), x.BilledQuantity.String(), x.BilledCost.String(), x.NetAmortized.String(),
			x.Difference.String(), percentOrEmpty(x.Percent), strings.Join(x.Explanations, "; ")})
	}
	rows = append(rows, []string{"reconciliation", month, "total", "", "", "", "", rec.ModelCost.String(), "", rec.BilledCost.String(),
		rec.NetAmortized.String(), rec.Difference.String(), percentOrEmpty(rec.Percent), ""})
	return []string{"month", "service", "usage_type", "unit", "modelled", "model_quantity", "model_cost_usd", "billed_quantity",
		"billed_cost_usd", "net_amortized_cost_usd", "difference_usd", "difference_percent", "explanation"}, rows
}

// csvTable gathers the sections' rows under the union of their columns.
type csvTable struct {
	cols  []string       // after "section"
	index map[string]int // column name → position in cols
	rows  [][]string     // each: section, then its cells by column
	keys  [][]int        // each row's columns' positions
}

// add appends rows (each starting with its section's name) whose cells are
// the columns header names.
func (t *csvTable) add(header []string, rows [][]string) {
	if t.index == nil {
		t.index = map[string]int{}
	}
	pos := make([]int, len(header))
	for i, h := range header {
		j, ok := t.index[h]
		if !ok {
			j = len(t.cols)
			t.index[h] = j
			t.cols = append(t.cols, h)
		}
		pos[i] = j
	}
	for _, r := range rows {
		t.rows = append(t.rows, r)
		t.keys = append(t.keys, pos)
	}
}

func (t *csvTable) write(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"section"}, t.cols...))
	rec := make([]string, 1+len(t.cols))
	for i, r := range t.rows {
		clear(rec)
		rec[0] = r[0]
		for k, cell := range r[1:] {
			rec[1+t.keys[i][k]] = cell
		}
		cw.Write(rec)
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
