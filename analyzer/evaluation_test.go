package analyzer

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// nabDir finds the labelled NAB subset the project keeps beside the
// repository (shared/benchdata/nab in a parent directory), or the directory
// CWLENS_NAB_DIR names (any NAB layout, e.g. the whole public corpus).
func nabDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("CWLENS_NAB_DIR"); d != "" {
		return d
	}
	for _, up := range []string{"..", "../..", "../../.."} {
		d := filepath.Join(up, "shared", "benchdata", "nab")
		if _, err := os.Stat(filepath.Join(d, "combined_windows.json")); err == nil {
			return d
		}
	}
	t.Skip("NOT EVALUATED: no NAB data (shared/benchdata/nab in a parent directory, or CWLENS_NAB_DIR): the NAB score was not checked")
	return ""
}

// evalConfig is the default Scorer's configuration adjusted by
// CWLENS_EVAL_MUTE (channels to mute) and CWLENS_EVAL_SET (fields to set),
// the knobs for trying a change without editing the code.
func evalConfig(t *testing.T) func(time.Duration) ScorerConfig {
	t.Helper()
	mute := uint16(0)
	if m := os.Getenv("CWLENS_EVAL_MUTE"); m != "" {
		v, _ := strconv.Atoi(m)
		mute = uint16(v)
	}
	cfg := func(step time.Duration) ScorerConfig {
		c := DefaultScorerConfig(step)
		c.mute = mute
		setFields(t, &c, os.Getenv("CWLENS_EVAL_SET"))
		return c
	}
	return cfg
}

// scoreSet scores every series of set.
func scoreSet(cfg func(time.Duration) ScorerConfig, set []labelled) [][]float64 {
	scores := make([][]float64, len(set))
	for k := range set {
		scores[k] = scoreSeries(cfg, &set[k])
	}
	return scores
}

// TestEvaluationNAB reports NAB's three scores, the onset-within-7 best F1
// and the ROC AUC of the Scorer on NAB, and holds the shared subset to its
// floor.
func TestEvaluationNAB(t *testing.T) {
	dir := nabDir(t)
	set := loadNAB(t, dir, 7)
	cfg := evalConfig(t)
	scores := scoreSet(cfg, set)
	std, thr := nabScore(set, scores, nabProfiles[0])
	lowFP, _ := nabScore(set, scores, nabProfiles[1])
	lowFN, _ := nabScore(set, scores, nabProfiles[2])
	f1, p, r, fthr := onsetF1(set, scores, 7)
	auc := rocAUC(set, scores)
	t.Logf("NAB %s (%d files): standard %.2f (threshold %.3f), low-FP %.2f, low-FN %.2f; onset≤7 best F1 %.3f (P %.3f R %.3f at %.3f), ROC AUC %.3f",
		dir, len(set), std, thr, lowFP, lowFN, f1, p, r, fthr, auc)
	if os.Getenv("CWLENS_EVAL_PERFILE") != "" {
		for k := range set {
			one := set[k : k+1]
			pts := nabSweep(&one[0], scores[k], nabProfiles[0], 0, nil)
			caught := map[int]float64{}
			fps, raw := 0, 0.0
			for _, pt := range pts {
				if pt.score < thr {
					continue
				}
				if pt.win < 0 {
					fps++
					raw += pt.value
				} else if v, ok := caught[pt.win]; !ok || pt.value > v {
					caught[pt.win] = pt.value
				}
			}
			for _, v := range caught {
				raw += v
			}
			raw -= float64(len(one[0].windows) - len(caught))
			// which channel gave each false alarm
			var by [nChannels + 1]int
			sc := NewScorer(cfg(set[k].step))
			prob := int(math.Min(math.Floor(0.15*float64(len(scores[k]))), 0.15*5000))
			for i, v := range set[k].values {
				x := sc.Update(v)
				inWin := false
				for _, w := range set[k].windows {
					inWin = inWin || (i >= w[0] && i <= w[1])
				}
				if i >= prob && x >= thr && !inWin && sc.last >= 0 {
					by[sc.last]++
				}
			}
			t.Logf("  %-58s caught %d/%d  FP %3d  raw %6.2f  FP by channel %v", set[k].name, len(caught), len(one[0].windows), fps, raw, by)
		}
	}
	if os.Getenv("CWLENS_NAB_DIR") == "" && std < 75 {
		t.Errorf("NAB subset standard score %.2f, want ≥ 75", std)
	}
}

// TestEvaluationGenerated reports the onset-within-7 best F1 and the ROC
// AUC on the generated KPI-like corpus, overall and per kind, and holds them
// to floors.
func TestEvaluationGenerated(t *testing.T) {
	set := genCorpus(4)
	cfg := evalConfig(t)
	scores := scoreSet(cfg, set)
	f1, p, r, thr := onsetF1(set, scores, 7)
	auc := rocAUC(set, scores)
	t.Logf("generated (%d series): onset≤7 best F1 %.3f (P %.3f R %.3f at %.3f), ROC AUC %.3f", len(set), f1, p, r, thr, auc)
	for _, kind := range kpiKinds {
		var ks []labelled
		var ss [][]float64
		for k := range set {
			if strings.HasPrefix(set[k].name, string(kind)+"/") {
				ks = append(ks, set[k])
				ss = append(ss, scores[k])
			}
		}
		kf1, kp, kr, kthr := onsetF1(ks, ss, 7)
		t.Logf("  %-12s F1 %.3f (P %.3f R %.3f at %.3f)  AUC %.3f", kind, kf1, kp, kr, kthr, rocAUC(ks, ss))
	}
	if f1 < 0.95 || auc < 0.9 {
		t.Errorf("generated corpus: F1 %.3f, AUC %.3f; want ≥ 0.95 and ≥ 0.9", f1, auc)
	}
}

// setFields sets float64 and int fields of the configuration from
// "Name=value,Name=value" (Detector fields too, as Detector.Name where the
// Scorer has a field of the same name), for trying settings
// without editing the defaults.
func setFields(t *testing.T, c *ScorerConfig, spec string) {
	if spec == "" {
		return
	}
	for _, kv := range strings.Split(spec, ",") {
		name, val, _ := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			t.Fatalf("CWLENS_EVAL_SET: %q", kv)
		}
		v := reflect.ValueOf(c).Elem().FieldByName(name)
		if d, ok := strings.CutPrefix(name, "Detector."); ok {
			v = reflect.ValueOf(&c.Detector).Elem().FieldByName(d)
		}
		if !v.IsValid() {
			v = reflect.ValueOf(&c.Detector).Elem().FieldByName(name)
		}
		switch {
		case !v.IsValid():
			t.Fatalf("CWLENS_EVAL_SET: no field %s", name)
		case v.Kind() == reflect.Int:
			v.SetInt(int64(f))
		default:
			v.SetFloat(f)
		}
	}
}
