package logtemplate

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// loghubDir is ../shared/benchdata/loghub from the repository root, or
// $LOGHUB_SHARED where the repository is checked out elsewhere: the
// Loghub-2k samples are research data and are never copied into the repo.
func loghubDir(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared", "benchdata", "loghub")
	if d := os.Getenv("LOGHUB_SHARED"); d != "" {
		dir = d
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("Loghub samples absent (%v)", err)
	}
	return dir
}

// groupingAccuracy is Loghub's GA (Zhu et al., ICSE 2019): a message is
// right when the set of messages sharing its predicted template is exactly
// the set sharing its true template.
func groupingAccuracy(truth, pred []string) float64 {
	type pair struct{ t, p string }
	nt, np, joint := map[string]int{}, map[string]int{}, map[pair]int{}
	for i := range truth {
		nt[truth[i]]++
		np[pred[i]]++
		joint[pair{truth[i], pred[i]}]++
	}
	right := 0
	for pr, n := range joint {
		if n == nt[pr.t] && n == np[pr.p] {
			right += n
		}
	}
	return float64(right) / float64(len(truth))
}

func TestLoghubGroupingAccuracy(t *testing.T) {
	dir := loghubDir(t)
	// Reached 1.000 on each at the time of writing; the margin leaves room
	// for a rule change that trades a few lines here for generality.
	for _, tc := range []struct {
		name  string
		minGA float64
	}{
		{"HDFS", 0.99}, {"Apache", 0.99}, {"OpenSSH", 0.99}, {"OpenStack", 0.99},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name, tc.name+"_2k.log_structured_corrected.csv")
			if _, err := os.Stat(path); err != nil {
				t.Skip(err)
			}
			cols := readColumns(t, path, "Content", "EventTemplate")
			msgs, truth := cols[0], cols[1]
			m, _ := New(DefaultConfig())
			ids := make([]ClusterID, len(msgs))
			for i, msg := range msgs {
				ids[i] = m.Add(msg)
			}
			r := m.Result()
			pred := make([]string, len(msgs))
			for i, msg := range msgs {
				k := r.Index(ids[i], msg)
				if k < 0 {
					t.Fatalf("line %d has no template", i+1)
				}
				pred[i] = r.Templates[k].Text
			}
			ga := groupingAccuracy(truth, pred)
			pa := 0
			for i := range truth {
				if truth[i] == pred[i] {
					pa++
				}
			}
			t.Logf("%s: GA %.4f, PA %.4f, %d templates", tc.name, ga, float64(pa)/float64(len(truth)), len(r.Templates))
			if ga < tc.minGA {
				t.Errorf("GA %.4f < %.2f", ga, tc.minGA)
			}
		})
	}
}
