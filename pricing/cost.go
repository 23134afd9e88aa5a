package pricing

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// DefaultHoursPerMonth is the month AWS's own calculators use: 730 hours.
const DefaultHoursPerMonth = 730

// Options tune a projection.
type Options struct {
	// HoursPerMonth is the length of a month in hours; 0 means 730.
	HoursPerMonth int
	// At is the evaluation time: ingestion's run-rate is the 24 hours
	// before it, its baseline and peak the whole days before it. Zero means
	// the end of the snapshot's window.
	At time.Time
}

func (o Options) at(snap *cwlens.Snapshot) time.Time {
	if !o.At.IsZero() {
		return o.At
	}
	return snap.Window.End
}

func (o Options) hours() int64 {
	if o.HoursPerMonth > 0 {
		return int64(o.HoursPerMonth)
	}
	return DefaultHoursPerMonth
}

// GB is the number of bytes in the GB that CloudWatch Logs bills (10^9; see
// docs/scenario.md "GB convention"). Fargate's "GB" of memory is different:
// it is the configured MiB divided by 1024 (512 MiB = 0.5 GB).
var GB = decimal.New(1, 9)

var (
	d1024 = decimal.NewFromInt(1024)
	d24   = decimal.NewFromInt(24)
	d12   = decimal.NewFromInt(12)
	d100  = decimal.NewFromInt(100)
	// includedEphemeralGiB is the task storage Fargate includes for free.
	includedEphemeralGiB = 20
)

// Fargate bills a task per second from the start of its image pull to its
// stop, with a minimum charge per task: one minute for Linux, five for
// Windows (AWS Fargate pricing, https://aws.amazon.com/fargate/pricing/).
const (
	MinimumChargeLinux   = time.Minute
	MinimumChargeWindows = 5 * time.Minute
)

// Cents rounds an amount to the cent, the precision every shown line has.
func Cents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// taskState is what a service's cost depends on.
type taskState struct {
	CPUUnits     int
	MemoryMiB    int
	Architecture string
	Tasks        int
	Strategy     []cwlens.CapacityProviderItem
	EphemeralGiB int
	// Windows tasks are metered on their own usage types, with an OS
	// licence per vCPU-hour (AWS Fargate pricing,
	// https://aws.amazon.com/fargate/pricing/): never as Linux.
	Windows bool
	// TaskHours, when set, are the task-hours a month runs (measured,
	// see MonthlyTaskHours): they replace Tasks × hours per month, and
	// Tasks only splits them over the strategy.
	TaskHours *decimal.Decimal
}

// MonthlyTaskHours returns the task-hours a month of hours hours runs at
// the rate the service ran over the cost window before at (CostWindow):
// the mean of its hourly task-hours there × hours, and how many hours of
// the window had data. ok is false when none had: the caller falls back
// to the desired count.
func MonthlyTaskHours(s *cwlens.Service, at time.Time, hours int64) (th decimal.Decimal, present int, ok bool) {
	from, to := CostWindow(at)
	x := s.TaskHours
	if x.Period <= 0 {
		return decimal.Zero, 0, false
	}
	sum := decimal.Zero
	for i, v := range x.Values {
		if t := x.Time(i); t.Before(from) || t.Add(x.Period).After(to) || cwlens.IsMissing(v) {
			continue
		}
		sum = sum.Add(decimal.NewFromFloat(v))
		present++
	}
	if present == 0 {
		return decimal.Zero, 0, false
	}
	// per period → per hour → per month
	perHour := sum.Div(decimal.NewFromInt(int64(present))).Div(decimal.NewFromFloat(x.Period.Hours()))
	return perHour.Mul(decimal.NewFromInt(hours)), present, true
}

