package analyzer

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// daily returns n hourly points of a daily rhythm with a little noise.
func dailyRhythm(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]float64, n)
	for i := range out {
		out[i] = 100 + 40*math.Sin(2*math.Pi*float64(i%24)/24) + r.NormFloat64()*2
	}
	return out
}

func checkScores(t *testing.T, scores []float64) {
	t.Helper()
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) || s < 0 || s > 1 {
			t.Fatalf("score %d = %v, outside [0, 1]", i, s)
		}
	}
}

func TestDetectorCausal(t *testing.T) {
	x := dailyRhythm(24*12, 7)
	x[200] = 400
	d := NewDetector(DefaultDetectorConfig(time.Hour))
	full := d.Score(x)
	checkScores(t, full)
	for _, cut := range []int{1, 50, 199, 200, 201, 250} {
		prefix := NewDetector(DefaultDetectorConfig(time.Hour)).Score(x[:cut])
		for i := range prefix {
			if prefix[i] != full[i] {
				t.Fatalf("score %d is %v on the first %d points and %v on all: the engine looked ahead", i, prefix[i], cut, full[i])
			}
		}
	}
}

func TestDetectorTable(t *testing.T) {
	cases := []struct {
		name    string
		values  string
		step    time.Duration
		hot     []int // indices that must score at least 0.5
		quietTo int   // every point before it (after warm-up) scores under 0.5
	}{
		{name: "flat", values: "10x60", quietTo: 60},
		{name: "a single spike", values: "[10 11 9 10.5 9.5]x8 80 [10 11 9]x3", hot: []int{40}, quietTo: 40},
		{name: "a level shift", values: "[10 11 9 10]x10 40x20", hot: []int{40}, quietTo: 40},
		{name: "a drop to silence", values: "[50 52 48 51]x10 0x10", hot: []int{40}, quietTo: 40},
		{name: "gaps are skipped", values: "[10 _ 11 9 _ 10]x10 _ _ 90 10", hot: []int{62}, quietTo: 62},
		{name: "a weekly rhythm", values: "[5.2 5.1 5.3 5.0 5.2 3.4 3.5]x12", step: 24 * time.Hour, quietTo: 84},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := series(t, c.values)
			d := NewDetector(DefaultDetectorConfig(c.step))
			s := d.Score(x)
			checkScores(t, s)
			for _, i := range c.hot {
				if s[i] < 0.5 {
					t.Errorf("point %d scores %.3f, want ≥ 0.5 (scores %v)", i, s[i], round(s))
				}
			}
			for i := 0; i < c.quietTo; i++ {
				if s[i] >= 0.5 {
					t.Errorf("point %d scores %.3f before anything happened", i, s[i])
				}
			}
		})
	}
}

func round(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = math.Round(v*100) / 100
	}
	return out
}

func TestDetectorSurvivesHugeValues(t *testing.T) {
	x := series(t, "0x20 1e308 0x5 -1e308 0x5 3 4 5 3 60 3")
	d := NewDetector(DefaultDetectorConfig(0))
	s := d.Score(x)
	checkScores(t, s)
	if s[20] < 0.5 {
		t.Errorf("1e308 after zeros scores %.3f", s[20])
	}
	// the engine still works afterwards
	if j := d.Judge(3); math.IsNaN(j.Likelihood) || math.IsNaN(j.Z) || math.IsInf(j.Z, 0) {
		t.Errorf("after huge values: %+v", j)
	}
}

func TestDetectorFindsItsSeason(t *testing.T) {
	d := NewDetector(DefaultDetectorConfig(time.Hour))
	for _, v := range dailyRhythm(24*10, 3) {
		d.Update(v)
	}
	if d.Lag() != 24 {
		t.Errorf("lag %d on a daily rhythm sampled hourly, want 24", d.Lag())
	}
	d.Reset()
	r := rand.New(rand.NewPCG(5, 5))
	for range 24 * 10 {
		d.Update(100 + r.NormFloat64())
	}
	if d.Lag() != 0 {
		t.Errorf("lag %d on white noise, want 0", d.Lag())
	}
	// a trend is not a season
	d.Reset()
	for i := range 24 * 10 {
		d.Update(float64(i) + r.NormFloat64())
	}
	if d.Lag() != 0 {
		t.Errorf("lag %d on a trend, want 0", d.Lag())
	}
}

