package main

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

// TestMonthlyCostSteady runs the issue's check through the CLI: `cwlens
// report` of the reference account at 2025-10-31 and a day later gives a
// "monthly cost now" within 5 % of each other, while the flood finding
// costs the same both days.
func TestMonthlyCostSteady(t *testing.T) {
	type figures struct {
		now, runRate decimal.Decimal
		flood        string
	}
	at := func(day string) figures {
		t.Helper()
		r := run(t, "report", reference, "--at", day, "--format", "json")
		if r.code != 0 {
			t.Fatalf("--at %s: exit %d: %s", day, r.code, r.stderr)
		}
		var doc struct {
			Findings []struct {
				Kind    string  `json:"kind"`
				Subject string  `json:"subject"`
				Cost    *string `json:"monthly_cost_impact_usd"`
			} `json:"findings"`
			Projection struct {
				Now     decimal.Decimal `json:"current_monthly_usd"`
				RunRate decimal.Decimal `json:"run_rate_monthly_usd"`
			} `json:"projection"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatal(err)
		}
		f := figures{now: doc.Projection.Now, runRate: doc.Projection.RunRate}
		for _, x := range doc.Findings {
			if x.Subject == "/ecs/karmacadabra-prod/facilitator" && x.Kind == "ingestion_level_shift" && x.Cost != nil {
				f.flood = *x.Cost
			}
		}
		return f
	}
	a, b := at("2025-10-31"), at("2025-11-01")
	apart, _ := b.now.Sub(a.now).Div(a.now).Abs().Float64()
	t.Logf("monthly cost now %s → %s (%.2f %% apart); if the last 24 h continued %s → %s; flood %s → %s",
		a.now, b.now, 100*apart, a.runRate, b.runRate, a.flood, b.flood)
	if apart >= 0.05 {
		t.Errorf("monthly cost now %s at 2025-10-31, %s at 2025-11-01: %.1f %% apart, want < 5 %%", a.now, b.now, 100*apart)
	}
	if a.flood == "" || a.flood != b.flood {
		t.Errorf("the flood costs %q at 2025-10-31 and %q at 2025-11-01, want the same figure", a.flood, b.flood)
	}
}
