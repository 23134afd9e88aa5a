package pricing

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

func TestExactArithmetic(t *testing.T) {
	// 0.004445 × 0.5 × 730 must be 1.622425 exactly: nothing is rounded
	// before the end.
	us, err := computeUsages(taskState{CPUUnits: 256, MemoryMiB: 512, Tasks: 1,
		Strategy: []cwlens.CapacityProviderItem{{CapacityProvider: cwlens.ProviderFargate, Weight: 1}}}, 730)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Default().Lookup("us-east-1", UsageFargateGB)
	if got := us[1].Quantity.Mul(p.USD); got.String() != "1.622425" {
		t.Errorf("memory cost = %s, want 1.622425", got)
	}
	if us[0].Quantity.String() != "182.5" || us[1].Quantity.String() != "365" {
		t.Errorf("quantities = %s vCPU-h, %s GB-h; want 182.5 and 365", us[0].Quantity, us[1].Quantity)
	}
}

func TestTaskMonthly(t *testing.T) {
	b := Default()
	tests := []struct {
		size  cwlens.TaskSize
		arch  string
		tasks int
		want  string
	}{
		{cwlens.TaskSize{CPUUnits: 2048, MemoryMiB: 4096}, cwlens.ArchX86_64, 1, "72.08"}, // 59.1008 + 12.9794
		{cwlens.TaskSize{CPUUnits: 256, MemoryMiB: 512}, cwlens.ArchX86_64, 1, "9.01"},    // 7.3876 + 1.622425
		{cwlens.TaskSize{CPUUnits: 512, MemoryMiB: 1024}, cwlens.ArchX86_64, 1, "18.02"},  // 14.7752 + 3.24485
		{cwlens.TaskSize{CPUUnits: 256, MemoryMiB: 1024}, cwlens.ArchX86_64, 1, "10.63"},  // 7.3876 + 3.24485
		{cwlens.TaskSize{CPUUnits: 256, MemoryMiB: 512}, cwlens.ArchARM64, 2, "14.42"},    // 365×0.03238 + 730×0.00356 = 11.8187 + 2.5988
	}
	for _, tt := range tests {
		got, err := TaskMonthly(b, "us-east-1", tt.size, tt.arch, tt.tasks, Options{})
		if err != nil || got.StringFixed(2) != tt.want {
			t.Errorf("TaskMonthly(%v, %s, %d) = %s, %v; want %s", tt.size, tt.arch, tt.tasks, got.StringFixed(2), err, tt.want)
		}
	}
	if _, err := TaskMonthly(b, "us-east-1", cwlens.TaskSize{CPUUnits: 256, MemoryMiB: 768}, cwlens.ArchX86_64, 1, Options{}); err == nil {
		t.Error("TaskMonthly priced 256/768, which is not a Fargate size")
	}
}

func TestSplitTasks(t *testing.T) {
	od := func(base, w int) cwlens.CapacityProviderItem {
		return cwlens.CapacityProviderItem{CapacityProvider: cwlens.ProviderFargate, Base: base, Weight: w}
	}
	spot := func(base, w int) cwlens.CapacityProviderItem {
		return cwlens.CapacityProviderItem{CapacityProvider: cwlens.ProviderSpot, Base: base, Weight: w}
	}
	tests := []struct {
		n        int
		strategy []cwlens.CapacityProviderItem
		want     string
	}{
		{1, []cwlens.CapacityProviderItem{spot(0, 1)}, "[1]"},
		{0, []cwlens.CapacityProviderItem{od(0, 1)}, "[0]"},
		{10, []cwlens.CapacityProviderItem{od(2, 1), spot(0, 3)}, "[4 6]"}, // ECS docs example shape: base first, then 1:3
		{5, []cwlens.CapacityProviderItem{od(1, 1), spot(0, 4)}, "[2 3]"},  // 4 left at 1:4 = 0.8 : 3.2, largest remainder
		{1, []cwlens.CapacityProviderItem{od(1, 0), spot(0, 1)}, "[1 0]"},
		{3, []cwlens.CapacityProviderItem{od(0, 1), spot(0, 1)}, "[2 1]"}, // tie to the first listed
		{2, []cwlens.CapacityProviderItem{od(5, 1), spot(0, 1)}, "[2 0]"}, // base larger than n
	}
	for _, tt := range tests {
		if got := fmt.Sprint(SplitTasks(tt.n, tt.strategy)); got != tt.want {
			t.Errorf("SplitTasks(%d, %+v) = %s, want %s", tt.n, tt.strategy, got, tt.want)
		}
	}
}

