package analyzer

import "math"

// recordTracker answers, for each new value, how many points ago the series
// last reached it: a value higher than every one of the last T points is,
// for an exchangeable series, a 1-in-T event, whatever the distribution.
// It keeps the previous-greater chain (a stack of values decreasing from
// the oldest to the newest, each the latest to reach its height), so each
// question is a binary search and each point is pushed and popped once.
type recordTracker struct {
	stack   []recordEntry
	max     int  // entries kept; beyond it the oldest quarter is forgotten
	dropped bool // whether some were
}

type recordEntry struct {
	v float64
	t int
}

func (r *recordTracker) reset(max int) {
	r.stack = r.stack[:0]
	r.max = max
	r.dropped = false
}

// since returns how many points have passed since the series last reached
// at least x (t, the first point being 1, when it never did; since the
// oldest remembered when some were forgotten), then records v as the
// point at t.
func (r *recordTracker) since(x, v float64, t int) (n int) {
	st := r.stack
	// the newest entry with value ≥ x: values decrease towards the top.
	// Usually it is near the top, so gallop down from there first.
	lo, hi := 0, len(st) // st[:lo] ≥ x, st[hi:] < x
	for step := 1; hi > 0; step *= 2 {
		m := max(len(st)-step, 0)
		if st[m].v >= x {
			lo = m + 1
			break
		}
		hi = m
	}
	for lo < hi {
		m := (lo + hi) / 2
		if st[m].v >= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	switch {
	case lo > 0:
		n = t - st[lo-1].t
	case r.dropped:
		n = t - st[0].t
	default:
		n = t
	}
	for len(st) > 0 && st[len(st)-1].v <= v {
		st = st[:len(st)-1]
	}
	if len(st) >= r.max && r.max > 0 {
		k := copy(st, st[len(st)/4:])
		st = st[:k]
		r.dropped = true
	}
	r.stack = append(st, recordEntry{v, t})
	return n
}

// routineRecord is an exponentially forgotten histogram of a series' final
// surprises, to tell how often it reached a given one (as the Detector's
// routine cap does for its likelihood).
type routineRecord struct {
	forgetfulHist
}

const (
	routineBins  = 64
	routineWidth = 1.0
)

func (r *routineRecord) reset(span float64) {
	r.init(routineBins, routineWidth, span)
}

// capScore caps an alarm's score (≥ 0.5; its surprise ref·x/(1-x)) at the
// score of minus the log of the frequency of surprises at least as high,
// when there were at least k of them, then records the uncapped surprise.
func (r *routineRecord) capScore(score, ref, k float64) float64 {
	if !(score > 0) || math.IsNaN(score) {
		return score
	}
	sur := math.Inf(1)
	if score < 1 {
		sur = ref * score / (1 - score)
	}
	out := score
	if score >= 0.5 && r.total > 0 {
		c := r.atLeast(sur)
		if c >= k*r.weight {
			capped := -math.Log(c / r.total)
			if capped < sur {
				out = surpriseScore(capped, ref)
			}
		}
	}
	r.add(sur)
	return out
}
