package logtemplate

import (
	"runtime"
	"strings"
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

// BenchmarkMix mines the generated mix on a warm miner, one core: "all"
// is the whole mix, "json" its JSON events (alone, nested, after a text
// prefix, Lambda's JSON platform events) and "access" its nginx and ALB
// access-log lines, 16,384 lines each. lines/cpu-s is the throughput
// figure (run with -cpu 1 -benchmem): on a shared machine lines/s counts
// other programs' turns too.
func BenchmarkMix(b *testing.B) {
	all := loggen.Mix(1<<18, 3)
	for _, bc := range []struct {
		name string
		keep func(truth string) bool
	}{
		{"all", func(string) bool { return true }},
		{"json", func(t string) bool { return strings.Contains(t, "json") }},
		{"access", func(t string) bool { return strings.HasPrefix(t, "nginx-") || t == "alb" }},
	} {
		var lines []string
		for _, l := range all {
			if len(lines) < 1<<14 && bc.keep(l.Truth) {
				lines = append(lines, l.Text)
			}
		}
		b.Run(bc.name, func(b *testing.B) { benchmarkLines(b, lines) })
	}
}

// benchmarkLines mines lines on a warm miner, one after another.
func benchmarkLines(b *testing.B, lines []string) {
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
		m.Add(lines[i%len(lines)])
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

// TestMixNoAllocs: once warm, mining allocates nothing per line, on the
// whole mix and on its JSON events alone (whose text-prefixed lines teach
// the miner a header that every line is then checked against).
func TestMixNoAllocs(t *testing.T) {
	all := loggen.Mix(20000, 5)
	for _, name := range []string{"all", "json"} {
		var lines []string
		for _, l := range all {
			if name == "all" || strings.Contains(l.Truth, "json") {
				lines = append(lines, l.Text)
			}
		}
		m, _ := New(DefaultConfig())
		for _, l := range lines {
			m.Add(l)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for _, l := range lines {
			m.Add(l)
		}
		runtime.ReadMemStats(&after)
		if n := after.Mallocs - before.Mallocs; n != 0 {
			t.Errorf("%s: %d allocations mining %d lines, want 0", name, n, len(lines))
		}
	}
}
