package analyzer

import (
	"math"
	"time"
)

// candidateLags returns the seasonal lags, in points, worth testing for a
// series sampled every step: a day and a week, the rhythms of human-driven
// traffic. Whether a series actually has one is decided from its own
// autocorrelation (seasonalLag), never from its name. Lags shorter than four
// points carry no shape to compare and lags longer than maxLag cost more
// history than any scan keeps.
func candidateLags(step time.Duration, maxLag int) []int {
	if step <= 0 {
		return nil
	}
	var out []int
	for _, p := range []time.Duration{24 * time.Hour, 7 * 24 * time.Hour} {
		if p%step != 0 {
			continue
		}
		l := int(p / step)
		if l >= 4 && l <= maxLag {
			out = append(out, l)
		}
	}
	return out
}

// seasonalLag returns the candidate lag whose autocorrelation in x is the
// highest and at least minACF, or 0 when none is. x is detrended first by a
// centred moving average one cycle long, so a trend or a level shift does not
// pass for seasonality. Missing points (NaN) are skipped. buf is scratch space
// of any length; the possibly grown buffer is returned for reuse.
func seasonalLag(x []float64, cands []int, minACF float64, buf []float64) (int, []float64) {
	best, bestACF := 0, minACF
	n := len(x)
	// prefix sums over present points: the sum and count of x[:i]
	if cap(buf) < 2*(n+1) {
		buf = make([]float64, 2*(n+1))
	}
	buf = buf[:2*(n+1)]
	sum, cnt := buf[:n+1], buf[n+1:]
	sum[0], cnt[0] = 0, 0
	for i, v := range x {
		sum[i+1], cnt[i+1] = sum[i], cnt[i]
		if !math.IsNaN(v) {
			sum[i+1] += v
			cnt[i+1]++
		}
	}
	detr := func(t, l int) float64 {
		lo := t - l/2
		hi := lo + l
		c := cnt[hi] - cnt[lo]
		if c < float64(l)/2 || math.IsNaN(x[t]) {
			return math.NaN()
		}
		return x[t] - (sum[hi]-sum[lo])/c
	}
	for _, l := range cands {
		if n < 2*l {
			continue
		}
		if n < 3*l {
			// too short to detrend: plain correlation of each point with the
			// one a cycle later, over at least one full cycle of pairs
			if r := pearsonLag(x, l); r >= bestACF {
				best, bestACF = l, r
			}
			continue
		}
		var sxy, sxx, syy float64
		pairs := 0
		for t := l / 2; t+l+l-l/2 <= n; t++ {
			a, b := detr(t, l), detr(t+l, l)
			if math.IsNaN(a) || math.IsNaN(b) {
				continue
			}
			sxy += a * b
			sxx += a * a
			syy += b * b
			pairs++
		}
		if pairs < l || sxx == 0 || syy == 0 {
			continue
		}
		if r := sxy / math.Sqrt(sxx*syy); r >= bestACF {
			best, bestACF = l, r
		}
	}
	return best, buf
}

// pearsonLag returns the correlation of x[t] with x[t+l] over the pairs
// where both are present, or 0 when it is undefined.
func pearsonLag(x []float64, l int) float64 {
	var sa, sb, saa, sbb, sab, n float64
	for t := 0; t+l < len(x); t++ {
		a, b := x[t], x[t+l]
		if math.IsNaN(a) || math.IsNaN(b) {
			continue
		}
		sa += a
		sb += b
		saa += a * a
		sbb += b * b
		sab += a * b
		n++
	}
	if n < 3 {
		return 0
	}
	cov := sab - sa*sb/n
	va, vb := saa-sa*sa/n, sbb-sb*sb/n
	if va <= 0 || vb <= 0 {
		return 0
	}
	return cov / math.Sqrt(va*vb)
}
