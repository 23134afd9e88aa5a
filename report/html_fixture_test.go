package report

import (
	"math"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

// xssName is a log group name that would run a script if the page inserted
// it as markup.
const xssName = "/x/<script>alert(1)</script>"

var htmlDay0 = time.Date(2025, 9, 27, 0, 0, 0, 0, time.UTC)

// dailyBytes returns 35 days of ingestion from htmlDay0: a weekday/weekend
// rhythm around base, then the values of flood for the last days.
func dailyBytes(base float64, flood ...float64) cwlens.Series {
	s := cwlens.Series{Start: htmlDay0, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: make([]float64, 35)}
	for i := range s.Values {
		v := base * (1 + 0.18*math.Sin(float64(i)*1.7))
		if wd := s.Time(i).Weekday(); wd == time.Saturday || wd == time.Sunday {
			v *= 0.6
		}
		s.Values[i] = math.Round(v)
	}
	copy(s.Values[35-len(flood):], flood)
	return s
}

func usd(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func usdPtr(s string) *decimal.Decimal { d := usd(s); return &d }

// htmlFixtureReport is a small hand-built report with every section of the
// HTML page: a flood with its series, an error surge on an hourly series with
// a gap, a resize without a series, a hostile log group name, a projection
// with a rejected change and an unknown price, and a partial scan. It is the
// report of a run that compared with the previous one: its findings are new
// or ongoing, and two earlier findings are resolved.
func htmlFixtureReport() *Report {
	retention := 7
	fac := dailyBytes(5.1e6, 555e6, 2886e6, 2140e6)
	fac.Values[3] = cwlens.Missing() // a missing day is a gap, not a zero
	errors := cwlens.Series{Start: time.Date(2025, 10, 25, 0, 0, 0, 0, time.UTC), Period: cwlens.Hour, Unit: cwlens.UnitCount, Values: make([]float64, 7*24)}
	for i := range errors.Values {
		switch {
		case i >= 4*24:
			errors.Values[i] = 120 + float64(i%7)*6
		default:
			errors.Values[i] = float64(i % 3)
		}
	}
	errors.Values[30] = cwlens.Missing()
	snap := &cwlens.Snapshot{
		SchemaVersion: cwlens.SchemaVersion,
		AccountID:     "123456789012",
		AccountName:   "karmacadabra-prod",
		Region:        "us-east-1",
		CapturedAt:    htmlDay0.Add(35 * cwlens.Day),
		Window:        cwlens.Window{Start: htmlDay0, End: htmlDay0.Add(35 * cwlens.Day)},
		LogGroups: []cwlens.LogGroup{
			{Name: "/ecs/karmacadabra-prod/facilitator", Class: cwlens.ClassStandard, RetentionDays: &retention, StoredBytes: 202_400_000, DailyIncomingBytes: fac},
			{Name: "/ecs/karmacadabra-prod/validator", Class: cwlens.ClassStandard, RetentionDays: &retention, StoredBytes: 3_910_000, DailyIncomingBytes: dailyBytes(0.56e6)},
			{Name: "/ecs/karmacadabra-prod/karma-hello", Class: cwlens.ClassStandard, RetentionDays: &retention, StoredBytes: 3_660_000, DailyIncomingBytes: dailyBytes(0.52e6)},
			{Name: xssName, Class: cwlens.ClassInfrequentAccess, StoredBytes: 1_000, DailyIncomingBytes: dailyBytes(0.2e6)},
		},
		Services: []cwlens.Service{{
			Cluster: "karmacadabra-prod", Name: "facilitator", LaunchType: cwlens.LaunchFargate,
			CPUUnits: 2048, MemoryMiB: 4096, Architecture: cwlens.ArchX86_64, OperatingSystem: "LINUX",
			DesiredCount: 1, RunningCount: 1, LogGroup: "/ecs/karmacadabra-prod/facilitator",
		}},
		Gaps: []cwlens.Gap{{API: "ecs:DescribeServices", Resource: "arn:aws:ecs:us-east-1:123456789012:cluster/<b>other</b>", Reason: "AccessDeniedException: not authorized"}},
	}
	findings := []cwlens.Finding{
		{
			Kind: cwlens.KindNoRetention, Subject: xssName, Severity: cwlens.SeverityLow, Start: htmlDay0,
			Summary:  `Log group ` + xssName + ` never expires its events <img src=x onerror=alert(2)>.`,
			Evidence: cwlens.Evidence{Observed: 1000, Unit: cwlens.UnitBytes, Notes: []string{`filter pattern "<svg onload=alert(3)>"`}},
		},
		{
			Kind: cwlens.KindIngestionLevelShift, Subject: "/ecs/karmacadabra-prod/facilitator", Severity: cwlens.SeverityCritical,
			Start:   time.Date(2025, 10, 29, 0, 0, 0, 0, time.UTC),
			Summary: "Ingestion rose from about 5.1 MB a day to 2.89 GB on Oct 30 and stayed high.",
			Evidence: cwlens.Evidence{
				Baseline: 5.1e6, Observed: 2886e6, Ratio: 565.9, Score: 0.99, Unit: cwlens.UnitBytes,
				Points: []cwlens.Point{
					{Time: time.Date(2025, 10, 29, 0, 0, 0, 0, time.UTC), Value: 555e6},
					{Time: time.Date(2025, 10, 30, 0, 0, 0, 0, time.UTC), Value: 2886e6},
					{Time: time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC), Value: 2140e6},
				},
				Series: &fac,
			},
			MonthlyCostUSD: usdPtr("43.2136"),
			Templates: []cwlens.TemplateShare{
				{Template: "execution reverted: FiatTokenV2: invalid signature network=<*>", Events: 48211, Bytes: 1_900_000_000, ByteShare: 0.812},
			},
		},
		{
			Kind: cwlens.KindErrorSurge, Subject: "/ecs/karmacadabra-prod/facilitator", Severity: cwlens.SeverityHigh,
			Start:   time.Date(2025, 10, 29, 0, 0, 0, 0, time.UTC),
			Summary: `Metric filter "invalid signature" counts 152 an hour, against about 1 before.`,
			Evidence: cwlens.Evidence{
				Baseline: 1, Observed: 152, Ratio: 152, Score: 0.97, Unit: cwlens.UnitCount,
				Interval: &cwlens.Interval{Low: 129, High: 178, Confidence: 0.95},
				Series:   &errors,
			},
		},
		{
			Kind: cwlens.KindOverprovisioned, Subject: "karmacadabra-prod/facilitator", Severity: cwlens.SeverityMedium,
			Start:          htmlDay0.Add(21 * cwlens.Day),
			Summary:        "CPU peaks at 3.6 % of 2 vCPU and memory at 2.39 % of 4 GiB.",
			Evidence:       cwlens.Evidence{Baseline: 2048, Observed: 3.6, Unit: cwlens.UnitPercent},
			MonthlyCostUSD: usdPtr("-62.7566"),
			Recommendation: &cwlens.Resize{TaskSize: cwlens.TaskSize{CPUUnits: 512, MemoryMiB: 1024}, Reason: "peak CPU 3.6 % with 50 % headroom"},
		},
	}
	line := func(subject, component, usage, unit, curQ, propQ, price, cur, prop, change string) cwlens.ProjectionLine {
		return cwlens.ProjectionLine{
			Subject: subject, Component: component, UsageType: usage, Unit: unit,
			CurrentQuantity: usd(curQ), ProposedQuantity: usd(propQ), CurrentPrice: usd(price), ProposedPrice: usd(price),
			CurrentMonthly: usd(cur), ProposedMonthly: usd(prop), Change: change,
		}
	}
	lines := []cwlens.ProjectionLine{
		line("karmacadabra-prod/facilitator", "vCPU", "USE1-Fargate-vCPU-Hours:perCPU", "vCPU-Hours", "1460", "365", "0.04048", "59.1008", "14.7752", "right-size to 512/1024"),
		line("karmacadabra-prod/facilitator", "memory", "USE1-Fargate-GB-Hours", "GB-Hours", "2920", "730", "0.004445", "12.9794", "3.24485", "right-size to 512/1024"),
		line("/ecs/karmacadabra-prod/facilitator", "ingestion", "USE1-DataProcessing-Bytes", "GB", "86.58", "86.58", "0.50", "43.29", "43.29", ""),
		line("/ecs/karmacadabra-prod/validator", "ingestion", "USE1-DataProcessing-Bytes", "GB", "0.0168", "0.0168", "0.50", "0.0084", "0.0084", ""),
		line(xssName, "ingestion", "USE1-DataProcessing-Bytes", "GB", "0.006", "0.006", "0.25", "0.0015", "0.0015", ""),
	}
	lines[2].Note = "a metric filter never drops lines; it saves nothing"
	lines[4].ProposedUsageType = "USE1-DataProcessingIA-Bytes"
	proj := &cwlens.Projection{
		Region: "us-east-1", PricesAsOf: time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), HoursPerMonth: 730,
		Lines: lines,
		Rejected: []cwlens.RejectedChange{{
			Subject: "karmacadabra-prod/validator", Change: "256 CPU units / 768 MiB",
			Reason:      "0.25 vCPU takes 512, 1024 or 2048 MiB",
			Alternative: "256 CPU units / 1024 MiB", AlternativeMonthly: usdPtr("10.6363"),
		}},
		Unknown:     []cwlens.UnknownPrice{{Subject: "karmacadabra-prod/test-seller", UsageType: "USE1-Fargate-EphemeralStorage-GB-Hours", Reason: "not in the price book"}},
		Assumptions: []string{"Prices of 2025-10-01, us-east-1, on-demand.", "730 hours a month.", "1 GB = 10^9 bytes."},
	}
	twelve := decimal.NewFromInt(12)
	for i, l := range proj.Lines {
		proj.Lines[i].CurrentYearly = l.CurrentMonthly.Mul(twelve)
		proj.Lines[i].ProposedYearly = l.ProposedMonthly.Mul(twelve)
		proj.CurrentMonthly = proj.CurrentMonthly.Add(l.CurrentMonthly)
		proj.ProposedMonthly = proj.ProposedMonthly.Add(l.ProposedMonthly)
	}
	proj.CurrentYearly = proj.CurrentMonthly.Mul(twelve)
	proj.ProposedYearly = proj.ProposedMonthly.Mul(twelve)
	at := snap.Window.End
	seen := func(d time.Time) *time.Time { return &d }
	// New findings are first seen now, as runstate.Compare labels them.
	findings[0].Status, findings[0].FirstSeen = cwlens.StatusNew, seen(at)
	findings[1].Status, findings[1].FirstSeen = cwlens.StatusOngoing, seen(time.Date(2025, 10, 30, 6, 0, 0, 0, time.UTC))
	findings[2].Status, findings[2].FirstSeen = cwlens.StatusNew, seen(at)
	findings[3].Status, findings[3].FirstSeen = cwlens.StatusOngoing, seen(time.Date(2025, 10, 20, 6, 0, 0, 0, time.UTC))
	r := New(snap, at, findings, proj)
	r.Resolved = []cwlens.Finding{
		{
			Kind: cwlens.KindIngestionSpike, Subject: "/ecs/karmacadabra-prod/validator", Severity: cwlens.SeverityHigh,
			Summary: "Ingestion jumped to 40 MB on Oct 28.", MonthlyCostUSD: usdPtr("0.5963"),
			Status: cwlens.StatusResolved, FirstSeen: seen(time.Date(2025, 10, 28, 6, 0, 0, 0, time.UTC)),
		},
		{
			Kind: cwlens.KindErrorSurge, Subject: xssName, Filter: "<b>errors</b>", Severity: cwlens.SeverityMedium,
			Summary: "Errors <img src=x onerror=alert(4)> stopped.",
			Status:  cwlens.StatusResolved, FirstSeen: seen(time.Date(2025, 10, 26, 6, 0, 0, 0, time.UTC)),
		},
	}
	return r
}
