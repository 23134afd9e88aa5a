package analyzer

import (
	"math"
	"time"
)

// DetectorConfig holds the parameters of the anomaly detection engine. All
// lengths are in points of the series, so one configuration serves daily and
// hourly series alike; Step only tells the engine which seasonal lags (a day,
// a week) are worth testing.
type DetectorConfig struct {
	// Step is the sampling period. Zero means unknown: no seasonal lag is tried.
	Step time.Duration
	// Window is how many recent points the non-seasonal reference (their
	// median) looks at.
	Window int
	// Cycles is how many past cycles at the same phase the seasonal reference
	// takes the median of.
	Cycles int
	// LevelCycles is over how many cycles the residuals from the seasonal
	// reference are taken (their median) to correct it for a change of level.
	LevelCycles int
	// MinACF is the autocorrelation a candidate lag must reach for the series
	// to be treated as seasonal.
	MinACF float64
	// MaxLag bounds the seasonal lag, in points.
	MaxLag int
	// ScaleSpan is the span, in points, of the moving average of absolute
	// residuals that sets the scale.
	ScaleSpan int
	// ClipZ clips residuals at this many scales before they update the scale,
	// so that an outlier does not teach the engine that outliers are normal.
	ClipZ float64
	// Warmup is the number of present points seen before any point is scored.
	Warmup int
	// ZRef is the robust z-score at which the raw score log(1 + |z|/ZRef)
	// stops being noise-like and starts growing with the log of |z|.
	ZRef float64
	// AbsFloor is subtracted from every absolute residual, in the series'
	// units: a change smaller than it is never anomalous, however quiet the
	// series was.
	AbsFloor float64
	// RelFloor bounds the scale below by this fraction of the expected value's
	// magnitude, so a perfectly flat series does not turn a rounding
	// difference into an alarm.
	RelFloor float64
	// AvgWindow is how many recent raw scores are averaged before they are
	// compared with their own history.
	AvgWindow int
	// HistorySpan is the span, in points, of the moving mean and variance of
	// those averages: the series' own idea of how unusual it usually is.
	HistorySpan int
	// MinSigma bounds the spread of that history below, so a series that was
	// perfectly regular does not call its first ripple a catastrophe. Zero
	// means the spread of the raw score of Gaussian noise (NoiseSpread).
	MinSigma float64
	// RoutineCount and RoutineSpan calibrate the tail against the series'
	// own record: when averages at least as unusual as the current one (to
	// within half a standard deviation) were seen RoutineCount times or
	// more over about the last RoutineSpan points, the surprise is capped at
	// minus the log of their frequency. The Gaussian tail then cannot call
	// rare what this series does routinely (bursty counts, ad prices), while
	// a kind of event never seen before keeps the Gaussian tail. Zero
	// RoutineCount disables the cap.
	RoutineCount float64
	RoutineSpan  int
	// SurpriseRef is the surprise (minus the natural log of the tail
	// probability) that maps to an anomaly score of 0.5.
	SurpriseRef float64
	// EpisodeHalfLife is the half-life, in points, of the memory of recent
	// likelihoods: a point scores only when its likelihood exceeds that
	// memory, so an anomaly is reported at its onset and not again on every
	// point of the same episode.
	EpisodeHalfLife float64
	// EpisodeRise is by how much, as a fraction of that memory, a likelihood
	// must exceed it to score: the average of the last AvgWindow raw scores
	// climbs for a few points after an onset, and each step of that climb
	// is the same incident, not a new one.
	EpisodeRise float64
	// ExtremeHistory is how many present points must have been seen before a
	// value outside their whole range (widened by ExtremeTolerance of it)
	// counts as an anomaly of its own, scored ExtremeScore at least.
	ExtremeHistory   int
	ExtremeTolerance float64
	ExtremeScore     float64
	// CUSUMK is the allowance, in scales, of the CUSUM change detector, and
	// CUSUMH its decision threshold.
	CUSUMK, CUSUMH float64
}

