package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeMemberReport writes the reference account's JSON report as the member
// account/region of a run in dir.
func writeMemberReport(t *testing.T, dir, account, region string) {
	t.Helper()
	r := run(t, "demo", "--format", "json")
	if r.code != 0 {
		t.Fatalf("demo: exit %d: %s", r.code, r.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	doc["account"] = map[string]any{"id": account}
	doc["region"] = region
	// The reference account has one price the book lacks; without it the
	// member is complete, so the merged totals can be.
	doc["projection"].(map[string]any)["unknown"] = []any{}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	writeRunFile(t, dir, account+"/"+region+"/report.json", data)
}

func writeRunFile(t *testing.T, dir, rel string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMerge(t *testing.T) {
	dir := t.TempDir()
	writeMemberReport(t, dir, "111111111111", "us-east-1")
	writeMemberReport(t, dir, "222222222222", "us-east-1")

	r := run(t, "merge", dir, "--format", "json")
	if r.code != 0 {
		t.Fatalf("complete run: exit %d, stderr %s", r.code, r.stderr)
	}
	var got struct {
		Scope  string `json:"scope"`
		Run    string `json:"run"`
		Totals struct {
			Complete bool   `json:"complete"`
			Current  string `json:"current_monthly_usd"`
		} `json:"totals"`
		Members []struct{ Status string } `json:"members"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Scope != "organization" || !got.Totals.Complete || len(got.Members) != 2 || got.Run != filepath.Base(dir) {
		t.Errorf("merged = %+v", got)
	}

	// A failed member and a missing one: the report is written, exit 3.
	writeRunFile(t, dir, "222222222222/eu-west-1/failed.json", []byte(`{"account":"222222222222","region":"eu-west-1","error":"AccessDenied"}`))
	out := filepath.Join(t.TempDir(), "org.md")
	r = run(t, "merge", dir, "--format", "markdown", "--out", out, "--expect", "333333333333/us-east-1")
	if r.code != exitPartial || !strings.Contains(r.stderr, "333333333333/us-east-1: missing") || !strings.Contains(r.stderr, "222222222222/eu-west-1: failed: AccessDenied") {
		t.Errorf("with a failed and a missing member: exit %d, stderr %q", r.code, r.stderr)
	}
	if md, err := os.ReadFile(out); err != nil || !strings.Contains(string(md), "(incomplete)") {
		t.Errorf("markdown report: %v\n%s", err, md)
	}

	// A corrupt member report is bad input, named.
	writeRunFile(t, dir, "444444444444/us-east-1/report.json", []byte(`{"schema":`))
	r = run(t, "merge", dir)
	if r.code != exitFailed || !strings.Contains(r.stderr, "444444444444/us-east-1/report.json") || r.stdout != "" {
		t.Errorf("corrupt member: exit %d, stdout %d bytes, stderr %q", r.code, len(r.stdout), r.stderr)
	}
}

func TestMergeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"merge"},
		{"merge", t.TempDir(), "--format", "csv"},
		{"merge", t.TempDir(), "--expect", "1234/us-east-1"},
		{"merge", t.TempDir(), "--keep", "-1"},
		{"merge", "s3:///prefix"},
		{"merge", filepath.Join(t.TempDir(), "absent")},
	} {
		if r := run(t, args...); r.code != exitFailed || r.stderr == "" || strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}
