package batch

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/report"
	"github.com/shopspring/decimal"
)

// alertLine is a finding's first line in the alert: "1. HIGH  KIND  SUBJECT
// [FILTER]  (REGION)".
var alertLine = regexp.MustCompile(`(?m)^(\d+)\. ([A-Z]+)  (\S+)  (\S+)(?: \[([^\]]+)\])?  \(`)

type alertEntry struct{ severity, kind, subject, filter string }

func alertEntries(body string) []alertEntry {
	var out []alertEntry
	for _, m := range alertLine.FindAllStringSubmatch(body, -1) {
		out = append(out, alertEntry{strings.ToLower(m[2]), m[3], m[4], m[5]})
	}
	return out
}

func entryOf(f cwlens.Finding) alertEntry {
	return alertEntry{f.Severity.String(), string(f.Kind), f.Subject, f.Filter}
}

// TestAlertNamesTheSummarysFirstNewFinding runs the production analysis on
// the reference account twice: first with nothing before it, then after a
// run that reported only the flood. Each time the alert's first finding is
// the first new finding of the report's summary, and the alert lists its
// findings in the report's order.
func TestAlertNamesTheSummarysFirstNewFinding(t *testing.T) {
	ref := reference(t)
	at := ref.Window.End
	onlyFlood := func(snap *cwlens.Snapshot, at time.Time, name string, sc []byte) ([]cwlens.Finding, *cwlens.Projection, error) {
		fs, proj, err := Analyze(snap, at, name, sc)
		fs = slices.DeleteFunc(fs, func(f cwlens.Finding) bool {
			return f.Kind != cwlens.KindIngestionLevelShift && f.Kind != cwlens.KindIngestionSpike
		})
		return fs, proj, err
	}
	isFlood := func(f *cwlens.Finding) bool {
		return f.Kind == cwlens.KindIngestionLevelShift || f.Kind == cwlens.KindIngestionSpike
	}
	for _, c := range []struct {
		name  string
		prior AnalyzeFunc // the run before, nil for none
		// flood says whether the summary's first new finding is the flood.
		// When it is not (today error_rate, then error_surge and
		// deployment_churn, all high and the last two cost-free), the old
		// alert order (severity, cost, then kind) named deployment_churn.
		flood bool
	}{
		{"first run", nil, true},
		{"the flood was reported before", onlyFlood, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			store, sns := newMemStore(), &fakeSNS{}
			scan := &fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}}
			run := &Runner{Scanner: scan, Store: store, Publisher: sns, Analyze: Analyze}
			if c.prior != nil {
				prior := &Runner{Scanner: scan, Store: store, Publisher: &fakeSNS{}, Analyze: c.prior}
				if _, err := prior.Run(context.Background(), Invocation{Config: base, At: at.Add(-24 * time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			res, err := run.Run(context.Background(), Invocation{Config: base, At: at})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Alerted || len(sns.sent) != 1 {
				t.Fatalf("no alert: %+v", res)
			}

			var rep report.Report
			if err := json.Unmarshal(store.objects["acme-reports/cwlens/latest/report.json"], &rep); err != nil {
				t.Fatal(err)
			}
			var first *cwlens.Finding
			for _, sf := range rep.Summary().Findings {
				if sf.Finding.Status == cwlens.StatusNew {
					first = &sf.Finding
					break
				}
			}
			if first == nil || isFlood(first) != c.flood {
				t.Fatalf("the summary's first new finding is %+v; the flood: want %v", first, c.flood)
			}
			got := alertEntries(sns.sent[0].body)
			if len(got) == 0 {
				t.Fatalf("no finding in the alert:\n%s", sns.sent[0].body)
			}
			if got[0] != entryOf(*first) {
				t.Errorf("the alert names %+v first, the summary %+v:\n%s", got[0], entryOf(*first), sns.sent[0].body)
			}
			if want := "worst " + first.Severity.String() + " " + string(first.Kind) + " on " + first.Subject; !strings.Contains(sns.sent[0].subject, want) {
				t.Errorf("subject %q, want %q in it", sns.sent[0].subject, want)
			}

			// The alert's list is the report's new findings at or above the
			// alert severity, in the report's order.
			var want []alertEntry
			for _, f := range rep.Findings {
				if f.Status == cwlens.StatusNew && f.Severity >= base.AlertSeverity {
					want = append(want, entryOf(f))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("alert lists %+v, want the report's new findings at or above %s: %+v", got, base.AlertSeverity, want)
			}
		})
	}
}

// TestComposeAlertKeepsTheFlood: with more new findings than the message
// lists, the costliest flood takes the last place, as in the summary, and the
// rest are counted.
func TestComposeAlertKeepsTheFlood(t *testing.T) {
	cost := decimal.RequireFromString("43.81")
	var items []alertItem
	for i := range alertTop + 2 {
		items = append(items, alertItem{Region: "us-east-1", Account: "123456789012", Finding: cwlens.Finding{
			Kind: cwlens.KindErrorSurge, Severity: cwlens.SeverityCritical, Subject: "/ecs/app-" + string(rune('a'+i)),
			Start: time.Date(2025, 10, 29, 0, 0, 0, 0, time.UTC),
		}})
	}
	flood := cwlens.Finding{Kind: cwlens.KindIngestionLevelShift, Severity: cwlens.SeverityHigh, Subject: "/ecs/facilitator",
		Start: time.Date(2025, 10, 29, 12, 0, 0, 0, time.UTC), MonthlyCostUSD: &cost}
	items = append([]alertItem{{Region: "us-east-1", Account: "123456789012", Finding: flood}}, items...)

	_, body := composeAlert(items, base, &Result{})
	got := alertEntries(body)
	if len(got) != alertTop || got[0].subject != "/ecs/app-a" || got[alertTop-1] != entryOf(flood) {
		t.Errorf("alert lists %+v, want app-a first and the flood last", got)
	}
	if !strings.Contains(body, "...and 3 more new findings in the report.") {
		t.Errorf("the rest are not counted:\n%s", body)
	}

}
