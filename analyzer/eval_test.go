package analyzer

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// This file holds the evaluation metrics of the Scorer: the Numenta Anomaly
// Benchmark's score (Lavin & Ahmad 2015, "Evaluating Real-time Anomaly
// Detection Algorithms", https://arxiv.org/abs/1510.03336; the method as in
// https://github.com/numenta/NAB/blob/master/nab/scorer.py), and the
// metrics of operational KPI benchmarks: the best F1 over thresholds where a
// labelled segment counts as caught, all of it, when one of its first delay+1
// points is flagged (the AIOps challenge's adjustment, Ren et al. 2019,
// https://arxiv.org/abs/1906.03821 §4.1), and the pointwise ROC AUC.

// labelled is one evaluation series: its values and anomaly segments.
type labelled struct {
	name   string
	times  []time.Time
	values []float64
	step   time.Duration
	// segs are the labelled anomalies as [first, last] indices.
	segs [][2]int
	// windows are NAB's scoring windows as [first, last] indices; nil
	// outside NAB.
	windows [][2]int
}

// scoreSeries runs the Scorer exactly as `cwlens detect` does.
func scoreSeries(cfg func(time.Duration) ScorerConfig, l *labelled) []float64 {
	ts := &TimedSeries{Times: l.times, Values: l.values}
	return ScoreTimed(NewScorer(cfg(l.step)), ts, l.step)
}

// nabProfile is one of NAB's cost matrices.
type nabProfile struct {
	name       string
	tp, fp, fn float64
}

var nabProfiles = []nabProfile{
	{"standard", 1, 0.11, 1},
	{"reward_low_FP_rate", 1, 0.22, 1},
	{"reward_low_FN_rate", 1, 0.11, 2},
}

func nabSigmoid(y float64) float64 {
	if y > 3 {
		return -1
	}
	return 2/(1+math.Exp(5*y)) - 1
}

// sweepPoint is one scorable row: its score, what detecting it earns, and
// its window (-1 outside windows; ids are unique across files).
type sweepPoint struct {
	score, value float64
	win          int
}

// nabSweep labels every row of one file after the probationary period.
func nabSweep(l *labelled, scores []float64, p nabProfile, winBase int, out []sweepPoint) []sweepPoint {
	n := len(scores)
	prob := int(math.Min(math.Floor(0.15*float64(n)), 0.15*5000))
	w := 0
	prevRight, prevWidth := -1, 0
	maxTP := nabSigmoid(-1)
	for i := 0; i < n; i++ {
		for w < len(l.windows) && l.windows[w][1] < i {
			prevRight = l.windows[w][1]
			prevWidth = l.windows[w][1] - l.windows[w][0] + 1
			w++
		}
		pt := sweepPoint{score: scores[i], win: -1}
		if math.IsNaN(pt.score) {
			pt.score = 0
		}
		switch {
		case w < len(l.windows) && l.windows[w][0] <= i:
			width := float64(l.windows[w][1] - l.windows[w][0] + 1)
			pt.value = nabSigmoid(-float64(l.windows[w][1]-i+1)/width) * p.tp / maxTP
			pt.win = winBase + w
		case prevRight < 0 || prevWidth-1 <= 0:
			pt.value = -p.fp
		default:
			pt.value = nabSigmoid(float64(i-prevRight)/float64(prevWidth-1)) * p.fp
		}
		if i >= prob {
			out = append(out, pt)
		}
	}
	return out
}

// nabScore returns NAB's normalised score (100 perfect, 0 the null
// detector) and the best threshold, over every file at once.
func nabScore(set []labelled, scores [][]float64, p nabProfile) (norm, thr float64) {
	var pts []sweepPoint
	base := 0
	for k := range set {
		pts = nabSweep(&set[k], scores[k], p, base, pts)
		base += len(set[k].windows)
	}
	sort.SliceStable(pts, func(a, b int) bool { return pts[a].score > pts[b].score })
	best := map[int]float64{}
	for _, pt := range pts {
		if pt.win >= 0 {
			best[pt.win] = -p.fn
		}
	}
	nWin := len(best)
	total := -p.fn * float64(nWin)
	fp := 0.0
	bestScore, bestThr := total, 1.1
	cur := 1.1
	for _, pt := range pts {
		if pt.score != cur {
			if total+fp > bestScore {
				bestScore, bestThr = total+fp, cur
			}
			cur = pt.score
		}
		if pt.win < 0 {
			fp += pt.value
		} else if pt.value > best[pt.win] {
			total += pt.value - best[pt.win]
			best[pt.win] = pt.value
		}
	}
	if total+fp > bestScore {
		bestScore, bestThr = total+fp, cur
	}
	null, perfect := -p.fn*float64(nWin), p.tp*float64(nWin)
	return 100 * (bestScore - null) / (perfect - null), bestThr
}

