package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/internal/curtest"
	"github.com/cwlens/cwlens/report"
	"github.com/shopspring/decimal"
)

// billedSnapshot is the small test snapshot with an October bill: Logs
// ingestion under the free tier, Fargate under a Savings Plan, a usage
// type cwlens does not model; and a September bill before it.
func billedSnapshot(t *testing.T) (*cwlens.Snapshot, string) {
	t.Helper()
	snap, err := cwlens.ReadSnapshot(small)
	if err != nil {
		t.Fatal(err)
	}
	sep, oct, nov := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	dec := decimal.RequireFromString
	l := func(svc, ut, cost, net, qty, unit string) cwlens.BillLine {
		return cwlens.BillLine{Service: svc, UsageType: ut, UnblendedCost: dec(cost), NetAmortizedCost: dec(net), UsageQuantity: dec(qty), Unit: unit}
	}
	const ecs, cw = "Amazon Elastic Container Service", "AmazonCloudWatch"
	snap.Bill = &cwlens.Bill{ReadAt: nov, Currency: "USD", Months: []cwlens.BillMonth{
		{Start: sep, End: oct, Complete: true, Lines: []cwlens.BillLine{l(cw, "DataProcessing-Bytes", "2", "2", "4", "GB")}},
		{Start: oct, End: nov, Complete: true, Lines: []cwlens.BillLine{
			l(cw, "DataProcessing-Bytes", "12.34", "12.34", "24.68", "GB"),
			l(cw, "CW:Requests", "0.05", "0.05", "5000", "Requests"),
			l(ecs, "USE1-Fargate-vCPU-Hours:perCPU", "29.76", "21.43", "744", "Hrs"),
			l(ecs, "USE1-Fargate-GB-Hours", "6.51", "4.69", "1488", "GB-Hours"),
		}}}}
	path := filepath.Join(t.TempDir(), "billed.json")
	if err := cwlens.WriteSnapshot(path, snap); err != nil {
		t.Fatal(err)
	}
	return snap, path
}

// writeCUR writes the CUR lines of snap's last complete billed month
// (and, in them, the month before) as two Parquet parts and one CSV export.
func writeCUR(t *testing.T, snap *cwlens.Snapshot) (parquets []string, csvGz string) {
	t.Helper()
	dir := t.TempDir()
	var month *cwlens.BillMonth
	for i, m := range snap.Bill.Months {
		if m.Complete && (month == nil || m.Start.After(month.Start)) {
			month = &snap.Bill.Months[i]
		}
	}
	if month == nil {
		t.Fatal("no complete billed month")
	}
	rows := curtest.Rows(*month, snap.AccountID, snap.Region)
	half := len(rows) / 2
	for i, part := range [][]curtest.Row{rows[:half], rows[half:]} {
		var buf bytes.Buffer
		if err := curtest.WriteParquet(&buf, part, 3); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "part-"+string(rune('1'+i))+".snappy.parquet")
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		parquets = append(parquets, p)
	}
	var buf bytes.Buffer
	if err := curtest.WriteCSVGz(&buf, rows); err != nil {
		t.Fatal(err)
	}
	csvGz = filepath.Join(t.TempDir(), "export-00001.csv.gz")
	if err := os.WriteFile(csvGz, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return parquets, csvGz
}

// TestReconcileCURMatchesCostExplorer: the reconciliation from CUR 2.0
// files made from the bill is the one from the bill Cost Explorer gave, in
// every format: on a small account, and on the reference account's October
// 2025 (free-tier Logs, a Savings Plan on Fargate, Spot, alarms cwlens does
// not model). A Cost and Usage Report gives no days, so the reference's
// billed-per-day line is compared on its own (sameReconciliation).
func TestReconcileCURMatchesCostExplorer(t *testing.T) {
	_, billed := billedSnapshot(t)
	for _, path := range []string{billed, reference} {
		t.Run(filepath.Base(path), func(t *testing.T) { sameReconciliation(t, path) })
	}
}

