package pricing

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// Project prices snap, read as snap.AsOf(opts.At) reads it, now and under
// the scenario sc (nil for none) with the prices in book. Every line names its usage type, quantity and unit price;
// each line's monthly figure is rounded to the cent from the unrounded
// quantity × price, and the totals are the sums of those shown figures.
//
// Changes AWS would not accept as written (a CPU/memory pair that is not a
// Fargate size, a retention CloudWatch does not offer) are listed in
// Rejected with the nearest valid alternative and its cost; the rest is still
// projected. Usages the book cannot price are listed in Unknown and left out
// of the totals, never shown as $0. A scenario naming a service or log group
// the snapshot lacks is refused with an *cwlens.InputError.
func Project(snap *cwlens.Snapshot, sc *Scenario, book *Book, opts Options) (*cwlens.Projection, error) {
	if snap == nil || book == nil {
		return nil, errors.New("project: snapshot and price book are required")
	}
	snap = snap.AsOf(opts.at(snap))
	res := &resolved{}
	if sc != nil && len(sc.Changes) > 0 {
		var err error
		if res, err = sc.resolve(snap, newIndex(snap)); err != nil {
			return nil, err
		}
	}
	pr := &projector{
		snap: snap, book: book, region: snap.Region, hours: opts.hours(), at: opts.at(snap),
		p:         &cwlens.Projection{Region: snap.Region, PricesAsOf: book.AsOf, HoursPerMonth: int(opts.hours()), Rejected: []cwlens.RejectedChange{}},
		used:      map[string]Price{},
		prices:    map[string]priceResult{},
		buf:       make([]float64, 0, 64),
		states:    map[stateKey]pricedState{},
		lineCount: len(snap.Services)*3 + len(snap.LogGroups)*2,
	}
	pr.p.Lines = make([]cwlens.ProjectionLine, 0, pr.lineCount)
	pr.p.CostFrom, pr.p.CostTo = CostWindow(pr.at)
	for i := range snap.Services {
		pr.service(&snap.Services[i], res.services[i])
	}
	for i := range snap.LogGroups {
		pr.logGroup(&snap.LogGroups[i], res.logGroups[i])
	}
	pr.tiered()
	for i := range pr.p.Lines {
		l := &pr.p.Lines[i]
		l.CurrentYearly, l.ProposedYearly = l.CurrentMonthly.Mul(d12), l.ProposedMonthly.Mul(d12)
		pr.p.CurrentMonthly = pr.p.CurrentMonthly.Add(l.CurrentMonthly)
		pr.p.ProposedMonthly = pr.p.ProposedMonthly.Add(l.ProposedMonthly)
		if l.RunRateMonthly != nil {
			pr.p.RunRateMonthly = pr.p.RunRateMonthly.Add(*l.RunRateMonthly)
		} else {
			pr.p.RunRateMonthly = pr.p.RunRateMonthly.Add(l.CurrentMonthly)
		}
	}
	pr.p.CurrentYearly, pr.p.ProposedYearly = pr.p.CurrentMonthly.Mul(d12), pr.p.ProposedMonthly.Mul(d12)
	pr.assumptions()
	pr.p.Assumptions = append(pr.p.Assumptions, pr.scanCost())
	return pr.p, nil
}

type projector struct {
	snap      *cwlens.Snapshot
	book      *Book
	region    string
	hours     int64
	at        time.Time // the evaluation time
	p         *cwlens.Projection
	used      map[string]Price
	extra     []string                // assumptions stated by scenario changes
	queued    []cwlens.ProjectionLine // lines placed by placeLines
	outside   []string                // services not on Fargate, not priced
	measured  []string                // services priced on the task-hours they ran
	lineCount int
	prices    map[string]priceResult
	buf       []float64 // scratch for medians
	states    map[stateKey]pricedState
}

// lookup prices a usage-type suffix in the projection's Region, once.
func (pr *projector) lookup(suffix string) (Price, error) {
	if r, ok := pr.prices[suffix]; ok {
		return r.p, r.err
	}
	p, err := pr.book.Lookup(pr.region, suffix)
	pr.prices[suffix] = priceResult{p, err}
	return p, err
}