// onsetF1 returns the best F1 over thresholds, pooled over the set, where a
// segment is caught (all its points true positives) when one of its first
// delay+1 points scores at or above the threshold; missing points are not
// flagged and do not count.
func onsetF1(set []labelled, scores [][]float64, delay int) (f1, prec, rec, thr float64) {
	type unit struct{ score, pos, neg float64 }
	var us []unit
	totalPos := 0.0
	for k := range set {
		in := make([]bool, len(scores[k]))
		for _, sg := range set[k].segs {
			best := math.Inf(-1)
			n := 0.0
			for i := sg[0]; i <= sg[1]; i++ {
				in[i] = true
				if math.IsNaN(scores[k][i]) {
					continue
				}
				n++
				if i <= sg[0]+delay {
					best = max(best, scores[k][i])
				}
			}
			totalPos += n
			us = append(us, unit{score: best, pos: n})
		}
		for i, s := range scores[k] {
			if !in[i] && !math.IsNaN(s) {
				us = append(us, unit{score: s, neg: 1})
			}
		}
	}
	sort.Slice(us, func(a, b int) bool { return us[a].score > us[b].score })
	tp, fp := 0.0, 0.0
	for i := 0; i < len(us); {
		j := i
		for j < len(us) && us[j].score == us[i].score {
			tp += us[j].pos
			fp += us[j].neg
			j++
		}
		if f := 2 * tp / (2*tp + fp + (totalPos - tp)); tp > 0 && f > f1 {
			f1, prec, rec, thr = f, tp/(tp+fp), tp/totalPos, us[i].score
		}
		i = j
	}
	return f1, prec, rec, thr
}

// rocAUC returns the pointwise area under the ROC curve (ties count half),
// pooled over the set; missing points are left out.
func rocAUC(set []labelled, scores [][]float64) float64 {
	type pt struct {
		s   float64
		pos bool
	}
	var pts []pt
	for k := range set {
		in := make([]bool, len(scores[k]))
		for _, sg := range set[k].segs {
			for i := sg[0]; i <= sg[1]; i++ {
				in[i] = true
			}
		}
		for i, s := range scores[k] {
			if !math.IsNaN(s) {
				pts = append(pts, pt{s, in[i]})
			}
		}
	}
	sort.Slice(pts, func(a, b int) bool { return pts[a].s < pts[b].s })
	var nPos, nNeg, rankSum float64
	for i := 0; i < len(pts); {
		j := i
		for j < len(pts) && pts[j].s == pts[i].s {
			j++
		}
		mid := float64(i+j+1) / 2 // mean 1-based rank of the tie group
		for k := i; k < j; k++ {
			if pts[k].pos {
				rankSum += mid
				nPos++
			} else {
				nNeg++
			}
		}
		i = j
	}
	if nPos == 0 || nNeg == 0 {
		return math.NaN()
	}
	return (rankSum - nPos*(nPos+1)/2) / (nPos * nNeg)
}

// loadNAB reads a NAB-layout directory: <category>/<file>.csv and
// combined_windows.json, plus combined_labels.json whose instants become
// segments of delay+1 points (NAB labels an instant, the KPI metrics need
// a segment).
func loadNAB(t testing.TB, dir string, delay int) []labelled {
	t.Helper()
	var wins, labels map[string][]json.RawMessage
	readJSON(t, filepath.Join(dir, "combined_windows.json"), &wins)
	readJSON(t, filepath.Join(dir, "combined_labels.json"), &labels)
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no NAB files under %s (%v)", dir, err)
	}
	sort.Strings(files)
	var out []labelled
	for _, f := range files {
		key := filepath.ToSlash(filepath.Join(filepath.Base(filepath.Dir(f)), filepath.Base(f)))
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := ReadCSV(fh, f)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		l := labelled{name: key, times: ts.Times, values: ts.Values, step: InferStep(ts.Times)}
		index := map[int64]int{}
		for i, tm := range ts.Times {
			if _, ok := index[tm.Unix()]; !ok {
				index[tm.Unix()] = i
			}
		}
		at := func(s string) int {
			tm, err := parseTime(strings.TrimSuffix(s, ".000000"))
			if err != nil {
				t.Fatalf("%s: bad timestamp %q", key, s)
			}
			i, ok := index[tm.Unix()]
			if !ok {
				t.Fatalf("%s: %s is not in the file", key, s)
			}
			return i
		}
		for _, raw := range wins[key] {
			var w [2]string
			if err := json.Unmarshal(raw, &w); err != nil {
				t.Fatal(err)
			}
			l.windows = append(l.windows, [2]int{at(w[0]), at(w[1])})
		}
		for _, raw := range labels[key] {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			i := at(s)
			l.segs = append(l.segs, [2]int{i, min(i+delay, len(l.values)-1)})
		}
		out = append(out, l)
	}
	return out
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
