package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/shopspring/decimal"
)

// fakeAWSEnv gives the SDK static fake credentials and keeps it from
// reading the user's AWS files or the instance metadata service: nothing
// leaves 127.0.0.1.
func fakeAWSEnv(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":       "secret",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  "",
		"AWS_DEFAULT_REGION":          "",
		"AWS_ENDPOINT_URL":            "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(k, v)
	}
}

func referenceSnapshot(t *testing.T) *cwlens.Snapshot {
	t.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// emulator serves snap with the given faults on 127.0.0.1.
func emulator(t *testing.T, snap *cwlens.Snapshot, faults string) *awsemu.Server {
	t.Helper()
	f, err := awsemu.ParseFaults(faults)
	if err != nil {
		t.Fatal(err)
	}
	return awsemu.NewServer(t, snap, awsemu.Options{Faults: f})
}

func runCLI(ctx context.Context, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Run(ctx, args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// scanArgs scans the fixture's window; --sample 2000 reads back all of the
// facilitator's sample (see ingest's TestScanRoundTripReference).
func scanArgs(url, out string) []string {
	return []string{"scan", "--endpoint-url", url, "--region", "us-east-1", "--until", "2025-11-01T00:00:00Z", "--days", "35", "--out", out, "--sample", "2000"}
}

func TestScanCommandRoundTrip(t *testing.T) {
	fakeAWSEnv(t)
	want := referenceSnapshot(t)
	srv := emulator(t, want, "")
	out := filepath.Join(t.TempDir(), "snap.json")
	code, _, stderr := runCLI(context.Background(), scanArgs(srv.URL, out)...)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	got, err := cwlens.ReadSnapshot(out)
	if err != nil {
		t.Fatal(err)
	}
	// No scanned API returns the account's name (see ingest's tests), and
	// a scan without --bill reads no bill (ingest's tests read the
	// fixture's back with --bill).
	want.AccountName, want.Bill = "", nil
	if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
		t.Fatal(d)
	}
}

func TestScanCommandDeniedECS(t *testing.T) {
	fakeAWSEnv(t)
	want := referenceSnapshot(t)
	srv := emulator(t, want, "deny=ecs")
	out := filepath.Join(t.TempDir(), "snap.json")
	code, _, stderr := runCLI(context.Background(), scanArgs(srv.URL, out)...)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	got, err := cwlens.ReadSnapshot(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Services) != 0 {
		t.Errorf("%d services read with ECS denied", len(got.Services))
	}
	if len(got.Gaps) != 1 || got.Gaps[0].API != "ecs:ListClusters" || !strings.HasPrefix(got.Gaps[0].Reason, "AccessDeniedException") {
		t.Errorf("gaps = %+v, want one ecs:ListClusters AccessDeniedException", got.Gaps)
	}
	if !strings.Contains(stderr, "ecs:ListClusters") {
		t.Errorf("stderr does not say what is missing:\n%s", stderr)
	}
	// The log-group side is complete: equal to the fixture's (without
	// --bill, no bill).
	want.AccountName, want.Services, want.Bill = "", nil, nil
	got.Services, got.Gaps = nil, nil
	if d := awsemu.Diff(awsemu.Expected(want, want.Window.End), got); d != "" {
		t.Fatal(d)
	}
}

// TestScanCommandBillDenied: without ce: permission, --bill costs one gap
// and exit 3; the same scan without --bill never asks Cost Explorer and
// exits 0.
func TestScanCommandBillDenied(t *testing.T) {
	fakeAWSEnv(t)
	want := referenceSnapshot(t)
	want.Bill = &cwlens.Bill{Currency: "USD", ReadAt: want.Window.End, Months: []cwlens.BillMonth{}}
	srv := emulator(t, want, "deny=ce")
	for _, tc := range []struct {
		bill bool
		code int
		gaps int
	}{{false, exitOK, 0}, {true, exitPartial, 1}} {
		out := filepath.Join(t.TempDir(), "snap.json")
		args := scanArgs(srv.URL, out)
		if tc.bill {
			args = append(args, "--bill")
		}
		code, _, stderr := runCLI(context.Background(), args...)
		if code != tc.code {
			t.Fatalf("--bill %v: exit %d, want %d; stderr:\n%s", tc.bill, code, tc.code, stderr)
		}
		got, err := cwlens.ReadSnapshot(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Gaps) != tc.gaps || got.Bill != nil || (tc.gaps == 1 && got.Gaps[0].API != "ce:GetCostAndUsage") {
			t.Errorf("--bill %v: gaps %+v, bill %+v; want %d gap(s) of ce:GetCostAndUsage and no bill", tc.bill, got.Gaps, got.Bill, tc.gaps)
		}
		if tc.bill && !strings.Contains(stderr, "ce:GetCostAndUsage") {
			t.Errorf("stderr does not say the bill is missing:\n%s", stderr)
		}
		if len(got.LogGroups) != len(want.LogGroups) || len(got.Services) != len(want.Services) {
			t.Errorf("--bill %v: %d log groups, %d services; want %d, %d", tc.bill, len(got.LogGroups), len(got.Services), len(want.LogGroups), len(want.Services))
		}
	}
}

func TestReportLiveDeniedECS(t *testing.T) {
	fakeAWSEnv(t)
	srv := emulator(t, referenceSnapshot(t), "deny=ecs")
	args := append([]string{"report", "--live", "--format", "json"}, scanArgs(srv.URL, "")[1:9]...)
	args = append(args, "--sample", "500")
	code, stdout, stderr := runCLI(context.Background(), args...)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	if !strings.Contains(stdout, `"cwlens.report/v1"`) || !strings.Contains(stdout, "ecs:ListClusters") {
		t.Errorf("report does not say what is missing:\n%.2000s", stdout)
	}
	// The live scan sampled the flood: its finding names the lines.
	if !strings.Contains(stdout, `"template": "INFO http_request{method=GET uri=/health} status=\u003c*\u003e elapsed=\u003c*\u003e"`) {
		t.Errorf("the flood finding does not list the health-check template:\n%.3000s", stdout)
	}
}

func TestScanCommandInterrupted(t *testing.T) {
	fakeAWSEnv(t)
	srv := emulator(t, referenceSnapshot(t), "slow=150ms")
	out := filepath.Join(t.TempDir(), "snap.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Ctrl-C mid-scan, while the (slow) metric calls are out. A
		// GetMetricData request proves the scanner has read the log groups
		// it queries; the server having answered DescribeLogGroups does not,
		// since the client may not have read the answer yet.
		for ctx.Err() == nil {
			if srv.Calls()["cloudwatch:GetMetricData"].Requests > 0 {
				cancel()
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	code, _, stderr := runCLI(ctx, scanArgs(srv.URL, out)...)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitPartial, stderr)
	}
	got, err := cwlens.ReadSnapshot(out)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range got.Gaps {
		// The gap says what was not read, not only "context canceled".
		found = found || strings.HasPrefix(g.Reason, context.Canceled.Error()+": the scan stopped before it finished") &&
			strings.Contains(g.Reason, "calls were cut short") && strings.Contains(g.Reason, "what they would have read is missing") &&
			strings.Contains(g.Reason, "the listings had reached")
	}
	if !found {
		t.Errorf("gaps = %+v, want a %q gap saying what was not read", got.Gaps, context.Canceled)
	}
}

func TestScanCommandUsage(t *testing.T) {
	fakeAWSEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--region", "us-east-1"}, "--out FILE is required"},
		{[]string{"scan", "--out", "x.json"}, "no AWS region"},
		{[]string{"scan", "--region", "us-east-1", "--days", "0", "--out", "x.json"}, "--days 0"},
		{[]string{"scan", "--region", "us-east-1", "--days", "456", "--out", "x.json"}, "--days 456: want 1 to 455"},
		{[]string{"scan", "--region", "us-east-1", "--until", "yesterday", "--out", "x.json"}, "--until"},
		{[]string{"scan", "--region", "us-east-1", "--log-level", "loud", "--out", "x.json"}, "--log-level"},
		{[]string{"scan", "--region", "us-east-1", "--sample", "-1", "--out", "x.json"}, "--sample -1"},
		{[]string{"scan", "--region", "us-east-1", "--sample", "100001", "--out", "x.json"}, "--sample 100001"},
		{[]string{"scan", "--region", "us-east-1", "--until", "2999-01-01", "--out", "x.json"}, "in the future"},
	} {
		code, _, stderr := runCLI(context.Background(), tc.args...)
		if code != exitFailed || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tc.args, code, stderr, exitFailed, tc.want)
		}
	}
}