type priceResult struct {
	p   Price
	err error
}

// stateKey identifies a task state; services of one size, count and
// strategy cost the same, so they are priced once.
type stateKey struct {
	cpu, mem, tasks, eph int
	arch, strategy       string
	windows              bool
	taskHours            string
}

type pricedState struct {
	us  []usage
	ps  []Price
	err error
}

// priced returns st's usages and their prices, memoized.
func (pr *projector) priced(st taskState) ([]usage, []Price, error) {
	b := make([]byte, 0, 32)
	for _, it := range st.Strategy {
		b = append(b, it.CapacityProvider...)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(it.Base), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(it.Weight), 10)
		b = append(b, ';')
	}
	k := stateKey{st.CPUUnits, st.MemoryMiB, st.Tasks, st.EphemeralGiB, st.Architecture, string(b), st.Windows, ""}
	if st.TaskHours != nil {
		k.taskHours = st.TaskHours.String()
	}
	if r, ok := pr.states[k]; ok {
		return r.us, r.ps, r.err
	}
	us, err := computeUsages(st, pr.hours)
	var ps []Price
	if err == nil {
		if ps, err = pr.priceAll(us); err == nil {
			fix(us, ps)
		}
	}
	pr.states[k] = pricedState{us, ps, err}
	return us, ps, err
}

func (pr *projector) unknown(subject, usageType, reason string) {
	pr.p.Unknown = append(pr.p.Unknown, cwlens.UnknownPrice{Subject: subject, UsageType: usageType, Reason: reason})
}

// priceAll prices every usage, reporting the first it cannot.
func (pr *projector) priceAll(us []usage) ([]Price, error) {
	out := make([]Price, len(us))
	for i, u := range us {
		p, err := pr.lookup(u.Suffix)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

func monthlyOf(us []usage, ps []Price) decimal.Decimal {
	t := decimal.Zero
	for i := range us {
		t = t.Add(Cents(us[i].Quantity.Mul(ps[i].USD)))
	}
	return t
}

func strategyFor(c Change) []cwlens.CapacityProviderItem {
	switch {
	case c.SpotPercent.Equal(d100) && c.Base == 0:
		return []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderSpot, Weight: 1}}
	case c.SpotPercent.IsZero():
		return []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderFargate, Base: c.Base, Weight: 1}}
	}
	// Weights are whole numbers 0–1000 in ECS; a share in percent with up
	// to one decimal fits.
	spot := c.SpotPercent.Mul(decimal.NewFromInt(10)).Round(0).IntPart()
	return []cwlens.CapacityProviderItem{
		{CapacityProvider: cwlens.ProviderFargate, Base: c.Base, Weight: int(1000 - spot)},
		{CapacityProvider: cwlens.ProviderSpot, Weight: int(spot)},
	}
}

