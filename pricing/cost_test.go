package pricing

import (
	"fmt"
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
