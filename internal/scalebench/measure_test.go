package scalebench

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// measure runs f once per b.N and reports, beside the wall time and
// allocations the benchmark itself reports, the CPU time per run
// (cpu-s/op, this process: the emulator's serving counts in a scan) and
// the peak of the heap's live and not yet collected objects, sampled
// every millisecond (peak-heap-MB, what was live before f included).
func measure(b *testing.B, f func()) {
	b.Helper()
	b.ReportAllocs()
	runtime.GC()
	stop, peak := samplePeakHeap()
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		f()
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	stop()
	b.ReportMetric(float64(*peak)/(1<<20), "peak-heap-MB")
}

// samplePeakHeap samples the bytes of heap objects until stop is called;
// stop returns once the last sample is in *peak.
func samplePeakHeap() (stop func(), peak *uint64) {
	peak = new(uint64)
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }, peak
}
