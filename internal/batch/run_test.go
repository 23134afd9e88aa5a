package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/emf"
	"github.com/cwlens/cwlens/reconcile"
	"github.com/cwlens/cwlens/report"
	"github.com/shopspring/decimal"
)

// memStore is an in-memory ObjectStore.
type memStore struct {
	mu      sync.Mutex
	objects map[string][]byte
	puts    []string
	failPut string // a key whose Put fails
	failGet error
}

func newMemStore() *memStore { return &memStore{objects: map[string][]byte{}} }

func (s *memStore) Get(_ context.Context, bucket, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failGet != nil {
		return nil, s.failGet
	}
	b, ok := s.objects[bucket+"/"+key]
	if !ok {
		return nil, fmt.Errorf("get %s: %w", key, ErrNotFound)
	}
	return b, nil
}

func (s *memStore) Put(_ context.Context, bucket, key string, body []byte, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if key == s.failPut {
		return errors.New("AccessDenied")
	}
	s.objects[bucket+"/"+key] = slices.Clone(body)
	s.puts = append(s.puts, bucket+"/"+key)
	return nil
}

type message struct{ topic, subject, body string }

type fakeSNS struct{ sent []message }

func (p *fakeSNS) Publish(_ context.Context, topic, subject, body string) (string, error) {
	p.sent = append(p.sent, message{topic, subject, body})
	return fmt.Sprintf("msg-%d", len(p.sent)), nil
}

// fixedScanner serves a snapshot per region.
type fixedScanner struct {
	snaps map[string]*cwlens.Snapshot
	calls int
}

func (s *fixedScanner) Scan(ctx context.Context, req ScanRequest) (ScanResult, error) {
	snap, ok := s.snaps[req.Region]
	if !ok {
		return ScanResult{}, fmt.Errorf("no account in %s", req.Region)
	}
	cp := *snap
	s.calls++
	return ScanResult{Snapshot: &cp, APICalls: 42}, nil
}

// floodAnalyzer stands in for the analyzer: a flood when the facilitator's
// last day is above 100 MB, and always deployment churn on it.
func floodAnalyzer(snap *cwlens.Snapshot, at time.Time, _ string, _ []byte) ([]cwlens.Finding, *cwlens.Projection, error) {
	var out []cwlens.Finding
	for _, g := range snap.LogGroups {
		if v, when, ok := g.DailyIncomingBytes.Last(); ok && v > 100e6 {
			cost := decimal.RequireFromString("1314.51")
			out = append(out, cwlens.Finding{Kind: cwlens.KindIngestionLevelShift, Subject: g.Name, Severity: cwlens.SeverityCritical,
				Start: when, Summary: "daily ingestion jumped", MonthlyCostUSD: &cost, Impact: &cwlens.Impact{IngestedBytesPerMonth: 8e10}})
		}
	}
	for _, s := range snap.Services {
		if s.Name == "facilitator" {
			out = append(out, cwlens.Finding{Kind: cwlens.KindDeploymentChurn, Subject: s.ID(), Severity: cwlens.SeverityMedium, Summary: "13 failed tasks"})
		}
	}
	return out, &cwlens.Projection{Region: snap.Region, CurrentMonthly: decimal.RequireFromString("1502.97"), ProposedMonthly: decimal.RequireFromString("250.10")}, nil
}