// sameReconciliation compares the CUR path with the Cost Explorer path.
// The bill's days (Cost Explorer DAILY) have no counterpart in the CUR
// path, which reads monthly lines: a bill with days must show them in
// every format, and is then compared without them, so that everything
// else must still be identical.
func sameReconciliation(t *testing.T, path string) {
	snap, err := cwlens.ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Bill != nil && len(snap.Bill.Daily) > 0 {
		for _, f := range report.Formats {
			want := "billed per day"
			switch f {
			case report.FormatJSON:
				want = `"daily"`
			case report.FormatCSV:
				continue // the CSV has no daily rows
			case report.FormatHTML:
				want = "Billed per day"
			}
			if ce := run(t, "reconcile", path, "--format", string(f), "--month", "2025-10"); !strings.Contains(ce.stdout, want) {
				t.Errorf("%s: the bill's days are not shown (%q):\n%s", f, want, ce.stdout)
			}
		}
		snap.Bill.Daily = nil
		path = filepath.Join(t.TempDir(), "without-days.json")
		if err := cwlens.WriteSnapshot(path, snap); err != nil {
			t.Fatal(err)
		}
	}
	if snap.Bill != nil && snap.Bill.Requests > 0 {
		// What reading Cost Explorer cost has no counterpart in a CUR either.
		for _, f := range report.Formats {
			want := "bill read from Cost Explorer at "
			switch f {
			case report.FormatJSON:
				want = `"cost_explorer": {`
			case report.FormatCSV:
				continue // the CSV has no notes
			case report.FormatHTML:
				want = "Bill read from Cost Explorer at "
			}
			if ce := run(t, "reconcile", path, "--format", string(f), "--month", "2025-10"); !strings.Contains(ce.stdout, want) {
				t.Errorf("%s: the bill's reading is not shown (%q):\n%s", f, want, ce.stdout)
			}
		}
		snap.Bill.Requests = 0
		path = filepath.Join(t.TempDir(), "without-requests.json")
		if err := cwlens.WriteSnapshot(path, snap); err != nil {
			t.Fatal(err)
		}
	}
	parquets, csvGz := writeCUR(t, snap)
	for _, f := range report.Formats {
		ce := run(t, "reconcile", path, "--format", string(f), "--month", "2025-10")
		if ce.code != exitOK {
			t.Fatalf("%s: Cost Explorer path: exit %d: %s", f, ce.code, ce.stderr)
		}
		if !strings.Contains(ce.stdout, "USE1-Fargate-vCPU-Hours:perCPU") || !strings.Contains(ce.stdout, "DataProcessing-Bytes") {
			t.Fatalf("%s: the reconciliation lacks the bill's lines:\n%s", f, ce.stdout)
		}
		for name, args := range map[string][]string{
			"parquet":          append([]string{"--cur"}, parquets...),
			"parquet repeated": {"--cur", parquets[0], "--cur", parquets[1]},
			"csv.gz":           {"--cur", csvGz},
			"directory":        {"--cur", filepath.Dir(parquets[0])},
		} {
			got := run(t, append([]string{"reconcile", path, "--format", string(f)}, args...)...)
			if got.code != exitOK {
				t.Fatalf("%s %s: exit %d: %s", f, name, got.code, got.stderr)
			}
			if got.stdout != ce.stdout {
				t.Errorf("%s from %s differs from Cost Explorer's:\n%s\nwant:\n%s", f, name, got.stdout, ce.stdout)
			}
		}
	}
}

