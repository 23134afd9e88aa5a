package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/cwlens/cwlens"
)

// unpricedReport is the small account in a Region the price book lacks:
// every usage is unknown and no line is priced.
func unpricedReport() *Report {
	p := smallProjection()
	p.Region = "ap-east-2"
	p.Unknown = nil
	for _, l := range p.Lines {
		p.Unknown = append(p.Unknown, cwlens.UnknownPrice{Subject: l.Subject, UsageType: l.UsageType, Reason: "no price for " + l.UsageType + " in ap-east-2"})
	}
	p.Lines = nil
	z := decimal.Zero
	p.CurrentMonthly, p.ProposedMonthly, p.CurrentYearly, p.ProposedYearly = z, z, z, z
	return New(smallSnapshot(), at, smallFindings(), p)
}

// TestUnknownIsNeverZero: a total that leaves out usages without a price
// says "+ unknown (N lines)" in every format, and a projection with no
// price at all shows "unknown (N lines)", never $0.00.
func TestUnknownIsNeverZero(t *testing.T) {
	partial := smallReport()
	cases := []struct {
		name string
		r    *Report
		want string // the current total as shown
		n    int
	}{
		{"some unknown", partial, FormatUSD(partial.Projection.CurrentMonthly) + " + unknown (1 line)", 1},
		{"nothing priced", unpricedReport(), "unknown (2 lines)", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := func(f Format) string {
				var b bytes.Buffer
				if err := Write(&b, c.r, f, Options{}); err != nil {
					t.Fatal(err)
				}
				return b.String()
			}
			for _, f := range []Format{FormatTable, FormatMarkdown} {
				s := out(f)
				if !strings.Contains(s, "monthly cost "+c.want+" now") {
					t.Errorf("%s: the summary does not say %q:\n%s", f, "monthly cost "+c.want+" now", s)
				}
				if !strings.Contains(strings.ToLower(footer(s)), strings.ToLower(c.want)) {
					t.Errorf("%s: the projection's total row does not say %q:\n%s", f, c.want, footer(s))
				}
				if c.n > 0 && c.r.Projection.Totals.PricedLines == 0 && strings.Contains(s, "$0.00") {
					t.Errorf("%s: an unpriced account shows $0.00:\n%s", f, s)
				}
			}
			checkCSVTotals(t, out(FormatCSV), c.r, c.n)
			checkJSONTotals(t, out(FormatJSON), c.r, c.n)
			page := out(FormatHTML)
			kpi := page[strings.Index(page, "Monthly cost now"):]
			kpi = kpi[:strings.Index(kpi, "</div>")]
			if !strings.Contains(kpi, "unknown ("+unknownLines(c.n)+")") || strings.Contains(kpi, "$0.00") {
				t.Errorf("html: the monthly cost card does not say unknown (%s): %s", unknownLines(c.n), kpi)
			}
			tfoot := page[strings.Index(page, "<tfoot>"):]
			tfoot = tfoot[:strings.Index(tfoot, "</tfoot>")]
			if !strings.Contains(tfoot, "unknown ("+unknownLines(c.n)+")") {
				t.Errorf("html: the projection's total row does not say unknown: %s", tfoot)
			}
		})
	}
}

// footer returns the total row of the projection table in a table or
// Markdown rendering.
func footer(s string) string {
	i := strings.Index(s, "Monthly cost projection")
	s = s[i:]
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(strings.ToLower(line), "total") && strings.ContainsAny(line, "|│") {
			return line
		}
	}
	return ""
}

func checkCSVTotals(t *testing.T, s string, r *Report, n int) {
	t.Helper()
	unknown := 0
	var total map[string]string
	for _, rec := range csvRecords(t, s) {
		switch {
		case rec["section"] == "unknown_prices":
			unknown++
		case rec["section"] == "projection" && rec["subject"] == "total":
			total = rec
		}
	}
	if unknown != n {
		t.Errorf("csv: %d unknown_prices rows, want %d:\n%s", unknown, n, s)
	}
	if total == nil {
		t.Fatalf("csv: no total row:\n%s", s)
	}
	note := total["note"]
	if !strings.HasPrefix(note, "incomplete: ") || !strings.Contains(note, "unknown ("+unknownLines(n)+")") {
		t.Errorf("csv: the total row's note is %q, want it to say incomplete and unknown (%s)", note, unknownLines(n))
	}
	if r.Projection.Totals.PricedLines == 0 && (total["proposed_monthly_usd"] != "" || total["delta_monthly_usd"] != "") {
		t.Errorf("csv: nothing is priced, but the total row has %q / %q, want empty (unknown)", total["proposed_monthly_usd"], total["delta_monthly_usd"])
	}
}

func checkJSONTotals(t *testing.T, s string, r *Report, n int) {
	t.Helper()
	var doc struct {
		Projection struct {
			Totals struct {
				Complete        *bool             `json:"complete"`
				UnknownLines    int               `json:"unknown_lines"`
				CurrentMonthly  *string           `json:"current_monthly_usd"`
				ProposedMonthly *string           `json:"proposed_monthly_usd"`
				Text            string            `json:"text"`
				Unknown         []json.RawMessage `json:"unknown"`
			} `json:"totals"`
		} `json:"projection"`
	}
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	tot := doc.Projection.Totals
	if tot.Complete == nil || *tot.Complete || tot.UnknownLines != n || len(tot.Unknown) != n {
		t.Errorf("json: totals complete %v, unknown_lines %d, %d unknown lines; want false, %d, %d", tot.Complete, tot.UnknownLines, len(tot.Unknown), n, n)
	}
	if priced := r.Projection.Totals.PricedLines > 0; priced != (tot.CurrentMonthly != nil) || priced != (tot.ProposedMonthly != nil) {
		t.Errorf("json: priced lines %v, but totals current %v proposed %v (want null exactly when nothing is priced)", priced, tot.CurrentMonthly, tot.ProposedMonthly)
	}
	if !strings.Contains(tot.Text, "unknown ("+unknownLines(n)+")") {
		t.Errorf("json: totals.text %q", tot.Text)
	}
}

// TestCompleteTotals: a projection that priced everything shows bare
// totals, and its JSON says complete.
func TestCompleteTotals(t *testing.T) {
	r := smallReport()
	r.Projection.Unknown = nil
	r.Projection.Totals = newTotals(r.Projection)
	if got := r.Projection.TotalUSD(r.Projection.CurrentMonthly); got != FormatUSD(r.Projection.CurrentMonthly) {
		t.Errorf("complete total shows %q", got)
	}
	if !r.Projection.Totals.Complete || r.Projection.Totals.CurrentMonthly == nil || !r.Projection.Totals.CurrentMonthly.Equal(r.Projection.CurrentMonthly) {
		t.Errorf("totals %+v", r.Projection.Totals)
	}
}