// TestScanCommandEveryLaunchType: an account with an EC2 service sized
// only by its containers and an EXTERNAL-controller service with no task
// definition scans with exit 0 (no gap) and lists both; the report lists
// them too, with their size unknown, and says they are not priced as
// Fargate.
func TestScanCommandEveryLaunchType(t *testing.T) {
	fakeAWSEnv(t)
	want := referenceSnapshot(t)
	ec2, ext := &want.Services[1], &want.Services[3]
	ec2.LaunchType, ec2.CPUUnits, ec2.MemoryMiB = cwlens.LaunchEC2, 0, 0
	ext.LaunchType, ext.DeploymentController, ext.TaskDefinition = cwlens.LaunchExternal, "EXTERNAL", ""
	ext.CPUUnits, ext.MemoryMiB, ext.Architecture, ext.OperatingSystem, ext.HealthCheck, ext.LogGroup = 0, 0, "", "", nil, ""
	srv := emulator(t, want, "")
	out := filepath.Join(t.TempDir(), "snap.json")
	code, _, stderr := runCLI(context.Background(), scanArgs(srv.URL, out)...)
	if code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, stderr)
	}
	got, err := cwlens.ReadSnapshot(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*cwlens.Service{ec2, ext} {
		if g := got.Service(s.Cluster, s.Name); g == nil || g.LaunchType != s.LaunchType {
			t.Errorf("%s (%s) not listed: %+v", s.ID(), s.LaunchType, g)
		}
	}
	code, stdout, stderr := runCLI(context.Background(), "report", out, "--format", "markdown")
	if code != exitOK {
		t.Fatalf("report: exit %d; stderr:\n%s", code, stderr)
	}
	for _, w := range []string{ec2.ID(), ext.ID(), "size unknown", "EC2 capacity is billed per instance, outside this report"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("report does not say %q", w)
		}
	}
}