func (pr *projector) service(s *cwlens.Service, changes []Change) {
	subject := s.ID()
	if !s.OnFargate() {
		// EC2 (and EXTERNAL) capacity is the instances', billed per
		// instance: not a Fargate cost, and not an unknown price.
		pr.outside = append(pr.outside, subject)
		return
	}
	cur := currentTaskState(s)
	ranNote := ""
	if th, n, ok := MonthlyTaskHours(s, pr.at, pr.hours); ok {
		// What ran, not what is desired now: an autoscaled or stopped
		// service is billed for its tasks' hours.
		cur.TaskHours = &th
		from, to := CostWindow(pr.at)
		ranNote = fmt.Sprintf("task-hours: %s a month, the mean of %d hours of %s from %s to %s × %d h",
			th.Round(1).String(), n, s.TaskHoursSource, from.Format(time.DateOnly), to.Add(-time.Nanosecond).Format(time.DateOnly), pr.hours)
		pr.measured = append(pr.measured, subject)
	}
	curUs, curPs, err := pr.priced(cur)
	if err != nil {
		var ue *UnknownPriceError
		if errors.As(err, &ue) {
			pr.unknown(subject, ue.UsageType, "current cost unknown: "+err.Error())
		} else {
			pr.unknown(subject, "", err.Error())
		}
		return
	}
	prop := cur
	var applied []string
	var resize *Change
	for i := range changes {
		c := changes[i]
		switch c.Kind {
		case ChangeResize:
			resize = &changes[i]
			continue
		case ChangeCapacity:
			prop.Strategy = strategyFor(c)
		case ChangeArchitecture:
			prop.Architecture = c.Architecture
		case ChangeDesiredCount:
			prop.Tasks, prop.TaskHours = c.DesiredCount, nil
		}
		applied = append(applied, c.String())
	}
	if resize != nil {
		want := cwlens.TaskSize{CPUUnits: cmp0(resize.CPUUnits, cur.CPUUnits), MemoryMiB: cmp0(resize.MemoryMiB, cur.MemoryMiB)}
		if cwlens.ValidFargateSize(want.CPUUnits, want.MemoryMiB) {
			prop.CPUUnits, prop.MemoryMiB = want.CPUUnits, want.MemoryMiB
			applied = append([]string{resize.String()}, applied...)
		} else {
			pr.reject(subject, *resize, want, prop)
		}
	}
	propUs, propPs, err := pr.priced(prop)
	note := ranNote
	if err != nil {
		pr.unknown(subject, unknownType(err), fmt.Sprintf("%s not projected: %v", strings.Join(applied, ", "), err))
		propUs, propPs, applied = curUs, curPs, nil
		note = joinNote(note, "change not projected: its price is unknown")
	}
	for _, p := range curPs {
		pr.used[p.UsageType] = p
	}
	for _, p := range propPs {
		pr.used[p.UsageType] = p
	}
	if cur.Windows {
		note = joinNote(note, windowsMinimumNote)
	}
	if s.RunningCount > s.DesiredCount {
		note = joinNote(note, fmt.Sprintf("%d tasks running for %d desired: a rollout in progress; the extra tasks are transient and not projected", s.RunningCount, s.DesiredCount))
	}
	change := strings.Join(applied, ", ")
	for i, pair := range pairUsages(curUs, propUs) {
		var cu, pu *usage
		var cp, pp *Price
		if pair[0] >= 0 {
			cu, cp = &curUs[pair[0]], &curPs[pair[0]]
		}
		if pair[1] >= 0 {
			pu, pp = &propUs[pair[1]], &propPs[pair[1]]
		}
		n := ""
		if i == 0 {
			n = note
		}
		pr.line(subject, cu, pu, cp, pp, change, n)
	}
}

// windowsMinimumNote says why the Windows minimum charge is not in the
// figures: the scan has each hour's mean running tasks, not when each task
// started and stopped, so a task shorter than the minimum cannot be told
// apart; tasks that run longer are unaffected.
var windowsMinimumNote = fmt.Sprintf("Windows tasks are billed at least %d minutes each (Linux: %d), not applied here: "+
	"the task-hours do not say when each task started and stopped; a task that stops sooner costs more than shown",
	int(MinimumChargeWindows.Minutes()), int(MinimumChargeLinux.Minutes()))

func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "; " + b
}

func unknownType(err error) string {
	var ue *UnknownPriceError
	if errors.As(err, &ue) {
		return ue.UsageType
	}
	return ""
}

