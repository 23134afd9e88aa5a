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
	if h, ok := a.refineStart(g.HourlyIncomingBytes, missingBefore(s, e.start), start.Add(s.Period), s.Period, e); ok {
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
		if last, i, ok := lastPresent(s, a.complete(s)); ok && last != e.observed {
			notes = append(notes, fmt.Sprintf("latest day, %s: %s%s, still %s the baseline", day(i), humanBytes(last), rate, ratioText(last, e.baseline)))
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

// lastPresent returns the last present point among the first n of s and
// its index.
func lastPresent(s cwlens.Series, n int) (float64, int, bool) {
	for i := min(n, len(s.Values)) - 1; i >= 0; i-- {
		if !cwlens.IsMissing(s.Values[i]) {
			return s.Values[i], i, true
		}
	}
	return 0, 0, false
}

// missingBefore returns the start of the run of missing points right
// before index i of s (s.Time(i) when the point before it is present): a
// change that happened on a day without a daily point is dated from the
// hourly series.
func missingBefore(s cwlens.Series, i int) time.Time {
	for i > 0 && cwlens.IsMissing(s.Values[i-1]) {
		i--
	}
	return s.Time(i)
}

// refineStart finds, in the hourly series, the first hour in [from, to)
// that left the hourly baseline, to date a daily episode's start to the
// hour: from the day it starts on, or from the days without a daily point
// before it.
func (a *analysis) refineStart(h cwlens.Series, from, to time.Time, period time.Duration, e *episode) (time.Time, bool) {
	if h.Period <= 0 || h.Period >= period || len(h.Values) == 0 || !to.After(h.Start) {
		return time.Time{}, false
	}
	lo, ok := h.Index(from)
	if !ok {
		if !from.Before(h.Start) {
			return time.Time{}, false
		}
		lo = 0 // the hourly series begins inside the missing days
	}
	perHour := float64(h.Period) / float64(period)
	base := e.baseline * perHour
	r := episodeRule{floor: a.cfg.DailyBytesFloor * float64(h.Period) / float64(cwlens.Day), ratio: a.cfg.ratio(a.cfg.MinRatio)}
	end := len(h.Values)
	if hi, ok := h.Index(to); ok {
		end = hi
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
