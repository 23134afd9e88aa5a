package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// ScanMetrics returns how many series of snap the scan read with
// GetMetricData: a lower bound of the metrics it requested, which
// CloudWatch bills per metric requested (a series that spans several pages
// is requested once per page).
func ScanMetrics(snap *cwlens.Snapshot) int {
	n := 0
	count := func(ss ...cwlens.Series) {
		for _, s := range ss {
			if !s.IsZero() {
				n++
			}
		}
	}
	for i := range snap.LogGroups {
		g := &snap.LogGroups[i]
		count(g.DailyIncomingBytes, g.DailyIncomingEvents, g.HourlyIncomingBytes, g.HourlyIncomingEvents)
		for _, f := range g.MetricFilters {
			count(f.Counts, f.Values)
		}
	}
	for i := range snap.Services {
		s := &snap.Services[i]
		count(s.CPUAverage, s.CPUMaximum, s.MemoryAverage, s.MemoryMaximum, s.TaskHours)
	}
	return n
}

// scanCost states what cwlens's own scan costs: GetMetricData is billed
// per 1,000 metrics requested and is not in the free tier
// (https://aws.amazon.com/cloudwatch/pricing/, "API requests").
func (pr *projector) scanCost() string {
	n := ScanMetrics(pr.snap)
	s := fmt.Sprintf("cwlens's own scan: this snapshot holds %d series read with GetMetricData, so the scan requested at least %d metrics (a series read in several pages counts once per page)", n, n)
	p, err := pr.lookup(UsageGMDMetrics)
	if err != nil {
		return s + fmt.Sprintf("; their price (%s) is not in the book for %s", UsageType(pr.region, UsageGMDMetrics), pr.region)
	}
	per := decimal.NewFromInt(int64(n)).Mul(p.USD)
	days := decimal.NewFromInt(pr.hours).Div(d24)
	return s + fmt.Sprintf(" at $%s each (%s, not in the free tier): about $%s a scan, $%s a month if it runs daily; the sample it reads with FilterLogEvents has no price of its own in the book; neither is in the totals",
		p.USD, p.UsageType, smallUSD(per), smallUSD(per.Mul(days)))
}

// smallUSD writes an amount to the cent, or exactly when it is under a cent
// (a scan of a small account costs a fraction of one).
func smallUSD(d decimal.Decimal) string {
	if d.LessThan(decimal.New(1, -2)) {
		return d.Round(6).String()
	}
	return d.StringFixed(2)
}