// DefaultDetectorConfig returns the engine's defaults for a series sampled
// every step (zero when unknown).
func DefaultDetectorConfig(step time.Duration) DetectorConfig {
	return DetectorConfig{
		Step: step,
		// Two weeks of daily points, half a day of hourly ones: long enough
		// that a burst of up to six points cannot move the median, short
		// enough to follow a genuine new level within a week of days.
		Window: 14,
		// Four past cycles: the median of four ignores one anomalous cycle
		// (a holiday, an incident) and a month of weeks is as far back as a
		// weekly rhythm is still the same rhythm.
		Cycles: 4,
		// Two cycles: whole cycles keep the level estimate free of the
		// seasonal shape, and with two an anomaly must last a whole cycle (a
		// bad day) before it becomes the new normal.
		LevelCycles: 2,
		// 0.3 is the usual rule-of-thumb floor for a meaningful autocorrelation
		// in noisy operational data; below it same-phase history predicts
		// worse than the recent level does.
		MinACF: 0.3,
		// A week of 5-minute points.
		MaxLag: 2016,
		// The scale forgets with a span of about 64 points (two months of
		// daily points, almost three days of hourly ones).
		ScaleSpan: 64,
		// 3.5 robust scales is where a Gaussian residual is already a 1-in-2000 event.
		ClipZ: 3.5,
		// Five points: the fewest on which a median and a scale mean anything.
		Warmup: 5,
		// z = 6: below it a residual is within what heavy-tailed noise does,
		// above it the raw score grows with the log of its size.
		ZRef: 6,
		// Unit-free by default; the analyzer sets a floor per series unit.
		AbsFloor: 0,
		// 2 % of the level: below that a change is rounding, not news.
		RelFloor: 0.02,
		// Three points: Numenta's anomaly likelihood averages ten, which
		// blurs the onset NAB rewards; three still tells a burst from a blip.
		AvgWindow: 3,
		// 2000 points: a week of 5-minute points, twelve weeks of hourly
		// ones — long enough that one incident does not redefine normal.
		HistorySpan: 2000,
		// The spread of Gaussian noise's raw scores. Not divided by
		// √AvgWindow: real residuals are autocorrelated, so an average of
		// three varies about as much as one point.
		MinSigma: 0,
		// Ten times in about 8000 points (four weeks of 5-minute points, a
		// year of hourly ones): ten occurrences make a frequency an estimate
		// rather than an anecdote, and the cap then scores such an event at
		// most about 0.37, below any alarm threshold; a rarer or new kind of
		// event is judged by the Gaussian tail alone.
		RoutineCount: 10,
		RoutineSpan:  8000,
		// A tail probability of 1e-5.
		SurpriseRef: 11.5,
		// An episode is remembered with a half-life of 300 points (a day of
		// 5-minute points, twelve days of hourly ones): a recurrence a day
		// later of the same strength alarms again.
		EpisodeHalfLife: 300,
		// A quarter: the climb of an average of three after one outlier
		// adds less than that, while a clearly stronger turn of an incident
		// (or a new one once the memory has decayed) still alarms.
		EpisodeRise: 0.25,
		// A range learned from 300 points (a day of 5-minute points, twelve
		// days of hourly ones) has seen the series' whole rhythm at least
		// once, so a value beyond it is news: waiting for 1000 points threw
		// away the first days of short series, where the most striking
		// spikes of a fresh series often are. 2 % of the range as
		// tolerance, as for the scale's floor: closer than that to the old
		// extreme is the old extreme again; beyond it, a new extreme is
		// about as strong as an alarm gets.
		ExtremeHistory:   300,
		ExtremeTolerance: 0.02,
		ExtremeScore:     0.99,
		// Classic CUSUM design for a shift of about two scales: k = half the
		// shift, h = 5 gives an average run length of several hundred points
		// between false alarms.
		CUSUMK: 1,
		CUSUMH: 5,
	}
}