// TestScanNoCredentials: with no credentials anywhere, one line says so and
// names where they were looked for, instead of the SDK's provider chain.
func TestScanNoCredentials(t *testing.T) {
	fakeAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	code, stdout, stderr := runCLI(context.Background(), "scan", "--region", "us-east-1", "--out", filepath.Join(t.TempDir(), "s.json"))
	if code != exitFailed || stdout != "" || strings.Count(stderr, "\n") != 1 ||
		!strings.HasPrefix(stderr, `cwlens: no AWS credentials found (tried the environment's AWS_ACCESS_KEY_ID, the shared config and credentials files for profile "default", SSO, web identity, and the ECS and EC2 roles)`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestReportReconcilesTheBill: a snapshot with a bill gets the
// reconciliation section, every bill line in it, its total the bill's.
func TestReportReconcilesTheBill(t *testing.T) {
	snap, err := cwlens.ReadSnapshot(small)
	if err != nil {
		t.Fatal(err)
	}
	oct, nov := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	dec := decimal.RequireFromString
	snap.Bill = &cwlens.Bill{ReadAt: nov, Currency: "USD", Months: []cwlens.BillMonth{{Start: oct, End: nov, Complete: true, Lines: []cwlens.BillLine{
		{Service: "AmazonCloudWatch", UsageType: "DataProcessing-Bytes", UnblendedCost: dec("12.34"), NetAmortizedCost: dec("12.34"), UsageQuantity: dec("24.68"), Unit: "GB"},
		{Service: "AmazonCloudWatch", UsageType: "CW:Requests", UnblendedCost: dec("0.05"), NetAmortizedCost: dec("0.05"), UsageQuantity: dec("5000"), Unit: "Requests"},
	}}}}
	path := filepath.Join(t.TempDir(), "billed.json")
	if err := cwlens.WriteSnapshot(path, snap); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(context.Background(), "report", path, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Reconciliation *struct {
			BilledCost string `json:"billed_cost"`
			Rows       []struct {
				UsageType string `json:"usage_type"`
				Modelled  bool   `json:"modelled"`
			} `json:"rows"`
		} `json:"reconciliation"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	rec := doc.Reconciliation
	if rec == nil || rec.BilledCost != "12.39" {
		t.Fatalf("reconciliation = %+v, want the bill's total 12.39", rec)
	}
	got := map[string]bool{}
	for _, r := range rec.Rows {
		got[r.UsageType] = r.Modelled
	}
	if m, ok := got["DataProcessing-Bytes"]; !ok || !m {
		t.Errorf("rows %+v: DataProcessing-Bytes missing or not modelled", rec.Rows)
	}
	if m, ok := got["CW:Requests"]; !ok || m {
		t.Errorf("rows %+v: CW:Requests missing or modelled", rec.Rows)
	}
}
