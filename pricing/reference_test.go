package pricing_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/pricing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const scenarioPath = "karmacadabra-prod/scenario.yaml"

func referenceProjection(t testing.TB) *cwlens.Projection {
	t.Helper()
	return referenceProjectionAt(t, time.Time{})
}

func referenceProjectionAt(t testing.TB, at time.Time) *cwlens.Projection {
	t.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(fixtures.FS(), scenarioPath)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := pricing.ParseScenario(data, "fixtures/"+scenarioPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pricing.Project(snap, sc, pricing.Default(), pricing.Options{At: at})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReferenceOct30RunRate evaluates the account at the end of Oct 30, as
// the source analysis did: "monthly cost now" is the mean day of Oct 24–30,
// and beside it the run-rate is Oct 30's 2,886 MB, $1.443 a day at $0.50/GB,
// 87.7825 GB and $43.89 a month.
func TestReferenceOct30RunRate(t *testing.T) {
	p := referenceProjectionAt(t, time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC))
	fl, _, _ := linesOf(p, "/ecs/karmacadabra-prod/facilitator")
	in := fl[0]
	if in.RunRateQuantity == nil || in.RunRateQuantity.String() != "87.7825" || in.RunRateMonthly.StringFixed(2) != "43.89" ||
		!strings.Contains(in.Note, "if the last 24 h continued: 2886.0 MB/day over the 24 h before 2025-10-31 00:00 UTC = $1.44/day") {
		t.Errorf("facilitator run-rate on Oct 30 = %v GB, $%v (%s)", in.RunRateQuantity, in.RunRateMonthly, in.Note)
	}
	// Now: the mean of Oct 24–30, 494.9 MB/day: 15.05 GB, $7.53 a month.
	if in.CurrentQuantity.StringFixed(2) != "15.05" || in.CurrentMonthly.StringFixed(2) != "7.53" ||
		!strings.Contains(in.Note, "now: mean day 494.9 MB of 2025-10-24 to 2025-10-30") {
		t.Errorf("facilitator now = %s GB, $%s (%s)", in.CurrentQuantity, in.CurrentMonthly, in.Note)
	}
	// Baseline: the median whole day before Oct 31 is about 5.1 MB: $0.08 a month.
	if in.BaselineMonthly == nil || in.BaselineMonthly.StringFixed(2) != "0.08" {
		t.Errorf("baseline = %v", in.BaselineMonthly)
	}
	// RUST_LOG=warn on the mean day: −90 %, $0.75.
	if in.ProposedMonthly.StringFixed(2) != "0.75" {
		t.Errorf("proposed = %s", in.ProposedMonthly)
	}
}

// TestReferenceMonthlyCostSteady is the test of "monthly cost now":
// evaluated at the start of Oct 31 and a day later, the account's monthly
// cost differs by less than 5 %, although the run-rate (the last 24 h) moves
// by far more as the flood eases.
func TestReferenceMonthlyCostSteady(t *testing.T) {
	a := referenceProjectionAt(t, time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC))
	b := referenceProjectionAt(t, time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC))
	change := func(x, y decimal.Decimal) float64 {
		f, _ := y.Sub(x).Div(x).Abs().Float64()
		return f
	}
	if c := change(a.CurrentMonthly, b.CurrentMonthly); c >= 0.05 {
		t.Errorf("monthly cost now %s → %s: %.1f %% apart, want < 5 %%", a.CurrentMonthly, b.CurrentMonthly, 100*c)
	}
	if c := change(a.RunRateMonthly, b.RunRateMonthly); c < 0.2 {
		t.Errorf("run-rate %s → %s moved only %.1f %%: the fixture no longer shows the swing", a.RunRateMonthly, b.RunRateMonthly, 100*c)
	}
	for _, p := range []*cwlens.Projection{a, b} {
		want := "Monthly cost now: log ingestion at the mean day of the 7 whole UTC days before the evaluation time (" +
			p.CostFrom.Format(time.DateOnly) + " to " + p.CostTo.AddDate(0, 0, -1).Format(time.DateOnly) + "; IncomingBytes)"
		if !slices.ContainsFunc(p.Assumptions, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("assumptions %q lack %q", p.Assumptions, want)
		}
	}
}

func linesOf(p *cwlens.Projection, subject string) (ls []cwlens.ProjectionLine, cur, prop decimal.Decimal) {
	for _, l := range p.Lines {
		if l.Subject == subject {
			ls = append(ls, l)
			cur = cur.Add(l.CurrentMonthly)
			prop = prop.Add(l.ProposedMonthly)
		}
	}
	return ls, cur, prop
}