func currentTaskState(s *cwlens.Service) taskState {
	st := taskState{CPUUnits: s.CPUUnits, MemoryMiB: s.MemoryMiB, Architecture: s.Architecture,
		Tasks: s.DesiredCount, Strategy: s.CapacityProviderStrategy, EphemeralGiB: s.EphemeralStorageGiB, Windows: s.IsWindows()}
	if len(st.Strategy) == 0 {
		lt := s.LaunchType
		if lt == "" {
			lt = cwlens.LaunchFargate
		}
		st.Strategy = []cwlens.CapacityProviderItem{{CapacityProvider: lt, Weight: 1}}
	}
	if st.Architecture == "" {
		st.Architecture = cwlens.ArchX86_64
	}
	return st
}

// SplitTasks distributes n tasks over a capacity provider strategy the way
// ECS does: the provider with a base gets up to base tasks first, and the
// rest are shared in proportion to the weights (ECS API reference,
// CapacityProviderStrategyItem: "base … how many tasks, at a minimum, to run
// on the specified capacity provider"; "weight … the relative percentage of
// the total number of tasks launched that should use the specified capacity
// provider … after the base value, if defined, is satisfied"). A task runs
// on one provider, so shares are whole tasks: largest remainder, ties to the
// provider listed first. The result is indexed like strategy.
func SplitTasks(n int, strategy []cwlens.CapacityProviderItem) []int {
	out := make([]int, len(strategy))
	if n <= 0 || len(strategy) == 0 {
		return out
	}
	rest := n
	for i, it := range strategy {
		if it.Base > 0 && rest > 0 {
			b := min(it.Base, rest)
			out[i] += b
			rest -= b
		}
	}
	total := 0
	for _, it := range strategy {
		total += max(it.Weight, 0)
	}
	if rest == 0 {
		return out
	}
	if total == 0 {
		// ECS needs a weight above zero somewhere; with none, the tasks
		// beyond the base stay on the first provider.
		out[0] += rest
		return out
	}
	type rem struct{ i, r int }
	rems := make([]rem, 0, len(strategy))
	given := 0
	for i, it := range strategy {
		w := max(it.Weight, 0)
		q := rest * w / total
		out[i] += q
		given += q
		rems = append(rems, rem{i, rest * w % total})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; given < rest; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	return out
}

// usage is one metered quantity of a subject before it is priced.
type usage struct {
	Resource  string // vCPU, memory, ephemeral storage, ingestion, storage
	Provider  string // FARGATE or FARGATE_SPOT for compute; "" otherwise
	Suffix    string // usage-type suffix
	Unit      string
	Quantity  decimal.Decimal
	Baseline  *decimal.Decimal // ingestion at the baseline rate
	RunRate   *decimal.Decimal // ingestion if the last 24 h continued
	Component string
	// monthly caches Quantity × price to the cent once priced; a change to
	// the usage must clear it.
	monthly *decimal.Decimal
}

// monthlyAt returns the usage's monthly cost at p, to the cent.
func (u *usage) monthlyAt(p Price) decimal.Decimal {
	if u.monthly != nil {
		return *u.monthly
	}
	return Cents(u.Quantity.Mul(p.USD))
}

// fix computes and caches the monthly cost of each usage at its price.
func fix(us []usage, ps []Price) {
	for i := range us {
		m := Cents(us[i].Quantity.Mul(ps[i].USD))
		us[i].monthly = &m
	}
}

func computeUsages(st taskState, hours int64) ([]usage, error) {
	if !cwlens.ValidFargateSize(st.CPUUnits, st.MemoryMiB) {
		return nil, fmt.Errorf("%d CPU units with %d MiB is not a Fargate task size", st.CPUUnits, st.MemoryMiB)
	}
	split := SplitTasks(st.Tasks, st.Strategy)
	arm := st.Architecture == cwlens.ArchARM64
	h := decimal.NewFromInt(hours)
	// taskHours returns the month's task-hours of n of the tasks.
	taskHours := func(n int) decimal.Decimal { return decimal.NewFromInt(int64(n)).Mul(h) }
	if st.TaskHours != nil {
		// Measured task-hours, split over the strategy in the shares
		// the tasks are (a service scaled to 0 splits as one task).
		base := max(st.Tasks, 1)
		split = SplitTasks(base, st.Strategy)
		taskHours = func(n int) decimal.Decimal {
			return st.TaskHours.Mul(decimal.NewFromInt(int64(n))).Div(decimal.NewFromInt(int64(base)))
		}
	}
	vcpu := decimal.NewFromInt(int64(st.CPUUnits)).Div(d1024)
	gb := decimal.NewFromInt(int64(st.MemoryMiB)).Div(d1024)
	var out []usage
	for i, it := range st.Strategy {
		n := split[i]
		if n == 0 {
			continue
		}
		var vs, gs, label string
		switch it.CapacityProvider {
		case cwlens.ProviderFargate:
			vs, gs = UsageFargateVCPU, UsageFargateGB
			if arm {
				vs, gs = UsageFargateARMVCPU, UsageFargateARMGB
			}
			if st.Windows {
				vs, gs = UsageFargateWinVCPU, UsageFargateWinGB
			}
		case cwlens.ProviderSpot:
			if st.Windows {
				// "Fargate Spot isn't supported for Windows containers"
				// (Fargate capacity providers, Amazon ECS guide,
				// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
				return nil, errors.New("a Windows task cannot run on Fargate Spot")
			}
			vs, gs, label = UsageSpotVCPU, UsageSpotGB, " (Spot)"
			if arm {
				vs, gs = UsageSpotARMVCPU, UsageSpotARMGB
			}
		default:
			return nil, fmt.Errorf("capacity provider %s is not Fargate; its cost is the instances'", it.CapacityProvider)
		}
		th := taskHours(n)
		out = append(out,
			usage{Resource: "vCPU", Provider: it.CapacityProvider, Suffix: vs, Unit: "vCPU-Hours", Quantity: vcpu.Mul(th), Component: "vCPU" + label},
			usage{Resource: "memory", Provider: it.CapacityProvider, Suffix: gs, Unit: "GB-Hours", Quantity: gb.Mul(th), Component: "memory" + label})
		if st.Windows {
			out = append(out, usage{Resource: "OS licence", Provider: it.CapacityProvider, Suffix: UsageFargateWinOS, Unit: "vCPU-Hours",
				Quantity: vcpu.Mul(th), Component: "Windows licence"})
		}
		if extra := st.EphemeralGiB - includedEphemeralGiB; extra > 0 {
			out = append(out, usage{Resource: "ephemeral storage", Provider: it.CapacityProvider, Suffix: UsageEphemeralStorage, Unit: "GB-Hours",
				Quantity: decimal.NewFromInt(int64(extra)).Mul(th), Component: "ephemeral storage" + label})
		}
	}
	return out, nil
}

// TaskMonthly returns the monthly cost of tasks tasks of the given size on
// on-demand Fargate in region, the cost every shown line would add up to:
// each component is rounded to the cent, then summed.
func TaskMonthly(book *Book, region string, size cwlens.TaskSize, arch string, tasks int, opts Options) (decimal.Decimal, error) {
	st := taskState{CPUUnits: size.CPUUnits, MemoryMiB: size.MemoryMiB, Architecture: arch, Tasks: tasks,
		Strategy: []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderFargate, Weight: 1}}}
	return stateMonthly(book, region, st, opts.hours())
}