func reference(t *testing.T) *cwlens.Snapshot {
	t.Helper()
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func newRunner(scan Scanner, store *memStore, sns *fakeSNS, out *bytes.Buffer) *Runner {
	return &Runner{Scanner: scan, Store: store, Publisher: sns, Analyze: floodAnalyzer, Stdout: out}
}

func TestThreeRuns(t *testing.T) {
	ref := reference(t)
	at := ref.Window.End
	scan := &fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}}
	store, sns := newMemStore(), &fakeSNS{}
	var out bytes.Buffer
	run := newRunner(scan, store, sns, &out)
	inv := Invocation{Config: base, At: at.Add(17 * time.Minute), Scheduled: true}

	// 1: everything new, one alert, reports in the dated folder and latest/.
	res, err := run.Run(context.Background(), inv)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != "ok" || res.New != 2 || res.Ongoing != 0 || res.Resolved != 0 || !res.Alerted || len(sns.sent) != 1 {
		t.Fatalf("run 1: %+v, %d messages", res, len(sns.sent))
	}
	day := at.Format("2006/01/02")
	for _, key := range []string{"cwlens/" + day + "/report.json", "cwlens/" + day + "/report.md", "cwlens/" + day + "/report.html", "cwlens/latest/report.json", "cwlens/latest/report.md", "cwlens/latest/report.html"} {
		if _, ok := store.objects["acme-reports/"+key]; !ok {
			t.Errorf("run 1 did not write %s; wrote %v", key, slices.Sorted(maps.Keys(store.objects)))
		}
	}
	if last := store.puts[len(store.puts)-1]; last != "acme-reports/cwlens/latest/report.json" {
		t.Errorf("last object written is %s, want latest/report.json", last)
	}
	msg := sns.sent[0]
	if msg.subject != "cwlens: 1 new finding, worst critical ingestion_level_shift on /ecs/karmacadabra-prod/facilitator" {
		t.Errorf("subject = %q", msg.subject)
	}
	for _, want := range []string{"CRITICAL  ingestion_level_shift  /ecs/karmacadabra-prod/facilitator", "+$1,314.51/month",
		"s3://acme-reports/cwlens/" + day + "/report.md", "account 123456789012"} {
		if !strings.Contains(msg.body, want) {
			t.Errorf("message lacks %q:\n%s", want, msg.body)
		}
	}
	if strings.Contains(msg.body, "deployment_churn") {
		t.Errorf("message lists a finding below the alert severity:\n%s", msg.body)
	}
	checkEMF(t, out.String(), map[string]float64{"NewFindings": 2, "ResolvedFindings": 0, "APICalls": 42, "ProjectedMonthlyCostUSD": 1502.97})
	var doc struct {
		Schema   string
		Findings []cwlens.Finding
		Resolved []cwlens.Finding
	}
	if err := json.Unmarshal(store.objects["acme-reports/cwlens/latest/report.json"], &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "cwlens.report/v1" || len(doc.Findings) != 2 || doc.Findings[0].Status != cwlens.StatusNew || doc.Resolved == nil {
		t.Errorf("report.json: schema %q, findings %+v, resolved %v", doc.Schema, doc.Findings, doc.Resolved)
	}

	// 2: the same data: every finding ongoing, nothing published.
	out.Reset()
	res, err = run.Run(context.Background(), Invocation{Config: base, At: at.Add(24 * time.Hour), Scheduled: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || res.Ongoing != 2 || res.Resolved != 0 || res.Alerted || len(sns.sent) != 1 {
		t.Fatalf("run 2: %+v, %d messages", res, len(sns.sent))
	}

	// 3: the flood is gone: resolved, listed once; still nothing published.
	after, err := fixtures.AfterFlood()
	if err != nil {
		t.Fatal(err)
	}
	scan.snaps["us-east-1"] = after
	out.Reset()
	res, err = run.Run(context.Background(), Invocation{Config: base, At: at.Add(48 * time.Hour), Scheduled: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 0 || res.Ongoing != 1 || res.Resolved != 1 || res.Alerted || len(sns.sent) != 1 {
		t.Fatalf("run 3: %+v, %d messages", res, len(sns.sent))
	}
	md := string(store.objects["acme-reports/cwlens/latest/report.md"])
	if !strings.Contains(md, "**Resolved (1)**") || !strings.Contains(md, "`ingestion_level_shift` /ecs/karmacadabra-prod/facilitator — reported") {
		t.Errorf("report.md does not list the resolved flood:\n%s", md[strings.Index(md, "## Since the last run"):])
	}
	// report.html shows the same labels.
	page := string(store.objects["acme-reports/cwlens/latest/report.html"])
	for _, want := range []string{`id="resolved"`, "Since the last run: <strong>0 new</strong>, 1 ongoing",
		`ongoing since ` + report.FormatTime(at) + `</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	checkEMF(t, out.String(), map[string]float64{"NewFindings": 0, "ResolvedFindings": 1})

	// 4: resolved only once.
	res, _ = run.Run(context.Background(), Invocation{Config: base, At: at.Add(72 * time.Hour), Scheduled: true})
	if res.Resolved != 0 {
		t.Errorf("run 4 resolves again: %+v", res)
	}
}

// checkEMF validates every line against the specification and checks the
// summary's values.
func checkEMF(t *testing.T, out string, want map[string]float64) {
	t.Helper()
	var summary map[string]any
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, `{"`) || !strings.Contains(line, `"_aws"`) {
			continue
		}
		n++
		if err := emf.Validate([]byte(line)); err != nil {
			t.Errorf("EMF line: %v\n%s", err, line)
		}
		var m map[string]any
		json.Unmarshal([]byte(line), &m)
		if _, ok := m["Severity"]; !ok {
			summary = m
		}
	}
	if n != 6 || summary == nil {
		t.Fatalf("%d EMF lines, want 6 with one summary:\n%s", n, out)
	}
	for k, v := range want {
		if summary[k] != v {
			t.Errorf("EMF %s = %v, want %v", k, summary[k], v)
		}
	}
}

// slowScanner reads until its context ends, then returns what it has,
// marked partial, as ingest does.
type slowScanner struct{}

func (s *slowScanner) Scan(ctx context.Context, req ScanRequest) (ScanResult, error) {
	snap := &cwlens.Snapshot{SchemaVersion: 1, AccountID: "123456789012", Region: req.Region,
		Window: cwlens.Window{Start: req.Until.AddDate(0, 0, -req.Days), End: req.Until}}
	<-ctx.Done()
	snap.Gaps = append(snap.Gaps, cwlens.Gap{API: "logs:DescribeLogGroups", Resource: "*", Reason: ctx.Err().Error()})
	return ScanResult{Snapshot: snap, APICalls: 3}, ctx.Err()
}

func TestDeadlineGivesPartialReport(t *testing.T) {
	store, sns := newMemStore(), &fakeSNS{}
	var out bytes.Buffer
	run := newRunner(&slowScanner{}, store, sns, &out)
	cfg := base
	cfg.Regions = []string{"us-east-1", "eu-west-1"}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	begin := time.Now()
	res, err := run.Run(ctx, Invocation{Config: cfg, At: time.Date(2025, 10, 31, 6, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("a deadline must not fail the run: %v", err)
	}
	if took := time.Since(begin); took >= 3*time.Second {
		t.Errorf("the run took %v, past its deadline", took)
	}
	if res.Status != "partial" || len(res.Skipped) != 2 {
		t.Fatalf("result %+v", res)
	}
	if !strings.HasPrefix(res.Skipped[0], "us-east-1: scan stopped") || !strings.HasPrefix(res.Skipped[1], "eu-west-1: not scanned") {
		t.Errorf("skipped = %q", res.Skipped)
	}
	for _, region := range cfg.Regions {
		b := store.objects["acme-reports/cwlens/latest/"+region+"/report.json"]
		var doc struct {
			Partial bool
			Gaps    []cwlens.Gap
			Skipped []string
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		if !doc.Partial || len(doc.Gaps) == 0 || len(doc.Skipped) != 2 {
			t.Errorf("%s report: partial %v gaps %v skipped %v", region, doc.Partial, doc.Gaps, doc.Skipped)
		}
	}
	checkEMF(t, out.String(), map[string]float64{"PartialScan": 1, "RunErrors": 0, "APICalls": 3})
}

func TestScanDeadline(t *testing.T) {
	now := time.Date(2025, 10, 31, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		left, margin time.Duration
	}{
		{15 * time.Minute, 30 * time.Second}, // capped
		{2 * time.Minute, 12 * time.Second},  // a tenth
		{10 * time.Second, 2 * time.Second},  // the floor
		{3 * time.Second, 1500 * time.Millisecond},
		{0, 0},
	}
	for _, tt := range tests {
		got := now.Add(tt.left).Sub(scanDeadline(now, now.Add(tt.left)))
		if got != tt.margin {
			t.Errorf("%v left: margin %v, want %v", tt.left, got, tt.margin)
		}
	}
}

type panicScanner struct{}

func (panicScanner) Scan(context.Context, ScanRequest) (ScanResult, error) {
	panic("nil map in scanner")
}

func TestPanicsBecomePartialReports(t *testing.T) {
	ref := reference(t)
	for _, tt := range []struct {
		name    string
		scan    Scanner
		analyze AnalyzeFunc
		gap     string
	}{
		{"scan", panicScanner{}, floodAnalyzer, "scan failed: scan us-east-1 panicked: nil map in scanner"},
		{"analyze", &fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}},
			func(*cwlens.Snapshot, time.Time, string, []byte) ([]cwlens.Finding, *cwlens.Projection, error) {
				var m map[string]int
				//lint:ignore SA5000 a runtime panic is what this case feeds the runner
				m["x"]++
				return nil, nil, nil
			}, "analyze us-east-1 panicked: assignment to entry in nil map"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store, sns := newMemStore(), &fakeSNS{}
			var out bytes.Buffer
			run := &Runner{Scanner: tt.scan, Analyze: tt.analyze, Store: store, Publisher: sns, Stdout: &out}
			res, err := run.Run(context.Background(), Invocation{Config: base, At: ref.Window.End})
			if err != nil {
				t.Fatalf("a panic must not fail the run: %v", err)
			}
			if res.Status != "partial" || len(res.Errors) != 1 {
				t.Errorf("result %+v", res)
			}
			var doc struct{ Gaps []cwlens.Gap }
			json.Unmarshal(store.objects["acme-reports/cwlens/latest/report.json"], &doc)
			found := false
			for _, g := range doc.Gaps {
				found = found || g.Reason == tt.gap
			}
			if !found {
				t.Errorf("gaps %+v lack %q", doc.Gaps, tt.gap)
			}
			checkEMF(t, out.String(), map[string]float64{"RunErrors": 1, "PartialScan": 1})
		})
	}
}

func TestUnreadablePreviousReportSendsNoAlert(t *testing.T) {
	ref := reference(t)
	store, sns := newMemStore(), &fakeSNS{}
	store.failGet = errors.New("AccessDenied")
	var out bytes.Buffer
	run := newRunner(&fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}}, store, sns, &out)
	res, err := run.Run(context.Background(), Invocation{Config: base, At: ref.Window.End})
	if err != nil {
		t.Fatal(err)
	}
	if len(sns.sent) != 0 || res.Alerted || res.Status != "error" {
		t.Errorf("result %+v, %d messages", res, len(sns.sent))
	}
	if !slices.ContainsFunc(res.Skipped, func(s string) bool { return strings.Contains(s, "previous report could not be read") }) {
		t.Errorf("skipped %q", res.Skipped)
	}
}

func TestFailedWriteFailsTheRunAndKeepsLatest(t *testing.T) {
	ref := reference(t)
	store, sns := newMemStore(), &fakeSNS{}
	store.failPut = "cwlens/latest/report.json"
	run := newRunner(&fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}}, store, sns, &bytes.Buffer{})
	_, err := run.Run(context.Background(), Invocation{Config: base, At: ref.Window.End})
	if err == nil || !strings.Contains(err.Error(), "put s3://acme-reports/cwlens/latest/report.json: AccessDenied") {
		t.Errorf("err = %v", err)
	}
	if len(sns.sent) != 0 {
		t.Error("alert sent although the report could not be written")
	}
}