// maxZ bounds the robust z-score: beyond 1e12 scales every residual is the
// same catastrophe.
const maxZ = 1e12

// Judgement is the engine's verdict on one point.
type Judgement struct {
	// Score is the anomaly score in [0, 1]; 0 for missing and warm-up points.
	Score float64
	// Likelihood is how unusual the recent points are against the series'
	// own history, in [0, 1], before episode suppression.
	Likelihood float64
	// Z is the signed robust z-score of the point against what was expected.
	Z float64
	// Expected is the value the engine expected; NaN when it had no history.
	Expected float64
	// ShiftStart is the index of the first point of a new level when the
	// CUSUM declared a level shift at this point, and -1 otherwise.
	ShiftStart int

	// seasonal is the same-phase reference before the level correction;
	// NaN when the series is not seasonal.
	seasonal float64
}

// Detector is the anomaly detection engine of cwlens: one engine for every
// series, daily or hourly. It is causal (a point is judged only from the
// points before it and itself), robust (medians, and a scale that clips
// outliers), seasonal when the series' own autocorrelation shows a daily or
// weekly rhythm (it then compares a point with the same phase of past
// cycles), skips missing points (NaN), and reports the start of level shifts
// with a CUSUM. A Detector is not safe for concurrent use; Reset reuses its
// buffers for the next series.
type Detector struct {
	cfg   DetectorConfig
	cands []int

	hist      []float64 // every value seen, NaN included, for same-phase lookups
	present   int
	lag       int // seasonal lag in points, 0 when not seasonal
	nextCheck int

	recent slidingMedian // last Window present values
	level  slidingMedian // residuals from the seasonal reference over LevelCycles cycles

	absMean float64 // moving mean of clipped absolute residuals
	nScale  int

	cusumPos, cusumNeg     float64
	cusumPosAt, cusumNegAt int

	raw            []float64 // ring of the last AvgWindow raw scores
	rawHead        int
	rawSum         float64
	avgMean, avgM2 float64 // moving mean and variance of the averages
	nAvg           int

	// record of past tail z-scores of the averages, forgotten with span
	// RoutineSpan, in bins of zBinWidth
	zRecord forgetfulHist

	lo, hi    float64 // range of the values seen
	recentMax float64 // decaying maximum of past likelihood scores
	decay     float64

	scratch []float64
	acfBuf  []float64

	// scaleFloor bounds the scale below, in the series' units: the Scorer
	// sets it to half the precision the values are written with, so a
	// mostly-zero count does not divide by a collapsed scale. The analyzer
	// leaves it 0.
	scaleFloor float64
}

// NewDetector returns a Detector with the given configuration.
func NewDetector(cfg DetectorConfig) *Detector {
	d := &Detector{cfg: cfg}
	if d.cfg.Window < 1 {
		d.cfg.Window = 1
	}
	if d.cfg.LevelCycles < 1 {
		d.cfg.LevelCycles = 1
	}
	if d.cfg.AvgWindow < 1 {
		d.cfg.AvgWindow = 1
	}
	if d.cfg.HistorySpan < 1 {
		d.cfg.HistorySpan = 1
	}
	if d.cfg.Cycles < 1 {
		d.cfg.Cycles = 1
	}
	if !(d.cfg.MinSigma > 0) {
		d.cfg.MinSigma = NoiseSpread(d.cfg.ZRef)
	}
	d.cands = candidateLags(cfg.Step, cfg.MaxLag)
	d.decay = 1
	d.zRecord.init(zBins, zBinWidth, float64(cfg.RoutineSpan))
	if cfg.EpisodeHalfLife > 0 {
		d.decay = math.Pow(0.5, 1/cfg.EpisodeHalfLife)
	}
	d.Reset()
	return d
}

