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
		out = append(out, a.pastRises(&a.snap.LogGroups[i])...)
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
	js := a.judge(s, floor)
	r := a.rule(s, floor)
	var out []cwlens.PastEpisode
	for from := 0; from < r.from; {
		e := findRise(s, js, r, from)
		if e == nil || e.start >= r.from {
			break
		}
		if !e.ongoing {
			out = append(out, pastEpisode(g, s, e))
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
		Kind: cwlens.KindIngestionSpike, Subject: g.Name,
		Start: s.Time(e.start), End: s.Time(e.last + 1),
		Peak: s.Values[e.peak], PeakAt: s.Time(e.peak), Baseline: e.baseline,
		Unit: cwlens.UnitBytes, PeriodSeconds: int64(s.Period / time.Second),
		ExtraBytes: extra,
	}
}
