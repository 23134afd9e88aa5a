package logtemplate

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/cwlens/cwlens/internal/loggen"
)

// typicalLines are service log lines of the kinds cwlens meets: access
// lines, key=value application lines, errors with ids, lifecycle events.
func typicalLines(n int) []string {
	users := []string{"alice", "bob", "carol", "dave"}
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i++ {
		switch i % 6 {
		case 0:
			out = append(out, fmt.Sprintf(`10.0.%d.%d - - "GET /api/v1/orders/%d HTTP/1.1" 200 %d "-" "curl/8.4.0"`, i%256, i%200, 1000+i, 300+i%900))
		case 1:
			out = append(out, fmt.Sprintf(`INFO http_request{method=GET uri=/health} status=200 elapsed=%dms`, i%40))
		case 2:
			out = append(out, fmt.Sprintf("order %08x placed by user %s total=%d.%02d EUR", 0xbeef0000+i, users[i%4], 10+i%90, i%100))
		case 3:
			out = append(out, fmt.Sprintf("ERROR execution reverted: FiatTokenV2: invalid signature network=base tx=0x%016x", i*7919))
		case 4:
			out = append(out, fmt.Sprintf("[task: %08x-9c1d-4e2a-8b3f-%012x] health check passed in %d.%03ds", i, i*31, i%3, i%1000))
		case 5:
			out = append(out, fmt.Sprintf("2025-10-30T12:%02d:%02d.%03dZ WARN pool exhausted, waiting for connection to db-%d.internal:5432", i%60, i%60, i%1000, i%3))
		}
	}
	return out
}

// BenchmarkMinerAdd mines typical lines on a warm miner; lines/cpu-s is
// the throughput figure (run with -cpu 1 -benchmem).
func BenchmarkMinerAdd(b *testing.B) { benchmarkLines(b, typicalLines(4096)) }

// BenchmarkMinerCold includes building the templates from nothing and the
// Result, per 4096-line batch.
func BenchmarkMinerCold(b *testing.B) {
	lines := typicalLines(4096)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m, _ := New(DefaultConfig())
		for _, l := range lines {
			m.Add(l)
		}
		_ = m.Result()
	}
	b.ReportMetric(float64(b.N*len(lines))/b.Elapsed().Seconds(), "lines/s")
}

// oneOffs are messages of one shape whose third word is a different
// unmasked word each time (a name no rule recognises), so that every one
// starts a template in the same leaf of the tree.
func oneOffs(n int) []string {
	out := make([]string, n)
	for i := range out {
		w := []byte("zz")
		for k := i; k > 0; k /= 26 {
			w = append(w, byte('a'+k%26))
		}
		out[i] = "cache refill " + string(w) + " done from primary replica"
	}
	return out
}

// BenchmarkLeafOfManyTemplates adds messages to a leaf that holds 10,000
// templates. "recent": the stream repeats its recent templates; the cost
// per line is that of a small leaf (maxCandidates), where Drain's scan
// would compare each line with all 10,000. "new": every line is a new
// template, past the template cap: eviction's cost, amortised.
func BenchmarkLeafOfManyTemplates(b *testing.B) {
	cfg := DefaultConfig()
	cfg.SimThreshold = 1 // every one-off stays its own template
	all := oneOffs(20000)
	for _, bc := range []struct {
		name  string
		lines []string
	}{{"recent", all[10000-32 : 10000]}, {"new", all[10000:]}} {
		b.Run(bc.name, func(b *testing.B) {
			m, _ := New(cfg)
			for _, l := range all[:10000] {
				m.Add(l)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuTime()
			for i := 0; i < b.N; i++ {
				m.Add(bc.lines[i%len(bc.lines)])
			}
			reportCPURate(b, cpu, b.N)
		})
	}
}

// BenchmarkMinerMemory reports the heap a miner holds at its template cap:
// 100,000 lines of the generated mix, then 20,000 one-off templates that
// a similarity threshold of 1 keeps apart, so that the cap of 10,000
// evicts. heap-MB is the figure.
func BenchmarkMinerMemory(b *testing.B) {
	mix := mixTexts(loggen.Mix(100000, 5))
	extra := oneOffs(20000)
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cfg := DefaultConfig()
		cfg.SimThreshold = 1
		m, _ := New(cfg)
		for _, l := range mix {
			m.Add(l)
		}
		for _, l := range extra {
			m.Add(l)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "heap-MB")
		b.ReportMetric(float64(m.live), "templates")
		runtime.KeepAlive(m)
	}
}