// TestReferenceProjection asserts the acceptance figures of issue 4 on the
// karmacadabra-prod fixture with its scenario, us-east-1 prices, 730 h.
func TestReferenceProjection(t *testing.T) {
	p := referenceProjection(t)
	if p.Region != "us-east-1" || p.HoursPerMonth != 730 {
		t.Fatalf("region %s, %d h", p.Region, p.HoursPerMonth)
	}
	const c = "karmacadabra-prod/"
	_, cur, prop := linesOf(p, c+"facilitator")
	if cur.StringFixed(2) != "72.08" || prop.StringFixed(2) != "18.02" {
		t.Errorf("facilitator %s → %s, want 72.08 → 18.02", cur, prop)
	}
	for _, s := range []string{"validator", "abracadabra", "skill-extractor", "voice-extractor", "test-seller", "marketplace"} {
		if _, cur, _ := linesOf(p, c+s); cur.StringFixed(2) != "9.01" {
			t.Errorf("%s now = %s, want 9.01", s, cur)
		}
	}
	kh, cur, _ := linesOf(p, c+"karma-hello")
	if cur.StringFixed(2) != "2.87" || !strings.HasPrefix(kh[0].UsageType, "USE1-SpotUsage-") || kh[0].CurrentPrice.String() != "0.01288871" {
		t.Errorf("karma-hello = %s %+v, want Spot rates", cur, kh)
	}
	for _, s := range []string{"test-seller", "marketplace"} {
		ls, _, prop := linesOf(p, c+s)
		if prop.StringFixed(2) != "2.87" || ls[0].ProposedUsageType != "USE1-SpotUsage-Fargate-vCPU-Hours:perCPU" || ls[1].ProposedPrice.String() != "0.00141527" {
			t.Errorf("%s proposed %s on %s", s, prop, ls[0].ProposedUsageType)
		}
	}
	fl, _, _ := linesOf(p, "/ecs/karmacadabra-prod/facilitator")
	in := fl[0]
	// Oct 30: 2,886 MB × $0.50/GB = $1.443/day; × 730/24 = $43.89/month.
	if !strings.Contains(in.Note, "2025-10-30: 2886.0 MB = $1.44/day ($43.89/month at that rate)") || in.BaselineMonthly == nil {
		t.Errorf("facilitator ingestion note = %q, baseline %v", in.Note, in.BaselineMonthly)
	}
	// The last 24 h (Oct 31) ingested 150 MB: 4.5625 GB a month, $2.28.
	if in.RunRateQuantity == nil || in.RunRateQuantity.String() != "4.5625" || in.RunRateMonthly.StringFixed(2) != "2.28" {
		t.Errorf("facilitator run-rate = %v GB, $%v", in.RunRateQuantity, in.RunRateMonthly)
	}
	// Now: the mean day of Oct 25–31, flood days included.
	if in.CurrentMonthly.StringFixed(2) != "7.84" {
		t.Errorf("facilitator now = %s GB, $%s", in.CurrentQuantity, in.CurrentMonthly)
	}
	if len(p.Rejected) != 1 || p.Rejected[0].Subject != c+"validator" || !strings.Contains(p.Rejected[0].Alternative, "1024 MiB") ||
		p.Rejected[0].AlternativeMonthly == nil || p.Rejected[0].AlternativeMonthly.StringFixed(2) != "10.63" {
		t.Errorf("rejected = %+v", p.Rejected)
	}
	var mf *cwlens.ProjectionLine
	for i := range fl {
		if fl[i].Component == "metric_filter" {
			mf = &fl[i]
		}
	}
	// It saves nothing on ingestion and adds one custom metric: +$0.30.
	if mf == nil || mf.UsageType != "CW:MetricMonitorUsage" || mf.DeltaMonthly().StringFixed(2) != "0.30" || !strings.Contains(mf.Note, "never drops") {
		t.Errorf("metric filter line = %+v", mf)
	}
	sumCur, sumProp := decimal.Zero, decimal.Zero
	for _, l := range p.Lines {
		sumCur, sumProp = sumCur.Add(l.CurrentMonthly), sumProp.Add(l.ProposedMonthly)
	}
	if !sumCur.Equal(p.CurrentMonthly) || !sumProp.Equal(p.ProposedMonthly) {
		t.Errorf("totals %s / %s, lines add to %s / %s", p.CurrentMonthly, p.ProposedMonthly, sumCur, sumProp)
	}
	if !strings.Contains(strings.Join(p.Assumptions, "\n"), "Spot prices published 2026-09-28") {
		t.Errorf("assumptions = %q", p.Assumptions)
	}
}

// TestReferenceProjectionGolden pins the whole projection of the demo.
func TestReferenceProjectionGolden(t *testing.T) {
	p := referenceProjection(t)
	got, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const golden = "testdata/reference-projection.golden.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("projection differs from %s (go test ./pricing -run Golden -update to accept):\n%s", golden, got)
	}
}
