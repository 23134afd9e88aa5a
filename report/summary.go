package report

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// summaryFindings bounds the findings the summary lists: the first screen
// must leave room for the totals.
const summaryFindings = 5

// Summary is the answer a report gives first: its worst findings, the
// monthly totals and whether the scan was whole. It is derived from the
// report on demand and holds no figure of its own: every amount is a field of
// the report (Index and the projection's totals), so the summary, the tables,
// the HTML header and the JSON cannot disagree.
type Summary struct {
	// Findings are the worst findings, in report order: the first
	// summaryFindings, with the flood (if any) in place of the last when it
	// comes later.
	Findings []SummaryFinding
	// Total is the number of findings; BySeverity counts them, most severe
	// first, e.g. "4 high, 3 medium".
	Total      int
	BySeverity string
	// MoreBySeverity counts the findings not listed, e.g. "2 medium".
	MoreBySeverity string
	// Flood is the index in Report.Findings of the costliest priced flood
	// (an ingestion spike or level shift), -1 when there is none.
	Flood int
	// Projection is the report's projection, nil when it was not priced.
	Projection *Projection
	// Partial and Gaps repeat the report's: the figures leave out what the
	// scan could not read.
	Partial bool
	Gaps    int
}

// SummaryFinding is one finding's line in the summary.
type SummaryFinding struct {
	// Index is the finding's position in Report.Findings.
	Index   int
	Finding cwlens.Finding
	// What is the finding in a few words: "ingestion 5.10 MB/day → 2.89
	// GB/day (566×)".
	What string
}

// Summary returns the summary of r.
func (r *Report) Summary() Summary {
	s := Summary{Total: len(r.Findings), Projection: r.Projection, Partial: r.Partial, Gaps: len(r.Gaps)}
	var pick []int
	pick, s.Flood = TopFindings(r.Findings, summaryFindings)
	s.BySeverity = countBySeverity(r.Findings, nil)
	listed := map[int]bool{}
	for _, i := range pick {
		f := r.Findings[i]
		s.Findings = append(s.Findings, SummaryFinding{Index: i, Finding: f, What: findingWhat(f)})
		listed[i] = true
	}
	s.MoreBySeverity = countBySeverity(r.Findings, listed)
	return s
}

// CompareFindings orders findings as a report lists them: the most severe
// first, then the earliest start, then by subject. A stable sort with it gives
// Report.Findings' order.
func CompareFindings(a, b cwlens.Finding) int {
	return cmp.Or(
		cmp.Compare(b.Severity, a.Severity),
		a.Start.Compare(b.Start),
		strings.Compare(a.Subject, b.Subject),
	)
}

// TopFindings picks the n findings to name first out of fs, which must be in
// report order (CompareFindings): the first n, with the costliest priced
// flood (an ingestion spike or level shift) in place of the last when it
// comes later, because it is the finding that costs money every day it goes
// on. It returns their indices in fs, in order, and that flood's index, -1
// when there is none. The summary picks its findings with it, and the
// scheduled run's alert picks the new findings it names, so that both name
// the same ones first.
func TopFindings(fs []cwlens.Finding, n int) (top []int, flood int) {
	flood = -1
	for i, f := range fs {
		if isFlood(f.Kind) && f.MonthlyCostUSD != nil &&
			(flood < 0 || f.MonthlyCostUSD.GreaterThan(*fs[flood].MonthlyCostUSD)) {
			flood = i
		}
	}
	n = max(min(len(fs), n), 0)
	top = make([]int, 0, n)
	for i := range n {
		top = append(top, i)
	}
	if n > 0 && flood >= n {
		top[n-1] = flood
	}
	return top, flood
}

// countBySeverity counts the findings not in skip by severity, in their
// order (most severe first): "4 high, 3 medium".
func countBySeverity(fs []cwlens.Finding, skip map[int]bool) string {
	counts := map[cwlens.Severity]int{}
	var order []cwlens.Severity
	for i, f := range fs {
		if skip[i] {
			continue
		}
		if counts[f.Severity] == 0 {
			order = append(order, f.Severity)
		}
		counts[f.Severity]++
	}
	parts := make([]string, len(order))
	for i, sev := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[sev], sev)
	}
	return strings.Join(parts, ", ")
}

