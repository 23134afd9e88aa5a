package analyzer

import (
	"math"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/montanaflynn/stats"
)

// episode is a run of anomalous points in one direction found in a series.
type episode struct {
	up       bool
	start    int // first point of the run (the change point)
	peak     int // most extreme point
	last     int // last anomalous point
	ongoing  bool
	baseline float64 // median of the history before start
	observed float64 // the peak for a rise, the latest value for a drop
	z, score float64 // strongest |z| and engine likelihood in the run
	points   []int
}

// episodeRule tells findEpisode what counts as anomalous in one series.
type episodeRule struct {
	floor   float64 // smallest absolute change, in the series' units
	ratio   float64 // smallest ratio to the baseline (a drop: baseline to value)
	minZ    float64
	minHist int           // present points needed before the start
	span    time.Duration // baseline history
	from    int           // first index a finding may start at (the lookback)
	n       int           // complete points
	down    bool          // look for drops instead of rises
}

// findEpisode looks for the first anomalous rise (or, with rule.down, the
// drop the series ends in) among s's points from rule.from, judged by js.
// A rise is anomalous when the engine's robust z reaches minZ and the value is
// at least ratio times and floor above the median of the history before it.
// The episode runs while the values stay that far above the baseline; it is
// ongoing when it lasts to the last complete point.
func findEpisode(s cwlens.Series, js []Judgement, rule episodeRule) *episode {
	if rule.down {
		return findDrop(s, js, rule)
	}
	// Of several rises in the lookback, the one still going on matters
	// most; among finished ones, the largest.
	var best *episode
	for from := rule.from; from < rule.n; {
		e := findRise(s, js, rule, from)
		if e == nil {
			break
		}
		if best == nil || e.ongoing || (!best.ongoing && e.observed-e.baseline > best.observed-best.baseline) {
			best = e
		}
		from = e.last + 1
	}
	return best
}

// findRise returns the first rise starting at or after index from.
func findRise(s cwlens.Series, js []Judgement, rule episodeRule, from int) *episode {
	for i := from; i < rule.n; i++ {
		v := s.Values[i]
		if cwlens.IsMissing(v) || js[i].Z < rule.minZ {
			continue
		}
		base, ok := baselineBefore(s, i, rule)
		if !ok || !elevated(v, base, rule) {
			continue
		}
		e := &episode{up: true, start: i, peak: i, last: i, baseline: base, ongoing: true}
		for k := i; k < rule.n; k++ {
			x := s.Values[k]
			if cwlens.IsMissing(x) {
				continue
			}
			if !elevated(x, base, rule) {
				e.ongoing = false
				break
			}
			e.last = k
			e.points = append(e.points, k)
			if x > s.Values[e.peak] {
				e.peak = k
			}
			e.z = math.Max(e.z, js[k].Z)
			e.score = math.Max(e.score, js[k].Likelihood)
		}
		// a run of a single point that is also the last is a spike so far;
		// a level shift needs two points at the new level
		if len(e.points) < 2 {
			e.ongoing = false
		}
		e.observed = s.Values[e.peak]
		return e
	}
	return nil
}

func elevated(v, base float64, rule episodeRule) bool {
	return v-base >= rule.floor && v >= base*rule.ratio
}

func depressed(v, base float64, rule episodeRule) bool {
	return base-v >= rule.floor && v*rule.ratio <= base
}

// findDrop returns the run of low points the series ends in, when the
// engine flagged its first point and it starts no earlier than rule.from.
func findDrop(s cwlens.Series, js []Judgement, rule episodeRule) *episode {
	last := -1
	for i := rule.n - 1; i >= 0; i-- {
		if !cwlens.IsMissing(s.Values[i]) {
			last = i
			break
		}
	}
	if last < rule.from || last < 0 {
		return nil
	}
	// walk back over the low run, each point judged against the history
	// before the run's first point
	start := -1
	var base float64
	for i := last; i >= rule.from; i-- {
		v := s.Values[i]
		if cwlens.IsMissing(v) {
			continue
		}
		b, ok := baselineBefore(s, i, rule)
		if !ok || !depressed(v, b, rule) {
			break
		}
		start, base = i, b
	}
	if start < 0 || js[start].Z > -rule.minZ {
		return nil
	}
	e := &episode{start: start, peak: start, last: last, ongoing: true, baseline: base, observed: s.Values[last]}
	for k := start; k <= last; k++ {
		if cwlens.IsMissing(s.Values[k]) {
			continue
		}
		e.points = append(e.points, k)
		if s.Values[k] < s.Values[e.peak] {
			e.peak = k
		}
		e.z = math.Max(e.z, -js[k].Z)
		e.score = math.Max(e.score, js[k].Likelihood)
	}
	return e
}

// baselineBefore returns the median of the present points in the span of
// history before index i, and whether there were enough of them.
func baselineBefore(s cwlens.Series, i int, rule episodeRule) (float64, bool) {
	lo := i - int(rule.span/s.Period)
	if lo < 0 {
		lo = 0
	}
	var hist []float64
	for _, v := range s.Values[lo:i] {
		if !cwlens.IsMissing(v) {
			hist = append(hist, v)
		}
	}
	if len(hist) < rule.minHist {
		return 0, false
	}
	m, err := stats.Median(hist)
	if err != nil {
		return 0, false
	}
	return m, true
}

// evidencePoints returns the points of an episode for a finding.
func evidencePoints(s cwlens.Series, idx []int) []cwlens.Point {
	out := make([]cwlens.Point, 0, len(idx))
	for _, i := range idx {
		out = append(out, cwlens.Point{Time: s.Time(i), Value: s.Values[i]})
	}
	return out
}