// Reset forgets every point seen, keeping the configuration and buffers.
func (d *Detector) Reset() {
	d.hist = d.hist[:0]
	d.present = 0
	d.lag = 0
	d.nextCheck = 0
	for _, l := range d.cands {
		if d.nextCheck == 0 || 2*l < d.nextCheck {
			d.nextCheck = 2 * l
		}
	}
	d.recent.reset(d.cfg.Window)
	d.level.reset(1) // sized when a seasonal lag is found
	d.absMean, d.nScale = 0, 0
	d.cusumPos, d.cusumNeg = 0, 0
	d.cusumPosAt, d.cusumNegAt = -1, -1
	d.raw = d.raw[:0]
	d.rawHead, d.rawSum = 0, 0
	d.avgMean, d.avgM2, d.nAvg = 0, 0, 0
	d.zRecord.clear()
	d.recentMax = 0
	d.lo, d.hi = math.Inf(1), math.Inf(-1)
}

// Lag returns the seasonal lag in points the engine currently uses, 0 when
// it treats the series as non-seasonal.
func (d *Detector) Lag() int { return d.lag }

// Update judges the next point and returns its anomaly score in [0, 1].
func (d *Detector) Update(v float64) float64 { return d.Judge(v).Score }

// Score resets the detector and returns the anomaly score of every value.
func (d *Detector) Score(values []float64) []float64 {
	out := make([]float64, len(values))
	d.Reset()
	for i, v := range values {
		out[i] = d.Judge(v).Score
	}
	return out
}

// Judge judges the next point and returns the full verdict.
func (d *Detector) Judge(v float64) Judgement {
	t := len(d.hist)
	j := Judgement{Expected: math.NaN(), ShiftStart: -1, seasonal: math.NaN()}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		d.hist = append(d.hist, math.NaN())
		return j
	}
	d.hist = append(d.hist, v)
	if d.nextCheck > 0 && t+1 >= d.nextCheck {
		was := d.lag
		d.lag, d.acfBuf = seasonalLag(d.hist, d.cands, d.cfg.MinACF, d.acfBuf)
		d.nextCheck = t + 1 + (t+1)/2
		if was > 0 && d.lag == 0 {
			// back to the recent median, which seasonal points skipped
			d.refillRecent(0)
		}
		if d.lag != was {
			d.level.reset(max(d.cfg.LevelCycles*d.lag, 1))
		}
	}

	expected, seasonal := d.seasonalRef(t)
	if !seasonal {
		expected = d.recent.median()
	} else {
		j.seasonal = expected
	}
	var r float64
	if !math.IsNaN(expected) {
		if seasonal {
			r0 := v - expected
			if d.level.len() > 0 {
				expected += d.level.median()
			}
			d.level.push(r0)
		}
		r = v - expected
	}
	if !seasonal {
		d.recent.push(v)
	}
	d.present++
	extreme := d.present > d.cfg.ExtremeHistory &&
		(v > d.hi+d.cfg.ExtremeTolerance*(d.hi-d.lo) || v < d.lo-d.cfg.ExtremeTolerance*(d.hi-d.lo))
	d.lo, d.hi = min(d.lo, v), max(d.hi, v)
	if math.IsNaN(expected) {
		return j
	}
	j.Expected = expected

	scale := 1.2533 * d.absMean // mean |e| of a Gaussian is 0.7979 σ
	if f := d.cfg.RelFloor * math.Abs(expected); scale < f {
		scale = f
	}
	scale = max(scale, d.scaleFloor)
	if scale < 1e-9 {
		scale = 1e-9
	}
	mag := math.Abs(r) - d.cfg.AbsFloor
	if mag < 0 {
		mag = 0
	}
	// bounded, so that a value near the float range after a run of zeros
	// cannot turn the engine's sums into Inf and then NaN
	z := min(mag/scale, maxZ)
	if r < 0 {
		z = -z
	}
	if d.nScale > 0 {
		j.Z = z
	}

	// the scale learns from clipped residuals
	a := math.Abs(r)
	if d.nScale > 0 && a > d.cfg.ClipZ*scale {
		a = d.cfg.ClipZ * scale
	}
	d.nScale++
	alpha := 1 / float64(d.nScale)
	if m := 1 / float64(d.cfg.ScaleSpan); alpha < m {
		alpha = m
	}
	d.absMean += alpha * (a - d.absMean)

	if d.present <= d.cfg.Warmup || d.nScale <= 1 {
		return j
	}

	// CUSUM on clipped z: the start of a run is the first point of a new
	// level. Clipped at h, one point adds at most h - k < h, so a lone
	// spike cannot declare a new level: were it to, the references would
	// restart from the spike and the return to normal would be judged an
	// anomaly of its own (a second, false alarm after every spike).
	zc := max(-d.cfg.CUSUMH, min(d.cfg.CUSUMH, j.Z))
	if d.cusumPos == 0 {
		d.cusumPosAt = t
	}
	d.cusumPos = max(0, d.cusumPos+zc-d.cfg.CUSUMK)
	if d.cusumNeg == 0 {
		d.cusumNegAt = t
	}
	d.cusumNeg = max(0, d.cusumNeg-zc-d.cfg.CUSUMK)
	if d.cusumPos > d.cfg.CUSUMH || d.cusumNeg > d.cfg.CUSUMH {
		start := d.cusumPosAt
		if d.cusumNeg > d.cusumPos {
			start = d.cusumNegAt
		}
		j.ShiftStart = start
		d.cusumPos, d.cusumNeg = 0, 0
		d.rebase(start)
	}

	az := math.Abs(j.Z)
	// The raw score keeps the magnitude of the residual on a log scale: a
	// 500× flood stays distinguishable from a 5× one, and the likelihood
	// stage below decides what is unusual for this series.
	j.Likelihood = d.likelihood(math.Log1p(az / d.cfg.ZRef))
	if extreme {
		j.Likelihood = max(j.Likelihood, d.cfg.ExtremeScore)
	}
	// Only a clear new high of the likelihood scores; the rest of an
	// episode scores 0, so one incident is one alarm at any threshold.
	if j.Likelihood > d.recentMax*(1+d.cfg.EpisodeRise) {
		j.Score = j.Likelihood
	}
	d.recentMax = max(j.Likelihood, d.recentMax*d.decay)
	return j
}

