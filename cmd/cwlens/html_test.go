package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoHTML: `demo --format html --out FILE` writes one page whose
// headline figures are the JSON report's (report/html_test.go compares every
// figure of the page; this checks the command wires the same pipeline).
func TestDemoHTML(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo.html")
	if r := run(t, "demo", "--format", "html", "--out", out); r.code != 0 {
		t.Fatalf("demo --format html: exit %d: %s", r.code, r.stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	js := run(t, "demo", "--format", "json")
	var doc struct {
		Findings   []struct{ Subject string }
		Projection struct {
			Current  string `json:"current_monthly_usd"`
			Proposed string `json:"proposed_monthly_usd"`
		}
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if !strings.HasPrefix(html, "<!doctype html>") || !strings.HasSuffix(strings.TrimSpace(html), "</html>") {
		t.Errorf("not a whole HTML page: %.80q … %.40q", html, html[max(0, len(html)-40):])
	}
	for _, want := range []string{
		`data-json="/projection/current_monthly_usd"><data value="` + doc.Projection.Current + `"`,
		`data-json="/projection/proposed_monthly_usd"><data value="` + doc.Projection.Proposed + `"`,
	} {
		if doc.Projection.Current == "" || !strings.Contains(html, want) {
			t.Errorf("the page lacks the JSON's headline %s", want)
		}
	}
	if n := strings.Count(html, `<article class="finding`); n != len(doc.Findings) || n == 0 {
		t.Errorf("%d findings in the page, %d in the JSON", n, len(doc.Findings))
	}
	for _, bad := range []string{"<script", "<link", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
}

// TestProjectHTML: the page of `project` is the projection, as its table is.
func TestProjectHTML(t *testing.T) {
	r := run(t, "project", reference, "--scenario", referenceScenarioFile, "--format", "html")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, `<section id="projection"`) || strings.Contains(r.stdout, `<section id="findings"`) {
		t.Error("project --format html should show the projection and not the findings")
	}
}
