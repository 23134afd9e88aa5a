//go:build unix

package logtemplate

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time the process has used. On a shared machine the
// wall clock counts other programs' turns too; lines per CPU-second is the
// miner's own speed.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPURate reports lines per CPU-second since start.
func reportCPURate(b *testing.B, start time.Duration, lines int) {
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(lines)/d.Seconds(), "lines/cpu-s")
	}
}