// likelihood turns a raw score into an anomaly score by asking how unusual
// the average of the last AvgWindow raw scores is against the history of
// such averages, in the manner of Numenta's anomaly likelihood: a series
// whose spikes are routine stops alarming on each spike, and a burst of
// moderate residuals adds up. The score is a monotone map of the Gaussian
// tail's surprise, so it has a long tail instead of saturating at 1.
func (d *Detector) likelihood(raw float64) float64 {
	if len(d.raw) < d.cfg.AvgWindow {
		d.raw = append(d.raw, raw)
	} else {
		d.rawSum -= d.raw[d.rawHead]
		d.raw[d.rawHead] = raw
		d.rawHead = (d.rawHead + 1) % d.cfg.AvgWindow
	}
	d.rawSum += raw
	avg := d.rawSum / float64(len(d.raw))

	score := 0.0
	if d.nAvg >= d.cfg.Warmup {
		sigma := math.Sqrt(d.avgM2)
		if sigma < d.cfg.MinSigma {
			sigma = d.cfg.MinSigma
		}
		// an average at or below its usual level is not unusual
		z := (avg - d.avgMean) / sigma
		if z > 0 {
			s := d.routineCap(z, surprise(z))
			score = s / (s + d.cfg.SurpriseRef)
		}
		d.recordZ(z)
	}
	// Welford's update, exponentially weighted once the span is reached
	d.nAvg++
	alpha := 1 / float64(d.nAvg)
	if m := 1 / float64(d.cfg.HistorySpan); alpha < m {
		alpha = m
	}
	delta := avg - d.avgMean
	d.avgMean += alpha * delta
	d.avgM2 = (1 - alpha) * (d.avgM2 + alpha*delta*delta)
	return score
}