func (pr *projector) reject(subject string, c Change, want cwlens.TaskSize, prop taskState) {
	rc := cwlens.RejectedChange{Subject: subject, Change: fmt.Sprintf("resize to %d CPU / %d MiB", want.CPUUnits, want.MemoryMiB)}
	valid := cwlens.FargateMemoryMiB(want.CPUUnits)
	if valid == nil {
		rc.Reason = fmt.Sprintf("%d CPU units is not a Fargate task size (Fargate takes %s CPU units)", want.CPUUnits, joinInts(cwlens.FargateCPUUnits()))
	} else {
		rc.Reason = fmt.Sprintf("%d CPU units (%s vCPU) with %d MiB is not a Fargate task size: %s vCPU takes %s MiB",
			want.CPUUnits, vcpuString(want.CPUUnits), want.MemoryMiB, vcpuString(want.CPUUnits), joinMemory(valid))
	}
	near, err := cwlens.NearestFargateSize(want.CPUUnits, want.MemoryMiB)
	if err != nil {
		rc.Reason += "; " + err.Error()
		pr.p.Rejected = append(pr.p.Rejected, rc)
		return
	}
	rc.Alternative = fmt.Sprintf("resize to %d CPU / %d MiB (the nearest valid size not below the request)", near.CPUUnits, near.MemoryMiB)
	alt := prop
	alt.CPUUnits, alt.MemoryMiB = near.CPUUnits, near.MemoryMiB
	if us, ps, err := pr.priced(alt); err == nil {
		m := monthlyOf(us, ps)
		rc.AlternativeMonthly = &m
	}
	pr.p.Rejected = append(pr.p.Rejected, rc)
}

func vcpuString(units int) string {
	return decimal.NewFromInt(int64(units)).Div(d1024).String()
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}

func joinMemory(v []int) string {
	if len(v) > 4 {
		return fmt.Sprintf("%d–%d in steps of %d", v[0], v[len(v)-1], v[1]-v[0])
	}
	s := joinInts(v)
	if i := strings.LastIndex(s, ", "); i >= 0 {
		s = s[:i] + " or " + s[i+2:]
	}
	return s
}

// pairUsages pairs current and proposed usages of the same resource so that
// a move to another meter (Spot, ARM, IA) reads as one line: the same usage
// type first, then in order. Unpaired usages get -1 on the other side.
func pairUsages(cur, prop []usage) [][2]int {
	var out [][2]int
	usedP := make([]bool, len(prop))
	var order []string
	for _, u := range cur {
		if !slices.Contains(order, u.Resource) {
			order = append(order, u.Resource)
		}
	}
	for _, u := range prop {
		if !slices.Contains(order, u.Resource) {
			order = append(order, u.Resource)
		}
	}
	for _, res := range order {
		var cs []int
		for i, u := range cur {
			if u.Resource == res {
				cs = append(cs, i)
			}
		}
		var left []int
		for _, ci := range cs {
			match := -1
			for j, u := range prop {
				if !usedP[j] && u.Resource == res && u.Suffix == cur[ci].Suffix {
					match = j
					break
				}
			}
			if match >= 0 {
				usedP[match] = true
				out = append(out, [2]int{ci, match})
			} else {
				left = append(left, ci)
			}
		}
		for _, ci := range left {
			match := -1
			for j, u := range prop {
				if !usedP[j] && u.Resource == res {
					match = j
					break
				}
			}
			if match >= 0 {
				usedP[match] = true
			}
			out = append(out, [2]int{ci, match})
		}
		for j, u := range prop {
			if !usedP[j] && u.Resource == res {
				usedP[j] = true
				out = append(out, [2]int{-1, j})
			}
		}
	}
	return out
}

func (pr *projector) line(subject string, cu, pu *usage, cp, pp *Price, change, note string) {
	l := cwlens.ProjectionLine{Subject: subject, Change: change, Note: note}
	switch {
	case cu != nil:
		l.Component, l.UsageType, l.Unit = cu.Component, cp.UsageType, cu.Unit
		l.CurrentQuantity, l.CurrentPrice = cu.Quantity, cp.USD
		l.CurrentMonthly = cu.monthlyAt(*cp)
		if cu.Baseline != nil {
			bm := Cents(cu.Baseline.Mul(cp.USD))
			l.BaselineQuantity, l.BaselineMonthly = cu.Baseline, &bm
		}
		if cu.RunRate != nil {
			rm := Cents(cu.RunRate.Mul(cp.USD))
			l.RunRateQuantity, l.RunRateMonthly = cu.RunRate, &rm
		}
	default:
		l.Component, l.UsageType, l.Unit = pu.Component, pp.UsageType, pu.Unit
		l.CurrentPrice = pp.USD
	}
	if pu != nil {
		l.ProposedQuantity, l.ProposedPrice = pu.Quantity, pp.USD
		l.ProposedMonthly = pu.monthlyAt(*pp)
		if pp.UsageType != l.UsageType {
			l.ProposedUsageType = pp.UsageType
		}
	} else {
		l.ProposedPrice = l.CurrentPrice
	}
	pr.p.Lines = append(pr.p.Lines, l)
}

