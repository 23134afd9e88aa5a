package logtemplate

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoghubRaw mines Loghub's 2k samples as whole raw lines, headers
// included, as CloudWatch stores them. The 16 samples are public
// (https://github.com/logpai/loghub) but are research data kept out of the
// repository: set LOGHUB_RAW to a directory holding <D>/<D>_2k.log and
// <D>/<D>_2k.log_structured.csv to run it.
func TestLoghubRaw(t *testing.T) {
	dir := os.Getenv("LOGHUB_RAW")
	if dir == "" {
		t.Skip("LOGHUB_RAW not set")
	}
	sets, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum, n := 0.0, 0
	for _, s := range sets {
		name := s.Name()
		raw, err := os.ReadFile(filepath.Join(dir, name, name+"_2k.log"))
		if err != nil {
			continue
		}
		truth, content := readTruth(t, filepath.Join(dir, name, name+"_2k.log_structured.csv"))
		var lines []string
		sc := bufio.NewScanner(strings.NewReader(string(raw)))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		if os.Getenv("LOGHUB_CONTENT") != "" {
			lines = content // the pre-split messages, for comparison
		}
		if len(lines) != len(truth) {
			t.Fatalf("%s: %d lines, %d labels", name, len(lines), len(truth))
		}
		m, _ := New(DefaultConfig())
		ids := make([]ClusterID, len(lines))
		for i, l := range lines {
			ids[i] = m.Add(l)
		}
		r := m.Result()
		pred := make([]string, len(lines))
		for i, l := range lines {
			if k := r.Index(ids[i], l); k >= 0 {
				pred[i] = r.Templates[k].Text
			}
		}
		ga := groupingAccuracy(truth, pred)
		var kinds []fieldKind
		if m.tok.hdr != nil {
			kinds = m.tok.hdr.kinds
		}
		t.Logf("%-12s GA %.4f  %4d templates (truth %d), header %v", name, ga, len(r.Templates), distinct(truth), kinds)
		if os.Getenv("LOGHUB_DUMP") == name {
			dumpMistakes(t, lines, truth, pred)
		}
		sum += ga
		n++
	}
	if n > 0 {
		t.Logf("mean GA over %d sets: %.4f", n, sum/float64(n))
	}
}

func readTruth(t *testing.T, path string) (truth, content []string) {
	cols := readColumns(t, path, "EventId", "Content")
	return cols[0], cols[1]
}

// readColumns returns the named columns of a Loghub structured CSV file.
func readColumns(t *testing.T, path string, names ...string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := make([][]string, len(names))
	for _, r := range rows[1:] {
		for j, name := range names {
			out[j] = append(out[j], r[col[name]])
		}
	}
	return out
}

func distinct(s []string) int {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return len(m)
}

// dumpMistakes logs, per true template that was not grouped right, the
// predicted templates its lines went to.
func dumpMistakes(t *testing.T, lines, truth, pred []string) {
	byTruth := map[string]map[string][]int{}
	byPred := map[string]map[string]bool{}
	for i := range truth {
		if byTruth[truth[i]] == nil {
			byTruth[truth[i]] = map[string][]int{}
		}
		byTruth[truth[i]][pred[i]] = append(byTruth[truth[i]][pred[i]], i)
		if byPred[pred[i]] == nil {
			byPred[pred[i]] = map[string]bool{}
		}
		byPred[pred[i]][truth[i]] = true
	}
	for tr, ps := range byTruth {
		bad := len(ps) > 1
		for p := range ps {
			if len(byPred[p]) > 1 {
				bad = true
			}
		}
		if !bad {
			continue
		}
		t.Logf("TRUTH %s", tr)
		for p, is := range ps {
			t.Logf("   %4d -> %q (truths %d) e.g. %q", len(is), p, len(byPred[p]), lines[is[0]])
		}
	}
}
