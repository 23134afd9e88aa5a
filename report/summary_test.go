package report

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/shopspring/decimal"
)

func TestSummary(t *testing.T) {
	s := smallReport().Summary()
	if s.Total != 3 || s.BySeverity != "1 critical, 1 medium, 1 low" || s.MoreBySeverity != "" {
		t.Errorf("counts: total %d, by severity %q, more %q", s.Total, s.BySeverity, s.MoreBySeverity)
	}
	if s.Flood != 0 {
		t.Errorf("flood = %d, want the critical level shift (0)", s.Flood)
	}
	want := []string{
		"ingestion 5.00 MB/day → 1.90 GB/day (380×)",
		"2 tasks running for 1 desired", // not failed tasks: the unit says so
		"never expires, 3.91 MB stored",
	}
	if len(s.Findings) != len(want) {
		t.Fatalf("%d findings listed, want %d", len(s.Findings), len(want))
	}
	for i, w := range want {
		if sf := s.Findings[i]; sf.Index != i || sf.What != w {
			t.Errorf("line %d: index %d, what %q; want %d, %q", i, sf.Index, sf.What, i, w)
		}
	}
}

// TestSummaryKeepsTheFlood: a flood that ranks below the first lines still
// makes the summary, in place of the last of them, so that the summary and
// the HTML header name the same flood.
func TestSummaryKeepsTheFlood(t *testing.T) {
	var fs []cwlens.Finding
	for i := range summaryFindings + 2 {
		fs = append(fs, cwlens.Finding{Kind: cwlens.KindErrorSurge, Subject: "/g" + itoa(i), Severity: cwlens.SeverityHigh, Start: day(20)})
	}
	flood := smallFindings()[1]
	flood.Severity = cwlens.SeverityLow
	fs = append(fs, flood)
	r := New(smallSnapshot(), at, fs, nil)
	s := r.Summary()
	if len(s.Findings) != summaryFindings {
		t.Fatalf("%d lines, want %d", len(s.Findings), summaryFindings)
	}
	last := s.Findings[summaryFindings-1]
	if s.Flood != len(fs)-1 || last.Index != s.Flood || last.Finding.Kind != cwlens.KindIngestionLevelShift {
		t.Errorf("flood %d, last line index %d (%s); want the flood last", s.Flood, last.Index, last.Finding.Kind)
	}
	if s.MoreBySeverity != "3 high" {
		t.Errorf("more = %q, want 3 high", s.MoreBySeverity)
	}
}

func TestSummaryWhat(t *testing.T) {
	hourly := &cwlens.Series{Start: day(31), Period: cwlens.Hour, Unit: cwlens.UnitCount, Values: []float64{0, 152}}
	cases := []struct {
		f    cwlens.Finding
		want string
	}{
		{cwlens.Finding{Kind: cwlens.KindErrorSurge, Filter: "invalid-signature", Evidence: cwlens.Evidence{Baseline: 0, Observed: 152, Unit: cwlens.UnitCount, Series: hourly}},
			"invalid-signature 152/h, was 0/h"},
		{cwlens.Finding{Kind: cwlens.KindErrorRate, Filter: "errors", Evidence: cwlens.Evidence{Baseline: 0.01, Observed: 0.152, Unit: "ratio"}},
			"errors 15.2 % of requests, was 1 %"},
		{cwlens.Finding{Kind: cwlens.KindDeploymentChurn, Evidence: cwlens.Evidence{Observed: 13, Unit: "tasks"}},
			"13 failed tasks on the newest deployment"},
		{cwlens.Finding{Kind: cwlens.KindOverprovisioned, Evidence: cwlens.Evidence{Observed: 3.6, Unit: cwlens.UnitPercent},
			Impact: &cwlens.Impact{From: &cwlens.TaskSize{CPUUnits: 2048, MemoryMiB: 4096}, To: &cwlens.TaskSize{CPUUnits: 256, MemoryMiB: 512}}},
			"oversized, peak 3.6 %: 2048/4096 → 256/512"},
		{cwlens.Finding{Kind: cwlens.KindNearCapacity, Evidence: cwlens.Evidence{Observed: 71.5, Unit: cwlens.UnitPercent}},
			"near capacity, peak 71.5 %"},
		{cwlens.Finding{Kind: cwlens.KindVolumeConcentration, Evidence: cwlens.Evidence{Baseline: 0.125, Observed: 0.94, Unit: "ratio"}},
			"94 % of the account's ingestion, was 12.5 %"},
		{cwlens.Finding{Kind: cwlens.KindIngestionDrop, Evidence: cwlens.Evidence{Baseline: 5e6, Observed: 0, Unit: cwlens.UnitBytes}},
			"ingestion 5.00 MB/day → 0 B/day"},
		{cwlens.Finding{Kind: "something_new", Summary: "a first clause; a second one"}, "a first clause"},
		{cwlens.Finding{Kind: "something_new", Summary: strings.Repeat("word ", 20)}, strings.Repeat("word ", 9) + "wo…"},
	}
	for _, c := range cases {
		if got := findingWhat(c.f); got != c.want {
			t.Errorf("%s: %q, want %q", c.f.Kind, got, c.want)
		}
	}
}