func TestDryRun(t *testing.T) {
	ref := reference(t)
	var out bytes.Buffer
	cfg := base
	cfg.DryRun = true
	run := &Runner{Scanner: &fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}}, Analyze: floodAnalyzer, Stdout: &out}
	res, err := run.Run(context.Background(), Invocation{Config: cfg, At: ref.Window.End})
	if err != nil {
		t.Fatal(err)
	}
	if res.Alerted || len(res.Reports) != 0 || res.New != 2 {
		t.Errorf("result %+v", res)
	}
	for _, want := range []string{"dry run: would write s3://acme-reports/cwlens/", "dry run: would publish to arn:aws:sns:us-east-1:123456789012:cwlens-alerts", "Subject: cwlens: 1 new finding"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("dry-run output lacks %q", want)
		}
	}
}

func TestScenarioFromS3(t *testing.T) {
	ref := reference(t)
	store := newMemStore()
	store.objects["acme-reports/cwlens/scenario.yaml"] = []byte("name: spot\n")
	var got []byte
	var gotName string
	run := &Runner{Scanner: &fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}}, Store: store, Publisher: &fakeSNS{}, Stdout: &bytes.Buffer{},
		Analyze: func(s *cwlens.Snapshot, at time.Time, name string, sc []byte) ([]cwlens.Finding, *cwlens.Projection, error) {
			got, gotName = sc, name
			return nil, nil, nil
		},
		CheckScenario: func(name string, data []byte) error {
			if !bytes.HasPrefix(data, []byte("name:")) {
				return cwlens.Inputf(name, "line 1", "", "bad")
			}
			return nil
		}}
	cfg := base
	cfg.Scenario = "s3://acme-reports/cwlens/scenario.yaml"
	if _, err := run.Run(context.Background(), Invocation{Config: cfg, At: ref.Window.End}); err != nil {
		t.Fatal(err)
	}
	if string(got) != "name: spot\n" || gotName != cfg.Scenario {
		t.Errorf("scenario %q from %q", got, gotName)
	}
	// A bad inline scenario stops the run before the scan.
	cfg.Scenario = "changes: ["
	scan := &fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}}
	run.Scanner = scan
	if _, err := run.Run(context.Background(), Invocation{Config: cfg, At: ref.Window.End}); err == nil || !strings.Contains(err.Error(), "CWLENS_SCENARIO: line 1") {
		t.Errorf("bad scenario: %v", err)
	}
	if scan.calls != 0 {
		t.Error("scanned despite a bad scenario")
	}
}

