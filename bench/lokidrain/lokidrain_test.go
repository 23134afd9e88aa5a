package lokidrain

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cwlens/cwlens/internal/loggen"
	"github.com/cwlens/cwlens/logtemplate"
	"github.com/grafana/loki/v3/pkg/pattern/drain"
)

type noLimits struct{}

func (noLimits) PatternIngesterTokenizableJSONFields(string) []string { return nil }

// loki groups lines as Loki's pattern ingester would for one stream: the
// format detected from the first line, default configuration. A line Loki
// skips (too few tokens, or refused once it has evicted many patterns)
// gets no group.
func loki(lines []string, format string) []string {
	if format == "" {
		format = drain.DetectLogFormat(lines[0])
	}
	d := drain.New("bench", drain.DefaultConfig(), noLimits{}, format, nil)
	cs := make([]*drain.LogCluster, len(lines))
	for i, l := range lines {
		cs[i] = d.Train(l, int64(i))
	}
	out := make([]string, len(lines))
	for i, c := range cs {
		if c != nil {
			out[i] = fmt.Sprintf("%p", c) // by identity: two clusters may render alike
		}
	}
	return out
}

// cwlens groups lines with the miner, as cwlens patterns does.
func cwlens(lines []string) []string {
	m, _ := logtemplate.New(logtemplate.DefaultConfig())
	ids := make([]logtemplate.ClusterID, len(lines))
	for i, l := range lines {
		ids[i] = m.Add(l)
	}
	r := m.Result()
	out := make([]string, len(lines))
	for i, l := range lines {
		if k := r.Index(ids[i], l); k >= 0 {
			out[i] = r.Templates[k].Text
		}
	}
	return out
}

// ga is Loghub's grouping accuracy.
func ga(truth, pred []string) float64 {
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

func groups(p []string) int {
	m := map[string]bool{}
	for _, s := range p {
		m[s] = true
	}
	return len(m)
}

func TestSideBySide(t *testing.T) {
	mix := loggen.Mix(20000, 7)
	var lines, truth []string
	for _, l := range mix {
		lines = append(lines, l.Text)
		truth = append(truth, l.Truth)
	}
	// A multi-line event is one Loki line too: Loki is fed events, as
	// CloudWatch stores them.
	c, l, lu := cwlens(lines), loki(lines, ""), loki(lines, drain.FormatUnknown)
	t.Logf("mix (%d statements): cwlens GA %.4f (%d templates), loki GA %.4f (%d), loki plain-text tokenizer GA %.4f (%d)",
		groups(truth), ga(truth, c), groups(c), ga(truth, l), groups(l), ga(truth, lu), groups(lu))

	dir := os.Getenv("LOGHUB_RAW")
	if dir == "" {
		t.Log("LOGHUB_RAW not set: Loghub's raw logs skipped")
		return
	}
	sets, _ := os.ReadDir(dir)
	var sc, sl float64
	n := 0
	for _, s := range sets {
		name := s.Name()
		lines, truth := readLoghub(t, dir, name)
		if lines == nil {
			continue
		}
		gc, gl := ga(truth, cwlens(lines)), ga(truth, loki(lines, ""))
		t.Logf("%-12s cwlens %.4f  loki %.4f", name, gc, gl)
		sc += gc
		sl += gl
		n++
	}
	t.Logf("mean GA over %d raw logs: cwlens %.4f, loki %.4f", n, sc/float64(n), sl/float64(n))
}

func readLoghub(t *testing.T, dir, name string) (lines, truth []string) {
	raw, err := os.Open(filepath.Join(dir, name, name+"_2k.log"))
	if err != nil {
		return nil, nil
	}
	defer raw.Close()
	sc := bufio.NewScanner(raw)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	f, err := os.Open(filepath.Join(dir, name, name+"_2k.log_structured.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := 0
	for i, h := range rows[0] {
		if h == "EventId" {
			col = i
		}
	}
	for _, r := range rows[1:] {
		truth = append(truth, r[col])
	}
	if len(truth) != len(lines) {
		t.Fatalf("%s: %d lines, %d labels", name, len(lines), len(truth))
	}
	return lines, truth
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMix trains each miner on the generated mix, warm, one line per
// iteration: lines/cpu-s is the figure on a shared machine.
func BenchmarkMix(b *testing.B) {
	var lines []string
	for _, l := range loggen.Mix(1<<14, 3) {
		lines = append(lines, l.Text)
	}
	b.Run("cwlens", func(b *testing.B) {
		m, _ := logtemplate.New(logtemplate.DefaultConfig())
		for _, l := range lines {
			m.Add(l)
		}
		b.ReportAllocs()
		b.ResetTimer()
		cpu := cpuTime()
		for i := 0; i < b.N; i++ {
			m.Add(lines[i&(1<<14-1)])
		}
		b.ReportMetric(float64(b.N)/(cpuTime()-cpu).Seconds(), "lines/cpu-s")
	})
	// Loki's default keeps 300 patterns and, once it has evicted many,
	// refuses to train lines at all (its limiter): its warm figure is then
	// the cost of refusing. "loki-all" lifts the cap so every line trains.
	b.Run("loki", func(b *testing.B) { benchLoki(b, lines, drain.DefaultConfig(), drain.DetectLogFormat(lines[0])) })
	all := drain.DefaultConfig()
	all.MaxClusters = 1 << 20
	b.Run("loki-all-plain", func(b *testing.B) { benchLoki(b, lines, all, drain.FormatUnknown) })
}

func benchLoki(b *testing.B, lines []string, cfg *drain.Config, format string) {
	{
		d := drain.New("bench", cfg, noLimits{}, format, nil)
		for _, l := range lines {
			d.Train(l, 0)
		}
		b.ReportAllocs()
		b.ResetTimer()
		cpu := cpuTime()
		refused := 0
		for i := 0; i < b.N; i++ {
			if d.Train(lines[i&(1<<14-1)], int64(i)) == nil {
				refused++
			}
		}
		b.ReportMetric(float64(b.N)/(cpuTime()-cpu).Seconds(), "lines/cpu-s")
		b.ReportMetric(float64(refused)/float64(b.N), "refused/line")
	}
}
