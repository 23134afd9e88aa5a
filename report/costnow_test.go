package report

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
	"testing"
)

// TestNowAndRunRateInEveryFormat checks that "monthly cost now" and the
// run-rate beside it read the same, with the same figures, in every format:
// the summary line of the table and Markdown, the HTML header, the CSV's
// total rows and the JSON fields.
func TestNowAndRunRateInEveryFormat(t *testing.T) {
	r := htmlReferenceReport(t)
	p := r.Projection
	now, run := p.TotalUSD(p.CurrentMonthly), p.TotalUSD(p.RunRateMonthly)
	if now == run {
		t.Fatalf("now and the run-rate are both %s: the test cannot tell them apart", now)
	}
	basis := "the mean day of 2025-10-25 to 2025-10-31; " + run + " " + RunRateWords
	if got := p.NowBasis(); got != basis {
		t.Fatalf("NowBasis() = %q, want %q", got, basis)
	}
	sentence := "monthly cost " + now + " now (" + basis + ")"
	render := func(f Format) string {
		var b bytes.Buffer
		if err := Write(&b, r, f, Options{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, f := range []Format{FormatTable, FormatMarkdown} {
		t.Run(string(f), func(t *testing.T) {
			if out := render(f); !strings.Contains(out, sentence) {
				t.Errorf("%s lacks %q", f, sentence)
			}
		})
	}
	t.Run("html", func(t *testing.T) {
		out := html.UnescapeString(render(FormatHTML))
		if !strings.Contains(out, "Fargate compute and CloudWatch Logs: "+basis) ||
			!strings.Contains(out, `data-json="/projection/current_monthly_usd"><data value="`+p.CurrentMonthly.String()+`">`+FormatUSD(p.CurrentMonthly)+"</data>") {
			t.Errorf("html header lacks %s with %q", now, basis)
		}
	})
	t.Run("csv", func(t *testing.T) {
		var total, rate map[string]string
		for _, row := range csvRecords(t, render(FormatCSV)) {
			if row["section"] == "projection" && row["subject"] == "total" {
				total = row
			}
			if row["section"] == "projection" && row["subject"] == "total "+RunRateWords {
				rate = row
			}
		}
		if total == nil || rate == nil {
			t.Fatalf("csv lacks the total rows: %v / %v", total, rate)
		}
		if total["current_monthly_usd"] != p.CurrentMonthly.String() || rate["current_monthly_usd"] != p.RunRateMonthly.String() ||
			rate["note"] != "monthly cost now is "+now+", "+basis {
			t.Errorf("csv totals %v / %v", total, rate)
		}
	})
	t.Run("json", func(t *testing.T) {
		var doc struct {
			Projection struct {
				Current  string `json:"current_monthly_usd"`
				RunRate  string `json:"run_rate_monthly_usd"`
				CostFrom string `json:"cost_from"`
				CostTo   string `json:"cost_to"`
				Totals   struct {
					RunRate string `json:"run_rate_monthly_usd"`
				} `json:"totals"`
				Assumptions []string `json:"assumptions"`
			} `json:"projection"`
		}
		if err := json.Unmarshal([]byte(render(FormatJSON)), &doc); err != nil {
			t.Fatal(err)
		}
		jp := doc.Projection
		if jp.Current != p.CurrentMonthly.String() || jp.RunRate != p.RunRateMonthly.String() || jp.Totals.RunRate != jp.RunRate ||
			jp.CostFrom != "2025-10-25T00:00:00Z" || jp.CostTo != "2025-11-01T00:00:00Z" {
			t.Errorf("json projection %+v", jp)
		}
		if !strings.Contains(strings.Join(jp.Assumptions, "\n"), "Monthly cost now: log ingestion at the mean day of the 7 whole UTC days before the evaluation time (2025-10-25 to 2025-10-31") {
			t.Errorf("assumptions do not define monthly cost now: %q", jp.Assumptions)
		}
	})
}
