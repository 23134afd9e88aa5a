package batch

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/pricing"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/cwlens/cwlens/report"
)

// TestDefaultRenderFiles checks what each file renders: report.json is the
// report as json.MarshalIndent writes the document, report.md ends with the
// run's section, report.html is the page.
func TestDefaultRenderFiles(t *testing.T) {
	snap := reference(t)
	at := snap.Window.End
	findings, proj, err := Analyze(snap, at, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	rg := Region{Snapshot: snap, At: at, Findings: findings, Projection: proj, Skipped: []string{"alert: dry run"}}
	files, err := DefaultRender(rg)
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]string{}
	for _, f := range files {
		var b bytes.Buffer
		if err := f.Render(&b); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		body[f.Name] = b.String()
	}
	rep := report.New(snap, at, findings, proj)
	rep.Resolved = []cwlens.Finding{} // a scheduled run always lists them
	// The reference's bill: October beside the model, November forecast.
	if rep.Reconciliation, err = reconcile.Month(snap, pricing.Default()); err != nil {
		t.Fatal(err)
	}
	if rep.Forecast, err = reconcile.Forecast(snap.Bill, proj, false); err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(document{Report: rep, Skipped: rg.Skipped}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if body["report.json"] != string(want)+"\n" {
		t.Error("report.json differs from the document json.MarshalIndent writes")
	}
	if md := body["report.md"]; !strings.HasPrefix(md, "# ") || !strings.Contains(md, "## Since the last run") || !strings.HasSuffix(md, "- alert: dry run\n\n") {
		t.Errorf("report.md lacks the run's section:\n%s", md)
	}
	if h := body["report.html"]; !strings.HasPrefix(h, "<!doctype html>") || !strings.HasSuffix(h, "</html>\n") {
		t.Errorf("report.html is not a whole page: %.80q … %.80q", h, h[max(0, len(h)-80):])
	}
}

// TestRenderedFilesDoNotHoldTheSnapshot checks that once the report is
// built, the files render without the snapshot, which the collector can
// then take (the point for a 50,000-group account).
func TestRenderedFilesDoNotHoldTheSnapshot(t *testing.T) {
	snap := reference(t)
	at := snap.Window.End
	findings, proj, err := Analyze(snap, at, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	gone := weak.Make(snap)
	files, err := DefaultRender(Region{Snapshot: snap, At: at, Findings: findings, Projection: proj})
	if err != nil {
		t.Fatal(err)
	}
	snap = nil
	runtime.GC()
	if gone.Value() != nil {
		t.Fatal("the rendered files keep the snapshot alive")
	}
	for _, f := range files {
		if err := f.Render(&bytes.Buffer{}); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
}

// TestRenderPastEpisodes: the scheduled run's reports list the past
// episodes the run found, with their cost, as the CLI's do.
func TestRenderPastEpisodes(t *testing.T) {
	snap := reference(t)
	g := snap.LogGroup("/ecs/karmacadabra-prod/validator")
	i, _ := g.DailyIncomingBytes.Index(snap.Window.End.Add(-15 * cwlens.Day))
	g.DailyIncomingBytes.Values[i] = 300e6
	at := snap.Window.End
	past, err := PastEpisodes(snap, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(past) != 1 || past[0].Subject != g.Name || past[0].CostUSD == nil {
		t.Fatalf("past episodes %+v, want the validator's, priced", past)
	}
	files, err := DefaultRender(Region{Snapshot: snap, At: at, PastEpisodes: past})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		var b bytes.Buffer
		if err := f.Render(&b); err != nil {
			t.Fatal(err)
		}
		want := "Past episodes (1)"
		if f.Name == "report.json" {
			want = `"cost_usd": "` + past[0].CostUSD.String() + `"`
		}
		if !strings.Contains(b.String(), want) || !strings.Contains(b.String(), g.Name) {
			t.Errorf("%s lacks %q", f.Name, want)
		}
	}
}