func TestSubject(t *testing.T) {
	long := Subject("cwlens: 12 new findings, worst critical ingestion_level_shift on /ecs/a-very-long-cluster-name-for-testing/with-a-long-service-name")
	if len(long) != 99 || !strings.HasSuffix(long, "...") {
		t.Errorf("long subject (%d) %q", len(long), long)
	}
	if got := Subject("new\nline\tand ≥ ünïcode"); got != "new line and ? ?n?code" {
		t.Errorf("Subject = %q", got)
	}
}

func TestReportKeys(t *testing.T) {
	at := time.Date(2025, 10, 31, 6, 0, 0, 0, time.UTC)
	k := newReportKeys("cwlens", at, "us-east-1", false)
	if k.at("report.json") != "cwlens/2025/10/31/report.json" || k.latest("report.md") != "cwlens/latest/report.md" {
		t.Errorf("single region: %s %s", k.at("report.json"), k.latest("report.md"))
	}
	k = newReportKeys("", at, "eu-west-1", true)
	if k.at("report.json") != "2025/10/31/eu-west-1/report.json" || k.latest("report.json") != "latest/eu-west-1/report.json" {
		t.Errorf("several regions, no prefix: %s %s", k.at("report.json"), k.latest("report.json"))
	}
}

// streamStore is a memStore that streams objects (ObjectOpener) and
// refuses to read report.json whole, so a run must stream the previous one.
type streamStore struct {
	*memStore
	opened []string
}