// A seasonal series: the peak of every day is normal, a peak at night is not.
func TestDetectorSeasonalAnomaly(t *testing.T) {
	x := dailyRhythm(24*10, 9)
	night := 24*8 + 18 // sin is lowest at hour 18
	x[night] = 140     // a daytime value at night
	s := NewDetector(DefaultDetectorConfig(time.Hour)).Score(x)
	if s[night] < 0.5 {
		t.Errorf("a peak-level value at night scores %.3f", s[night])
	}
	for i := 24 * 5; i < night; i++ {
		if s[i] >= 0.5 {
			t.Errorf("ordinary point %d (hour %d) scores %.3f", i, i%24, s[i])
		}
	}
}

func TestDetectorChangePoint(t *testing.T) {
	x := series(t, "[10 11 9 10 10.5 9.5]x6 13 14 15 16 16 16 16 16 16")
	d := NewDetector(DefaultDetectorConfig(0))
	start := -1
	for _, v := range x {
		if j := d.Judge(v); j.ShiftStart >= 0 && start < 0 {
			start = j.ShiftStart
		}
	}
	if start != 36 {
		t.Errorf("shift starts at %d, want 36", start)
	}
}

func TestScoreTimedFillsGaps(t *testing.T) {
	in := "timestamp,value\n"
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 24 * 9 {
		if i >= 100 && i < 110 {
			continue // ten hours missing
		}
		in += t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04:05") + "," + formatF(100+40*math.Sin(2*math.Pi*float64(i%24)/24)) + "\n"
	}
	ts, err := ReadCSV(strings.NewReader(in), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	step := InferStep(ts.Times)
	if step != time.Hour {
		t.Fatalf("step %v", step)
	}
	d := NewDetector(DefaultDetectorConfig(step))
	s := ScoreTimed(d, ts, step)
	if len(s) != len(ts.Values) {
		t.Fatalf("%d scores for %d rows", len(s), len(ts.Values))
	}
	checkScores(t, s)
	if d.Lag() != 24 {
		t.Errorf("lag %d after a gap, want 24: the gap shifted the phase", d.Lag())
	}
	for i, v := range s {
		if v >= 0.5 {
			t.Errorf("row %d scores %.3f on a clean rhythm with a gap", i, v)
		}
	}
}

func formatF(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func FuzzDetector(f *testing.F) {
	f.Add([]byte{1, 2, 3, 200, 0, 0, 255}, uint8(3))
	f.Add([]byte{}, uint8(0))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 255, 0, 0, 0, 0}, uint8(9))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		x := make([]float64, 0, len(data)/2)
		for i := 0; i+1 < len(data); i += 2 {
			v := float64(int(data[i])<<8 | int(data[i+1]))
			switch (data[i] + mode) % 11 {
			case 0:
				v = math.NaN()
			case 1:
				v = -v * 1e300
			case 2:
				v = math.Inf(1)
			case 3:
				v = 0
			}
			x = append(x, v)
		}
		steps := []time.Duration{0, time.Minute, time.Hour, 24 * time.Hour}
		d := NewDetector(DefaultDetectorConfig(steps[int(mode)%len(steps)]))
		for i, s := range d.Score(x) {
			if math.IsNaN(s) || math.IsInf(s, 0) || s < 0 || s > 1 {
				t.Fatalf("score %d = %v for %v", i, s, x[i])
			}
		}
	})
}

