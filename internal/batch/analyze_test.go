package batch

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
)

// TestAnalyzeReference runs the production pipeline on the reference account
// with its scenario: the flood is found and priced, and the account projected.
func TestAnalyzeReference(t *testing.T) {
	snap := reference(t)
	sc, err := fs.ReadFile(fixtures.FS(), "karmacadabra-prod/scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckScenario("scenario.yaml", sc); err != nil {
		t.Fatal(err)
	}
	findings, proj, err := Analyze(snap, snap.Window.End, "scenario.yaml", sc)
	if err != nil {
		t.Fatal(err)
	}
	var flood *cwlens.Finding
	for i, f := range findings {
		if f.Subject == "/ecs/karmacadabra-prod/facilitator" && (f.Kind == cwlens.KindIngestionLevelShift || f.Kind == cwlens.KindIngestionSpike) {
			flood = &findings[i]
		}
	}
	if flood == nil || flood.MonthlyCostUSD == nil || !flood.MonthlyCostUSD.IsPositive() {
		t.Fatalf("no priced flood on the facilitator among %d findings", len(findings))
	}
	if proj == nil || !proj.CurrentMonthly.IsPositive() || !proj.ProposedMonthly.LessThan(proj.CurrentMonthly) {
		t.Fatalf("projection %+v", proj)
	}

	if err := CheckScenario("inline", []byte("changes: [")); err == nil || !strings.HasPrefix(err.Error(), "inline: line") {
		t.Errorf("a malformed scenario: %v", err)
	}
}