// TestReconcileDefaultsToTheLastMonth: without --month, the last complete
// month; the CE path shows it too, without the projection or findings.
func TestReconcileDefaultsToTheLastMonth(t *testing.T) {
	snap, path := billedSnapshot(t)
	parquets, _ := writeCUR(t, snap)
	a := run(t, "reconcile", path, "--format", "markdown")
	b := run(t, append([]string{"reconcile", path, "--format", "markdown", "--cur"}, parquets...)...)
	if a.code != exitOK || b.code != exitOK || a.stdout != b.stdout {
		t.Fatalf("exit %d/%d, outputs differ:\n%s\n%s\n%s", a.code, b.code, a.stdout, b.stdout, a.stderr+b.stderr)
	}
	if !strings.Contains(a.stdout, "October 2025") || strings.Contains(a.stdout, "## Findings") || strings.Contains(a.stdout, "## Log groups") {
		t.Errorf("want October's reconciliation alone:\n%s", a.stdout)
	}
	sep := run(t, append([]string{"reconcile", path, "--format", "json", "--month", "2025-09", "--cur"}, parquets...)...)
	if sep.code != exitOK || !strings.Contains(sep.stdout, `"start": "2025-09-01T00:00:00Z"`) {
		t.Errorf("--month 2025-09: exit %d %s %s", sep.code, sep.stderr, sep.stdout)
	}
}

func TestReconcileBadInput(t *testing.T) {
	snap, path := billedSnapshot(t)
	parquets, _ := writeCUR(t, snap)
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.parquet")
	data, _ := os.ReadFile(parquets[0])
	if err := os.WriteFile(cut, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	nobill := small
	other := *snap
	other.AccountID = "999999999999"
	otherPath := filepath.Join(dir, "other.json")
	if err := cwlens.WriteSnapshot(otherPath, &other); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"not an export", []string{"reconcile", path, "--cur", text}, text + ": \"hell\": neither Parquet nor gzip-compressed CSV"},
		{"truncated", []string{"reconcile", path, "--cur", parquets[1], cut}, cut + ": not a Parquet file"},
		{"missing file", []string{"reconcile", path, "--cur", filepath.Join(dir, "nope.parquet")}, "nope.parquet"},
		{"month not in the files", []string{"reconcile", path, "--month", "2024-01", "--cur", parquets[0], parquets[1]}, "--month 2024-01: the files hold 2025-09, 2025-10"},
		{"bad month", []string{"reconcile", path, "--month", "Oct", "--cur", parquets[0]}, `--month "Oct": want a month as YYYY-MM`},
		{"another account's export", []string{"reconcile", otherPath, "--cur", parquets[0]}, "for account 999999999999 (the files hold account(s) 123456789012"},
		{"no bill", []string{"reconcile", nobill}, "no complete billed month"},
		{"files without --cur", []string{"reconcile", path, parquets[0]}, "CUR files follow --cur"},
		{"month not in the snapshot", []string{"reconcile", path, "--month", "2025-08"}, "no complete billed month 2025-08"},
		{"out over an input", []string{"reconcile", path, "--cur", parquets[0], "--out", parquets[0]}, "is also an input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			if r.code != exitFailed || r.stdout != "" || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 saying %q", r.code, r.stdout, r.stderr, tc.want)
			}
		})
	}
}

// TestReconcileCURDirectory: a directory stands for the export files under
// it, the manifest beside them left out; one without any is refused.
func TestReconcileCURDirectory(t *testing.T) {
	snap, path := billedSnapshot(t)
	parquets, _ := writeCUR(t, snap)
	dir := filepath.Dir(parquets[0])
	if err := os.WriteFile(filepath.Join(dir, "Manifest.json"), []byte(`{"reportName":"cur2"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	a := run(t, "reconcile", path, "--format", "csv", "--cur", dir)
	b := run(t, "reconcile", path, "--format", "csv")
	if a.code != exitOK || a.stdout != b.stdout {
		t.Errorf("exit %d %s; output differs from the bill's", a.code, a.stderr)
	}
	empty := t.TempDir()
	if r := run(t, "reconcile", path, "--cur", empty); r.code != exitFailed || !strings.Contains(r.stderr, empty+": a directory without a .parquet or .csv.gz file") {
		t.Errorf("empty directory: exit %d, %q", r.code, r.stderr)
	}
}
