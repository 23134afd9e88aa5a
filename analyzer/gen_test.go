package analyzer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// The generated KPI-like corpus: web-service metrics at 1- and 5-minute
// steps, each with the kind of anomaly operators label, generated at test
// time from fixed seeds.

// kpiKind names the generated anomaly kinds.
type kpiKind string

const (
	kindIncident  kpiKind = "incident"    // several short spikes within hours, labelled separately
	kindDropZero  kpiKind = "drop-zero"   // one-point drops of a busy count to 0
	kindSparse    kpiKind = "sparse"      // a lone large value on a mostly-zero count
	kindQuantised kpiKind = "quantised"   // a fractional KPI sitting on whole numbers for hours
	kindNoisier   kpiKind = "noisier"     // a spell of three times the noise
	kindShift     kpiKind = "level-shift" // a level 35 % higher for four hours
)

var kpiKinds = []kpiKind{kindIncident, kindDropZero, kindSparse, kindQuantised, kindNoisier, kindShift}

// genKPI returns one generated series of the kind at the step; the anomalies
// come after the first four days, so the scorer has seen the rhythm, and a
// few points and one hour are missing.
func genKPI(kind kpiKind, step time.Duration, seed uint64) labelled {
	r := rand.New(rand.NewPCG(seed, uint64(len(kind))))
	perDay := int(24 * time.Hour / step)
	n := 7 * perDay
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	l := labelled{name: fmt.Sprintf("%s/%s/%d", kind, step, seed), step: step,
		times: make([]time.Time, n), values: make([]float64, n)}
	for i := range l.times {
		l.times[i] = start.Add(time.Duration(i) * step)
	}
	rhythm := func(i int) float64 { // 0.4 at night to 1.6 in the afternoon
		ph := 2 * math.Pi * float64(i%perDay) / float64(perDay)
		return 1 - 0.6*math.Cos(ph-0.5)
	}
	at := func(day float64) int { return int(day * float64(perDay)) } // index at a fractional day
	onset := at(4 + r.Float64()*2)
	hours := func(h float64) int { return max(1, int(h*float64(time.Hour)/float64(step))) }
	seg := func(a, b int) { l.segs = append(l.segs, [2]int{a, min(b, n-1)}) }

	switch kind {
	case kindIncident:
		for i := range l.values {
			l.values[i] = 1000 * rhythm(i) * (1 + 0.03*r.NormFloat64())
		}
		// five bursts of one to three points within eight hours
		gap := hours(8) / 5
		for k := range 5 {
			a := onset + k*gap + r.IntN(max(1, gap/3))
			w := 1 + r.IntN(3)
			f := 1.6 + 1.4*r.Float64()
			for i := a; i < a+w; i++ {
				l.values[i] *= f
			}
			seg(a, a+w-1)
		}
	case kindDropZero:
		for i := range l.values {
			l.values[i] = float64(poisson(r, 55*rhythm(i)))
		}
		for k := range 3 {
			a := onset + k*hours(5) + r.IntN(hours(1))
			l.values[a] = 0
			seg(a, a)
		}
	case kindSparse:
		for i := range l.values {
			// a few ordinary blips a day
			if r.Float64() < 4/float64(perDay) {
				l.values[i] = float64(1 + r.IntN(3))
			}
		}
		l.values[onset] = float64(600 + r.IntN(600))
		seg(onset, onset)
	case kindQuantised:
		for i := range l.values {
			l.values[i] = math.Round((97.5+0.8*r.NormFloat64()-0.5*rhythm(i))*100) / 100
		}
		end := onset + hours(15)
		for i := onset; i < end && i < n; i++ {
			l.values[i] = math.Round(l.values[i])
		}
		seg(onset, end-1)
	case kindNoisier:
		for i := range l.values {
			sd := 0.04
			if i >= onset && i < onset+hours(3) {
				sd = 0.16
			}
			l.values[i] = 500 * rhythm(i) * (1 + sd*r.NormFloat64())
		}
		seg(onset, onset+hours(3)-1)
	case kindShift:
		for i := range l.values {
			f := 1.0
			if i >= onset && i < onset+hours(4) {
				f = 1.35
			}
			l.values[i] = 800 * rhythm(i) * f * (1 + 0.03*r.NormFloat64())
		}
		seg(onset, onset+hours(4)-1)
	}
	// gaps: about one point in two hundred, and a missing hour on day two,
	// never on a labelled point
	labelledAt := make([]bool, n)
	for _, sg := range l.segs {
		for i := sg[0]; i <= sg[1]; i++ {
			labelledAt[i] = true
		}
	}
	for i := range l.values {
		if !labelledAt[i] && r.Float64() < 0.005 {
			l.values[i] = math.NaN()
		}
	}
	for i := at(1.5); i < at(1.5)+hours(1); i++ {
		l.values[i] = math.NaN()
	}
	return l
}

// poisson draws from a Poisson distribution (Knuth's method below 30, a
// rounded normal above).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda > 30 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// genCorpus returns the generated corpus: every kind at both steps, seeds
// copies each.
func genCorpus(seeds int) []labelled {
	var out []labelled
	for _, k := range kpiKinds {
		for _, step := range []time.Duration{time.Minute, 5 * time.Minute} {
			for s := range seeds {
				out = append(out, genKPI(k, step, uint64(s+1)))
			}
		}
	}
	return out
}
