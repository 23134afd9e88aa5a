package orgreport_test

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/cwlens/cwlens/orgreport"
)

// BenchmarkMerge merges a run of 200 accounts × 3 Regions, each member the
// reference account's report. It reports the heap in use after the merge,
// which is what the merge keeps, beside -benchmem's allocations.
func BenchmarkMerge(b *testing.B) {
	dir := b.TempDir()
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-2"}
	template := memberReport(b, "111111111111", "us-east-1")
	for a := range 200 {
		account := fmt.Sprintf("%012d", 100000000000+a)
		for _, region := range regions {
			data := bytes.ReplaceAll(template, []byte(`"111111111111"`), []byte(`"`+account+`"`))
			data = bytes.ReplaceAll(data, []byte(`"region": "us-east-1"`), []byte(`"region": "`+region+`"`))
			writeFile(b, dir, account+"/"+region+"/report.json", data)
		}
	}
	b.ResetTimer()
	var heap uint64
	for b.Loop() {
		r, err := mergeDir(b, dir, orgreport.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Members) != 600 || r.Partial {
			b.Fatalf("merged %d members, partial %v", len(r.Members), r.Partial)
		}
		runtime.GC()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		heap = max(heap, s[0].Value.Uint64())
		runtime.KeepAlive(r)
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
}
