package analyzer

import (
	"math"
	"time"
)

// ScorerConfig holds the parameters of the Scorer. Lengths are in points.
type ScorerConfig struct {
	// Detector configures the level and seasonality engine the Scorer
	// builds on (its likelihood channel).
	Detector DetectorConfig
	// PointWindow is how many recent points the point channels take the
	// median of: a burst of up to half of it cannot move the reference.
	PointWindow int
	// ScaleSpan is the span of the moving mean of clipped absolute
	// deviations from that median: the point channels' local scale.
	ScaleSpan float64
	// TailSpan is the span over which every channel's tail calibration
	// forgets, and TailU the standardised level beyond which it fits the
	// series' own tail instead of a Gaussian one.
	TailSpan float64
	TailU    float64
	// TextureSpan is the span of the short-run statistics (spread of the
	// residuals, decimals of the values) compared with their long run.
	TextureSpan float64
	// MaxDecimals bounds the decimals a series may be written with for the
	// quantisation channel to watch it: on full-precision floats the number
	// of digits is chance.
	MaxDecimals float64
	// SurpriseRef is the surprise (minus the natural log of a tail
	// probability) that maps to the score 0.5.
	SurpriseRef float64
	// RearmCalm is how many consecutive calm points (score under CalmScore)
	// end an episode, so the next departure alarms again.
	RearmCalm int
	CalmScore float64
	// Rise is by how much (a fraction of the surprise) a point must exceed
	// the strongest of its episode so far to alarm again inside it.
	Rise float64
	// EpisodeHalfLife is the half-life, in points, of an episode's peak.
	EpisodeHalfLife float64
	// Warmup is how many present points are seen before any is scored.
	Warmup int
	// PersistSpan is the span of the slow mean the persistence channel
	// measures non-seasonal series against.
	PersistSpan float64

	// RecordPoints and RecordTime set the record channel's reference: a
	// value above (or below) every one of the last T points scores 0.5
	// when T is RecordTime's worth of points, or RecordPoints if that is
	// more (ln(1+T) against ln(1+reference)); records over fewer than
	// half the reference do not count.
	RecordPoints int
	RecordTime   time.Duration
	// AlarmRoutine and AlarmSpan make alarms that the series raises
	// routinely stop alarming: an alarm whose score the series' own
	// scores reached at least AlarmRoutine times over about the last
	// AlarmSpan points is capped at minus the log of that frequency.
	AlarmRoutine float64
	AlarmSpan    float64
	// PersistRef is the surprise at which the persistence channel alarms
	// (it is gated as the others): lower than SurpriseRef, as its
	// statistic, a mean over TextureSpan points, is calibrated on a
	// history of such overlapping means.
	PersistRef float64

	// channels left out (bit i: channel i; bit nChannels the persistence
	// channel, bit nChannels+1 the counts transform), for evaluating them
	mute uint16
}

// DefaultScorerConfig returns the Scorer's defaults for a series sampled
// every step (zero when unknown).
func DefaultScorerConfig(step time.Duration) ScorerConfig {
	return ScorerConfig{
		Detector: DefaultDetectorConfig(step),
		// Nine points: a spike of up to four points stays out of the median.
		PointWindow: 9,
		// About two hundred points: the local noise of the last hours of a
		// one-minute series, the last day of a five-minute one.
		ScaleSpan: 200,
		// 2000 points, as the likelihood's history: a incident does not
		// redefine what is normal.
		TailSpan: 2000,
		TailU:    3,
		// Twelve points: an hour of five-minute points.
		TextureSpan: 12,
		MaxDecimals: 3.5,
		// A tail probability of 1e-5.
		SurpriseRef:     11.5,
		RearmCalm:       5,
		CalmScore:       0.3,
		Rise:            0.25,
		EpisodeHalfLife: 300,
		Warmup:          10,
		// 500 points: a long departure of a few hours at one minute is
		// still measured mostly against the level before it.
		PersistSpan: 500,
		// A record over T points is a 1-in-T event of an exchangeable
		// series. Operational series are not: neighbouring minutes are
		// alike, so the reference is a time, a week, and at least 3000
		// points (ten days of 5-minute points; NAB's whole corpus scores
		// 72.0-72.2 from 2750 to 3500, 71.7 at 2500, 71.2 at 4000).
		RecordPoints: 3000,
		RecordTime:   7 * 24 * time.Hour,
		// Seven alarms at least as strong within about 5000 points (two
		// weeks and a half of 5-minute points): what the series does
		// that often is its routine, not news.
		AlarmRoutine: 7,
		AlarmSpan:    5000,
		// A tail probability of about 5e-4: tuned on NAB (whole corpus
		// standard 72.1-72.4 from 7.2 to 8, 71.7 at 8.5), the generated
		// corpus unchanged.
		PersistRef: 7.6,
	}
}

