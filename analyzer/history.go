package analyzer

import (
	"fmt"
	"sort"
	"time"

	"github.com/cwlens/cwlens"
)

// PastEpisodes returns the ingestion rises of snap, read as snap.AsOf(at),
// that started before the lookback (cfg.Lookback before at) and were over by
// at: the spikes a findings list, which looks at the last days only, no
// longer shows. They are judged exactly as findings are (the same engine,
// thresholds and baseline). A rise that began before the lookback and ended
// inside it is listed too: it would be in neither list otherwise. Ordered by
// start, then subject.
func PastEpisodes(snap *cwlens.Snapshot, at time.Time, cfg Config) ([]cwlens.PastEpisode, error) {
	a, err := newAnalysis(snap, at, cfg)
	if err != nil {
		return nil, fmt.Errorf("past episodes: %w", err)
	}
	out := []cwlens.PastEpisode{}
	for i := range a.snap.LogGroups {
		g := &a.snap.LogGroups[i]
		out = append(out, a.pastRises(g)...)
		out = append(out, a.pastSurges(g)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].Subject < out[j].Subject
	})
	return out, nil
}

// pastRises returns the finished rises of g's daily ingestion that started
// before the lookback.
func (a *analysis) pastRises(g *cwlens.LogGroup) []cwlens.PastEpisode {
	s := g.DailyIncomingBytes
	if s.Period <= 0 || len(s.Values) == 0 {
		return nil
	}
	floor := a.cfg.DailyBytesFloor * float64(s.Period) / float64(cwlens.Day)
	r := a.rule(s, floor)
	return a.past(g, "", s, floor, r, cwlens.KindIngestionSpike)
}

// pastSurges returns the finished error surges of g's metric filters that
// started before the lookback, judged as errorFilters judges them: request
// counters left out, a metric several filters publish judged once.
func (a *analysis) pastSurges(g *cwlens.LogGroup) []cwlens.PastEpisode {
	var out []cwlens.PastEpisode
	for i := range g.MetricFilters {
		m := &g.MetricFilters[i]
		s := m.Counts
		if s.Period <= 0 || len(s.Values) == 0 || isRequestFilter(m) ||
			(m.Shared() && m.SharedWith[0] != cwlens.FilterSubject(g.Name, m.Name)) {
			continue
		}
		floor := a.cfg.count(a.cfg.MinErrorsPerHour) * float64(s.Period) / float64(cwlens.Hour)
		r := a.rule(s, floor)
		r.minHist = int(a.cfg.MinErrorHistory / s.Period)
		out = append(out, a.past(g, m.Name, s, floor, r, cwlens.KindErrorSurge)...)
	}
	return out
}

// past returns the finished rises of s that started before r.from.
func (a *analysis) past(g *cwlens.LogGroup, filter string, s cwlens.Series, floor float64, r episodeRule, kind cwlens.Kind) []cwlens.PastEpisode {
	js := a.judge(s, floor)
	var out []cwlens.PastEpisode
	for from := 0; from < r.from; {
		e := findRise(s, js, r, from)
		if e == nil || e.start >= r.from {
			break
		}
		if !e.ongoing {
			p := pastEpisode(g, s, e)
			p.Kind, p.Filter = kind, filter
			out = append(out, p)
		}
		from = e.last + 1
	}
	return out
}

func pastEpisode(g *cwlens.LogGroup, s cwlens.Series, e *episode) cwlens.PastEpisode {
	extra := 0.0
	for _, k := range e.points {
		extra += s.Values[k] - e.baseline
	}
	return cwlens.PastEpisode{
		Subject: g.Name,
		Start:   s.Time(e.start), End: s.Time(e.last + 1),
		Peak: s.Values[e.peak], PeakAt: s.Time(e.peak), Baseline: e.baseline,
		Unit: s.Unit, PeriodSeconds: int64(s.Period / time.Second),
		Extra: extra,
	}
}