func stateMonthly(book *Book, region string, st taskState, hours int64) (decimal.Decimal, error) {
	us, err := computeUsages(st, hours)
	if err != nil {
		return decimal.Zero, err
	}
	total := decimal.Zero
	for _, u := range us {
		p, err := book.Lookup(region, u.Suffix)
		if err != nil {
			return decimal.Zero, err
		}
		total = total.Add(Cents(u.Quantity.Mul(p.USD)))
	}
	return total, nil
}

// ingestionSuffix returns the ingestion usage type of a log class.
func ingestionSuffix(class string) (string, bool) {
	switch class {
	case "", cwlens.ClassStandard:
		return UsageLogsIngestion, true
	case cwlens.ClassInfrequentAccess:
		return UsageLogsIngestionIA, true
	}
	return "", false
}

// CostDays is how many whole days "monthly cost now" averages: a week, so
// that a weekday or a weekend, or one day of a flood, moves it by a seventh
// at most instead of the whole.
const CostDays = 7

// CostWindow returns the days "monthly cost now" is the mean of: the
// CostDays whole UTC days before at, [from, to).
func CostWindow(at time.Time) (from, to time.Time) {
	to = at.UTC().Truncate(cwlens.Day)
	return to.Add(-CostDays * cwlens.Day), to
}