// Scorer is cwlens's streaming anomaly scorer: every point gets a graded,
// causal score in [0, 1] of how surprising it is, 0.5 being the default
// alarm level. It is an ensemble of cheap channels, each turned into a tail
// probability calibrated on the series' own history (tailCal):
//
//   - likelihood: the Detector's averaged surprise against its seasonal or
//     recent-median reference, with its level-shift handling;
//   - point: one point against the median of the last few, on a robust local
//     scale floored by the precision the values are written with (so a flat
//     or integer series does not divide by zero);
//   - ratio: the same on a log scale for non-negative series, so a drop to
//     zero or a lone large value on a mostly-zero count is as big as it is;
//   - spread: the recent spread of the residuals against their long-run one;
//   - quantisation: a run of values written with fewer decimals than usual;
//   - extreme: a value outside the whole range seen, after a day of history;
//   - horizons: the mean of the Detector's residuals over the last 1, 3 and
//     12 points (a spike, a burst, a sustained departure);
//   - record: a value beyond every one of the last T points, graded by T
//     against a week (with a rhythm, also a record against the rhythm);
//   - persistence: the recent points' distance from a slow reference, for
//     departures that build up too slowly for the others.
//
// An alarm the series raises routinely (AlarmRoutine times in about
// AlarmSpan points, new extremes excepted) is capped below 0.5.
//
// Each channel alarms at the onset of an episode; inside one it alarms again
// only when clearly stronger than the episode so far, and after RearmCalm
// calm points a new departure is a new episode. Points of an episode that do
// not alarm keep a rank just under 0.5. Missing points score NaN.
type Scorer struct {
	cfg ScorerConfig
	det *Detector

	present int
	decay   float64

	point, ratio pointChan
	nonNeg       bool
	levelAbs     float64 // long moving mean of |v|, the ratio channel's offset
	decimals     int     // most decimals seen

	spreadShort, spreadLong float64
	spreadTail              tailCal

	decLong    float64 // long-run mean of decimals
	coarseRate float64 // long-run rate of values coarser than the finest
	decCUSUM   float64

	lo, hi         float64 // range of the values seen
	extremeHistory int     // points seen before a new extreme counts

	decided, counts bool      // whether the series is judged as counts
	held            []float64 // its first values, until decided

	// the persistence channel; on counts, also on the raw scale (rank)
	persist, persistRaw persistChan

	zRing  [12]float64 // last Detector residuals, clipped
	zHead  int
	zN     int
	zSum   [len(horizons)]float64 // running sums of the last h residuals
	zTails [len(horizons)]tailCal

	up, down   recordTracker // records of v and of -v
	rUp, rDown recordTracker // records of the Detector's residual
	rLo, rHi   float64       // range of those residuals
	recordRef  float64       // ln(1 + the reference record)
	recordN    int           // the reference record, in points
	t          int           // present points seen, as the trackers count them
	alarms     routineRecord // the series' own final scores

	gates       [nChannels]gate
	persistGate gate
	last        int // the channel that gave the last score, for evaluating them
}

// nChannels is the number of channels: likelihood, point, ratio, spread,
// quantisation, extreme, the Detector's residual over horizons of 1, 3 and
// 12 points, and records.
const nChannels = 10

// extremeChannel is the index of the extreme channel.
const extremeChannel = 5

// horizons are the spans, in points, over which the Detector's signed
// residuals are averaged: a spike, a burst, a sustained departure.
var horizons = [...]int{1, 3, 12}