// zBins and zBinWidth lay out the record of tail z-scores: half a standard
// deviation per bin up to 40, beyond which every z is equally extreme.
const (
	zBins     = 80
	zBinWidth = 0.5
)

// routineCap returns the surprise s of tail z-score z, capped at minus the
// log of the frequency with which the series' recent record reached z, when
// that record holds at least RoutineCount such points.
func (d *Detector) routineCap(z, s float64) float64 {
	rec := &d.zRecord
	if d.cfg.RoutineCount <= 0 || rec.total <= 0 {
		return s
	}
	// the cap is at most ln(total/RoutineCount): below that the record
	// cannot lower s, so the common case skips the sum
	need := d.cfg.RoutineCount * rec.weight
	if need >= rec.total || s <= math.Log(rec.total/need) {
		return s
	}
	k := rec.atLeast(z)
	if k < need {
		return s
	}
	return min(s, -math.Log(k/rec.total))
}

// recordZ adds tail z-score z to the record.
func (d *Detector) recordZ(z float64) {
	if d.cfg.RoutineCount <= 0 {
		return
	}
	d.zRecord.add(z)
}

// NoiseSpread returns the standard deviation of log(1 + |z|/zref) for z
// standard normal, by Simpson's rule over the half-normal density.
func NoiseSpread(zref float64) float64 {
	if !(zref > 0) {
		return 0
	}
	const n, hi = 2000, 12.0
	h := hi / n
	var m1, m2 float64
	for i := 0; i <= n; i++ {
		z := float64(i) * h
		w := 2.0
		switch {
		case i == 0 || i == n:
			w = 1
		case i%2 == 1:
			w = 4
		}
		p := w * math.Sqrt(2/math.Pi) * math.Exp(-z*z/2) * h / 3
		f := math.Log1p(z / zref)
		m1 += p * f
		m2 += p * f * f
	}
	return math.Sqrt(m2 - m1*m1)
}

// surprise returns -ln Q(z), Q the upper tail of the standard normal
// distribution, without underflow for large z.
func surprise(z float64) float64 {
	if z < 20 {
		return -math.Log(0.5 * math.Erfc(z/math.Sqrt2))
	}
	// Mills' ratio: Q(z) ≈ φ(z)/z for large z
	return z*z/2 + math.Log(z) + 0.5*math.Log(2*math.Pi)
}

// seasonalRef returns the median of the points at the same phase in the last
// Cycles cycles, and whether there was one.
func (d *Detector) seasonalRef(t int) (float64, bool) {
	if d.lag == 0 {
		return math.NaN(), false
	}
	buf := d.scratch[:0]
	for k := 1; k <= d.cfg.Cycles; k++ {
		i := t - k*d.lag
		if i < 0 {
			break
		}
		if x := d.hist[i]; !math.IsNaN(x) {
			buf = append(buf, x)
		}
	}
	d.scratch = buf
	if len(buf) == 0 {
		return math.NaN(), false
	}
	return medianOf(buf), true
}

// rebase restarts the references from the points since start, the first
// point of a new level, so the engine stops comparing the new level with the
// old one.
func (d *Detector) rebase(start int) {
	if d.lag > 0 {
		return // the level correction already follows the new level
	}
	d.refillRecent(start)
}

// refillRecent refills the recent window with the last Window present
// values from index from on.
func (d *Detector) refillRecent(from int) {
	d.recent.reset(d.cfg.Window)
	n := 0
	i := len(d.hist)
	for i > from && n < d.cfg.Window {
		i--
		if !math.IsNaN(d.hist[i]) {
			n++
		}
	}
	for _, x := range d.hist[i:] {
		if !math.IsNaN(x) {
			d.recent.push(x)
		}
	}
}
