package analyzer

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/cwlens/cwlens"
)

// onFargate reports whether a service's tasks run on Fargate, where task
// sizes come from a fixed list.
func onFargate(s *cwlens.Service) bool {
	if s.LaunchType != "" {
		return s.LaunchType == cwlens.LaunchFargate
	}
	for _, c := range s.CapacityProviderStrategy {
		if c.CapacityProvider == cwlens.ProviderFargate || c.CapacityProvider == cwlens.ProviderSpot {
			return true
		}
	}
	return false
}

// usage is the peak of one utilisation metric over the lookback.
type usage struct {
	peak   float64 // percent of the task size
	series cwlens.Series
	ok     bool // enough data to size on
	hours  float64
}

// peakUsage returns the largest point of max (or, when max has none, of avg)
// over the utilisation lookback, and whether there is enough data.
func (a *analysis) peakUsage(max, avg cwlens.Series) usage {
	for _, s := range []cwlens.Series{max, avg} {
		if s.Period <= 0 {
			continue
		}
		w := s.Slice(a.at.Add(-a.cfg.UtilizationLookback), a.at)
		// only periods that ended by the evaluation time
		if n := len(w.Values); n > 0 && w.End().After(a.at) {
			w.Values = w.Values[:n-1]
		}
		u := usage{peak: math.Inf(-1), series: w}
		n := 0
		for _, v := range w.Values {
			if !cwlens.IsMissing(v) {
				n++
				u.peak = math.Max(u.peak, v)
			}
		}
		if n == 0 {
			continue
		}
		u.hours = float64(n) * w.Period.Hours()
		u.ok = u.hours >= a.cfg.MinUtilizationData.Hours()
		return u
	}
	return usage{}
}

// capacity sizes a Fargate service for its peak CPU and memory with
// headroom, the way AWS Compute Optimizer does: over-provisioned when a
// smaller valid size fits, near capacity when the peak leaves less headroom
// than the target. A resource without 24 hours of data is neither sized nor
// claimed about.
func (a *analysis) capacity(s *cwlens.Service) {
	if !onFargate(s) || s.CPUUnits <= 0 || s.MemoryMiB <= 0 {
		return
	}
	cpu := a.peakUsage(s.CPUMaximum, s.CPUAverage)
	mem := a.peakUsage(s.MemoryMaximum, s.MemoryAverage)
	if !cpu.ok && !mem.ok {
		return
	}
	target := a.cfg.TargetUtilization
	needCPU, needMem := s.CPUUnits, s.MemoryMiB
	var notes []string
	if cpu.ok {
		needCPU = int(math.Ceil(float64(s.CPUUnits) * cpu.peak / 100 / target))
		notes = append(notes, fmt.Sprintf("CPU peak %s%% of %d units over %s h: needs %d units at %.0f%%",
			trimFloat(cpu.peak), s.CPUUnits, commas(cpu.hours), needCPU, 100*target))
	} else {
		notes = append(notes, "no CPU utilisation data: CPU kept as is")
	}
	if mem.ok {
		needMem = int(math.Ceil(float64(s.MemoryMiB) * mem.peak / 100 / target))
		notes = append(notes, fmt.Sprintf("memory peak %s%% of %d MiB over %s h: needs %d MiB at %.0f%%",
			trimFloat(mem.peak), s.MemoryMiB, commas(mem.hours), needMem, 100*target))
	} else {
		notes = append(notes, "no memory utilisation data: memory kept as is, no claim made about it")
	}
	rec, err := cwlens.NearestFargateSize(needCPU, needMem)
	if err != nil {
		return
	}
	cur := cwlens.TaskSize{CPUUnits: s.CPUUnits, MemoryMiB: s.MemoryMiB}
	tasks := s.DesiredCount
	if tasks == 0 {
		tasks = s.RunningCount
	}
	cpuHot := cpu.ok && cpu.peak/100 > target
	memHot := mem.ok && mem.peak/100 > target
	f := cwlens.Finding{
		Subject:        s.ID(),
		Start:          a.at.Add(-a.cfg.UtilizationLookback),
		Impact:         &cwlens.Impact{From: &cur, To: &cwlens.TaskSize{CPUUnits: rec.CPUUnits, MemoryMiB: rec.MemoryMiB}, Tasks: tasks},
		Recommendation: &cwlens.Resize{TaskSize: rec},
	}
	switch {
	case cpuHot || memHot:
		if rec == cur {
			return
		}
		f.Kind = cwlens.KindNearCapacity
		res, u := "memory", mem
		if !memHot || (cpuHot && cpu.peak > mem.peak) {
			res, u = "CPU", cpu
		}
		f.Summary = fmt.Sprintf("%s peaks at %s%% of %s; next valid Fargate size %s", res, trimFloat(u.peak), sizeText(cur, res), rec)
		f.Recommendation.Reason = fmt.Sprintf("%s peak %s%% leaves less than %.0f%% headroom", res, trimFloat(u.peak), 100*(1/target-1))
		f.Evidence = utilEvidence(u, target)
		f.Severity = cwlens.SeverityMedium
		switch {
		case memHot && mem.peak >= 90:
			f.Severity = cwlens.SeverityHigh // the kernel kills a task that runs out of memory
		case !memHot && cpu.peak < 90:
			f.Severity = cwlens.SeverityLow // CPU saturation throttles, it does not kill
		}
	case rec.CPUUnits <= cur.CPUUnits && rec.MemoryMiB <= cur.MemoryMiB && rec != cur:
		f.Kind = cwlens.KindOverprovisioned
		f.Summary = fmt.Sprintf("peaks at %s CPU and %s memory of %s; %s fits with %.0f%% headroom",
			pctOrNA(cpu), pctOrNA(mem), cur, rec, 100*(1/target-1))
		f.Recommendation.Reason = fmt.Sprintf("sized for the %d-day peak at %.0f%% utilisation", int(a.cfg.UtilizationLookback.Hours()/24), 100*target)
		u := cpu
		if !cpu.ok {
			u = mem
		}
		f.Evidence = utilEvidence(u, target)
		savedVCPU := float64(tasks*(cur.CPUUnits-rec.CPUUnits)) / 1024
		savedGB := float64(tasks*(cur.MemoryMiB-rec.MemoryMiB)) / 1024
		switch {
		case savedVCPU >= 4 || savedGB >= 16:
			f.Severity = cwlens.SeverityHigh
		case savedVCPU >= 0.5 || savedGB >= 2:
			f.Severity = cwlens.SeverityMedium
		default:
			f.Severity = cwlens.SeverityLow
		}
	default:
		return
	}
	if u := f.Evidence.Series; u != nil && !u.Start.IsZero() {
		f.Start = u.Start
	}
	notes = append(notes, fmt.Sprintf("valid Fargate memory with %d CPU units: %s MiB", rec.CPUUnits, joinInts(cwlens.FargateMemoryMiB(rec.CPUUnits))))
	f.Evidence.Notes = append(notes, f.Evidence.Notes...)
	a.add(f)
}

