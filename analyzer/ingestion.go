package analyzer

import (
	"fmt"
	"time"

	"github.com/cwlens/cwlens"
)

// rule returns the episode rule for a series of s's period whose smallest
// meaningful change is floorPerDay a day.
func (a *analysis) rule(s cwlens.Series, floor float64) episodeRule {
	minHist := int(a.cfg.MinHistory / s.Period)
	if minHist < 2 {
		minHist = 2
	}
	from := 0
	if i, ok := s.Index(a.at.Add(-a.cfg.Lookback)); ok {
		from = i
	} else if !a.at.Add(-a.cfg.Lookback).Before(s.End()) {
		from = len(s.Values)
	}
	return episodeRule{
		floor:   floor,
		ratio:   a.cfg.ratio(a.cfg.MinRatio),
		minZ:    a.cfg.z(a.cfg.MinZ),
		minHist: minHist,
		span:    a.cfg.BaselineSpan,
		from:    from,
		n:       a.complete(s),
	}
}

// ingestion looks for a spike, a level shift or a drop in a group's daily
// ingested bytes.
func (a *analysis) ingestion(g *cwlens.LogGroup) {
	s := g.DailyIncomingBytes
	if s.Period <= 0 || len(s.Values) == 0 {
		return
	}
	floor := a.cfg.DailyBytesFloor * float64(s.Period) / float64(cwlens.Day)
	js := a.judge(s, floor)
	for _, down := range []bool{false, true} {
		r := a.rule(s, floor)
		r.down = down
		e := findEpisode(s, js, r)
		if e == nil {
			continue
		}
		a.add(a.ingestionFinding(g, s, e))
	}
}

func (a *analysis) ingestionFinding(g *cwlens.LogGroup, s cwlens.Series, e *episode) cwlens.Finding {
	perDay := float64(cwlens.Day) / float64(s.Period)
	extra := (e.observed - e.baseline) * perDay * DaysPerMonth
	start := s.Time(e.start)
	var notes []string
	if h, ok := a.refineStart(g.HourlyIncomingBytes, start, s.Period, e); ok {
		start = h
		notes = append(notes, fmt.Sprintf("hourly ingestion first left its baseline at %s", h.Format("2006-01-02 15:04 MST")))
	}
	f := cwlens.Finding{
		Subject: g.Name,
		Start:   start,
		Evidence: cwlens.Evidence{
			Baseline: e.baseline,
			Observed: e.observed,
			Ratio:    ratio(e.observed, e.baseline),
			Score:    e.score,
			Unit:     cwlens.UnitBytes,
			Points:   evidencePoints(s, e.points),
			Series:   seriesCopy(s),
		},
		Impact: &cwlens.Impact{IngestedBytesPerMonth: extra},
	}
	f.Severity = weaken(a.bytesSeverity(extra), e.score)
	rate := "/day"
	if s.Period != cwlens.Day {
		rate = "/" + s.Period.String()
	}
	day := func(i int) string { return s.Time(i).Format("2006-01-02") }
	switch {
	case !e.up:
		f.Kind = cwlens.KindIngestionDrop
		f.Summary = fmt.Sprintf("ingestion fell from ~%s%s to %s%s (%s) on %s and has stayed low",
			humanBytes(e.baseline), rate, humanBytes(e.observed), rate, dropText(e.observed, e.baseline), day(e.start))
		notes = append(notes, "a group that stops logging may mean a service that stopped working")
	case e.ongoing:
		f.Kind = cwlens.KindIngestionLevelShift
		f.Summary = fmt.Sprintf("ingestion jumped from ~%s%s to %s%s (%s) on %s; new level since %s",
			humanBytes(e.baseline), rate, humanBytes(e.observed), rate, ratioText(e.observed, e.baseline), day(e.peak), start.Format("2006-01-02"))
		if last, _, ok := (cwlens.Series{Values: s.Values[:a.complete(s)]}).Last(); ok && last != e.observed {
			notes = append(notes, fmt.Sprintf("latest day %s%s, still %s the baseline", humanBytes(last), rate, ratioText(last, e.baseline)))
		}
	default:
		f.Kind = cwlens.KindIngestionSpike
		f.Summary = fmt.Sprintf("ingestion spiked from ~%s%s to %s%s (%s) on %s",
			humanBytes(e.baseline), rate, humanBytes(e.observed), rate, ratioText(e.observed, e.baseline), day(e.peak))
		if e.last > e.start {
			f.Summary += fmt.Sprintf(", back to baseline after %s", day(e.last))
		}
	}
	notes = append(notes, fmt.Sprintf("baseline is the median of up to %d days before the start; a month is 730 h = %.4f days",
		int(a.cfg.BaselineSpan/cwlens.Day), DaysPerMonth))
	f.Evidence.Notes = notes
	return f
}

// refineStart finds, in the hourly series, the first hour of the day a
// daily episode starts on that left the hourly baseline, to date the start
// to the hour.
func (a *analysis) refineStart(h cwlens.Series, dayStart time.Time, period time.Duration, e *episode) (time.Time, bool) {
	if h.Period <= 0 || h.Period >= period || len(h.Values) == 0 {
		return time.Time{}, false
	}
	lo, ok := h.Index(dayStart)
	if !ok {
		return time.Time{}, false
	}
	perHour := float64(h.Period) / float64(period)
	base := e.baseline * perHour
	r := episodeRule{floor: a.cfg.DailyBytesFloor * float64(h.Period) / float64(cwlens.Day), ratio: a.cfg.ratio(a.cfg.MinRatio)}
	end := lo + int(period/h.Period)
	if end > len(h.Values) {
		end = len(h.Values)
	}
	for i := lo; i < end; i++ {
		v := h.Values[i]
		if cwlens.IsMissing(v) {
			continue
		}
		if (e.up && elevated(v, base, r)) || (!e.up && depressed(v, base, r)) {
			return h.Time(i), true
		}
	}
	return time.Time{}, false
}

func ratio(observed, baseline float64) float64 {
	if baseline == 0 {
		return 0
	}
	return finite(observed / baseline)
}

// ratioText writes how many times larger a is than b: "566×".
func ratioText(a, b float64) string {
	if b <= 0 {
		return "new"
	}
	r := a / b
	switch {
	case r >= 10:
		return commas(r) + "×"
	default:
		return fmt.Sprintf("%.1f×", r)
	}
}

// dropText writes how much lower a is than b: "-96 %".
func dropText(a, b float64) string {
	if b <= 0 {
		return "-0 %"
	}
	return fmt.Sprintf("-%.0f %%", 100*(1-a/b))
}