// horizonNorm is 1/√h for each horizon: the mean of h independent
// residuals, times √h, is a residual again.
var horizonNorm = [len(horizons)]float64{1, 1 / math.Sqrt(3), 1 / math.Sqrt(12)}

// zClip bounds a residual before it enters the longer horizons' means, so
// one spike cannot pass for a sustained departure.
const zClip = 10.0

// NewScorer returns a Scorer with the given configuration.
func NewScorer(cfg ScorerConfig) *Scorer {
	// The Scorer judges new extremes itself, with the point channels' help.
	dc := cfg.Detector
	dc.ExtremeScore = 0
	s := &Scorer{cfg: cfg, det: NewDetector(dc)}
	s.cfg.PointWindow = max(s.cfg.PointWindow, 3)
	s.decay = 1
	if cfg.EpisodeHalfLife > 0 {
		s.decay = math.Pow(0.5, 1/cfg.EpisodeHalfLife)
	}
	// a new extreme needs the Detector's history, and at least a day of
	// it: a sparse one-minute count reaches its ordinary highs only once
	// a day or so
	s.extremeHistory = dc.ExtremeHistory
	if st := cfg.Detector.Step; st > 0 && st < 24*time.Hour {
		s.extremeHistory = max(s.extremeHistory, int(24*time.Hour/st))
	}
	ref := max(cfg.RecordPoints, 1)
	if st := cfg.Detector.Step; st > 0 {
		ref = max(ref, int(cfg.RecordTime/st))
	}
	s.recordRef, s.recordN = math.Log1p(float64(ref)), ref
	s.point = newPointChan(s.cfg)
	s.ratio = newPointChan(s.cfg)
	s.spreadTail = newTailCal(false, cfg.TailU, cfg.TailSpan, 0.05)
	s.persist.tail = newTailCal(false, cfg.TailU, cfg.TailSpan, 0.1)
	s.persistRaw.tail = s.persist.tail
	for i := range s.zTails {
		s.zTails[i] = newTailCal(true, cfg.TailU, cfg.TailSpan, 0)
	}
	s.Reset()
	return s
}

// Reset forgets every point seen, keeping the configuration and buffers.
func (s *Scorer) Reset() {
	s.det.Reset()
	s.present = 0
	s.point.reset()
	s.ratio.reset()
	s.nonNeg = true
	s.levelAbs = 0
	s.decimals = 0
	s.spreadShort, s.spreadLong = 0, 0
	s.spreadTail.reset()
	s.decLong, s.coarseRate, s.decCUSUM = 0, 0.1, 0
	s.gates = [nChannels]gate{}
	s.persistGate = gate{}
	s.up.reset(recordKeep)
	s.down.reset(recordKeep)
	s.rUp.reset(recordKeep)
	s.rDown.reset(recordKeep)
	s.rLo, s.rHi = math.Inf(1), math.Inf(-1)
	s.t = 0
	s.alarms.reset(s.cfg.AlarmSpan)
	s.lo, s.hi = math.Inf(1), math.Inf(-1)
	s.zRing, s.zHead, s.zN = [12]float64{}, 0, 0
	s.zSum = [len(horizons)]float64{}
	s.persist.reset()
	s.persistRaw.reset()
	s.decided, s.counts, s.held = false, false, s.held[:0]
	for i := range s.zTails {
		s.zTails[i].reset()
	}
}

// Score resets the scorer and returns the score of every value.
func (s *Scorer) Score(values []float64) []float64 {
	out := make([]float64, len(values))
	s.Reset()
	for i, v := range values {
		out[i] = s.Update(v)
	}
	return out
}

