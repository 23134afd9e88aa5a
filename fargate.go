package cwlens

import (
	"fmt"
	"sort"
)

// fargateMemory lists the task CPU sizes Fargate accepts for Linux tasks, in CPU
// units (1024 units = 1 vCPU), with the memory sizes in MiB each one allows.
// Source: the ECS API reference for TaskDefinition.Memory
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html);
// 8 and 16 vCPU need platform version 1.4.0 or later.
var fargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   steps(1024, 4096, 1024),
	1024:  steps(2048, 8192, 1024),
	2048:  steps(4096, 16384, 1024),
	4096:  steps(8192, 30720, 1024),
	8192:  steps(16384, 61440, 4096),
	16384: steps(32768, 122880, 8192),
}

func steps(from, to, step int) []int {
	var out []int
	for m := from; m <= to; m += step {
		out = append(out, m)
	}
	return out
}

// FargateCPUUnits returns the valid Fargate task CPU sizes in CPU units, smallest first.
func FargateCPUUnits() []int {
	out := make([]int, 0, len(fargateMemory))
	for c := range fargateMemory {
		out = append(out, c)
	}
	sort.Ints(out)
	return out
}

// FargateMemoryMiB returns the memory sizes in MiB that Fargate accepts with
// the given CPU units, smallest first, or nil when cpuUnits is not a Fargate size.
func FargateMemoryMiB(cpuUnits int) []int {
	m := fargateMemory[cpuUnits]
	return append([]int(nil), m...)
}

// ValidFargateSize reports whether cpuUnits and memoryMiB form a task size
// Fargate accepts.
func ValidFargateSize(cpuUnits, memoryMiB int) bool {
	for _, m := range fargateMemory[cpuUnits] {
		if m == memoryMiB {
			return true
		}
	}
	return false
}

// NearestFargateSize returns the smallest valid Fargate task size with at
// least cpuUnits CPU units and at least memoryMiB MiB: it never goes below
// what was asked. Among sizes that satisfy both, it prefers the fewest CPU
// units, then the least memory, since vCPU is the dearer meter. It fails when
// the request exceeds the largest Fargate task.
func NearestFargateSize(cpuUnits, memoryMiB int) (TaskSize, error) {
	for _, c := range FargateCPUUnits() {
		if c < cpuUnits {
			continue
		}
		for _, m := range fargateMemory[c] {
			if m >= memoryMiB {
				return TaskSize{CPUUnits: c, MemoryMiB: m}, nil
			}
		}
	}
	return TaskSize{}, fmt.Errorf("no Fargate task size has %d CPU units and %d MiB (largest: 16384 units / 122880 MiB)", cpuUnits, memoryMiB)
}
