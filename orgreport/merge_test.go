package orgreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/batch"
	"github.com/cwlens/cwlens/orgreport"
	"github.com/cwlens/cwlens/report"
	"github.com/shopspring/decimal"
)

// memberReport is the reference account's report as the member with the
// given account and Region writes it.
func memberReport(t testing.TB, account, region string) []byte {
	t.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	snap.AccountID, snap.Region = account, region
	at := snap.Window.End
	findings, proj, err := batch.Analyze(snap, at, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.Write(&b, report.New(snap, at, findings, proj), report.FormatJSON, report.Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFile(t testing.TB, dir, rel string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mergeDir(t testing.TB, dir string, opt orgreport.Options) (*orgreport.Report, error) {
	t.Helper()
	src, err := orgreport.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	return orgreport.Merge(context.Background(), src, opt)
}

// decodeProjectionTotal is one member report's current monthly total.
func decodeProjectionTotal(t *testing.T, data []byte) decimal.Decimal {
	t.Helper()
	var r struct {
		Projection struct {
			Current decimal.Decimal `json:"current_monthly_usd"`
		} `json:"projection"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r.Projection.Current
}

func TestMergeOrganisation(t *testing.T) {
	dir := t.TempDir()
	wantTotal := decimal.Zero
	for _, m := range []orgreport.Member{{Account: "111111111111", Region: "us-east-1"}, {Account: "111111111111", Region: "eu-west-1"}, {Account: "222222222222", Region: "us-east-1"}} {
		data := memberReport(t, m.Account, m.Region)
		wantTotal = wantTotal.Add(decodeProjectionTotal(t, data))
		writeFile(t, dir, m.String()+"/report.json", data)
	}
	writeFile(t, dir, "222222222222/eu-west-1/failed.json",
		[]byte(`{"account":"222222222222","region":"eu-west-1","error":"sts:AssumeRole: AccessDenied"}`))
	writeFile(t, dir, "report.json", []byte(`{"not":"a member"}`)) // the merged report of an earlier merge
	writeFile(t, dir, "notes/readme.txt", []byte("not a member"))
	expect := []orgreport.Member{
		{Account: "111111111111", Region: "us-east-1"}, {Account: "111111111111", Region: "eu-west-1"},
		{Account: "222222222222", Region: "us-east-1"}, {Account: "222222222222", Region: "eu-west-1"},
		{Account: "333333333333", Region: "us-east-1"},
	}

	r, err := mergeDir(t, dir, orgreport.Options{Run: "run-1", Keep: 5, Expect: expect})
	if err != nil {
		t.Fatal(err)
	}
	if r.Schema != report.Schema || r.Scope != orgreport.Scope || r.Run != "run-1" {
		t.Errorf("header = %q %q %q", r.Schema, r.Scope, r.Run)
	}
	var statuses []string
	for _, m := range r.Members {
		statuses = append(statuses, m.Member.String()+"="+m.Status)
	}
	want := []string{
		"111111111111/eu-west-1=ok", "111111111111/us-east-1=ok", "222222222222/eu-west-1=failed",
		"222222222222/us-east-1=ok", "333333333333/us-east-1=missing",
	}
	if !slices.Equal(statuses, want) {
		t.Errorf("members = %v, want %v", statuses, want)
	}
	if got := r.Members[2].Reason; got != "sts:AssumeRole: AccessDenied" {
		t.Errorf("failed member's reason = %q", got)
	}

	// Totals: the sum of the priced members, exactly, and marked incomplete.
	if !r.Totals.CurrentMonthly.Equal(wantTotal) || wantTotal.IsZero() {
		t.Errorf("current total %s, want the three reports' sum %s", r.Totals.CurrentMonthly, wantTotal)
	}
	if r.Totals.Complete || !r.Partial {
		t.Errorf("totals complete = %v, partial = %v: want incomplete and partial with a failed and a missing member", r.Totals.Complete, r.Partial)
	}
	joined := strings.Join(r.Totals.Incomplete, "\n")
	wantWhy := []string{"222222222222/eu-west-1: failed: sts:AssumeRole", "333333333333/us-east-1: missing"}
	for _, m := range r.Members {
		if m.UnknownPrices > 0 {
			wantWhy = append(wantWhy, fmt.Sprintf("%s: %d line(s) with a price the book lacks", m.Member, m.UnknownPrices))
		}
	}
	if len(r.Totals.Incomplete) != len(wantWhy) {
		t.Errorf("incomplete = %q, want %d reasons", r.Totals.Incomplete, len(wantWhy))
	}
	for _, w := range wantWhy {
		if !strings.Contains(joined, w) {
			t.Errorf("incomplete = %q, want it to say %q", joined, w)
		}
	}

	// The projection by usage type adds up to the total.
	byUsage := decimal.Zero
	for _, u := range r.Projection {
		byUsage = byUsage.Add(u.CurrentMonthly)
	}
	if !byUsage.Equal(r.Totals.CurrentMonthly) {
		t.Errorf("usage types sum to %s, total is %s", byUsage, r.Totals.CurrentMonthly)
	}

	// The worst findings, in report order, bounded by Keep.
	if r.FindingsTotal != 3*r.Members[0].Findings || len(r.Findings) != 5 {
		t.Errorf("findings kept %d of %d, want 5 of 3 × %d", len(r.Findings), r.FindingsTotal, r.Members[0].Findings)
	}
	for i := 1; i < len(r.Findings); i++ {
		if report.CompareFindings(r.Findings[i-1].Finding, r.Findings[i].Finding) > 0 {
			t.Errorf("findings out of order at %d", i)
		}
	}
	if r.Findings[len(r.Findings)-1].Severity != cwlens.SeverityHigh {
		t.Errorf("kept a %s finding while high ones were dropped", r.Findings[len(r.Findings)-1].Severity)
	}
	for _, g := range r.Gaps {
		if !strings.Contains(g.Resource, "/") || !strings.Contains(g.Resource, ":") {
			t.Errorf("gap resource %q does not name its member", g.Resource)
		}
	}
}

func TestMergeWritesEveryFormat(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "111111111111/us-east-1/report.json", memberReport(t, "111111111111", "us-east-1"))
	writeFile(t, dir, "111111111111/us-west-2/failed.json",
		[]byte(`{"account":"111111111111","region":"us-west-2","error":"scan: \u001b]0;owned\u0007 timed out"}`))
	r, err := mergeDir(t, dir, orgreport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{orgreport.FormatTable, orgreport.FormatMarkdown} {
		var b bytes.Buffer
		if err := orgreport.Write(&b, r, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, w := range []string{"(incomplete)", "111111111111/us-west-2: failed", `\x1b]0;owned\a timed out`, "Worst findings (7 of 7)"} {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:\n%s", format, w, out)
			}
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Errorf("%s output carries a raw escape character", format)
		}
	}
	var b bytes.Buffer
	if err := orgreport.Write(&b, r, orgreport.FormatJSON); err != nil {
		t.Fatal(err)
	}
	var back orgreport.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Scope != "organization" || back.Totals.Complete || len(back.Members) != 2 {
		t.Errorf("JSON round trip: scope %q complete %v members %d", back.Scope, back.Totals.Complete, len(back.Members))
	}
	if err := orgreport.Write(&b, r, "yaml"); err == nil {
		t.Error("an unknown format was accepted")
	}
}

func TestMergeRefusesBadMembers(t *testing.T) {
	good := memberReport(t, "111111111111", "us-east-1")
	for _, tc := range []struct {
		name, rel string
		data      []byte
		want      string
	}{
		{"not JSON", "111111111111/us-east-1/report.json", []byte("<html>"), "not a valid report"},
		{"empty", "111111111111/us-east-1/report.json", nil, "empty or truncated"},
		{"truncated", "111111111111/us-east-1/report.json", good[:len(good)/2], "empty or truncated"},
		{"two values", "111111111111/us-east-1/report.json", append(slices.Clone(good), good...), "more than one JSON value"},
		{"other schema", "111111111111/us-east-1/report.json", []byte(`{"schema":"cwlens.report/v0"}`), "schema"},
		{"other account", "999999999999/us-east-1/report.json", good, `account "111111111111", stored as 999999999999`},
		{"other region", "111111111111/eu-west-1/report.json", good, `Region "us-east-1", stored as eu-west-1`},
		{"failure of another", "111111111111/us-east-1/failed.json", []byte(`{"account":"111111111112","region":"us-east-1","error":"x"}`), "not of 111111111111/us-east-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, tc.rel, tc.data)
			_, err := mergeDir(t, dir, orgreport.Options{})
			var me *orgreport.MemberError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.rel) {
				t.Errorf("err = %v, want a MemberError naming %s and saying %q", err, tc.rel, tc.want)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	for _, tc := range []struct {
		key    string
		ok     bool
		failed bool
	}{
		{"123456789012/us-east-1/report.json", true, false},
		{"123456789012/us-gov-west-1/failed.json", true, true},
		{"123456789012/us-east-1/report.md", false, false},
		{"12345678901/us-east-1/report.json", false, false},
		{"123456789012/US-EAST-1/report.json", false, false},
		{"123456789012/us-east-1/x/report.json", false, false},
		{"report.json", false, false},
	} {
		o, ok := orgreport.ParseKey(tc.key)
		if ok != tc.ok || o.Failed != tc.failed {
			t.Errorf("ParseKey(%q) = %+v, %v", tc.key, o, ok)
		}
	}
}