func utilEvidence(u usage, target float64) cwlens.Evidence {
	return cwlens.Evidence{
		Baseline: 100 * target,
		Observed: u.peak,
		Ratio:    u.peak / (100 * target),
		Unit:     cwlens.UnitPercent,
		Series:   seriesCopy(u.series),
		Points:   peakPoints(u.series),
		Score:    1,
	}
}

func peakPoints(s cwlens.Series) []cwlens.Point {
	best := -1
	for i, v := range s.Values {
		if !cwlens.IsMissing(v) && (best < 0 || v > s.Values[best]) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	return []cwlens.Point{{Time: s.Time(best), Value: s.Values[best]}}
}

func pctOrNA(u usage) string {
	if !u.ok {
		return "n/a"
	}
	return trimFloat(u.peak) + "%"
}

func sizeText(t cwlens.TaskSize, res string) string {
	if res == "CPU" {
		return fmt.Sprintf("%d CPU units", t.CPUUnits)
	}
	return fmt.Sprintf("%d MiB", t.MemoryMiB)
}

// churn reports failed tasks on a service's newest deployment.
func (a *analysis) churn(s *cwlens.Service) {
	if len(s.Deployments) == 0 {
		return
	}
	deps := append([]cwlens.Deployment(nil), s.Deployments...)
	sort.SliceStable(deps, func(i, j int) bool { return deps[i].CreatedAt.After(deps[j].CreatedAt) })
	d := deps[0]
	for _, x := range deps {
		if x.Status == "PRIMARY" {
			d = x
			break
		}
	}
	if float64(d.FailedTasks) < a.cfg.count(float64(a.cfg.MinFailedTasks)) {
		return
	}
	f := cwlens.Finding{
		Kind:    cwlens.KindDeploymentChurn,
		Subject: s.ID(),
		Start:   d.CreatedAt,
		Summary: fmt.Sprintf("%d tasks failed on the newest deployment %s (%s, %d of %d running) since %s",
			d.FailedTasks, d.ID, strings.ToLower(strings.ReplaceAll(d.RolloutState, "_", " ")), d.RunningCount, d.DesiredCount,
			d.CreatedAt.UTC().Format("2006-01-02 15:04 MST")),
		Evidence: cwlens.Evidence{
			Baseline: 0,
			Observed: float64(d.FailedTasks),
			Unit:     "tasks",
			Score:    1,
			Points:   []cwlens.Point{{Time: d.UpdatedAt, Value: float64(d.FailedTasks)}},
		},
	}
	if hc := s.HealthCheck; hc != nil {
		f.Evidence.Notes = append(f.Evidence.Notes, fmt.Sprintf("health check %q every %d s, timeout %d s, %d retries, start period %d s: a check that flaps restarts healthy tasks",
			strings.Join(hc.Command, " "), hc.IntervalSeconds, hc.TimeoutSeconds, hc.Retries, hc.StartPeriodSeconds))
	}
	f.Evidence.Notes = append(f.Evidence.Notes, "ECS resets failedTasks to 0 once a deployment has a running task, so these failures are recent")
	f.Severity = cwlens.SeverityMedium
	if d.RunningCount == 0 && d.DesiredCount > 0 {
		f.Severity = cwlens.SeverityHigh // the rollout has not started a single healthy task
	}
	a.add(f)
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ", ")
}
