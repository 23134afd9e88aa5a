package analyzer

// forgetfulHist is an exponentially forgotten histogram of non-negative
// values in bins of one width, the last bin open-ended. Rather than every
// weight shrinking by (1 - 1/span) at each point, each new point weighs
// 1/(1 - 1/span) times the one before, and all are rescaled when large: one
// multiplication a point instead of a pass over the bins. The Detector's
// routine cap and the Scorer's alarm record both count with it.
type forgetfulHist struct {
	hist          [maxForgetfulBins]float64
	bins          int
	width         float64
	weight, total float64
	grow          float64
}

const maxForgetfulBins = 80

// init lays h out in bins of width (at most maxForgetfulBins), forgotten
// with span points (≤ 1: never), and forgets every point.
func (h *forgetfulHist) init(bins int, width, span float64) {
	h.bins, h.width = min(bins, maxForgetfulBins), width
	h.grow = 1
	if span > 1 {
		h.grow = 1 / (1 - 1/span)
	}
	h.clear()
}

// clear forgets every point, keeping the layout.
func (h *forgetfulHist) clear() {
	h.hist = [maxForgetfulBins]float64{}
	h.weight, h.total = 1, 0
}

func (h *forgetfulHist) bin(x float64) int {
	if !(x > 0) {
		return 0
	}
	return int(min(x/h.width, float64(h.bins-1)))
}

// atLeast returns the weight of the points in x's bin and above.
func (h *forgetfulHist) atLeast(x float64) float64 {
	c := 0.0
	for _, w := range h.hist[h.bin(x):h.bins] {
		c += w
	}
	return c
}

// add counts x as the newest point.
func (h *forgetfulHist) add(x float64) {
	h.hist[h.bin(x)] += h.weight
	h.total += h.weight
	h.weight *= h.grow
	if h.weight > 1e200 {
		for i := range h.hist[:h.bins] {
			h.hist[i] /= h.weight
		}
		h.total /= h.weight
		h.weight = 1
	}
}