func (pr *projector) logGroup(g *cwlens.LogGroup, changes []Change) {
	subject := g.Name
	class := g.Class
	if class == "" {
		class = cwlens.ClassStandard
	}
	inSuffix, ok := logIngestionSuffix(g, class)
	if !ok {
		pr.unknown(subject, "", fmt.Sprintf("log class %s: its ingestion price is not in the book", class))
		return
	}
	curUs := make([]usage, 0, 2)
	mean, days, okRun := MeanDay(g, pr.at)
	run, okLast := LastDay(g, pr.at)
	base, okBase := median(g.DailyIncomingBytes.Values[:wholeDays(g.DailyIncomingBytes, pr.at)], pr.buf)
	if okRun {
		u := usage{Resource: "ingestion", Component: "ingestion", Suffix: inSuffix, Unit: "GB", Quantity: monthlyGB(mean, pr.hours)}
		if okBase {
			b := monthlyGB(bytesDecimal(base), pr.hours)
			u.Baseline = &b
		}
		if okLast {
			r := monthlyGB(bytesDecimal(run.Bytes), pr.hours)
			u.RunRate = &r
		}
		curUs = append(curUs, u)
	} else {
		from, to := CostWindow(pr.at)
		pr.unknown(subject, UsageType(pr.region, inSuffix), fmt.Sprintf("no ingestion data in the snapshot for %s to %s", from.Format(time.DateOnly), to.Add(-cwlens.Day).Format(time.DateOnly)))
	}
	stored := decimal.New(g.StoredBytes, -9)
	curUs = append(curUs, usage{Resource: "storage", Component: "storage", Suffix: storageSuffix(class), Unit: "GB-Mo", Quantity: stored})
	curPs, err := pr.priceAll(curUs)
	storagePriced := true
	if last := len(curUs) - 1; err != nil && last > 0 && unknownType(err) == UsageType(pr.region, curUs[last].Suffix) {
		// Storage has no price in the book: ingestion is still priced, and
		// storage alone is listed as unknown.
		pr.unknown(subject, unknownType(err), "storage cost unknown: "+err.Error())
		curUs, storagePriced = curUs[:last], false
		curPs, err = pr.priceAll(curUs)
	}
	if err != nil {
		pr.unknown(subject, unknownType(err), "current cost unknown: "+err.Error())
		return
	}
	fix(curUs, curPs)
	propUs := slices.Clone(curUs)
	notes := make([]string, len(curUs))
	changeText := make([]string, len(curUs))
	var zeroLines []Change
	for _, c := range changes {
		switch c.Kind {
		case ChangeLogVolume:
			if !okRun {
				continue
			}
			keep := d100.Sub(c.CutPercent).Div(d100)
			propUs[0].Quantity = propUs[0].Quantity.Mul(keep)
			changeText[0] = joinNote(changeText[0], c.String())
			pr.extra = append(pr.extra, logVolumeAssumption(subject, c))
			notes[0] = joinNote(notes[0], "storage follows ingestion after one retention period; not projected here")
		case ChangeLogClass:
			if !okRun {
				continue
			}
			s, _ := logIngestionSuffix(g, c.LogClass)
			propUs[0].Suffix = s
			propUs[0].Component = "ingestion"
			if c.LogClass == cwlens.ClassInfrequentAccess {
				propUs[0].Component = "ingestion (IA)"
				notes[0] = joinNote(notes[0], iaNote)
			}
			changeText[0] = joinNote(changeText[0], c.String())
		case ChangeRetentionDays:
			if !storagePriced {
				continue // storage is listed as unknown
			}
			last := len(propUs) - 1
			if !slices.Contains(RetentionDays, c.RetentionDays) {
				pr.rejectRetention(g, c, curPs[last])
				continue
			}
			settled, traj := pr.retention(g, c.RetentionDays, curPs[last])
			propUs[last].Quantity = settled
			changeText[last] = joinNote(changeText[last], c.String())
			if traj != nil {
				pr.p.Trajectories = append(pr.p.Trajectories, *traj)
				notes[last] = joinNote(notes[last], fmt.Sprintf("settles after %d month(s); see the trajectory", len(traj.Monthly)))
			}
		case ChangeMetricFilter, ChangeDropPattern:
			zeroLines = append(zeroLines, c)
		}
	}
	for i := range propUs {
		if changeText[i] != "" {
			propUs[i].monthly = nil // changed: price it afresh
		}
	}
	propPs, err := pr.priceAll(propUs)
	if err != nil {
		pr.unknown(subject, unknownType(err), "change not projected: "+err.Error())
		propUs, propPs = curUs, curPs
		for i := range notes {
			notes[i], changeText[i] = "", ""
		}
	}
	for _, p := range curPs {
		pr.used[p.UsageType] = p
	}
	for _, p := range propPs {
		pr.used[p.UsageType] = p
	}
	if okRun {
		notes[0] = joinNote(pr.ingestionNote(g, mean, days, run, okLast, base, okBase, curPs[0]), notes[0])
	}
	for i := range curUs {
		pr.line(subject, &curUs[i], &propUs[i], &curPs[i], &propPs[i], changeText[i], notes[i])
	}
	for _, c := range zeroLines {
		pr.zeroLine(subject, inSuffix, c)
	}
}

