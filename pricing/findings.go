package pricing

import (
	"github.com/shopspring/decimal"
	"math"

	"github.com/cwlens/cwlens"
)

// PriceFindings sets MonthlyCostUSD on each finding from its Impact, with the
// prices in book for snap's Region:
//
//   - ingestion (IngestedBytesPerMonth) at the ingestion price of the log
//     group's class;
//   - a resize (From, To, Tasks) as the monthly difference between From and
//     To on on-demand Fargate of the service's architecture and operating
//     system, for the task-hours it ran (Service.TaskHours over the cost
//     window, as the projection prices it) or else for Tasks tasks:
//     what an over-provisioned size wastes, or what the larger size a
//     near-capacity service needs would add — the amount at stake either way;
//   - a group that never expires (StoredBytes) as the monthly storage of what
//     it holds, a cost that grows with every month of ingestion.
//
// Parts add up. A finding without Impact, or one whose price is unknown, keeps
// MonthlyCostUSD nil: unknown is never $0.
func PriceFindings(findings []cwlens.Finding, snap *cwlens.Snapshot, book *Book, opts Options) {
	for i := range findings {
		findings[i].MonthlyCostUSD = priceImpact(&findings[i], snap, book, opts)
	}
}

func priceImpact(f *cwlens.Finding, snap *cwlens.Snapshot, book *Book, opts Options) *decimal.Decimal {
	im := f.Impact
	if im == nil {
		return nil
	}
	region := snap.Region
	total := decimal.Zero
	priced := false
	if im.IngestedBytesPerMonth != 0 {
		p, ok := ingestionPrice(snap, f.Subject, book)
		if !ok {
			return nil
		}
		bytes := im.IngestedBytesPerMonth
		if math.IsNaN(bytes) || math.IsInf(bytes, 0) {
			return nil // not a number of bytes: unknown, never a panic or $0
		}
		total = total.Add(decimal.NewFromFloat(bytes).Div(GB).Mul(p.USD))
		priced = true
	}
	if im.StoredBytes != 0 {
		p, err := book.Lookup(region, UsageLogsStorage)
		if err != nil {
			return nil
		}
		total = total.Add(decimal.NewFromInt(im.StoredBytes).Div(GB).Mul(p.USD))
		priced = true
	}
	if im.From != nil && im.To != nil && im.Tasks > 0 {
		st := resizeState(snap, f.Subject, im.Tasks, opts)
		st.CPUUnits, st.MemoryMiB = im.From.CPUUnits, im.From.MemoryMiB
		from, err1 := stateMonthly(book, region, st, opts.hours())
		st.CPUUnits, st.MemoryMiB = im.To.CPUUnits, im.To.MemoryMiB
		to, err2 := stateMonthly(book, region, st, opts.hours())
		if err1 != nil || err2 != nil {
			return nil
		}
		total = total.Add(from.Sub(to).Abs())
		priced = true
	}
	if !priced {
		return nil
	}
	t := Cents(total)
	return &t
}

// resizeState is the on-demand Fargate state a resize of subject is priced
// in: its architecture and operating system, and the task-hours it ran
// over the cost window where the snapshot has them (as "monthly cost now"
// prices it), else tasks tasks all month.
func resizeState(snap *cwlens.Snapshot, subject string, tasks int, opts Options) taskState {
	st := taskState{Architecture: cwlens.ArchX86_64, Tasks: tasks,
		Strategy: []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderFargate, Weight: 1}}}
	for j := range snap.Services {
		s := &snap.Services[j]
		if s.ID() != subject {
			continue
		}
		if s.Architecture != "" {
			st.Architecture = s.Architecture
		}
		st.Windows = s.IsWindows()
		if th, _, ok := MonthlyTaskHours(s, opts.at(snap), opts.hours()); ok {
			st.TaskHours = &th
		}
	}
	return st
}

// ingestionPrice returns the ingestion price of the log group subject's
// class (Standard when the snapshot lacks the group) in snap's Region.
func ingestionPrice(snap *cwlens.Snapshot, subject string, book *Book) (Price, bool) {
	class := cwlens.ClassStandard
	if g := snap.LogGroup(subject); g != nil && g.Class != "" {
		class = g.Class
	}
	suffix, ok := ingestionSuffix(class)
	if !ok {
		return Price{}, false
	}
	p, err := book.Lookup(snap.Region, suffix)
	return p, err == nil
}

// PricePastEpisodes sets CostUSD on each past episode: what its bytes above
// the baseline cost once, at the group's ingestion price, to the cent. An
// episode whose price is unknown keeps CostUSD nil: unknown is never $0.
func PricePastEpisodes(eps []cwlens.PastEpisode, snap *cwlens.Snapshot, book *Book) {
	for i := range eps {
		p, ok := ingestionPrice(snap, eps[i].Subject, book)
		if x := eps[i].Extra; !ok || eps[i].Unit != cwlens.UnitBytes || math.IsNaN(x) || math.IsInf(x, 0) {
			eps[i].CostUSD = nil
			continue
		}
		c := Cents(decimal.NewFromFloat(eps[i].Extra).Div(GB).Mul(p.USD))
		eps[i].CostUSD = &c
	}
}
