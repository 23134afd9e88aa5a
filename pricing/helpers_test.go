package pricing

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// refSnapshot is a hand-built stand-in for the karmacadabra-prod reference
// account (DESIGN.md), small enough to reason about in tests.
func refSnapshot() *cwlens.Snapshot {
	end := time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)
	start := end.AddDate(0, 0, -7)
	svc := func(name string, cpu, mem int, provider string, desired, running int) cwlens.Service {
		s := cwlens.Service{Cluster: "karmacadabra-prod", Name: name, CPUUnits: cpu, MemoryMiB: mem,
			Architecture: cwlens.ArchX86_64, OperatingSystem: "LINUX", DesiredCount: desired, RunningCount: running,
			LogGroup: "/ecs/karmacadabra-prod/" + name}
		if provider == cwlens.ProviderSpot {
			s.CapacityProviderStrategy = []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderSpot, Weight: 1}}
		} else {
			s.LaunchType = cwlens.LaunchFargate
		}
		return s
	}
	seven := 7
	group := func(name string, stored int64, daily []float64, hourlyLast float64) cwlens.LogGroup {
		g := cwlens.LogGroup{Name: name, Class: cwlens.ClassStandard, RetentionDays: &seven, StoredBytes: stored,
			CreationTime:       time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
			DailyIncomingBytes: cwlens.Series{Start: start, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: daily}}
		h := make([]float64, 48)
		for i := range h {
			h[i] = daily[len(daily)-2] / 24
			if i >= 24 {
				h[i] = hourlyLast / 24
			}
		}
		g.HourlyIncomingBytes = cwlens.Series{Start: end.Add(-48 * time.Hour), Period: cwlens.Hour, Unit: cwlens.UnitBytes, Values: h}
		return g
	}
	small := []float64{3e6, 4e6, 3e6, 5e6, 4e6, 3e6, 4e6}
	return &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion, AccountID: "123456789012", Region: "us-east-1",
		CapturedAt: end, Window: cwlens.Window{Start: start, End: end},
		Services: []cwlens.Service{
			svc("facilitator", 2048, 4096, cwlens.ProviderFargate, 1, 1),
			svc("validator", 256, 512, cwlens.ProviderFargate, 1, 1),
			svc("karma-hello", 256, 512, cwlens.ProviderSpot, 1, 1),
			svc("test-seller", 256, 512, cwlens.ProviderFargate, 1, 2),
			svc("marketplace", 256, 512, cwlens.ProviderFargate, 1, 1),
		},
		LogGroups: []cwlens.LogGroup{
			group("/ecs/karmacadabra-prod/facilitator", 202_400_000, []float64{2e6, 5e6, 8e6, 6e6, 555e6, 2886e6, 2886e6}, 2886e6),
			group("/ecs/karmacadabra-prod/validator", 3_910_000, small, 4e6),
		},
	}
}

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func subjectLines(p *cwlens.Projection, subject string) []cwlens.ProjectionLine {
	var out []cwlens.ProjectionLine
	for _, l := range p.Lines {
		if l.Subject == subject {
			out = append(out, l)
		}
	}
	return out
}

func sumLines(ls []cwlens.ProjectionLine) (cur, prop decimal.Decimal) {
	for _, l := range ls {
		cur = cur.Add(l.CurrentMonthly)
		prop = prop.Add(l.ProposedMonthly)
	}
	return cur, prop
}

// defaultWithout is the embedded book less the given usage types (suffixes)
// in region: a book that lacks some of a Region's prices, as the book does
// for Regions no source covers.
func defaultWithout(region string, suffixes ...string) *Book {
	d := Default()
	drop := map[string]bool{}
	for _, s := range suffixes {
		drop[UsageType(region, s)] = true
	}
	var keep []Price
	for _, p := range d.Prices("") {
		if p.Region != region || !drop[p.UsageType] {
			keep = append(keep, p)
		}
	}
	return NewBook(d.AsOf, d.About, d.Absent, keep...)
}

// logsSuffixes are the CloudWatch usage types a log group is billed under.
var logsSuffixes = []string{UsageLogsIngestion, UsageLogsIngestionIA, UsageVendedLogs, UsageVendedLogsIA,
	UsageLogsStorage, UsageLogsStorageIA, UsageInsightsScanned, UsageDataProtection, UsageLiveTail}