// TestSectionOrder: the answer first, the inventory last; the commands that
// show one section show it alone.
func TestSectionOrder(t *testing.T) {
	render := func(f Format, s Sections) string {
		var b bytes.Buffer
		if err := Write(&b, smallReport(), f, Options{Sections: s}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	titles := []string{"Summary: ", "Findings (3)", "Monthly cost projection", "Log groups (2)", "ECS services (2)"}
	for _, f := range []Format{FormatTable, FormatMarkdown} {
		out, last := render(f, SectionAll), -1
		for _, title := range titles {
			i := strings.Index(out, title)
			if i <= last {
				t.Errorf("%s: %q at %d, after the previous section (%d)", f, title, i, last)
			}
			last = i
		}
		if got := render(f, 0); got != out {
			t.Errorf("%s: zero Sections differ from SectionAll", f)
		}
		for _, c := range []struct {
			s    Sections
			want string
		}{{SectionFindings, "Findings (3)"}, {SectionProjection, "Monthly cost projection"}} {
			out := render(f, c.s)
			for _, title := range titles {
				if strings.Contains(out, title) != (title == c.want) {
					t.Errorf("%s, sections %b: shows %q: %v", f, c.s, title, !(title == c.want))
				}
			}
		}
	}
}

// TestSummaryFigures: the summary's amounts are the report's, as the JSON
// writes them.
func TestSummaryFigures(t *testing.T) {
	r := smallReport()
	var b bytes.Buffer
	if err := Write(&b, r, FormatTable, Options{}); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(b.String(), "┌")
	for _, want := range []string{
		FormatUSD(*r.Findings[0].MonthlyCostUSD),
		r.Projection.TotalUSD(r.Projection.CurrentMonthly) + " now → " + r.Projection.TotalUSD(r.Projection.ProposedMonthly),
		r.Projection.TotalDeltaUSD(r.Projection.DeltaMonthly) + " a month",
	} {
		if !strings.Contains(head, want) {
			t.Errorf("the summary lacks %q:\n%s", want, head)
		}
	}
}

func TestSummaryPartial(t *testing.T) {
	snap := smallSnapshot()
	snap.Gaps = []cwlens.Gap{{API: "ecs:DescribeServices", Resource: "*", Reason: "AccessDenied"}}
	r := New(snap, time.Date(2025, 10, 31, 12, 0, 0, 0, time.UTC), nil, nil)
	var b bytes.Buffer
	if err := Write(&b, r, FormatTable, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	warn, gaps := strings.Index(out, "WARNING: partial scan, 1 item(s)"), strings.Index(out, "Gaps (1)")
	if warn < 0 || warn > strings.Index(out, "Findings") || gaps < strings.Index(out, "ECS services") ||
		!strings.Contains(out[gaps:], "ecs:DescribeServices  *: AccessDenied") {
		t.Errorf("want the warning in the summary and the gaps last:\n%s", out)
	}
}

// TestHTMLHeaderAgreesWithSummary: the HTML header's figures are the ones
// the table's summary opens with.
func TestHTMLHeaderAgreesWithSummary(t *testing.T) {
	kpi := regexp.MustCompile(`data-json="([^"]+)"><data value="[^"]*">([^<]+)</data>`)
	for _, c := range []struct {
		name   string
		report *Report
	}{{"hand-built", htmlFixtureReport()}, {"reference", htmlReferenceReport(t)}} {
		t.Run(c.name, func(t *testing.T) {
			page := string(renderHTML(t, c.report))
			header, _, _ := strings.Cut(page, "</header>")
			shown := map[string]string{}
			for _, m := range kpi.FindAllStringSubmatch(header, -1) {
				shown[m[1]] = m[2]
			}
			var b bytes.Buffer
			if err := Write(&b, c.report, FormatTable, Options{}); err != nil {
				t.Fatal(err)
			}
			summary, _, _ := strings.Cut(b.String(), "┌")
			costLine := summary[strings.Index(summary, "monthly cost "):]
			costLine, _, _ = strings.Cut(costLine, "\n")
			for _, ptr := range []string{"/projection/current_monthly_usd", "/projection/proposed_monthly_usd", "/projection/delta_monthly_usd"} {
				if shown[ptr] == "" || !strings.Contains(costLine, shown[ptr]) {
					t.Errorf("header shows %s = %q; the summary says %q", ptr, shown[ptr], costLine)
				}
			}
			s := c.report.Summary()
			flood := fmt.Sprintf("/findings/%d/monthly_cost_impact_usd", s.Flood)
			if s.Flood < 0 || shown[flood] == "" {
				t.Fatalf("no flood in the header (summary flood %d): %v", s.Flood, shown)
			}
			f := c.report.Findings[s.Flood]
			found := false
			for _, l := range strings.Split(summary, "\n") {
				if strings.Contains(l, f.Subject) && strings.Contains(l, "ingestion") && strings.HasSuffix(l, shown[flood]) &&
					strings.Contains(l, strings.TrimSuffix(FormatTime(f.Start), " UTC")) && strings.Contains(page, "since "+FormatTime(f.Start)) {
					found = true
				}
			}
			if !found {
				t.Errorf("the summary has no line for the header's flood %s %s since %s:\n%s", f.Subject, shown[flood], FormatTime(f.Start), summary)
			}
		})
	}
}

func TestTopFindings(t *testing.T) {
	cost := func(s string) *decimal.Decimal { return usdPtr(s) }
	surge := cwlens.Finding{Kind: cwlens.KindErrorSurge, Severity: cwlens.SeverityHigh}
	flood := cwlens.Finding{Kind: cwlens.KindIngestionLevelShift, Severity: cwlens.SeverityMedium, MonthlyCostUSD: cost("43.81")}
	cheap := cwlens.Finding{Kind: cwlens.KindIngestionSpike, Severity: cwlens.SeverityMedium, MonthlyCostUSD: cost("0.10")}
	unpriced := cwlens.Finding{Kind: cwlens.KindIngestionSpike, Severity: cwlens.SeverityCritical}
	tests := []struct {
		name  string
		fs    []cwlens.Finding
		n     int
		top   []int
		flood int
	}{
		{"none", nil, 5, []int{}, -1},
		{"fewer than n", []cwlens.Finding{surge, flood}, 5, []int{0, 1}, 1},
		{"the flood takes the last place", []cwlens.Finding{surge, surge, cheap, flood}, 2, []int{0, 3}, 3},
		{"the costliest flood, not the first", []cwlens.Finding{cheap, surge, flood}, 1, []int{2}, 2},
		{"an unpriced flood is no flood", []cwlens.Finding{surge, surge, unpriced}, 2, []int{0, 1}, -1},
		{"n of 0", []cwlens.Finding{surge, flood}, 0, []int{}, 1},
	}
	for _, tt := range tests {
		top, fl := TopFindings(tt.fs, tt.n)
		if !slices.Equal(top, tt.top) || fl != tt.flood {
			t.Errorf("%s: TopFindings = %v, %d; want %v, %d", tt.name, top, fl, tt.top, tt.flood)
		}
	}
}

// TestCompareFindingsIsTheReportOrder: New sorts with CompareFindings, so a
// caller that sorts findings with it (the scheduled run's alert) lists them
// as the report does.
func TestCompareFindingsIsTheReportOrder(t *testing.T) {
	day := time.Date(2025, 10, 29, 0, 0, 0, 0, time.UTC)
	fs := []cwlens.Finding{
		{Kind: cwlens.KindNoRetention, Subject: "b", Severity: cwlens.SeverityLow, Start: day},
		{Kind: cwlens.KindErrorSurge, Subject: "z", Severity: cwlens.SeverityHigh, Start: day.Add(time.Hour)},
		{Kind: cwlens.KindErrorRate, Subject: "a", Severity: cwlens.SeverityHigh, Start: day.Add(time.Hour)},
		{Kind: cwlens.KindDeploymentChurn, Subject: "y", Severity: cwlens.SeverityHigh, Start: day},
	}
	r := New(&cwlens.Snapshot{}, day, fs, nil)
	sorted := slices.Clone(fs)
	slices.SortStableFunc(sorted, CompareFindings)
	var got, want []string
	for i := range fs {
		got = append(got, string(r.Findings[i].Kind))
		want = append(want, string(sorted[i].Kind))
	}
	if !slices.Equal(got, want) || want[0] != string(cwlens.KindDeploymentChurn) || want[1] != string(cwlens.KindErrorRate) {
		t.Errorf("report order %v, CompareFindings order %v", got, want)
	}
}