// Update scores the next point: NaN when it is missing (NaN or infinite).
func (s *Scorer) Update(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		s.det.Judge(v)
		return math.NaN()
	}
	s.present++
	d := maxDecimals
	if !s.fullPrecision() {
		d = decimalsOf(v)
	}
	s.decimals = max(s.decimals, d)
	quantum := math.Pow10(-s.decimals)
	s.det.scaleFloor = 0.5 * quantum
	j := s.judge(v, quantum)

	var sur [nChannels]float64
	// likelihood: already a score; its surprise is recovered for the gate
	if l := j.Likelihood; l > 0 && l < 1 {
		sur[0] = s.cfg.Detector.SurpriseRef * l / (1 - l)
	} else if l >= 1 {
		sur[0] = math.Inf(1)
	}
	sur[1] = s.point.surprise(v, 0.5*quantum)
	sur[2] = s.ratioSurprise(v, quantum)
	sur[3] = s.spreadSurprise(v, j.Expected)
	sur[4] = s.quantSurprise(v, d)
	sur[9] = s.recordSurprise(v, j)
	sur[extremeChannel] = s.extremeSurprise(v)
	if !math.IsNaN(j.Expected) {
		s.horizonSurprises(j.Z, sur[6:])
	}

	pv, pq := v, quantum
	if s.counts {
		// on the Detector's scale: a burst is judged by its ratio
		pv, pq = s.transform(v), quantum/(1+math.Abs(v))
	}
	persist := s.persistSurprise(pv, j.seasonal, pq)
	persistRank := -1.0
	if s.counts {
		persistRank = s.persistRaw.surprise(v, j.seasonal, quantum, s.present, s.extremeHistory, &s.cfg)
	}
	a := 1 / float64(s.present)
	a = max(a, 1/s.cfg.TailSpan)
	s.levelAbs += a * (math.Abs(v) - s.levelAbs)

	if s.present <= s.cfg.Warmup {
		return 0
	}
	score := 0.0
	s.last = -1
	if s.cfg.mute&1 == 0 {
		// the Detector gates its own likelihood: onsets and clear new highs
		score = j.Score
		if score == 0 {
			score = rankBelow(j.Likelihood)
		}
		s.last = 0
	}
	for i := 1; i < len(sur); i++ {
		if s.cfg.mute&(1<<i) != 0 {
			continue
		}
		if x := s.gates[i].score(sur[i], &s.cfg, s.decay); x > score {
			score, s.last = x, i
		}
	}
	if s.cfg.mute&(1<<nChannels) == 0 {
		x := s.persistGate.score(persist*s.cfg.SurpriseRef/s.cfg.PersistRef, &s.cfg, s.decay)
		if persistRank >= 0 && x < 0.45 {
			// counts alarm on their log scale, where a lone blip of a
			// sparse count is not a departure; below the alarm they rank
			// on the raw scale, which pools better across series
			// (pointwise AUC on NAB's whole corpus 0.893 -> 0.899)
			x = min(surpriseScore(persistRank*s.cfg.SurpriseRef/s.cfg.PersistRef, s.cfg.SurpriseRef), persistRankCap)
		}
		if x > score {
			score, s.last = x, nChannels
		}
	}
	if s.cfg.AlarmRoutine > 0 && s.last != extremeChannel {
		// a new extreme of the whole series is never routine
		score = s.alarms.capScore(score, s.cfg.SurpriseRef, s.cfg.AlarmRoutine)
	}
	return score
}

// judge has the Detector judge v, or log(1 + v) on counts: a series whose
// first Warmup values are all whole and non-negative (held back until then;
// the Scorer scores none of them) is judged on the log scale, the usual
// variance-stabilising transform of counts, so a burst is judged by its
// ratio to the usual level and a busy hour does not look like a flood of
// a quiet one. The decision is kept for the rest of the series.
func (s *Scorer) judge(v, quantum float64) Judgement {
	if s.cfg.mute&(1<<(nChannels+1)) != 0 {
		return s.det.Judge(v)
	}
	if !s.decided {
		s.held = append(s.held, v)
		if len(s.held) < s.cfg.Warmup {
			return Judgement{Expected: math.NaN(), ShiftStart: -1, seasonal: math.NaN()}
		}
		s.decided = true
		s.counts = true
		for _, x := range s.held {
			s.counts = s.counts && x >= 0 && x == math.Trunc(x)
		}
		for _, x := range s.held[:len(s.held)-1] {
			s.det.Judge(s.transform(x))
		}
	}
	if !s.counts {
		return s.det.Judge(v)
	}
	s.det.scaleFloor = 0.5 * quantum / (1 + math.Abs(v))
	j := s.det.Judge(s.transform(v))
	j.seasonal = math.NaN() // on the log scale: not comparable with v
	return j
}

