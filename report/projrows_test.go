package report

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestProjectionRows: the human views sum a subject's unchanged lines, and
// their rows still add up to the totals; a line the scenario asked to change
// keeps its own row and its note, even at $0.
func TestProjectionRows(t *testing.T) {
	for _, c := range []struct {
		name   string
		report *Report
		rows   int
	}{{"small", smallReport(), 2}, {"reference", htmlReferenceReport(t), 21}} {
		t.Run(c.name, func(t *testing.T) {
			p := c.report.Projection
			rows := projectionRows(p)
			if len(rows) != c.rows {
				t.Errorf("%d rows, want %d", len(rows), c.rows)
			}
			var cur, prop, delta decimal.Decimal
			lines := 0
			for _, r := range rows {
				cur, prop, delta = cur.Add(r.Current), prop.Add(r.Proposed), delta.Add(r.Delta)
				lines += r.Lines
				if r.Lines > 1 && (r.Line != nil || !r.Delta.IsZero()) {
					t.Errorf("summed row %s %s: line %v, delta %s", r.Subject, r.Component, r.Line, r.Delta)
				}
			}
			if lines != len(p.Lines) {
				t.Errorf("rows hold %d lines, the projection %d", lines, len(p.Lines))
			}
			if !cur.Equal(p.CurrentMonthly) || !prop.Equal(p.ProposedMonthly) || !delta.Equal(p.DeltaMonthly) {
				t.Errorf("rows add up to %s → %s (%s), totals are %s → %s (%s)", cur, prop, delta, p.CurrentMonthly, p.ProposedMonthly, p.DeltaMonthly)
			}
			for _, l := range p.Lines {
				if l.Change == "" && l.Delta.IsZero() {
					continue
				}
				own := false
				for _, r := range rows {
					own = own || (r.Line != nil && r.Line.Subject == l.Subject && r.Line.Component == l.Component)
				}
				if !own {
					t.Errorf("%s %s (change %q, delta %s) has no row of its own", l.Subject, l.Component, l.Change, l.Delta)
				}
			}
		})
	}
	rows := projectionRows(htmlReferenceReport(t).Projection)
	var filter, validator *projRow
	for i, r := range rows {
		switch {
		case r.Component == "metric_filter":
			filter = &rows[i]
		case r.Subject == "/ecs/karmacadabra-prod/validator":
			validator = &rows[i]
		}
	}
	if filter == nil || len(filter.Notes) != 1 || !strings.Contains(filter.Notes[0], "saves $0") {
		t.Errorf("the metric filter's row lacks its $0 reason: %+v", filter)
	}
	// A quiet group's ingestion costs what its baseline does: no note.
	if validator == nil || validator.Lines != 2 || validator.Component != "ingestion + storage" || len(validator.Notes) != 0 {
		t.Errorf("validator's log group: %+v, want its two lines summed without notes", validator)
	}
}

func TestJoinComponents(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"vCPU", "memory"}, "vCPU + memory"},
		{[]string{"vCPU (Spot)", "memory (Spot)"}, "vCPU + memory (Spot)"},
		{[]string{"vCPU (Spot)", "memory"}, "vCPU (Spot) + memory"},
		{[]string{"vCPU (Spot)", "memory (ARM)"}, "vCPU (Spot) + memory (ARM)"},
		{[]string{"ingestion", "storage", "metric_filter"}, "ingestion + storage + metric_filter"},
	} {
		if got := joinComponents(c.in); got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}

// TestProjectionRowsWithoutScenario: with nothing proposed, the table is the
// bill: every line keeps its row.
func TestProjectionRowsWithoutScenario(t *testing.T) {
	p := *smallReport().Projection
	p.Lines = nil
	for _, l := range smallReport().Projection.Lines {
		l.ProposedMonthly, l.ProposedQuantity, l.ProposedPrice, l.ProposedUsageType, l.Change, l.Delta =
			l.CurrentMonthly, l.CurrentQuantity, l.CurrentPrice, "", "", decimal.Zero
		p.Lines = append(p.Lines, l, l)
	}
	rows := projectionRows(&p)
	if len(rows) != len(p.Lines) {
		t.Errorf("%d rows for %d lines", len(rows), len(p.Lines))
	}
}