// MeanDay returns a log group's mean daily ingestion over the cost window
// before at (CostWindow), exactly, and how many of its days had data: a
// day's IncomingBytes, or the sum of its 24 hourly points when the daily one
// is missing and those are all there. ok is false when no day had data.
func MeanDay(g *cwlens.LogGroup, at time.Time) (bytes decimal.Decimal, days int, ok bool) {
	from, to := CostWindow(at)
	// Byte counts are whole numbers below 2^53 (the snapshot's limit), so
	// a week of them adds up exactly in an int64; a fraction, which no scan
	// writes, falls back to decimals.
	var whole int64
	frac := decimal.Zero
	for d := from; d.Before(to); d = d.Add(cwlens.Day) {
		v, ok := dayBytes(g, d)
		if !ok {
			continue
		}
		if v == math.Trunc(v) && math.Abs(v) <= 1<<53 {
			whole += int64(v)
		} else {
			frac = frac.Add(decimal.NewFromFloat(v))
		}
		days++
	}
	if days == 0 {
		return decimal.Zero, 0, false
	}
	return decimal.NewFromInt(whole).Add(frac).Div(decimal.NewFromInt(int64(days))), days, true
}

// dayBytes returns the bytes g ingested on the UTC day starting at day.
func dayBytes(g *cwlens.LogGroup, day time.Time) (float64, bool) {
	if d := g.DailyIncomingBytes; d.Period == cwlens.Day {
		if i, ok := d.Index(day); ok && d.Time(i).Equal(day) && !cwlens.IsMissing(d.Values[i]) {
			return d.Values[i], true
		}
	}
	return hoursSum(g.HourlyIncomingBytes, day.Add(cwlens.Day))
}

// hoursSum returns the sum of the 24 hourly points of h that end by end,
// and whether they are all there.
func hoursSum(h cwlens.Series, end time.Time) (float64, bool) {
	if h.Period != time.Hour {
		return 0, false
	}
	last, ok := h.Index(end.Add(-time.Hour))
	if !ok || last < 23 || !h.Time(last+1).Equal(end) {
		return 0, false
	}
	sum, n := cwlens.Series{Values: h.Values[last-23 : last+1]}.Sum()
	return sum, n == 24
}

// RunRate is a log group's last day of ingestion: the 24 hours before the
// evaluation time when the hourly series has them all, else the last whole
// day with data.
type RunRate struct {
	Bytes float64
	// From and To bound the 24 hours or the day the figure is from.
	From, To time.Time
	// Fallback is true when the 24 hours before the evaluation time were
	// not all in the snapshot and the figure is an earlier whole day's.
	Fallback bool
}

// Where says which day the figure came from, for a note: "over the 24 h
// before 2025-11-01 00:00 UTC", or "on 2025-10-30, the last whole day with
// data (the 24 h before … are not all in the snapshot)".
func (r RunRate) Where(at time.Time) string {
	if !r.Fallback {
		return "over the 24 h before " + at.UTC().Format("2006-01-02 15:04") + " UTC"
	}
	return "on " + r.From.Format(time.DateOnly) + ", the last whole day with data (the 24 h before " +
		at.UTC().Format("2006-01-02 15:04") + " UTC are not all in the snapshot)"
}