// findingWhat says what a finding is in a few words, from its evidence; the
// finding's summary sentence when its kind has no shorter form.
func findingWhat(f cwlens.Finding) string {
	ev := f.Evidence
	filter := "errors"
	if f.Filter != "" {
		filter = f.Filter
	}
	switch f.Kind {
	case cwlens.KindIngestionSpike, cwlens.KindIngestionLevelShift, cwlens.KindIngestionDrop:
		per := "/" + periodName(ev.Series)
		s := "ingestion " + formatValue(ev.Baseline, ev.Unit) + per + " → " + formatValue(ev.Observed, ev.Unit) + per
		if ev.Ratio > 0 {
			s += " (" + formatRatio(ev.Ratio) + ")"
		}
		return s
	case cwlens.KindErrorSurge:
		per := "/" + periodName(ev.Series)
		return filter + " " + formatValue(ev.Observed, ev.Unit) + per + ", was " + formatValue(ev.Baseline, ev.Unit) + per
	case cwlens.KindErrorRate:
		return filter + " " + formatValue(ev.Observed, ev.Unit) + " of requests, was " + formatValue(ev.Baseline, ev.Unit)
	case cwlens.KindDeploymentChurn:
		if ev.Unit == "tasks" {
			return humanCount(ev.Observed) + " failed tasks on the newest deployment"
		}
	case cwlens.KindOverprovisioned, cwlens.KindNearCapacity:
		what := "oversized"
		if f.Kind == cwlens.KindNearCapacity {
			what = "near capacity"
		}
		s := what + ", peak " + formatValue(ev.Observed, ev.Unit)
		if im := f.Impact; im != nil && im.From != nil && im.To != nil {
			s += ": " + shortSize(*im.From) + " → " + shortSize(*im.To)
		}
		return s
	case cwlens.KindNoRetention:
		if f.Impact != nil && f.Impact.StoredBytes > 0 {
			return "never expires, " + FormatBytes(float64(f.Impact.StoredBytes)) + " stored"
		}
		return "never expires"
	case cwlens.KindVolumeConcentration:
		return formatValue(ev.Observed, ev.Unit) + " of the account's ingestion, was " + formatValue(ev.Baseline, ev.Unit)
	}
	return shorten(f.Summary)
}

// whatWidth bounds the summary's own sentence when it stands in for a short
// form; the findings table has the whole of it.
const whatWidth = 48

// shorten keeps the first clause of a sentence, cut to whatWidth runes.
func shorten(s string) string {
	s, _, _ = strings.Cut(s, "; ")
	if r := []rune(s); len(r) > whatWidth {
		s = strings.TrimRight(string(r[:whatWidth-1]), " ,:") + "…"
	}
	return s
}

// shortSize writes a task size as ECS takes it, "256/512" (CPU units/MiB).
func shortSize(t cwlens.TaskSize) string { return itoa(t.CPUUnits) + "/" + itoa(t.MemoryMiB) }

// periodName names the period of a finding's series: "day", "h".
func periodName(s *cwlens.Series) string {
	if s != nil && s.Period == cwlens.Hour {
		return "h"
	}
	if s != nil && s.Period != cwlens.Day && s.Period > 0 {
		return s.Period.String()
	}
	return "day"
}

// costLine is the totals of the summary: now, after the scenario, and the
// change a month and a year.
func costLine(p *Projection) string {
	// Yearly figures are shown only when the projection has them, as under
	// the projection table. A total with unknown lines says so.
	yearly := !p.CurrentYearly.IsZero() || !p.ProposedYearly.IsZero()
	s := nowSentence(p)
	if p.ProposedMonthly.Equal(p.CurrentMonthly) && allUnchanged(p) {
		if yearly {
			s += " (" + p.TotalUSD(p.CurrentYearly) + " a year)"
		}
		return s + "; no change proposed"
	}
	s += " → " + p.TotalUSD(p.ProposedMonthly) + " after the scenario: " + p.TotalDeltaUSD(p.DeltaMonthly) + " a month"
	if yearly {
		s += " (" + p.TotalDeltaUSD(p.DeltaYearly) + " a year)"
	}
	return s
}

// nowSentence is "monthly cost now" as the summary and the projection's
// notes say it: "monthly cost $137.35 now (the mean day of …; $131.87 if
// the last 24 h continued)".
func nowSentence(p *Projection) string {
	s := "monthly cost " + p.TotalUSD(p.CurrentMonthly) + " now"
	if b := p.NowBasis(); b != "" {
		s += " (" + b + ")"
	}
	return s
}

// NowBasis says what "monthly cost now" rests on and what the last 24 h
// would make of it, in the words every format uses: "the mean day of
// 2025-10-25 to 2025-10-31; $131.87 if the last 24 h continued". It is
// empty for a projection without a cost window.
func (p *Projection) NowBasis() string {
	if p.CostFrom.IsZero() || p.CostTo.IsZero() {
		return ""
	}
	return "the mean day of " + FormatDay(p.CostFrom) + " to " + FormatDay(p.CostTo.Add(-cwlens.Day)) +
		"; " + p.TotalUSD(p.RunRateMonthly) + " " + RunRateWords
}

// RunRateWords name the run-rate total in every format.
const RunRateWords = "if the last 24 h continued"

// allUnchanged reports whether no line of p has a proposed figure of its own.
func allUnchanged(p *Projection) bool {
	for _, l := range p.Lines {
		if l.Change != "" || !l.Delta.Equal(decimal.Zero) {
			return false
		}
	}
	return true
}