// ingestionNote says where each ingestion figure of a log group came from:
// the mean day of the cost window, the last 24 h (or the day it fell back
// to), the peak day of the window when well above the run-rate, and the
// baseline.
func (pr *projector) ingestionNote(g *cwlens.LogGroup, mean decimal.Decimal, days int, run RunRate, okLast bool, base float64, okBase bool, p Price) string {
	from, to := CostWindow(pr.at)
	perDay := func(b decimal.Decimal) string {
		if d := Cents(b.Shift(-9).Mul(p.USD)); !d.IsZero() {
			return " = $" + d.StringFixed(2) + "/day"
		}
		return ""
	}
	m := mean.InexactFloat64()
	msg := fmt.Sprintf("now: mean day %s MB of %s to %s", mb(m), from.Format(time.DateOnly), to.Add(-cwlens.Day).Format(time.DateOnly))
	if days < CostDays {
		msg += fmt.Sprintf(" (%d of %d days with data)", days, CostDays)
	}
	msg += perDay(mean)
	if okLast {
		msg += "; if the last 24 h continued: " + mb(run.Bytes) + " MB/day " + run.Where(pr.at) + perDay(bytesDecimal(run.Bytes))
	}
	if peak, day, ok := PeakDay(g, pr.at, CostDays); ok && peak > 1.5*m {
		pb := bytesDecimal(peak)
		msg += fmt.Sprintf("; peak day of the last 7, %s: %s MB = $%s/day ($%s/month at that rate)", day.Format(time.DateOnly), mb(peak),
			Cents(pb.Shift(-9).Mul(p.USD)).StringFixed(2), Cents(monthlyGB(pb, pr.hours).Mul(p.USD)).StringFixed(2))
	}
	if okBase {
		msg += "; baseline " + mb(base) + " MB/day (median day)"
	}
	return msg
}

// mb formats a byte count in MB (10^6 bytes) for a note; it is not money.
func mb(bytes float64) string {
	return strconv.FormatFloat(bytes/1e6, 'f', 1, 64)
}

const iaNote = "Infrequent Access: ingestion at the IA rate, storage at the Standard rate; a group's class cannot be changed after creation, so this means a new log group; IA groups support only a subset of Standard features — in Logs Insights no pattern, diff, filterIndex or unmask (AWS docs CWL_AnalyzeLogData_Classes)"