// LastDay returns the run-rate of g at at: the bytes it ingested in the 24
// hours before at, from its hourly series, or, when those 24 hours are not
// all present, on the last whole day before at with data; ok is false when
// neither is known.
func LastDay(g *cwlens.LogGroup, at time.Time) (RunRate, bool) {
	if sum, ok := hoursSum(g.HourlyIncomingBytes, at); ok {
		return RunRate{Bytes: sum, From: at.Add(-cwlens.Day), To: at}, true
	}
	d := g.DailyIncomingBytes
	for i := wholeDays(d, at) - 1; i >= 0; i-- {
		if v := d.Values[i]; !cwlens.IsMissing(v) {
			return RunRate{Bytes: v, From: d.Time(i), To: d.Time(i + 1), Fallback: true}, true
		}
	}
	return RunRate{}, false
}

// DailyRunRate returns LastDay's bytes.
func DailyRunRate(g *cwlens.LogGroup, at time.Time) (bytes float64, ok bool) {
	r, ok := LastDay(g, at)
	return r.Bytes, ok
}

// wholeDays returns how many points of the daily series d end by at.
func wholeDays(d cwlens.Series, at time.Time) int {
	if d.Period <= 0 || !at.After(d.Start) {
		return 0
	}
	return min(len(d.Values), int(at.Sub(d.Start)/d.Period))
}

// PeakDay returns the largest present day among the last days whole days
// before at, with its start: a flood's daily rate even after it has eased.
func PeakDay(g *cwlens.LogGroup, at time.Time, days int) (bytes float64, day time.Time, ok bool) {
	d := g.DailyIncomingBytes
	n := wholeDays(d, at)
	for i := max(0, n-days); i < n; i++ {
		if v := d.Values[i]; !cwlens.IsMissing(v) && (!ok || v > bytes) {
			bytes, day, ok = v, d.Time(i), true
		}
	}
	return bytes, day, ok
}

// DailyBaseline returns the median of the log group's daily ingestion over
// the whole days before at: robust to the few flood days it is compared
// with.
func DailyBaseline(g *cwlens.LogGroup, at time.Time) (bytes float64, ok bool) {
	d := g.DailyIncomingBytes
	return median(d.Values[:wholeDays(d, at)], nil)
}

// median returns the median of the present values, sorting a copy in buf.
func median(values, buf []float64) (float64, bool) {
	vs := buf[:0]
	for _, v := range values {
		if !cwlens.IsMissing(v) {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		return 0, false
	}
	slices.Sort(vs)
	m := len(vs) / 2
	if len(vs)%2 == 1 {
		return vs[m], true
	}
	return (vs[m-1] + vs[m]) / 2, true
}

// bytesDecimal converts a byte count from a series exactly: counts are whole
// numbers, which skip the float formatting NewFromFloat needs.
func bytesDecimal(v float64) decimal.Decimal {
	if v == math.Trunc(v) && math.Abs(v) < 1<<62 {
		return decimal.NewFromInt(int64(v))
	}
	return decimal.NewFromFloat(v)
}

// monthlyGB converts bytes per day into GB per month of hours hours.
func monthlyGB(bytesPerDay decimal.Decimal, hours int64) decimal.Decimal {
	return bytesPerDay.Mul(decimal.NewFromInt(hours)).Shift(-9).Div(d24)
}

// Metered is one usage type's quantity, before it is priced.
type Metered struct {
	Suffix   string // usage-type suffix, e.g. UsageSpotVCPU
	Unit     string
	Quantity decimal.Decimal
}

// ServiceUsage returns what a Fargate service meters over taskHours of its
// tasks, as the projection counts it: vCPU and memory on each capacity
// provider of its strategy (taskHours split as ECS splits its desired
// tasks, SplitTasks), Windows' own usage types and licence, and ephemeral
// storage above what a task includes. It fails for a size Fargate does not
// run or a provider that is not Fargate.
func ServiceUsage(s *cwlens.Service, taskHours decimal.Decimal) ([]Metered, error) {
	st := currentTaskState(s)
	st.TaskHours = &taskHours
	us, err := computeUsages(st, 0)
	if err != nil {
		return nil, err
	}
	out := make([]Metered, len(us))
	for i, u := range us {
		out[i] = Metered{Suffix: u.Suffix, Unit: u.Unit, Quantity: u.Quantity}
	}
	return out, nil
}
