package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
)

// TestLabelsInEveryFormat: a run compared with the previous one says which
// findings are new, which ongoing and which resolved in every format, not
// only JSON and HTML (a cron job mails Markdown).
func TestLabelsInEveryFormat(t *testing.T) {
	r := smallReport()
	if len(r.Findings) < 2 {
		t.Fatal("smallReport has fewer than 2 findings")
	}
	first := time.Date(2025, 10, 20, 6, 0, 0, 0, time.UTC)
	r.Findings[0].Status, r.Findings[0].FirstSeen = cwlens.StatusNew, &r.EvaluatedAt
	r.Findings[1].Status, r.Findings[1].FirstSeen = cwlens.StatusOngoing, &first
	r.Resolved = []cwlens.Finding{{Kind: "no_retention", Subject: "/ecs/small/gone", Severity: cwlens.SeverityLow,
		Summary: "gone", Status: cwlens.StatusResolved, FirstSeen: &first}}
	wants := map[Format][]string{
		FormatTable:    {"STATUS", "NEW", "ongoing", "Resolved since the last run (1)", "resolved", "/ecs/small/gone", "2025-10-20 06:00 UTC"},
		FormatMarkdown: {"| status |", "| NEW |", "| ongoing |", "## Resolved since the last run (1)", "| resolved | low | no_retention | /ecs/small/gone |"},
	}
	for f, want := range wants {
		var b bytes.Buffer
		if err := Write(&b, r, f, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s lacks %q:\n%s", f, w, b.String())
			}
		}
	}
	var b0 bytes.Buffer
	if err := Write(&b0, r, FormatCSV, Options{}); err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, row := range csvRecords(t, b0.String()) {
		if row["section"] == "findings" || row["section"] == "resolved" {
			status[row["section"]+" "+row["subject"]] = row["status"] + " " + row["first_seen"]
		}
	}
	if status["findings "+r.Findings[0].Subject] != "new "+r.EvaluatedAt.Format(time.RFC3339) ||
		status["findings "+r.Findings[1].Subject] != "ongoing 2025-10-20T06:00:00Z" ||
		status["resolved /ecs/small/gone"] != "resolved 2025-10-20T06:00:00Z" {
		t.Errorf("csv statuses: %v", status)
	}
	// Without a previous run, no status column.
	var b bytes.Buffer
	if err := Write(&b, smallReport(), FormatTable, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "STATUS") || strings.Contains(b.String(), "Resolved since") {
		t.Errorf("a run without --state shows labels:\n%s", b.String())
	}
}
