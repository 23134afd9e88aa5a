package awsemu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/cwlens/cwlens"
)

// Synthetic describes a made-up account for tests and the scale benchmark.
type Synthetic struct {
	LogGroups     int
	MetricFilters int // spread over the first log groups, at most 100 per group
	Services      int
	Clusters      int // services are spread over them; 0 means 1
	Days          int // window length; hourly logs cover the last 7 days, services the last 14
	End           time.Time
	Seed          uint64
	// MissingEvery leaves every n-th point of each series missing (0: none),
	// so that scans are checked to keep missing points missing.
	MissingEvery int
}

// Build returns the account as a snapshot, on the same grid a scan of its
// window asks CloudWatch for.
func (s Synthetic) Build() *cwlens.Snapshot {
	rng := rand.New(rand.NewPCG(s.Seed, 0x5eed))
	end := s.End.UTC()
	start := end.Add(-time.Duration(s.Days) * cwlens.Day)
	snap := &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion, AccountID: "123456789012", Region: "us-east-1",
		CapturedAt: end, Window: cwlens.Window{Start: start, End: end},
	}
	last := func(days int) time.Time {
		t := end.Add(-time.Duration(days) * cwlens.Day)
		if t.Before(start) {
			return start
		}
		return t
	}
	series := func(from time.Time, period time.Duration, unit string, scale float64, integer bool) cwlens.Series {
		n := int(end.Sub(from) / period)
		v := make([]float64, n)
		for i := range v {
			if s.MissingEvery > 0 && (i+1)%s.MissingEvery == 0 {
				v[i] = cwlens.Missing()
				continue
			}
			x := scale * (0.5 + rng.Float64())
			if integer {
				x = math.Round(x)
			}
			v[i] = x
		}
		return cwlens.Series{Start: from, Period: period, Unit: unit, Values: v}
	}
	retention := []int{7, 14, 30, 90}
	for i := range s.LogGroups {
		name := fmt.Sprintf("/synthetic/app-%05d", i)
		g := cwlens.LogGroup{
			Name:         name,
			ARN:          "arn:aws:logs:us-east-1:123456789012:log-group:" + name,
			Class:        cwlens.ClassStandard,
			StoredBytes:  int64(rng.IntN(1 << 30)),
			CreationTime: start.Add(-time.Duration(i+1) * time.Hour).Truncate(time.Millisecond),

			DailyIncomingBytes:   series(start, cwlens.Day, cwlens.UnitBytes, 5e6, true),
			DailyIncomingEvents:  series(start, cwlens.Day, cwlens.UnitCount, 2e4, true),
			HourlyIncomingBytes:  series(last(7), time.Hour, cwlens.UnitBytes, 2e5, true),
			HourlyIncomingEvents: series(last(7), time.Hour, cwlens.UnitCount, 800, true),
		}
		if i%3 != 0 {
			d := retention[i%len(retention)]
			g.RetentionDays = &d
		}
		if i%7 == 0 {
			g.Class = cwlens.ClassInfrequentAccess
		}
		snap.LogGroups = append(snap.LogGroups, g)
	}
	for f := range s.MetricFilters {
		if s.LogGroups == 0 {
			break
		}
		g := &snap.LogGroups[f%s.LogGroups]
		g.MetricFilters = append(g.MetricFilters, cwlens.MetricFilter{
			Name: fmt.Sprintf("errors-%05d", f), Pattern: "ERROR", MetricNamespace: "Synthetic",
			MetricName: fmt.Sprintf("Errors%05d", f), MetricValue: "1",
			Counts: series(last(7), time.Hour, cwlens.UnitCount, 20, true),
		})
	}
	clusters := max(1, s.Clusters)
	for i := range s.Services {
		cl := fmt.Sprintf("cluster-%02d", i%clusters)
		name := fmt.Sprintf("svc-%04d", i)
		sv := cwlens.Service{
			Cluster: cl, Name: name,
			ARN:            fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:service/%s/%s", cl, name),
			TaskDefinition: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/%s:%d", name, 1+i%5),
			CPUUnits:       256 << (i % 3), MemoryMiB: 1024 << (i % 3),
			Architecture: cwlens.ArchX86_64, OperatingSystem: "LINUX",
			DesiredCount: 1 + i%3, RunningCount: 1 + i%3,
			Deployments: []cwlens.Deployment{{
				ID: fmt.Sprintf("ecs-svc/%019d", i), Status: "PRIMARY", RolloutState: "COMPLETED",
				TaskDefinition: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task-definition/%s:%d", name, 1+i%5),
				DesiredCount:   1 + i%3, RunningCount: 1 + i%3, FailedTasks: i % 4,
				CreatedAt: start.Add(time.Duration(i) * time.Minute), UpdatedAt: start.Add(time.Duration(i)*time.Minute + time.Hour),
			}},
			HealthCheck:   &cwlens.HealthCheck{Container: name, Command: []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"}, IntervalSeconds: 30, TimeoutSeconds: 5, Retries: 3},
			CPUAverage:    series(last(14), time.Hour, cwlens.UnitPercent, 10, false),
			CPUMaximum:    series(last(14), time.Hour, cwlens.UnitPercent, 40, false),
			MemoryAverage: series(last(14), time.Hour, cwlens.UnitPercent, 30, false),
			MemoryMaximum: series(last(14), time.Hour, cwlens.UnitPercent, 50, false),
		}
		if s.LogGroups > 0 {
			sv.LogGroup = snap.LogGroups[i%s.LogGroups].Name
		}
		switch i % 4 {
		case 0:
			sv.CapacityProviderStrategy = []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderSpot, Base: 0, Weight: 1}}
		case 1:
			sv.Architecture = cwlens.ArchARM64
			sv.LaunchType = cwlens.LaunchFargate
		default:
			sv.LaunchType = cwlens.LaunchFargate
		}
		snap.Services = append(snap.Services, sv)
	}
	sort.Slice(snap.Services, func(i, j int) bool {
		a, b := snap.Services[i], snap.Services[j]
		if a.Cluster != b.Cluster {
			return a.Cluster < b.Cluster
		}
		return a.Name < b.Name
	})
	return snap
}
