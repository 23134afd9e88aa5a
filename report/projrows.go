package report

import (
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// projRow is one row of the projection in the human views: a line of the
// projection, or the sum of a subject's lines that the scenario leaves as
// they are. The rows add up to the projection's totals, as its lines do;
// JSON and CSV keep every line.
type projRow struct {
	Subject   string
	Component string
	// Lines is how many projection lines the row sums; 1 for a line.
	Lines int
	// Line is the row's line when Lines is 1.
	Line *ProjectionLine

	Current, Proposed, Delta decimal.Decimal
	// Notes are what a reader must know about the row's lines, each
	// "component: note"; a summed row keeps its lines' notes.
	Notes []string
}

// unchanged reports whether the scenario leaves a line as it is: no change
// was asked of it and its figure does not move. A line the scenario asked to
// change stays on its own even at $0, so its note (why it saves nothing)
// sits beside it.
func unchanged(l ProjectionLine) bool { return l.Change == "" && l.Delta.IsZero() }

// projectionRows groups p's lines by subject, in order of first appearance,
// and sums each subject's unchanged lines into one row when there are
// several. Without a scenario nothing changes and nothing is summed: the
// table is then the bill, line by line.
func projectionRows(p *Projection) []projRow { return slices.Collect(projectionRowSeq(p)) }

// projectionRowSeq yields projectionRows one at a time, from the lines'
// places rather than copies of them: a projection of 50,000 log groups has
// over 100,000 lines.
func projectionRowSeq(p *Projection) iter.Seq[projRow] {
	return func(yield func(projRow) bool) {
		sum := !allUnchanged(p)
		var subjects []string
		bySubject := map[string][]int{}
		for i, l := range p.Lines {
			if _, ok := bySubject[l.Subject]; !ok {
				subjects = append(subjects, l.Subject)
			}
			bySubject[l.Subject] = append(bySubject[l.Subject], i)
		}
		for _, subj := range subjects {
			if !subjectRows(p, subj, bySubject[subj], sum, yield) {
				return
			}
		}
	}
}

// subjectRows yields the rows of one subject's lines (their places in
// p.Lines); false when yield asked to stop.
func subjectRows(p *Projection, subj string, lines []int, sum bool, yield func(projRow) bool) bool {
	same := 0
	for _, i := range lines {
		if unchanged(p.Lines[i]) {
			same++
		}
	}
	summed := false
	for _, i := range lines {
		l := &p.Lines[i]
		if !sum || !unchanged(*l) || same == 1 {
			if !yield(lineRow(l)) {
				return false
			}
			continue
		}
		if summed {
			continue
		}
		// The sum stands where the first of its lines stood.
		summed = true
		r := projRow{Subject: subj, Lines: same}
		var comps []string
		for _, j := range lines {
			s := p.Lines[j]
			if !unchanged(s) {
				continue
			}
			comps = append(comps, s.Component)
			r.Current = r.Current.Add(s.CurrentMonthly)
			r.Proposed = r.Proposed.Add(s.ProposedMonthly)
			r.Delta = r.Delta.Add(s.Delta)
			if n := lineNote(s); n != "" {
				r.Notes = append(r.Notes, s.Component+": "+n)
			}
		}
		r.Component = joinComponents(comps)
		if !yield(r) {
			return false
		}
	}
	return true
}

// joinComponents names the components of a summed row, "vCPU + memory",
// with a qualifier they share written once: "vCPU + memory (Spot)".
func joinComponents(comps []string) string {
	_, suffix, ok := strings.Cut(comps[0], " (")
	for _, c := range comps {
		ok = ok && strings.HasSuffix(c, " ("+suffix)
	}
	if !ok {
		return strings.Join(comps, " + ")
	}
	bare := make([]string, len(comps))
	for i, c := range comps {
		bare[i] = strings.TrimSuffix(c, " ("+suffix)
	}
	return strings.Join(bare, " + ") + " (" + suffix
}

func lineRow(l *ProjectionLine) projRow {
	r := projRow{Subject: l.Subject, Component: l.Component, Lines: 1, Line: l,
		Current: l.CurrentMonthly, Proposed: l.ProposedMonthly, Delta: l.Delta}
	if n := lineNote(*l); n != "" {
		r.Notes = []string{l.Component + ": " + n}
	}
	return r
}

// lineNote is what the human views say about a line: its note, after its
// cost at the baseline rate when it has one. An unchanged ingestion line
// whose baseline and last 24 h cost what it costs now, within a cent (a
// rounding apart), has nothing to say: the assumptions explain "now" and
// the run-rate once for all lines.
func lineNote(l ProjectionLine) string {
	b := l.BaselineMonthly
	if b == nil {
		return l.Note
	}
	if unchanged(l) && withinCent(*b, l.CurrentMonthly) && (l.RunRateMonthly == nil || withinCent(*l.RunRateMonthly, l.CurrentMonthly)) {
		return ""
	}
	n := "at the baseline rate " + FormatUSD(*b) + "/month"
	if l.Note != "" {
		n += "; " + l.Note
	}
	return n
}

var cent = decimal.New(1, -2)

// withinCent reports whether two amounts shown to the cent are at most a
// cent apart.
func withinCent(a, b decimal.Decimal) bool {
	return a.Round(2).Sub(b.Round(2)).Abs().LessThanOrEqual(cent)
}

// usageCell shows a row's usage type, with the one it moves to.
func (r projRow) usageCell() string {
	if r.Line == nil {
		return strconv.Itoa(r.Lines) + " lines, no change"
	}
	l := r.Line
	usage := l.UsageType
	if l.ProposedUsageType != "" && l.ProposedUsageType != l.UsageType {
		usage += "\n→ " + l.ProposedUsageType
	}
	return usage
}

// quantityCell shows how a line's figure was computed, "1460 vCPU-Hours ×
// $0.04048", with the proposed computation on a second line when it differs:
// finance matches a line to the bill by usage type, quantity and rate.
func (r projRow) quantityCell() string {
	if r.Line == nil {
		return ""
	}
	l := r.Line
	qp := quantityTimesPrice(l.CurrentQuantity, l.Unit, l.CurrentPrice)
	if !l.ProposedQuantity.Equal(l.CurrentQuantity) || !l.ProposedPrice.Equal(l.CurrentPrice) {
		qp += "\n→ " + quantityTimesPrice(l.ProposedQuantity, l.Unit, l.ProposedPrice)
	}
	return qp
}
