package pricing

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

// bigAccount builds an account of n services and n log groups, each group
// with 35 days of daily and 7 days of hourly ingestion.
func bigAccount(n int) *cwlens.Snapshot {
	end := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	snap := &cwlens.Snapshot{SchemaVersion: cwlens.SchemaVersion, Region: "us-east-1", CapturedAt: end,
		Window: cwlens.Window{Start: end.AddDate(0, 0, -35), End: end}}
	sizes := []cwlens.TaskSize{{CPUUnits: 256, MemoryMiB: 512}, {CPUUnits: 512, MemoryMiB: 1024}, {CPUUnits: 1024, MemoryMiB: 2048}, {CPUUnits: 2048, MemoryMiB: 4096}}
	seven := 7
	for i := range n {
		s := cwlens.Service{Cluster: fmt.Sprintf("c%d", i%20), Name: fmt.Sprintf("svc-%d", i), CPUUnits: sizes[i%4].CPUUnits, MemoryMiB: sizes[i%4].MemoryMiB,
			Architecture: cwlens.ArchX86_64, DesiredCount: 1 + i%5, RunningCount: 1 + i%5}
		switch i % 3 {
		case 0:
			s.LaunchType = cwlens.LaunchFargate
		case 1:
			s.CapacityProviderStrategy = []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderSpot, Weight: 1}}
		default:
			s.CapacityProviderStrategy = []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderFargate, Base: 1, Weight: 1}, {CapacityProvider: cwlens.ProviderSpot, Weight: 3}}
		}
		snap.Services = append(snap.Services, s)
		daily := make([]float64, 35)
		for d := range daily {
			daily[d] = float64(1e6 + (i*7919+d*104729)%9_000_000)
		}
		hourly := make([]float64, 168)
		for h := range hourly {
			hourly[h] = daily[28+h/24] / 24
		}
		snap.LogGroups = append(snap.LogGroups, cwlens.LogGroup{Name: fmt.Sprintf("/ecs/c%d/svc-%d", i%20, i), Class: cwlens.ClassStandard,
			RetentionDays: &seven, StoredBytes: int64(1e6 + i*1000), CreationTime: end.AddDate(0, -3, 0),
			DailyIncomingBytes:  cwlens.Series{Start: snap.Window.Start, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: daily},
			HourlyIncomingBytes: cwlens.Series{Start: end.Add(-168 * time.Hour), Period: cwlens.Hour, Unit: cwlens.UnitBytes, Values: hourly}})
	}
	return snap
}

// bigScenario has 100 changes of every kind over the first services and groups.
func bigScenario(b *testing.B) *Scenario {
	var sb strings.Builder
	sb.WriteString("changes:\n")
	for i := range 100 {
		switch i % 10 {
		case 0:
			fmt.Fprintf(&sb, "  - service: c%d/svc-%d\n    resize: {cpu: 512, memory: 1 GB}\n", i%20, i)
		case 1:
			fmt.Fprintf(&sb, "  - service: c%d/svc-%d\n    capacity: {spot: 75 %%, base: 1}\n", i%20, i)
		case 2:
			fmt.Fprintf(&sb, "  - service: c%d/svc-%d\n    architecture: ARM64\n", (i+3)%20, i+3) // an on-demand one
		case 3:
			fmt.Fprintf(&sb, "  - service: c%d/svc-%d\n    desired_count: 2\n", i%20, i)
		case 4:
			fmt.Fprintf(&sb, "  - service: c%d/svc-%d\n    resize: {memory: 768 MiB}\n", i%20, i)
		case 5:
			fmt.Fprintf(&sb, "  - log_group: /ecs/c%d/svc-%d\n    log_volume: {log_level: warn, cut: 90 %%}\n", i%20, i)
		case 6:
			fmt.Fprintf(&sb, "  - log_group: /ecs/c%d/svc-%d\n    retention_days: 30\n", i%20, i)
		case 7:
			fmt.Fprintf(&sb, "  - log_group: /ecs/c%d/svc-%d\n    log_class: INFREQUENT_ACCESS\n", i%20, i)
		case 8:
			fmt.Fprintf(&sb, "  - log_group: /ecs/c%d/svc-%d\n    metric_filter: '\"GET /health\"'\n", i%20, i)
		default:
			fmt.Fprintf(&sb, "  - log_group: /ecs/c%d/svc-%d\n    drop_pattern: DEBUG\n", i%20, i)
		}
	}
	sc, err := ParseScenario([]byte(sb.String()), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	return sc
}

func BenchmarkProject(b *testing.B) {
	snap := bigAccount(10_000)
	sc := bigScenario(b)
	book := Default()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := Project(snap, sc, book, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Lines) < 40_000 {
			b.Fatalf("%d lines", len(p.Lines))
		}
	}
}