func logVolumeAssumption(subject string, c Change) string {
	s := fmt.Sprintf("%s: ingestion cut by %s %%", subject, c.CutPercent.String())
	if c.LogLevel != "" {
		s = fmt.Sprintf("%s: log level %s assumed to drop %s %% of the lines, and bytes assumed to fall in proportion", subject, c.LogLevel, c.CutPercent.String())
	}
	if c.Assumption != "" {
		s += " (" + c.Assumption + ")"
	}
	return s
}

func (pr *projector) zeroLine(subject, inSuffix string, c Change) {
	if c.Kind == ChangeMetricFilter {
		pr.metricFilterLine(subject, c)
		return
	}
	reason := "saves $0: CloudWatch Logs cannot drop events at ingestion (metric filters, subscription filters and transformers all act on ingested events); drop them upstream (log level, FireLens/Fluent Bit filter) and state the cut as log_volume"
	p, err := pr.lookup(inSuffix)
	l := cwlens.ProjectionLine{Subject: subject, Component: string(c.Kind), UsageType: UsageType(pr.region, inSuffix), Unit: "GB",
		Change: c.String(), Note: reason}
	if err == nil {
		l.CurrentPrice, l.ProposedPrice = p.USD, p.USD
	}
	pr.p.Lines = append(pr.p.Lines, l)
}

// metricFilterLine is the cost of a metric filter the scenario adds: it
// saves nothing on ingestion and publishes one more custom metric, priced
// once the account's metrics are counted (customMetrics).
func (pr *projector) metricFilterLine(subject string, c Change) {
	ut := UsageType(pr.region, UsageCustomMetrics)
	if _, err := pr.lookup(UsageCustomMetrics); err != nil {
		pr.unknown(subject, ut, "the metric filter's metric is a custom metric: "+err.Error())
	}
	pr.p.Lines = append(pr.p.Lines, cwlens.ProjectionLine{Subject: subject, Component: string(c.Kind), UsageType: ut, Unit: "Metrics",
		ProposedQuantity: decimal.NewFromInt(1), Change: c.String(),
		Note: "saves $0 on ingestion: a metric filter counts matching events after they are ingested; it never drops them; its metric is one more custom metric (without dimensions), at the account's next band"})
}

// storageDays estimates how many days of ingestion a group's stored bytes
// hold, in exact hours (a group created 62 hours before the scan holds 2.58
// days, not 2): its retention, or its age at the scan when it never expires
// or is younger; at least an hour.
func (pr *projector) storageDays(g *cwlens.LogGroup) decimal.Decimal {
	hours := int64(pr.snap.CapturedAt.Sub(g.CreationTime) / time.Hour)
	if g.CreationTime.IsZero() || hours < 1 {
		hours = 1
	}
	age := decimal.NewFromInt(hours).Div(d24)
	if g.RetentionDays != nil {
		return decimal.Min(age, decimal.NewFromInt(int64(*g.RetentionDays)))
	}
	return age
}

// retention projects the stored volume after a retention change, assuming
// the group keeps storing what it stored per day so far: a cut settles in
// the first month (CloudWatch deletes expired events), a longer retention
// grows month by month until the new retention is full.
func (pr *projector) retention(g *cwlens.LogGroup, days int, p Price) (decimal.Decimal, *cwlens.Trajectory) {
	held := pr.storageDays(g)
	perDay := decimal.NewFromInt(g.StoredBytes).Div(GB).Div(held)
	monthDays := decimal.NewFromInt(pr.hours).Div(d24)
	traj := &cwlens.Trajectory{Subject: g.Name, Component: "storage"}
	r := decimal.NewFromInt(int64(days))
	var q decimal.Decimal
	for m := 1; m <= 120; m++ {
		span := r
		if r.GreaterThan(held) {
			span = decimal.Min(r, held.Add(monthDays.Mul(decimal.NewFromInt(int64(m)))))
		}
		q = perDay.Mul(span)
		v := Cents(q.Mul(p.USD))
		if n := len(traj.Monthly); n > 0 && traj.Monthly[n-1].Equal(v) {
			break
		}
		traj.Monthly = append(traj.Monthly, v)
	}
	return q, traj
}

