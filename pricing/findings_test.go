package pricing

import (
	"testing"

	"github.com/cwlens/cwlens"
)

func TestPriceFindings(t *testing.T) {
	snap := refSnapshot()
	ia := snap.LogGroups[1]
	ia.Name, ia.Class = "/ia", cwlens.ClassInfrequentAccess
	snap.LogGroups = append(snap.LogGroups, ia)
	from, to := &cwlens.TaskSize{CPUUnits: 2048, MemoryMiB: 4096}, &cwlens.TaskSize{CPUUnits: 512, MemoryMiB: 1024}
	fs := []cwlens.Finding{
		// 2,886 MB/day above a 5 MB/day baseline for a month: 86.65 GB × $0.50
		{Kind: cwlens.KindIngestionLevelShift, Subject: "/ecs/karmacadabra-prod/facilitator", Impact: &cwlens.Impact{IngestedBytesPerMonth: 86.65e9}},
		{Kind: cwlens.KindIngestionSpike, Subject: "/ia", Impact: &cwlens.Impact{IngestedBytesPerMonth: 10e9}},
		{Kind: cwlens.KindOverprovisioned, Subject: "karmacadabra-prod/facilitator", Impact: &cwlens.Impact{From: from, To: to, Tasks: 1}},
		{Kind: cwlens.KindNearCapacity, Subject: "karmacadabra-prod/validator", Impact: &cwlens.Impact{From: &cwlens.TaskSize{CPUUnits: 256, MemoryMiB: 512}, To: &cwlens.TaskSize{CPUUnits: 256, MemoryMiB: 1024}, Tasks: 1}},
		{Kind: cwlens.KindNoRetention, Subject: "/ecs/karmacadabra-prod/validator", Impact: &cwlens.Impact{StoredBytes: 50e9}},
		{Kind: cwlens.KindErrorSurge, Subject: "/ecs/karmacadabra-prod/facilitator"},
		{Kind: cwlens.KindOverprovisioned, Subject: "x/y", Impact: &cwlens.Impact{From: from, To: &cwlens.TaskSize{CPUUnits: 256, MemoryMiB: 768}, Tasks: 1}},
	}
	PriceFindings(fs, snap, Default(), Options{})
	want := []string{"43.33", "2.50", "54.06", "1.62", "1.50", "", ""}
	for i, w := range want {
		got := ""
		if fs[i].MonthlyCostUSD != nil {
			got = fs[i].MonthlyCostUSD.StringFixed(2)
		}
		if got != w {
			t.Errorf("finding %d (%s) = %q, want %q", i, fs[i].Kind, got, w)
		}
	}
	// The facilitator ran half a task on average: the resize is worth half.
	ran(snap, 0, 0.5)
	PriceFindings(fs[2:3], snap, Default(), Options{At: snap.Window.End})
	if got := fs[2].MonthlyCostUSD; got == nil || got.StringFixed(2) != "27.03" {
		t.Errorf("resize of a service that ran 0.5 tasks: %v, want 27.03", got)
	}
	snap.Region = "sa-east-1" // a book without its Logs prices: unknown, not $0
	PriceFindings(fs[:1], snap, defaultWithout("sa-east-1", logsSuffixes...), Options{})
	if fs[0].MonthlyCostUSD != nil {
		t.Errorf("sa-east-1 ingestion priced at %s; the book has no price", fs[0].MonthlyCostUSD)
	}
}
