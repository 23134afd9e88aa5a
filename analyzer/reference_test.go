package analyzer_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/analyzer"
	"github.com/cwlens/cwlens/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	facilitator     = "/ecs/karmacadabra-prod/facilitator"
	facilitatorSvc  = "karmacadabra-prod/facilitator"
	validatorSvc    = "karmacadabra-prod/validator"
	referenceGolden = "testdata/reference.findings.json"
)

func referenceFindings(t *testing.T) []cwlens.Finding {
	t.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	fs, err := analyzer.Analyze(snap, time.Time{}, analyzer.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestReferenceGolden keeps the reference account's findings, in full, in
// testdata; go test ./analyzer -update rewrites the file.
func TestReferenceGolden(t *testing.T) {
	got, err := json.MarshalIndent(referenceFindings(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(referenceGolden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(referenceGolden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(referenceGolden)
	if err != nil {
		t.Fatalf("%v (go test ./analyzer -update creates it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("findings differ from %s (go test ./analyzer -update rewrites it)", referenceGolden)
	}
}

// TestReferenceAccount checks what DESIGN.md says the reference account
// must show, whatever the golden file holds.
func TestReferenceAccount(t *testing.T) {
	fs := referenceFindings(t)
	find := func(kind cwlens.Kind, subject string) *cwlens.Finding {
		for i := range fs {
			if fs[i].Kind == kind && fs[i].Subject == subject {
				return &fs[i]
			}
		}
		return nil
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }

	// the flood: one ingestion finding, on the facilitator only
	var flood *cwlens.Finding
	for i := range fs {
		if !strings.HasPrefix(string(fs[i].Kind), "ingestion_") {
			continue
		}
		if fs[i].Subject != facilitator {
			t.Errorf("ingestion finding on %s: %s", fs[i].Subject, fs[i].Summary)
			continue
		}
		flood = &fs[i]
	}
	if flood == nil {
		t.Fatal("no ingestion finding on the facilitator")
	}
	if flood.Kind != cwlens.KindIngestionSpike && flood.Kind != cwlens.KindIngestionLevelShift {
		t.Errorf("flood kind %s", flood.Kind)
	}
	if got := flood.Start.Truncate(cwlens.Day); !got.Equal(day("2025-10-29")) {
		t.Errorf("flood starts %s, want 2025-10-29", flood.Start)
	}
	if b := flood.Evidence.Baseline; b < 4e6 || b > 6e6 {
		t.Errorf("flood baseline %.0f bytes/day, want ~5 MB", b)
	}
	if flood.Evidence.Observed != 2886e6 {
		t.Errorf("flood observed %.0f, want the Oct 30 value 2,886 MB", flood.Evidence.Observed)
	}
	if want := (2886e6 - flood.Evidence.Baseline) * 730 / 24; flood.Impact == nil || !near(flood.Impact.IngestedBytesPerMonth, want, 1) {
		t.Errorf("flood impact %+v, want %.0f bytes/month", flood.Impact, want)
	}
	if !strings.Contains(flood.Summary, "2,886 MB/day") || !strings.Contains(flood.Summary, "2025-10-29") {
		t.Errorf("flood summary %q", flood.Summary)
	}

	// errors: a surge and a rate of ~15 %, naming the invalid-signature filter
	surge := find(cwlens.KindErrorSurge, facilitator)
	rate := find(cwlens.KindErrorRate, facilitator)
	if surge == nil || rate == nil {
		t.Fatalf("error surge %v, error rate %v", surge, rate)
	}
	for _, f := range []*cwlens.Finding{surge, rate} {
		if f.Filter != "invalid-signature" || !strings.Contains(f.Summary, "invalid signature") {
			t.Errorf("%s names filter %q: %s", f.Kind, f.Filter, f.Summary)
		}
	}
	if surge.Evidence.Observed != 152 {
		t.Errorf("surge observed %v, want 152 in the last hour", surge.Evidence.Observed)
	}
	if rate.Evidence.Observed != 0.152 || rate.Evidence.Interval == nil ||
		rate.Evidence.Interval.Low > 0.152 || rate.Evidence.Interval.High < 0.152 || rate.Evidence.Interval.Low < 0.12 {
		t.Errorf("rate %v, interval %+v", rate.Evidence.Observed, rate.Evidence.Interval)
	}

	// capacity
	over := find(cwlens.KindOverprovisioned, facilitatorSvc)
	if over == nil || over.Recommendation == nil {
		t.Fatal("facilitator not overprovisioned")
	}
	if r := over.Recommendation; r.CPUUnits > 512 || r.MemoryMiB > 1024 || !cwlens.ValidFargateSize(r.CPUUnits, r.MemoryMiB) {
		t.Errorf("facilitator recommendation %v", r.TaskSize)
	}
	if over.Impact == nil || *over.Impact.From != (cwlens.TaskSize{CPUUnits: 2048, MemoryMiB: 4096}) || over.Impact.Tasks != 1 {
		t.Errorf("facilitator impact %+v", over.Impact)
	}
	near := find(cwlens.KindNearCapacity, validatorSvc)
	if near == nil || near.Recommendation == nil || near.Recommendation.MemoryMiB != 1024 || near.Recommendation.CPUUnits != 256 {
		t.Fatalf("validator near capacity: %+v", near)
	}
	if near.Evidence.Observed != 71.5 {
		t.Errorf("validator memory peak %v, want 71.5", near.Evidence.Observed)
	}

	churn := find(cwlens.KindDeploymentChurn, facilitatorSvc)
	if churn == nil || churn.Evidence.Observed != 13 {
		t.Errorf("deployment churn: %+v", churn)
	}
	if find(cwlens.KindVolumeConcentration, facilitator) == nil {
		t.Error("no volume concentration on the facilitator group")
	}
	// no retention: every group keeps 7 days
	for _, f := range fs {
		if f.Kind == cwlens.KindNoRetention {
			t.Errorf("no_retention on %s", f.Subject)
		}
		// test-seller and marketplace have no memory data: no memory claim
		if strings.HasSuffix(f.Subject, "/test-seller") || strings.HasSuffix(f.Subject, "/marketplace") {
			if strings.Contains(strings.ToLower(f.Summary), "memory") {
				t.Errorf("memory claim without memory data: %s", f.Summary)
			}
		}
	}
	// ordering: severity never increases down the list
	for i := 1; i < len(fs); i++ {
		if fs[i].Severity > fs[i-1].Severity {
			t.Errorf("finding %d (%s) is more severe than finding %d", i, fs[i].Severity, i-1)
		}
	}
}

func near(a, b, tol float64) bool { return a-b <= tol && b-a <= tol }
