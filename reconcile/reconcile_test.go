package reconcile_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/shopspring/decimal"
)

var (
	oct = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	nov = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// book prices Fargate and Logs ingestion in us-east-1 at round list prices.
func book() *pricing.Book {
	p := func(suffix, unit, usd string) pricing.Price {
		return pricing.Price{Region: "us-east-1", UsageType: pricing.UsageType("us-east-1", suffix), Unit: unit, USD: d(usd), Effective: oct}
	}
	return pricing.NewBook(oct, "test", nil,
		p(pricing.UsageFargateVCPU, "vCPU-Hours", "0.04"),
		p(pricing.UsageFargateGB, "GB-Hours", "0.005"),
		p(pricing.UsageLogsIngestion, "GB", "0.50"))
}

// account: one log group ingesting 1 GB a day over October, one service of
// 1 vCPU and 2 GB at a desired count of 1 all month, and the given bill.
func account(lines ...cwlens.BillLine) *cwlens.Snapshot {
	days := make([]float64, 31)
	for i := range days {
		days[i] = 1e9
	}
	return &cwlens.Snapshot{Region: "us-east-1",
		LogGroups: []cwlens.LogGroup{{Name: "/ecs/api", Class: cwlens.ClassStandard,
			DailyIncomingBytes: cwlens.Series{Start: oct, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: days}}},
		Services: []cwlens.Service{{Cluster: "prod", Name: "api", LaunchType: cwlens.LaunchFargate, CPUUnits: 1024, MemoryMiB: 2048,
			Architecture: cwlens.ArchX86_64, OperatingSystem: "LINUX", DesiredCount: 1}},
		Bill: &cwlens.Bill{Currency: "USD", Months: []cwlens.BillMonth{
			{Start: oct, End: nov, Complete: true, Lines: lines},
			{Start: nov, End: nov.AddDate(0, 0, 5), Lines: []cwlens.BillLine{line("AmazonCloudWatch", "DataProcessing-Bytes", "9", "9", "18", "GB")}},
		}}}
}

func line(svc, ut, cost, net, qty, unit string) cwlens.BillLine {
	return cwlens.BillLine{Service: svc, UsageType: ut, UnblendedCost: d(cost), NetAmortizedCost: d(net), UsageQuantity: d(qty), Unit: unit}
}

const ecs, cw = "Amazon Elastic Container Service", "AmazonCloudWatch"

func TestMonth(t *testing.T) {
	// The model of October: 744 vCPU-hours ($29.76), 1,488 GB-hours
	// ($7.44), 31 GB ingested ($15.50).
	snap := account(
		line(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "29.76", "21.43", "744", "Hrs"), // a discount (private pricing)
		line(ecs, "USE1-Fargate-GB-Hours", "5.00", "5.00", "1000", "GB-Hours"),      // scaled in
		line(cw, "DataProcessing-Bytes", "13.00", "13.00", "31", "GB"),              // free tier
		line(cw, "CW:Requests", "0.37", "0.37", "37000", "Requests"),                // not modelled
	)
	rec, err := reconcile.Month(snap, book())
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Start.Equal(oct) || rec.MonthDays != 31 || rec.CoveredDays != 31 {
		t.Errorf("month %v, %d days, %d covered", rec.Start, rec.MonthDays, rec.CoveredDays)
	}
	type want struct {
		ut, model, billed, diff string
		modelled                bool
		explains                []string
	}
	wants := []want{
		{"USE1-Fargate-GB-Hours", "7.44", "5", "-2.44", true, []string{"task-hours differ"}},
		{"USE1-Fargate-vCPU-Hours:perCPU", "29.76", "29.76", "0", true, []string{"discount: net amortized $21.43, $8.33 below", reconcile.Matches}},
		{"CW:Requests", "0", "0.37", "0.37", false, []string{reconcile.NotModelled}},
		{"DataProcessing-Bytes", "15.5", "13", "-2.5", true, []string{"free tier: the first 5 GB"}},
	}
	if len(rec.Rows) != len(wants) {
		t.Fatalf("%d rows, want %d: %+v", len(rec.Rows), len(wants), rec.Rows)
	}
	for i, w := range wants {
		r := rec.Rows[i]
		if r.UsageType != w.ut || r.ModelCost.String() != w.model || r.BilledCost.String() != w.billed ||
			r.Difference.String() != w.diff || r.Modelled != w.modelled || len(r.Explanations) != len(w.explains) {
			t.Errorf("row %d = %+v, want %+v", i, r, w)
			continue
		}
		for j, e := range w.explains {
			if !strings.HasPrefix(r.Explanations[j], e) {
				t.Errorf("%s explanation %d = %q, want %q…", w.ut, j, r.Explanations[j], e)
			}
		}
	}
	if rec.BilledCost.String() != "48.13" || rec.ModelCost.String() != "52.7" || rec.Difference.String() != "-4.57" || rec.Percent.String() != "-8.7" {
		t.Errorf("totals: billed %s, model %s, difference %s (%s %%)", rec.BilledCost, rec.ModelCost, rec.Difference, rec.Percent)
	}
}

// TestSavingsPlan: a Savings Plan is read from the signature AWS gives it
// (covered usage cancelled in unblended cost by its SavingsPlanNegation,
// at the Plan's rate in net amortized cost) and the rest of the difference
// is split as for any line; a credit lowers both costs alike and is no
// Plan. The model is 744 vCPU-hours at $0.04: $29.76.
func TestSavingsPlan(t *testing.T) {
	const ut = "USE1-Fargate-vCPU-Hours:perCPU"
	for _, c := range []struct {
		name, cost, net, qty, diff string
		explains                   []string
	}{
		{"fully covered", "0", "23.808", "744", "-29.76", []string{
			"Savings Plan: all 744 Hrs covered: on-demand $29.76 cancelled in unblended (SavingsPlanNegation), " +
				"amortized at $23.81 (80 % of list); the Plan's fee is billed outside ECS, under Savings Plans for AWS " +
				"Compute usage (-$29.76)",
			reconcile.Matches}},
		// 56 hours above the commitment are billed on demand.
		{"partly covered", "2.24", "26.048", "800", "-27.52", []string{
			"Savings Plan: 744 of 800 Hrs covered: on-demand $29.76 cancelled in unblended (SavingsPlanNegation), " +
				"amortized at $23.81 (80 % of list)",
			"task-hours differ (scaling, or tasks the model does not see): billed 800 Hrs, modelled 744 (+$2.24)"}},
		{"not covered", "32", "32", "800", "2.24", []string{
			"task-hours differ (scaling, or tasks the model does not see): billed 800 Hrs, modelled 744 (+$2.24)"}},
		{"a credit", "19.76", "19.76", "744", "-10", []string{
			"unexplained: billed at $0.02655914 on average, the book's list price is $0.04 (-$10.00)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec, err := reconcile.Month(account(line(ecs, ut, c.cost, c.net, c.qty, "Hrs")), book())
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(rec.Rows, func(r reconcile.Row) bool { return r.UsageType == ut })
			if i < 0 {
				t.Fatalf("no row %s: %+v", ut, rec.Rows)
			}
			r := rec.Rows[i]
			if r.Difference.String() != c.diff || len(r.Explanations) != len(c.explains) {
				t.Fatalf("difference %s, explanations %q; want %s, %q", r.Difference, r.Explanations, c.diff, c.explains)
			}
			for j, e := range c.explains {
				if !strings.HasPrefix(r.Explanations[j], e) {
					t.Errorf("explanation %d = %q, want %q…", j, r.Explanations[j], e)
				}
			}
		})
	}
}

// TestMonthTotalsAreTheBill: whatever the lines, the billed total is their
// sum to the cent, and no line is dropped.
func TestMonthTotalsAreTheBill(t *testing.T) {
	lines := []cwlens.BillLine{
		line(cw, "USE1-DataProcessing-Bytes", "0.011", "0.011", "0.02", "GB"),
		line(cw, "TimedStorage-ByteHrs", "1.234", "1.1", "40", "GB-Mo"),
		line(cw, "CW:Credits", "-0.5", "-0.5", "0", "N/A"),
		line(ecs, "USE1-Fargate-EphemeralStorage-GB-Hours", "0.019", "0.019", "10", "GB-Hours"),
	}
	rec, err := reconcile.Month(account(lines...), book())
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Zero
	for _, l := range lines {
		sum = sum.Add(l.UnblendedCost)
	}
	if !rec.BilledCost.Equal(sum) {
		t.Errorf("billed total %s, want the bill's %s", rec.BilledCost, sum)
	}
	var uts []string
	for _, r := range rec.Rows {
		uts = append(uts, r.UsageType)
	}
	for _, l := range lines {
		if !slices.Contains(uts, l.UsageType) {
			t.Errorf("bill line %s dropped: rows %v", l.UsageType, uts)
		}
	}
	// The prefixed spelling of Logs ingestion is the modelled one; the
	// compute the bill lacks is listed as modelled, not billed.
	for _, r := range rec.Rows {
		if r.UsageType == "USE1-DataProcessing-Bytes" && !r.Modelled {
			t.Error("USE1-DataProcessing-Bytes is not matched to the ingestion model")
		}
		if r.UsageType == "USE1-Fargate-GB-Hours" && (r.Explanations[0] != reconcile.NotBilled || !r.BilledCost.IsZero()) {
			t.Errorf("unbilled compute row = %+v", r)
		}
	}
}

func TestMonthWithoutCompleteMonth(t *testing.T) {
	snap := account()
	snap.Bill.Months = snap.Bill.Months[1:]
	if _, err := reconcile.Month(snap, book()); !errors.Is(err, reconcile.ErrNoMonth) {
		t.Errorf("err = %v, want ErrNoMonth", err)
	}
	snap.Bill = nil
	if _, err := reconcile.Month(snap, book()); !errors.Is(err, reconcile.ErrNoMonth) {
		t.Errorf("no bill: err = %v, want ErrNoMonth", err)
	}
}

// TestExplainSplitsQuantityAndPrice: a difference is split at the book's
// price into what the quantity explains and what the price does; a price
// the free tier does not account for is unexplained, and so is a
// difference neither part reaches a cent of.
func TestExplainSplitsQuantityAndPrice(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    cwlens.BillLine
		want []string
	}{
		{"both", line(ecs, "USE1-Fargate-GB-Hours", "9.00", "9.00", "1500", "GB-Hours"),
			[]string{"task-hours differ (scaling, or tasks the model does not see): billed 1500 GB-Hours, modelled 1488 (+$0.06)",
				"unexplained: billed at $0.006 on average, the book's list price is $0.005 (+$1.50)"}},
		{"free tier above 5 GB", line(cw, "DataProcessing-Bytes", "13.00", "13.00", "31", "GB"),
			[]string{"free tier: the first 5 GB of Logs ingestion a month are not billed (-$2.50)"}},
		{"free tier all of it", line(cw, "DataProcessing-Bytes", "0", "0", "4", "GB"),
			[]string{"usage differs: billed 4 GB, modelled 31 (-$13.50)", "free tier: the first 5 GB of Logs ingestion a month are not billed (-$2.00)"}},
		{"less than the free tier leaves", line(cw, "DataProcessing-Bytes", "10.00", "10.00", "31", "GB"),
			[]string{"unexplained: billed at $0.32258065 on average, the book's list price is $0.5 (-$5.50)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := reconcile.Month(account(tc.l), book())
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(rec.Rows, func(r reconcile.Row) bool { return r.UsageType == tc.l.UsageType })
			if i < 0 {
				t.Fatalf("no row for %s", tc.l.UsageType)
			}
			if got := rec.Rows[i].Explanations; !slices.Equal(got, tc.want) {
				t.Errorf("explanations\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// TestMonthModelsWhatTheBookPrices: every usage type the price book prices
// and the snapshot measures is modelled, as pricing meters it: Fargate Spot
// shares (ECS's base-then-weight split), Windows and its licence, ARM,
// ephemeral storage, Infrequent Access and vended ingestion (tiered), data
// protection, storage for the part of the month a group existed, and the
// filters' custom metrics. A modelled usage type the bill lacks is listed.
func TestMonthModelsWhatTheBookPrices(t *testing.T) {
	daily := func(from time.Time, bytes float64) cwlens.Series {
		v := make([]float64, int(nov.Sub(from)/cwlens.Day))
		for i := range v {
			v[i] = bytes
		}
		return cwlens.Series{Start: from, Period: cwlens.Day, Unit: cwlens.UnitBytes, Values: v}
	}
	oct16 := oct.AddDate(0, 0, 15)
	hourly := cwlens.Series{Start: oct, Period: cwlens.Hour, Unit: cwlens.UnitCount, Values: []float64{3, 0, 1}}
	svc := func(name string, cpu, mem, desired int, mut func(*cwlens.Service)) cwlens.Service {
		s := cwlens.Service{Cluster: "prod", Name: name, LaunchType: cwlens.LaunchFargate, CPUUnits: cpu, MemoryMiB: mem,
			Architecture: cwlens.ArchX86_64, OperatingSystem: "LINUX", DesiredCount: desired}
		if mut != nil {
			mut(&s)
		}
		return s
	}
	snap := &cwlens.Snapshot{Region: "us-east-1",
		LogGroups: []cwlens.LogGroup{
			{Name: "/ecs/api", Class: cwlens.ClassStandard, StoredBytes: 2e9, CreationTime: oct.AddDate(0, -2, 0),
				DataProtectionStatus: cwlens.DataProtectionActivated, DailyIncomingBytes: daily(oct, 1e9),
				MetricFilters: []cwlens.MetricFilter{{Name: "errors", Pattern: "ERROR", MetricNamespace: "app", MetricName: "Errors", MetricValue: "1", Counts: hourly}}},
			{Name: "/aws/lambda/f", Class: cwlens.ClassStandard, DailyIncomingBytes: daily(oct, 5e8)},
			{Name: "/ecs/cold", Class: cwlens.ClassInfrequentAccess, StoredBytes: 31e8, CreationTime: oct16, DailyIncomingBytes: daily(oct16, 1e8)},
		},
		Services: []cwlens.Service{
			svc("mixed", 512, 1024, 5, func(s *cwlens.Service) {
				s.LaunchType = ""
				s.CapacityProviderStrategy = []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderFargate, Base: 1, Weight: 1},
					{CapacityProvider: cwlens.ProviderSpot, Weight: 3}}
			}),
			svc("win", 1024, 2048, 1, func(s *cwlens.Service) { s.OperatingSystem = "WINDOWS_SERVER_2022_CORE" }),
			svc("arm", 256, 512, 2, func(s *cwlens.Service) { s.Architecture = cwlens.ArchARM64; s.EphemeralStorageGiB = 30 }),
		},
	}
	// Each modelled usage type and its quantity for October (744 h).
	want := map[string]string{
		"USE1-Fargate-vCPU-Hours:perCPU":           "744",  // 2 of 5 tasks on demand × 0.5 vCPU
		"USE1-Fargate-GB-Hours":                    "1488", // × 1 GB
		"USE1-SpotUsage-Fargate-vCPU-Hours:perCPU": "1116", // 3 on Spot
		"USE1-SpotUsage-Fargate-GB-Hours":          "2232",
		"USE1-Fargate-Windows-vCPU-Hours:perCPU":   "744",
		"USE1-Fargate-Windows-GB-Hours":            "1488",
		"USE1-Fargate-Windows-OS-Hours:perCPU":     "744",
		"DataProcessing-Bytes":                     "31",
		"DataProtection-Bytes":                     "31",
		"VendedLog-Bytes":                          "15.5",
		"DataProcessingIA-Bytes":                   "1.6",   // 16 days from its creation
		"TimedStorage-ByteHrs":                     "2",     // 2 GB all month
		"TimedStorage-IA-ByteHrs":                  "1.6",   // 3.1 GB for 16 of 31 days
		"CW:MetricMonitorUsage":                    "1",     // one filter metric
		"USE1-Fargate-ARM-vCPU-Hours:perCPU":       "372",   // not on the bill
		"USE1-Fargate-ARM-GB-Hours":                "744",   // not on the bill
		"USE1-Fargate-EphemeralStorage-GB-Hours":   "14880", // 10 GiB above 20, 2 tasks; not on the bill
	}
	notBilled := map[string]bool{"USE1-Fargate-ARM-vCPU-Hours:perCPU": true, "USE1-Fargate-ARM-GB-Hours": true, "USE1-Fargate-EphemeralStorage-GB-Hours": true}
	var lines []cwlens.BillLine
	for ut, q := range want {
		if !notBilled[ut] {
			svc := ecs
			if !strings.HasPrefix(ut, "USE1-") {
				svc = cw
			}
			lines = append(lines, line(svc, ut, "1", "1", q, "u"))
		}
	}
	snap.Bill = &cwlens.Bill{Currency: "USD", Months: []cwlens.BillMonth{{Start: oct, End: nov, Complete: true, Lines: lines}}}
	rec, err := reconcile.Month(snap, pricing.Default())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]reconcile.Row{}
	for _, r := range rec.Rows {
		got[r.UsageType] = r
	}
	for ut, q := range want {
		r, ok := got[ut]
		if !ok || !r.Modelled || r.ModelQuantity.String() != q {
			t.Errorf("%s: row %+v, want modelled %s", ut, r, q)
			continue
		}
		if notBilled[ut] != (r.Explanations[0] == reconcile.NotBilled) {
			t.Errorf("%s: explanations %q", ut, r.Explanations)
		}
	}
	if len(rec.Rows) != len(want) {
		t.Errorf("%d rows, want %d", len(rec.Rows), len(want))
	}
	// Vended logs are priced in bands over the account's month; 15.5 GB
	// is inside the first ($0.50).
	if c := got["VendedLog-Bytes"].ModelCost.String(); c != "7.75" {
		t.Errorf("vended model cost %s, want 7.75", c)
	}
}

// TestMonthDaily: the month's billed cost per day sums the bill's day
// lines of each day of the month (days of another month left out, a day
// without lines at zero); a bill without days of the month gives none.
func TestMonthDaily(t *testing.T) {
	snap := account(line(cw, "DataProcessing-Bytes", "1.5", "1.5", "3", "GB"))
	day := func(date time.Time, ut, cost string) cwlens.BillDay {
		return cwlens.BillDay{Date: date, BillLine: line(cw, ut, cost, cost, "1", "GB")}
	}
	snap.Bill.Daily = []cwlens.BillDay{
		day(oct.AddDate(0, 0, -1), "DataProcessing-Bytes", "9"), // September's last day
		day(oct, "DataProcessing-Bytes", "0.40"), day(oct, "TimedStorage-ByteHrs", "0.03"),
		day(oct.AddDate(0, 0, 30), "DataProcessing-Bytes", "1.07"),
		day(nov, "DataProcessing-Bytes", "7"),
	}
	rec, err := reconcile.Month(snap, book())
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Daily) != 31 {
		t.Fatalf("%d days, want October's 31", len(rec.Daily))
	}
	for i, dc := range rec.Daily {
		want := "0"
		switch i {
		case 0:
			want = "0.43"
		case 30:
			want = "1.07"
		}
		if !dc.Date.Equal(oct.AddDate(0, 0, i)) || !dc.BilledCost.Equal(d(want)) {
			t.Errorf("day %d = %s %s, want %s %s", i, dc.Date, dc.BilledCost, oct.AddDate(0, 0, i), want)
		}
	}
	snap.Bill.Daily = snap.Bill.Daily[4:] // November's day alone
	if rec, err = reconcile.Month(snap, book()); err != nil || rec.Daily != nil {
		t.Errorf("without October's days: %v, daily %+v, want none", err, rec.Daily)
	}
}

// TestMonthCostExplorerRead: a bill a scan read from Cost Explorer carries
// its reading's time, requests and cost at $0.01 a request; a bill with no
// requests (a Cost and Usage Report's) carries none.
func TestMonthCostExplorerRead(t *testing.T) {
	readAt := nov.Add(5*time.Minute + 30*time.Second)
	for _, tc := range []struct {
		requests int
		want     *reconcile.CostExplorerRead
	}{
		{0, nil},
		{1, &reconcile.CostExplorerRead{ReadAt: readAt, Requests: 1, Cost: d("0.01")}},
		{13, &reconcile.CostExplorerRead{ReadAt: readAt, Requests: 13, Cost: d("0.13")}},
	} {
		snap := account(line(cw, "DataProcessing-Bytes", "15.5", "15.5", "31", "GB"))
		snap.Bill.ReadAt, snap.Bill.Requests = readAt, tc.requests
		rec, err := reconcile.Month(snap, book())
		if err != nil {
			t.Fatal(err)
		}
		got := rec.CostExplorer
		if (got == nil) != (tc.want == nil) || got != nil && (!got.ReadAt.Equal(tc.want.ReadAt) ||
			got.Requests != tc.want.Requests || !got.Cost.Equal(tc.want.Cost)) {
			t.Errorf("%d requests: CostExplorer = %+v, want %+v", tc.requests, got, tc.want)
		}
	}
}
