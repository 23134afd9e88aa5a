package logtemplate

import (
	"testing"

	"github.com/cwlens/cwlens/internal/loggen"
)

// TestMixGroupingAccuracy mines the generated mix and scores it against
// the statements that wrote it.
func TestMixGroupingAccuracy(t *testing.T) {
	lines := loggen.Mix(20000, 7)
	m, _ := New(DefaultConfig())
	ids := make([]ClusterID, len(lines))
	for i, l := range lines {
		ids[i] = m.Add(l.Text)
	}
	r := m.Result()
	truth := make([]string, len(lines))
	pred := make([]string, len(lines))
	for i, l := range lines {
		truth[i] = l.Truth
		if k := r.Index(ids[i], l.Text); k >= 0 {
			pred[i] = r.Templates[k].Text
		}
	}
	ga := groupingAccuracy(truth, pred)
	t.Logf("mix: GA %.4f, %d templates for %d statements", ga, len(r.Templates), distinct(truth))
	if ga < 0.95 || testing.Verbose() {
		dumpMistakes(t, mixTexts(lines), truth, pred)
	}
	if ga < 0.95 {
		t.Errorf("GA %.4f < 0.95", ga)
	}
}

func mixTexts(ls []loggen.Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Text
	}
	return out
}

// BenchmarkMix mines the generated mix on a warm miner, one core: lines/s
// is the throughput figure (run with -cpu 1 -benchmem).
func BenchmarkMix(b *testing.B) {
	lines := mixTexts(loggen.Mix(1<<14, 3))
	m, _ := New(DefaultConfig())
	var bytes int64
	for _, l := range lines {
		m.Add(l)
		bytes += int64(len(l))
	}
	b.SetBytes(bytes / int64(len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		m.Add(lines[i&(1<<14-1)])
	}
	reportCPURate(b, cpu, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkMixTokens is BenchmarkMix's tokenizing alone (header learned,
// no tree): what splitting and masking cost per line, apart from matching.
func BenchmarkMixTokens(b *testing.B) {
	lines := mixTexts(loggen.Mix(1<<14, 3))
	t := newTokenizer(DefaultConfig().MaxTokens)
	t.hdr = t.learnHeader(lines[:learnLines])
	for _, l := range lines {
		t.tokens(l)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		t.tokens(lines[i&(1<<14-1)])
	}
	reportCPURate(b, cpu, b.N)
}