func TestRunRateAndBaseline(t *testing.T) {
	snap := refSnapshot()
	g := &snap.LogGroups[0]
	end := snap.Window.End
	if r, ok := DailyRunRate(g, end); !ok || r != 2886e6 {
		t.Errorf("run-rate = %v, %v; want 2886e6", r, ok)
	}
	if b, ok := DailyBaseline(g, end); !ok || b != 8e6 {
		t.Errorf("baseline = %v, %v; want the median of the 7 days, 8e6", b, ok)
	}
	// Two days earlier the hourly series does not end there, so the last
	// whole day before it (555 MB) is the run-rate; the baseline is the
	// median of the 5 days before it.
	if r, ok := DailyRunRate(g, end.Add(-48*time.Hour)); !ok || r != 555e6 {
		t.Errorf("run-rate two days earlier = %v, %v; want 555e6", r, ok)
	}
	if b, ok := DailyBaseline(g, end.Add(-48*time.Hour)); !ok || b != 6e6 {
		t.Errorf("baseline two days earlier = %v, %v; want 6e6", b, ok)
	}
	if p, day, ok := PeakDay(g, end.Add(-48*time.Hour), 7); !ok || p != 555e6 || day.Format(time.DateOnly) != "2025-10-28" {
		t.Errorf("peak two days earlier = %v on %s, %v", p, day, ok)
	}
	g.HourlyIncomingBytes.Values[47] = cwlens.Missing()
	if r, ok := DailyRunRate(g, end); !ok || r != 2886e6 {
		t.Errorf("run-rate with a missing hour = %v, %v; want the last day 2886e6", r, ok)
	}
	if _, ok := DailyRunRate(g, snap.Window.Start); ok {
		t.Error("run-rate known before the window starts")
	}
}

func TestMeanDay(t *testing.T) {
	snap := refSnapshot() // facilitator: 2, 5, 8, 6, 555, 2886, 2886 MB on Oct 24–30
	end := snap.Window.End
	tests := []struct {
		name string
		edit func(g *cwlens.LogGroup)
		at   time.Time
		want string // MB, and the days with data
	}{
		{"seven days", nil, end, "906.857143 MB, 7 days"},
		{"mid-day: the whole days before", nil, end.Add(9 * time.Hour), "906.857143 MB, 7 days"},
		// Oct 30's daily point is missing; its 24 hourly points (2,886 MB) stand in.
		{"a day from its hours", func(g *cwlens.LogGroup) { g.DailyIncomingBytes.Values[6] = cwlens.Missing() }, end, "906.857143 MB, 7 days"},
		// Oct 24 has neither: the mean of the other six.
		{"a day without data", func(g *cwlens.LogGroup) { g.DailyIncomingBytes.Values[0] = cwlens.Missing() }, end, "1057.666667 MB, 6 days"},
		// A day later the window is Oct 25–31, and Oct 31 has no data.
		{"a day later", nil, end.Add(24 * time.Hour), "1057.666667 MB, 6 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := refSnapshot()
			g := &snap.LogGroups[0]
			if tt.edit != nil {
				tt.edit(g)
			}
			m, days, ok := MeanDay(g, tt.at)
			if got := m.Shift(-6).StringFixed(6) + " MB, " + fmt.Sprint(days) + " days"; !ok || got != tt.want {
				t.Errorf("MeanDay = %s (%v), want %s", got, ok, tt.want)
			}
		})
	}
	if _, _, ok := MeanDay(&snap.LogGroups[0], snap.Window.Start); ok {
		t.Error("a mean day before the window starts")
	}
}