func (pr *projector) rejectRetention(g *cwlens.LogGroup, c Change, p Price) {
	rc := cwlens.RejectedChange{Subject: g.Name, Change: c.String(),
		Reason: fmt.Sprintf("CloudWatch Logs keeps events for %s days only", joinInts(RetentionDays))}
	i := sort.SearchInts(RetentionDays, c.RetentionDays)
	if i < len(RetentionDays) {
		alt := RetentionDays[i]
		rc.Alternative = fmt.Sprintf("retention_days %d (the nearest allowed value not shorter than asked)", alt)
		q, _ := pr.retention(g, alt, p)
		m := Cents(q.Mul(p.USD))
		rc.AlternativeMonthly = &m
	}
	pr.p.Rejected = append(pr.p.Rejected, rc)
}

// costWindowAssumption defines "monthly cost now" and its run-rate.
func (pr *projector) costWindowAssumption() string {
	from, to := CostWindow(pr.at)
	return fmt.Sprintf("Monthly cost now: log ingestion at the mean day of the %d whole UTC days before the evaluation time (%s to %s; IncomingBytes) × %d h / 24, beside the baseline (the median whole day before then); \"if the last 24 h continued\" prices instead the IncomingBytes of the 24 hours before %s UTC (or the last whole day with data) the same way",
		CostDays, from.Format(time.DateOnly), to.Add(-cwlens.Day).Format(time.DateOnly), pr.hours, pr.at.Format("2006-01-02 15:04"))
}

func (pr *projector) assumptions() {
	var lo, hi, spot time.Time
	var spotTypes []string
	for _, p := range pr.used {
		if p.Spot {
			if p.Effective.After(spot) {
				spot = p.Effective
			}
			spotTypes = append(spotTypes, p.UsageType)
			continue
		}
		if lo.IsZero() || p.Effective.Before(lo) {
			lo = p.Effective
		}
		if p.Effective.After(hi) {
			hi = p.Effective
		}
	}
	a := []string{fmt.Sprintf("Prices: AWS list prices (USD) for %s from the price book as of %s", pr.region, pr.book.AsOf.Format(time.DateOnly))}
	if !lo.IsZero() {
		a[0] += fmt.Sprintf(", on-demand prices effective %s to %s; sources in the book", lo.Format(time.DateOnly), hi.Format(time.DateOnly))
	}
	if len(spotTypes) > 0 {
		sort.Strings(spotTypes)
		a = append(a, fmt.Sprintf("Fargate Spot: %s at the Spot prices published %s; Spot prices float, so actual charges differ", strings.Join(spotTypes, ", "), spot.Format(time.DateOnly)))
	}
	a = append(a,
		fmt.Sprintf("A month is %d hours; a year is 12 months", pr.hours),
		"Fargate: the configured task size is billed (vCPU = CPU units / 1024; GB = MiB / 1024, i.e. GiB) for the desired tasks, in steady state; tasks are split across the capacity provider strategy as ECS does (base first, the rest by weight, whole tasks)",
		pr.costWindowAssumption(),
		"CloudWatch Logs: a GB is 10^9 bytes; storage is stored bytes × the GB-month price; the free tier (5 GB a month) is not deducted",
		"Rounding: each line's monthly figure is quantity × price rounded to the cent; totals are the sums of the shown lines; yearly = 12 × monthly",
	)
	if len(pr.measured) > 0 {
		from, to := CostWindow(pr.at)
		a = append(a, fmt.Sprintf("Fargate task-hours: %s are billed for the task-hours they ran from %s to %s (Container Insights RunningTaskCount, mean per hour × %d h), not their desired count; a resize or Spot change applies to the same task-hours",
			strings.Join(pr.measured, ", "), from.Format(time.DateOnly), to.Add(-time.Nanosecond).Format(time.DateOnly), pr.hours))
	}
	if len(pr.outside) > 0 {
		a = append(a, fmt.Sprintf("Not priced: %s run outside Fargate (EC2, EXTERNAL or their own capacity providers); EC2 capacity is billed per instance, outside this report", strings.Join(pr.outside, ", ")))
	}
	a = append(a, pr.extra...)
	pr.p.Assumptions = a
}