func (s *streamStore) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	if strings.HasSuffix(key, "report.json") {
		return nil, errors.New("report.json read whole")
	}
	return s.memStore.Get(ctx, bucket, key)
}

func (s *streamStore) Open(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	b, err := s.memStore.Get(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	s.opened = append(s.opened, key)
	return io.NopCloser(bytes.NewReader(b)), nil
}

func TestPreviousReportIsStreamed(t *testing.T) {
	ref := reference(t)
	at := ref.Window.End
	scan := &fixedScanner{snaps: map[string]*cwlens.Snapshot{"us-east-1": ref}}
	store, sns := &streamStore{memStore: newMemStore()}, &fakeSNS{}
	var out bytes.Buffer
	run := &Runner{Scanner: scan, Store: store, Publisher: sns, Analyze: floodAnalyzer, Stdout: &out}
	for day, want := range []struct{ new, ongoing int }{{2, 0}, {0, 2}} {
		res, err := run.Run(context.Background(), Invocation{Config: base, At: at.Add(time.Duration(day) * 24 * time.Hour), Scheduled: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != "ok" || res.New != want.new || res.Ongoing != want.ongoing {
			t.Fatalf("run %d: %+v", day+1, res)
		}
	}
	// The first run finds none; the second streams the first's.
	if want := []string{"cwlens/latest/report.json"}; !slices.Equal(store.opened, want) {
		t.Errorf("opened %v, want %v", store.opened, want)
	}
}

// billScanner serves the reference account as the scan reads it: its bill
// only when the request asks for it (CWLENS_BILL).
type billScanner struct{ asked []bool }

func (s *billScanner) Scan(_ context.Context, req ScanRequest) (ScanResult, error) {
	s.asked = append(s.asked, req.Bill)
	snap, err := fixtures.Reference()
	if err != nil {
		return ScanResult{}, err
	}
	if !req.Bill {
		snap.Bill = nil
	}
	return ScanResult{Snapshot: snap, APICalls: 1}, nil
}

// TestRunReadsTheBill: with CWLENS_BILL the scheduled run asks the scan
// for the bill, and its reports set October 2025 beside the model and
// forecast November (the scenario's savings with it); without it the scan
// is not asked and the reports have neither section.
func TestRunReadsTheBill(t *testing.T) {
	ref := reference(t)
	for _, tc := range []struct {
		env      []string
		bill     bool
		scenario bool
	}{
		{nil, false, false},
		{[]string{EnvBill, "true"}, true, false},
		{[]string{EnvBill, "1", EnvScenario, "changes:\n  - service: marketplace\n    capacity: FARGATE_SPOT\n"}, true, true},
	} {
		cfg, err := FromEnv(env(append([]string{"AWS_REGION", "us-east-1", EnvReportBucket, "acme-reports"}, tc.env...)...))
		if err != nil {
			t.Fatal(err)
		}
		scan, store := &billScanner{}, newMemStore()
		run := &Runner{Scanner: scan, Store: store, Analyze: Analyze, Stdout: io.Discard}
		if _, err := run.Run(context.Background(), Invocation{Config: cfg, At: ref.Window.End.Add(17 * time.Minute), Scheduled: true}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(scan.asked, []bool{tc.bill}) {
			t.Errorf("%v: the scan was asked for the bill %v, want [%v]", tc.env, scan.asked, tc.bill)
		}
		var doc struct {
			Reconciliation *reconcile.Reconciliation `json:"reconciliation"`
			Forecast       *reconcile.MonthForecast  `json:"forecast"`
		}
		if err := json.Unmarshal(store.objects["acme-reports/cwlens/latest/report.json"], &doc); err != nil {
			t.Fatal(err)
		}
		if !tc.bill {
			if doc.Reconciliation != nil || doc.Forecast != nil || strings.Contains(string(store.objects["acme-reports/cwlens/latest/report.md"]), "Bill and model") {
				t.Errorf("%v: reports without the bill carry %+v, %+v", tc.env, doc.Reconciliation, doc.Forecast)
			}
			continue
		}
		if r := doc.Reconciliation; r == nil || r.Start.Month() != time.October || r.BilledCost.Round(2).String() != "3.08" {
			t.Errorf("%v: reconciliation %+v, want October's $3.08 (the fixture's bill, its Savings Plan cancelled in unblended cost)", tc.env, r)
		}
		if f := doc.Forecast; f == nil || f.Start.Month() != time.November || f.CostExplorer == nil || (f.Scenario != nil) != tc.scenario {
			t.Errorf("%v: forecast %+v, want November's, the scenario's savings %v", tc.env, f, tc.scenario)
		}
		for _, name := range []string{"report.md", "report.html"} {
			body := string(store.objects["acme-reports/cwlens/latest/"+name])
			if !strings.Contains(body, "Bill and model, October 2025") || !strings.Contains(body, "Forecast of November 2025") {
				t.Errorf("%v: %s lacks the bill's sections", tc.env, name)
			}
		}
	}
}