// TestRunRateNoteNamesItsDay: when the 24 hours before the evaluation time
// are not all in the snapshot, the note says which day the run-rate is.
func TestRunRateNoteNamesItsDay(t *testing.T) {
	snap := refSnapshot()
	// The last hour was not read: missing, and a gap says so (without the
	// gap, a missing hour inside the group's life is zero).
	snap.LogGroups[0].HourlyIncomingBytes.Values[47] = cwlens.Missing()
	snap.Gaps = []cwlens.Gap{{API: "cloudwatch:GetMetricData", Subject: snap.LogGroups[0].Name, Start: snap.Window.End.Add(-time.Hour), Reason: "throttled"}}
	p, err := Project(snap, nil, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := subjectLines(p, "/ecs/karmacadabra-prod/facilitator")[0]
	want := "if the last 24 h continued: 2886.0 MB/day on 2025-10-30, the last whole day with data (the 24 h before 2025-10-31 00:00 UTC are not all in the snapshot)"
	if !strings.Contains(in.Note, want) {
		t.Errorf("note %q lacks %q", in.Note, want)
	}
	if r, ok := LastDay(&snap.AsOf(time.Time{}).LogGroups[0], snap.Window.End); !ok || !r.Fallback || !r.From.Equal(snap.Window.End.Add(-24*time.Hour)) {
		t.Errorf("LastDay = %+v, %v", r, ok)
	}
}

func TestPricePastEpisodes(t *testing.T) {
	snap := refSnapshot()
	snap.LogGroups[1].Class = cwlens.ClassInfrequentAccess
	eps := []cwlens.PastEpisode{
		{Subject: "/ecs/karmacadabra-prod/facilitator", Unit: cwlens.UnitBytes, Extra: 293.3e6}, // × $0.50/GB
		{Subject: "/ecs/karmacadabra-prod/validator", Unit: cwlens.UnitBytes, Extra: 293.3e6},   // IA: × $0.25/GB
		{Subject: "/ecs/elsewhere", Unit: cwlens.UnitBytes, Extra: 1e9},                         // Standard
		{Subject: "/ecs/karmacadabra-prod/facilitator", Unit: cwlens.UnitCount, Extra: 900},     // errors: no cost of their own
	}
	PricePastEpisodes(eps, snap, Default())
	for i, want := range []string{"0.15", "0.07", "0.50"} {
		if c := eps[i].CostUSD; c == nil || c.StringFixed(2) != want {
			t.Errorf("%s: cost %v, want %s", eps[i].Subject, c, want)
		}
	}
	if eps[3].CostUSD != nil {
		t.Errorf("an error surge priced at %s", eps[3].CostUSD)
	}
	snap.Region = "xx-nowhere-1"
	PricePastEpisodes(eps, snap, Default())
	if eps[0].CostUSD != nil {
		t.Errorf("priced %s in a Region the book lacks: unknown is never $0", eps[0].CostUSD)
	}
}

// TestStorageAgeInHours: a group 62 hours old holding 6.2 GB stored 2.4 GB
// a day (not 3.1 over 2 whole days), so 30 days of retention settle at
// 72 GB-Mo, $2.16.
func TestStorageAgeInHours(t *testing.T) {
	snap := refSnapshot()
	g := &snap.LogGroups[1]
	g.CreationTime = snap.CapturedAt.Add(-62 * time.Hour)
	g.StoredBytes = 6_200_000_000
	g.RetentionDays = nil
	sc, err := ParseScenario([]byte("changes:\n  - log_group: "+g.Name+"\n    retention_days: 30\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Project(snap, sc, Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := subjectLines(p, g.Name)[1]
	if st.Component != "storage" || st.ProposedQuantity.Round(6).String() != "72" || st.ProposedMonthly.StringFixed(2) != "2.16" {
		t.Errorf("storage after 30 days of retention = %s GB-Mo, $%s; want 72 GB-Mo, $2.16", st.ProposedQuantity, st.ProposedMonthly)
	}
}