func (s *Scorer) transform(v float64) float64 {
	if s.counts {
		return math.Copysign(math.Log1p(math.Abs(v)), v)
	}
	return v
}

// persistSurprise scores how far the recent points sit from a slow
// reference: the same phase of past cycles when the Detector found a
// rhythm, else a slow moving mean (span PersistSpan). The Detector follows
// a new level within a few points, as an alarm rule should; this channel
// keeps the rest of a long labelled departure ranked above normal points,
// and alarms on a departure that builds up too slowly for the others.
func (s *Scorer) persistSurprise(v, seasonal, quantum float64) float64 {
	return s.persist.surprise(v, seasonal, quantum, s.present, s.extremeHistory, &s.cfg)
}

// persistRankCap bounds the rank the raw-scale persistence of a count
// series gives a point: under the alarm level and the points of episodes.
const persistRankCap = 0.449

// persistChan is the persistence channel's state.
type persistChan struct {
	slowLevel, abs, z float64
	tail              tailCal
}

func (p *persistChan) reset() {
	p.slowLevel, p.abs, p.z = 0, 0, 0
	p.tail.reset()
}

// surprise scores v, the present-th point, against the slow reference.
func (p *persistChan) surprise(v, seasonal, quantum float64, present, history int, cfg *ScorerConfig) float64 {
	ref := seasonal
	if math.IsNaN(ref) {
		ref = p.slowLevel
	}
	r := math.Abs(v - ref)
	scale := max(1.2533*p.abs, 0.5*quantum, 1e-12)
	z := min(r/scale, zClip)
	a := max(1/float64(present), 1/cfg.TailSpan)
	if present > 10 {
		r = min(r, 4*scale)
	}
	p.abs += a * (r - p.abs)
	p.slowLevel += max(a, 1/cfg.PersistSpan) * (v - p.slowLevel)
	p.z += max(a, 1/cfg.TextureSpan) * (z - p.z)
	if present < 3*int(cfg.TextureSpan) {
		return 0
	}
	sur := p.tail.surprise(p.z)
	if present <= history {
		// a slow reference needs a day of history to mean anything
		return 0
	}
	return sur
}

// horizonSurprises scores the mean of the last h Detector residuals, for
// each horizon h, as a standardised magnitude (times √h) against its own
// calibrated tail.
func (s *Scorer) horizonSurprises(z float64, out []float64) {
	zc := max(-zClip, min(zClip, z))
	n := len(s.zRing)
	for k, h := range horizons {
		if h > 1 {
			// running sums: add the new residual, drop the one h back
			s.zSum[k] += zc - s.zRing[(s.zHead-h+n)%n]
		}
	}
	s.zRing[s.zHead] = zc
	s.zHead = (s.zHead + 1) % n
	s.zN++
	if s.zN%4096 == 0 {
		s.resum() // against rounding drift
	}
	for k, h := range horizons {
		if s.zN < h {
			break
		}
		sum := z // a spike is as big as it is
		if h > 1 {
			sum = s.zSum[k]
		}
		out[k] = s.zTails[k].surprise(math.Abs(sum) * horizonNorm[k])
	}
}

// resum recomputes the horizons' running sums from the ring.
func (s *Scorer) resum() {
	n := len(s.zRing)
	for k, h := range horizons {
		s.zSum[k] = 0
		for i := 1; i <= h && h > 1; i++ {
			s.zSum[k] += s.zRing[(s.zHead-i+n)%n]
		}
	}
}

// extremeSurprise scores a value outside the whole range seen (widened by
// the Detector's ExtremeTolerance), once ExtremeHistory points have shown the
// series' rhythm, as the Detector's ExtremeScore. Gated as a channel of its
// own, a new extreme alarms even inside an episode of the likelihood.
func (s *Scorer) extremeSurprise(v float64) float64 {
	dc := &s.cfg.Detector
	tol := dc.ExtremeTolerance * (s.hi - s.lo)
	extreme := s.present > s.extremeHistory && (v > s.hi+tol || v < s.lo-tol)
	s.lo, s.hi = min(s.lo, v), max(s.hi, v)
	if !extreme {
		return 0
	}
	x := min(dc.ExtremeScore, 0.999)
	return s.cfg.SurpriseRef * x / (1 - x)
}

