package analyzer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

const (
	benchGroups = 10000
	benchDays   = 90
	benchHours  = 14 * 24
)

// benchSnapshot returns 10,000 log groups, each with 90 daily points of
// ingestion with a weekly rhythm and one metric filter with 14 days of hourly
// counts with a daily rhythm; one group in a hundred floods.
func benchSnapshot() *cwlens.Snapshot {
	r := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	dayStart := at.Add(-benchDays * cwlens.Day)
	hourStart := at.Add(-benchHours * time.Hour)
	snap := &cwlens.Snapshot{SchemaVersion: 1, Window: cwlens.Window{Start: dayStart, End: at}}
	seven := 7
	for g := range benchGroups {
		level := 1e6 * (1 + 50*r.Float64())
		daily := make([]float64, benchDays)
		for i := range daily {
			w := 1.0
			if i%7 >= 5 {
				w = 0.65
			}
			daily[i] = level * w * (1 + 0.05*r.NormFloat64())
			if g%100 == 0 && i >= benchDays-3 {
				daily[i] *= 100
			}
		}
		hourly := make([]float64, benchHours)
		for i := range hourly {
			hourly[i] = math.Max(0, 20+10*math.Sin(2*math.Pi*float64(i%24)/24)+3*r.NormFloat64())
		}
		snap.LogGroups = append(snap.LogGroups, cwlens.LogGroup{
			Name: fmt.Sprintf("/bench/%05d", g), Class: cwlens.ClassStandard, RetentionDays: &seven,
			DailyIncomingBytes: cwlens.Series{Start: dayStart, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: daily},
			MetricFilters: []cwlens.MetricFilter{{Name: "errors", Pattern: "ERROR", MetricName: "ErrorCount",
				Counts: cwlens.Series{Start: hourStart, Period: time.Hour, Unit: cwlens.UnitCount, Values: hourly}}},
		})
	}
	return snap
}

// BenchmarkEngine runs the detector alone over 10,000 daily series of 90
// points and 10,000 hourly series of 14 days, reusing one detector per
// sampling period as Analyze does.
func BenchmarkEngine(b *testing.B) {
	snap := benchSnapshot()
	daily := NewDetector(DefaultDetectorConfig(cwlens.Day))
	hourly := NewDetector(DefaultDetectorConfig(time.Hour))
	points := benchGroups * (benchDays + benchHours)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		for i := range snap.LogGroups {
			g := &snap.LogGroups[i]
			daily.Reset()
			for _, v := range g.DailyIncomingBytes.Values {
				daily.Judge(v)
			}
			hourly.Reset()
			for _, v := range g.MetricFilters[0].Counts.Values {
				hourly.Judge(v)
			}
		}
	}
	reportPoints(b, points, cpu0)
}

// BenchmarkAnalyze runs the whole analysis on the same 20,000 series.
func BenchmarkAnalyze(b *testing.B) {
	snap := benchSnapshot()
	points := benchGroups * (benchDays + benchHours)
	cfg := DefaultConfig()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		fs, err := Analyze(snap, time.Time{}, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if len(fs) < benchGroups/100 {
			b.Fatalf("%d findings, want at least the %d floods", len(fs), benchGroups/100)
		}
	}
	reportPoints(b, points, cpu0)
}

// reportPoints reports wall and CPU time per point and CPU seconds per run:
// on a shared machine wall time counts other people's work too.
func reportPoints(b *testing.B, points int, cpu0 time.Duration) {
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*points), "ns/point")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*points), "cpu-ns/point")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
