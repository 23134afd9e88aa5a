//go:build unix

package analyzer

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used in user and system
// mode, so benchmarks can report work done when the machine is shared and
// wall time is not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