// recordKeep bounds the points each record tracker remembers.
const recordKeep = 4096

// recordSurprise scores a value above (or below) every one of the last T
// points, by the Detector's extreme tolerance of the range seen, T at
// least RecordMin: RecordWeight·ln(T+1). Unlike the extreme channel it
// needs no day of history and grades a record by how long it stood: the
// labelled incidents of operational series are mostly the highest (or
// lowest) values for days, whatever the shape of the series.
func (s *Scorer) recordSurprise(v float64, j Judgement) float64 {
	tol := s.cfg.Detector.ExtremeTolerance * (s.hi - s.lo)
	if math.IsInf(tol, 0) || math.IsNaN(tol) {
		tol = 0
	}
	s.t++
	nu := s.up.since(v-tol, v, s.t)
	nd := s.down.since(-v-tol, -v, s.t)
	n := max(nu, nd)
	if !math.IsNaN(j.Expected) {
		r := s.det.hist[len(s.det.hist)-1] - j.Expected
		rtol := s.cfg.Detector.ExtremeTolerance * (s.rHi - s.rLo)
		if math.IsInf(rtol, 0) || math.IsNaN(rtol) {
			rtol = 0
		}
		ru := s.rUp.since(r-rtol, r, s.t)
		rd := s.rDown.since(-r-rtol, -r, s.t)
		s.rLo, s.rHi = min(s.rLo, r), max(s.rHi, r)
		if s.det.Lag() > 0 {
			// with a rhythm, a new high must also be one against it
			n = min(n, max(ru, rd))
		}
	}
	if 2*(n+1) < s.recordN+1 {
		// ln(1+n) under ln(1+reference) - ln 2: not a record worth a log
		return 0
	}
	return s.cfg.SurpriseRef * math.Log1p(float64(n)) / s.recordRef
}

// ratioSurprise is the point channel on log(v + c) while the series has
// never been negative: c, a twentieth of the usual magnitude plus one
// quantum, keeps a zero finite without flattening ordinary changes.
func (s *Scorer) ratioSurprise(v, quantum float64) float64 {
	if v < 0 {
		s.nonNeg = false
	}
	if !s.nonNeg {
		return 0
	}
	c := quantum + 0.05*s.levelAbs
	y := math.Log(v + c)
	// one quantum at the median's level, half of it as the floor
	floor := 0.5 * quantum / (math.Exp(s.ratio.med.median()) + 1e-300)
	if math.IsNaN(floor) || math.IsInf(floor, 0) {
		floor = 0
	}
	return s.ratio.surprise(y, floor)
}

// spreadSurprise compares the recent mean absolute residual from the
// Detector's expectation with its long-run mean: noisier spells.
func (s *Scorer) spreadSurprise(v, expected float64) float64 {
	if math.IsNaN(expected) {
		return 0
	}
	r := math.Abs(v - expected)
	if s.spreadLong > 0 {
		r = min(r, 8*s.spreadLong)
	}
	a := max(1/float64(s.present), 1/s.cfg.TailSpan)
	s.spreadLong += a * (r - s.spreadLong)
	s.spreadShort += max(a, 1/s.cfg.TextureSpan) * (r - s.spreadShort)
	if s.present < 3*int(s.cfg.TextureSpan) || !(s.spreadLong > 0) {
		return 0
	}
	return s.spreadTail.surprise(math.Log((s.spreadShort + 1e-12) / (s.spreadLong + 1e-12)))
}

