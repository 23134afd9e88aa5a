package report

import (
	"fmt"
	"testing"

	"github.com/cwlens/cwlens"
	"golang.org/x/net/html"
)

// TestHTMLFindingCostWords: a finding's cost cell says what the table says
// (findingCost): "—" for a finding with no usage of its own to price, such
// as an error surge, and "unknown" only for usage the price book lacks.
func TestHTMLFindingCostWords(t *testing.T) {
	r := htmlFixtureReport()
	noUsage, unpriced, priced := -1, -1, -1
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case f.MonthlyCostUSD != nil && priced < 0:
			priced = i
		case f.MonthlyCostUSD == nil && f.Impact == nil && noUsage < 0:
			noUsage = i
		case f.MonthlyCostUSD == nil && f.Impact != nil && unpriced < 0:
			unpriced = i
		}
	}
	if noUsage < 0 || priced < 0 {
		t.Fatalf("the fixture lacks a priced finding or one without usage: %d, %d", priced, noUsage)
	}
	if unpriced < 0 { // usage measured, no price in the book
		f := r.Findings[noUsage]
		f.Subject += "-unpriced"
		f.Impact = &cwlens.Impact{IngestedBytesPerMonth: 1e9}
		r.Findings = append(r.Findings, f)
		unpriced = len(r.Findings) - 1
	}
	cells := map[string]string{}
	for el := range parseHTML(t, renderHTML(t, r)).Descendants() {
		if el.Type == html.ElementNode && el.Data == "td" {
			if ptr, ok := attr(el, "data-json"); ok {
				cells[ptr] = textOf(el)
			}
		}
	}
	for i, want := range map[int]string{noUsage: Missing, unpriced: "unknown", priced: FormatUSD(*r.Findings[priced].MonthlyCostUSD)} {
		ptr := fmt.Sprintf("/findings/%d/monthly_cost_impact_usd", i)
		if got, ok := cells[ptr]; !ok || got != want {
			t.Errorf("finding %d (%s): cost cell %q (present %v), want %q", i, r.Findings[i].Kind, got, ok, want)
		}
		if got := findingCost(r.Findings[i]); got != want {
			t.Errorf("finding %d: the table says %q, the page %q", i, got, want)
		}
	}
}
