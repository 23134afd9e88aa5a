package analyzer

import "math"

// tailCal turns a statistic into a calibrated surprise, minus the natural log
// of how often the series' own history produced a value at least as large.
//
// The body of the distribution is a Gaussian tail: of the statistic itself
// when it is already a standardised magnitude (a robust z-score, scaled by
// two for its two sides), or of the statistic standardised by its own moving
// mean and spread otherwise. Beyond the threshold u the tail is a
// peaks-over-threshold fit: the series' own (exponentially forgotten) rate of
// exceeding u, times an exponential decay with the mean excess as its scale.
// A series that bursts routinely thus learns a heavy tail and stops calling
// every burst a catastrophe, while a well-behaved one keeps a thin tail and
// alarms on its first real excursion. Excesses are clipped before they are
// learned, so one incident cannot teach that incidents are normal.
type tailCal struct {
	magnitude bool // the statistic is a standardised magnitude (two-sided body)
	u         float64
	span      float64

	mean, m2 float64 // moving mean and variance of the statistic (standardise)
	minSigma float64
	n        float64

	excRate float64 // forgotten rate of z > u
	// logOf caches the log of the rate for logAt, the rate it was taken
	// of: between exceedances the rate only creeps down, so the log is
	// retaken when it has moved by more than 1 %
	logOf, logAt float64
	excMean      float64 // forgotten mean of the clipped log excess over u
	excN         float64 // exceedances learned, up to tailShapeMemory
	qu           float64 // body tail probability at u
	logQu        float64
}

// logRate returns ln max(excRate, qu), to within 0.01.
func (t *tailCal) logRate() float64 {
	rate := max(t.excRate, t.qu)
	if rate > 1.01*t.logAt || rate < 0.99*t.logAt {
		t.logAt, t.logOf = rate, math.Log(rate)
	}
	return t.logOf
}

// tail constants: the pseudo-count of the priors, the smallest mean excess
// (about that of a Gaussian over 3, so a thin tail stays thin), and the
// clip of a learned excess in mean excesses.
const (
	tailPrior   = 200.0
	tailMinBeta = 0.1
	tailClip    = 3.5
	// The tail's shape is learned from up to 50 exceedances, after a prior
	// worth 20.
	tailShapeMemory = 50.0
	tailShapePrior  = 20.0
)

func newTailCal(magnitude bool, u, span, minSigma float64) tailCal {
	t := tailCal{magnitude: magnitude, u: u, span: span, minSigma: minSigma}
	t.qu = gaussTail(u)
	if magnitude {
		t.qu *= 2
	}
	t.logQu = math.Log(t.qu)
	t.reset()
	return t
}

func (t *tailCal) reset() {
	t.mean, t.m2, t.n = 0, 0, 0
	t.excRate = t.qu
	t.logAt, t.logOf = 0, 0
	t.excMean = 0.15
	t.excN = 0
}

// z standardises x.
func (t *tailCal) z(x float64) float64 {
	if t.magnitude {
		return x
	}
	sd := math.Sqrt(t.m2)
	if sd < t.minSigma {
		sd = t.minSigma
	}
	return (x - t.mean) / sd
}

// surprise returns -ln p of x under the learned distribution, then learns x.
func (t *tailCal) surprise(x float64) float64 {
	z := t.z(x)
	s := t.surpriseZ(z)
	t.learn(x, z)
	return s
}

func (t *tailCal) surpriseZ(z float64) float64 {
	logRate := t.logRate()
	if z <= t.u {
		// the body, scaled so that it meets the learned tail at u
		body := gaussBody(z)
		if t.magnitude {
			body -= math.Ln2
		}
		return max(0, body+t.logQu-logRate)
	}
	beta := max(t.excMean, tailMinBeta)
	return -logRate + math.Log(z/t.u)/beta
}

func (t *tailCal) learn(x, z float64) {
	t.n++
	a := max(1/t.n, 1/t.span)
	if !t.magnitude {
		// clip what the body learns, as the scale of the residuals does
		if t.n > 10 {
			sd := math.Max(math.Sqrt(t.m2), t.minSigma)
			x = min(x, t.mean+tailClipZ*sd)
		}
		d := x - t.mean
		t.mean += a * d
		t.m2 = (1 - a) * (t.m2 + a*d*d)
	}
	b := max(1/(t.n+tailPrior), 1/t.span)
	exc := 0.0
	if z > t.u {
		exc = 1
		e := min(math.Log(z/t.u), tailClip*max(t.excMean, tailMinBeta))
		// the mean excess learns only from exceedances, each weighing
		// like one of the last few dozen: a handful of them (one
		// incident) moves the tail's shape only a little
		t.excN = min(t.excN+1, tailShapeMemory)
		t.excMean += (e - t.excMean) / (t.excN + tailShapePrior)
	}
	t.excRate += b * (exc - t.excRate)
}

// tailClipZ clips a standardised statistic before its moving mean and
// spread learn it.
const tailClipZ = 4.0

// gaussTail returns Q(z), the upper tail of the standard normal distribution.
func gaussTail(z float64) float64 { return 0.5 * math.Erfc(z/math.Sqrt2) }

// gaussBody returns -ln Q(z) for z in [0, gaussBodyMax] by linear
// interpolation in a table (to within 0.002; negative z count as 0), a few
// nanoseconds where erfc and a logarithm cost fifty: every channel takes
// one per point.
func gaussBody(z float64) float64 {
	x := max(0, min(z, gaussBodyMax)) * gaussBodyStep
	i := min(int(x), len(gaussBodyTable)-2)
	f := x - float64(i)
	return gaussBodyTable[i] + f*(gaussBodyTable[i+1]-gaussBodyTable[i])
}

// gaussBodyMax is the largest z the table covers: the tail threshold u of
// every channel is at most that.
const (
	gaussBodyMax  = 4.0
	gaussBodyStep = 32.0 // entries per unit of z
)

// gaussBodyTable holds -ln Q(k/gaussBodyStep); read only.
var gaussBodyTable = func() (t [int(gaussBodyMax*gaussBodyStep) + 1]float64) {
	for k := range t {
		t[k] = surprise(float64(k) / gaussBodyStep)
	}
	return t
}()

// surpriseScore maps a surprise to a score in [0, 1): ref maps to 0.5.
func surpriseScore(s, ref float64) float64 {
	if !(s > 0) {
		return 0
	}
	if math.IsInf(s, 1) {
		return 1
	}
	return s / (s + ref)
}