// TestDetectorRoutineSpikes checks the tail calibration: a spike the series
// produces every 100 points stops alarming once its record shows it is
// routine, while a burst of a kind never seen before still alarms.
func TestDetectorRoutineSpikes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const n, burst = 4000, 3900
	x := make([]float64, n)
	for i := range x {
		x[i] = 100 + 3*r.NormFloat64()
		if i%100 == 20 || (i >= burst && i < burst+4) {
			x[i] += 80
		}
	}
	run := func(cfg DetectorConfig) []Judgement {
		d := NewDetector(cfg)
		out := make([]Judgement, n)
		for i, v := range x {
			out[i] = d.Judge(v)
		}
		return out
	}
	// share of the spikes after the first 2000 points whose likelihood
	// reaches 0.5 on the spike or the two points after it (the average of
	// three carries a spike for three points)
	alarming := func(js []Judgement) float64 {
		n, hot := 0, 0
		for i := 2000; i < burst-3; i++ {
			if i%100 != 20 {
				continue
			}
			n++
			if max(js[i].Likelihood, js[i+1].Likelihood, js[i+2].Likelihood) >= 0.5 {
				hot++
			}
		}
		return float64(hot) / float64(n)
	}
	cfg := DefaultDetectorConfig(0)
	js := run(cfg)
	// the largest of them can still beat the record (a few in ten do)
	if f := alarming(js); f > 0.25 {
		t.Errorf("%.0f%% of the routine spikes still reach likelihood 0.5, want ≤ 25%%", 100*f)
	}
	best := 0.0
	for i := burst; i < burst+4; i++ {
		best = max(best, js[i].Score)
	}
	if best < 0.5 {
		t.Errorf("the first burst of four high points scores at most %.3f, want ≥ 0.5", best)
	}
	cfg.RoutineCount = 0
	if f := alarming(run(cfg)); f < 0.8 {
		t.Errorf("without the record only %.0f%% of the routine spikes reach likelihood 0.5; want ≥ 80%% (else this test proves nothing)", 100*f)
	}
}

// TestDetectorSpikeIsNotALevel checks that one outlier cannot declare a new
// level: the point after a lone spike is still judged against the old level,
// so returning to normal is not an anomaly of its own.
func TestDetectorSpikeIsNotALevel(t *testing.T) {
	x := series(t, "[10 11 9 10.5 9.5]x8 80 [10 11 9]x3")
	d := NewDetector(DefaultDetectorConfig(0))
	for i, v := range x {
		j := d.Judge(v)
		if j.ShiftStart >= 0 {
			t.Errorf("point %d (%v) declared a level shift starting at %d", i, v, j.ShiftStart)
		}
		if i == 41 && (j.Expected < 9 || j.Expected > 11 || j.Score >= 0.5) {
			t.Errorf("after the spike point 41 expects %.1f and scores %.3f, want the old level 9–11 and < 0.5", j.Expected, j.Score)
		}
	}
}

// TestDetectorOneAlarmPerIncident checks that the climb of the averaged raw
// score after one outlier does not score again on the points after it.
func TestDetectorOneAlarmPerIncident(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, 280)
	for i := range x {
		x[i] = 100 + 3*r.NormFloat64()
	}
	// before ExtremeHistory points, so the new-extreme channel stays out of it
	x[250] += 60
	count := func(cfg DetectorConfig) (n int, scores []float64) {
		s := NewDetector(cfg).Score(x)
		checkScores(t, s)
		for _, v := range s[250:260] {
			if v > 0 {
				n++
			}
		}
		return n, s[250:260]
	}
	cfg := DefaultDetectorConfig(0)
	if n, s := count(cfg); n != 1 || s[0] < 0.5 {
		t.Errorf("a lone spike scores on %d of its first 10 points (%v), want once, ≥ 0.5, on the spike", n, round(s))
	}
	cfg.EpisodeRise = 0
	if n, s := count(cfg); n < 2 {
		t.Errorf("without the rise the spike scores on %d point(s) (%v); want ≥ 2 (else this test proves nothing)", n, round(s))
	}
}