// quantSurprise watches, on series written with few decimals, for values
// coarser than usual (fewer decimals) coming in a run: a CUSUM
// of the log-likelihood ratio of "coarse at rate quantAlt" against "coarse
// at the long-run rate", so its value is about the surprise of the run (a
// fractional KPI sitting on whole numbers alarms within a few points, while
// the odd whole number of an ordinary day does not).
func (s *Scorer) quantSurprise(v float64, dec int) float64 {
	if v == 0 {
		// zero is a level, not a coarser value: sparse series sit on it
		return 0
	}
	d := float64(dec)
	coarse := 0.0
	if d < s.decLong-0.5 {
		coarse = 1 // fewer decimals than the series usually has
	}
	a := max(1/float64(s.present), 1/s.cfg.TailSpan)
	s.decLong += a * (d - s.decLong)
	p := min(max(s.coarseRate, 1e-3), 0.5)
	if coarse == 1 {
		s.decCUSUM += math.Log(quantAlt / p)
	} else {
		s.decCUSUM += math.Log((1 - quantAlt) / (1 - p))
	}
	s.decCUSUM = max(0, s.decCUSUM)
	// the rate learns with a prior of one coarse value in ten points
	s.coarseRate += 1 / (float64(s.present) + 10) * (coarse - s.coarseRate)
	// only on series with a texture to lose: a few decimals, and coarse
	// values rare
	if s.present < s.cfg.Warmup*10 || s.decLong > s.cfg.MaxDecimals || s.decLong < 1 || s.coarseRate > 0.3 {
		s.decCUSUM = 0
		return 0
	}
	return s.decCUSUM
}

// quantAlt is the rate of coarse values the quantisation channel's CUSUM
// looks for: most of them.
const quantAlt = 0.9

// fullPrecision tells that the series is written with full-precision
// floats (almost every value with the most decimals decimalsOf tells):
// then decimals are no longer worth counting.
func (s *Scorer) fullPrecision() bool {
	return s.present > 1000 && s.decimals == maxDecimals && s.decLong > maxDecimals-0.5
}

// maxDecimals is the most decimals decimalsOf tells apart.
const maxDecimals = 7

// decimalsOf returns how many decimals v is written with, up to maxDecimals
// (maxDecimals for any value finer than that).
func decimalsOf(v float64) int {
	v = math.Abs(v)
	p := 1.0
	for k := 0; k < maxDecimals; k++ {
		x := v * p
		if math.Abs(x-math.Round(x)) <= 1e-6*max(1, x)*1e-3 {
			return k
		}
		p *= 10
	}
	return maxDecimals
}

// pointChan scores one point against the median of the last few on a
// robust, floored local scale.
type pointChan struct {
	med     slidingMedian
	w       int
	absMean float64
	n       float64
	span    float64
	tail    tailCal
}

func newPointChan(cfg ScorerConfig) pointChan {
	return pointChan{w: cfg.PointWindow, span: cfg.ScaleSpan,
		tail: newTailCal(true, cfg.TailU, cfg.TailSpan, 0)}
}

func (p *pointChan) reset() {
	p.med.reset(p.w)
	p.absMean, p.n = 0, 0
	p.tail.reset()
}

// surprise returns the surprise of y and learns it; floor bounds the scale.
func (p *pointChan) surprise(y, floor float64) float64 {
	if p.med.len() < 3 {
		p.med.push(y)
		return 0
	}
	r := math.Abs(y - p.med.median())
	scale := max(1.2533*p.absMean, floor, 1e-12)
	z := min(r/scale, maxZ)
	p.n++
	a := max(1/p.n, 1/p.span)
	if p.n > 10 {
		// clipped once the scale means something, so an outlier does
		// not teach the channel that outliers are normal
		r = min(r, 3.5*scale)
	}
	p.absMean += a * (r - p.absMean)
	p.med.push(y)
	return p.tail.surprise(z)
}

// gate turns one channel's surprises into scores, alarming at an episode's
// onset and at clearly stronger turns of it.
type gate struct {
	peak float64 // strongest surprise of the episode, decaying
	calm int     // consecutive calm points
}

func (g *gate) score(sur float64, cfg *ScorerConfig, decay float64) float64 {
	x := surpriseScore(sur, cfg.SurpriseRef)
	g.peak *= decay
	if x < 0.5 {
		if x < cfg.CalmScore {
			g.calm++
			if g.calm >= cfg.RearmCalm {
				g.peak = 0
			}
		} else {
			g.calm = 0
		}
		return x
	}
	g.calm = 0
	if sur > g.peak*(1+cfg.Rise) {
		g.peak = sur
		return x
	}
	return rankBelow(x)
}

// rankBelow maps a score of a point that is part of an episode already
// reported to just under the alarm level, keeping its rank.
func rankBelow(x float64) float64 {
	if x < 0.5 {
		return x
	}
	return 0.45 + 0.1*(x-0.5)
}
