//go:build e2e

// These end-to-end tests build the bootstrap with the lambda.norpc tag (a
// second build of every dependency, minutes on a cold cache) and run it as
// Lambda does. They run with -tags e2e (.ci/run), to keep go test ./... fast
// on a fresh machine.

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/awsemu"
	"github.com/cwlens/cwlens/internal/batch"
	"github.com/cwlens/cwlens/internal/emf"
)

const (
	bucket = "cwlens-reports"
	topic  = "arn:aws:sns:us-east-1:123456789012:cwlens-alerts"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// buildBootstrap builds the function as Lambda runs it (lambda.norpc), for
// this machine's OS and architecture, once per test binary.
func buildBootstrap(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "cwlens-lambda-test-"); buildErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-o", filepath.Join(buildDir, "bootstrap"), ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, "bootstrap")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// swappable serves whichever emulator is current, so a test can change the
// account between invocations while the function keeps its endpoint.
type swappable struct {
	cur atomic.Pointer[awsemu.Emulator]
}

func (s *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.cur.Load().ServeHTTP(w, r) }

// account builds an emulator of snap that shares the S3 and SNS state.
func account(snap *cwlens.Snapshot, opts awsemu.Options, st *awsemu.S3, sn *awsemu.SNS) *awsemu.Emulator {
	e := awsemu.New(snap, opts)
	e.Register(st)
	e.Register(sn)
	return e
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the test's
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// function is the bootstrap running as a process against the fake Runtime
// API, as Lambda runs it.
type function struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	started        time.Time
}

// startFunction runs bin with only the environment Lambda and the run need:
// fake static credentials, endpoints on 127.0.0.1, no shared config, so the
// test can never reach AWS.
func startFunction(t testing.TB, bin string, rt *fakeRuntime, endpoint string, extra ...string) *function {
	t.Helper()
	home := t.TempDir()
	f := &function{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	f.cmd = exec.Command(bin)
	f.cmd.Env = append([]string{
		"AWS_LAMBDA_RUNTIME_API=" + rt.addr(),
		"AWS_LAMBDA_FUNCTION_NAME=cwlens",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/cwlens",
		"AWS_LAMBDA_LOG_STREAM_NAME=2025/10/31/[$LATEST]0123456789abcdef",
		"AWS_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_ENDPOINT_URL=" + endpoint,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"HOME=" + home,
		"CWLENS_REPORT_BUCKET=" + bucket,
		"CWLENS_SNS_TOPIC_ARN=" + topic,
	}, extra...)
	f.cmd.Stdout, f.cmd.Stderr = f.stdout, f.stderr
	f.started = time.Now()
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.cmd.Process.Kill()
		f.cmd.Wait()
		if t.Failed() {
			t.Logf("function stderr:\n%s", f.stderr.String())
		}
	})
	return f
}

// stop ends the process and returns its peak resident memory in MB.
func (f *function) stop() float64 {
	f.cmd.Process.Kill()
	f.cmd.Wait()
	ru, ok := f.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return float64(ru.Maxrss) / 1024 // Linux reports KB
}

// result decodes the function's response.
func result(t *testing.T, out outcome) batch.Result {
	t.Helper()
	if out.err {
		t.Fatalf("the function returned an error: %s", out.body)
	}
	var r batch.Result
	if err := json.Unmarshal(out.body, &r); err != nil {
		t.Fatalf("response %s: %v", out.body, err)
	}
	return r
}

// waitEMF waits for the process's stdout, past byte mark, to hold n EMF
// lines: the function's answer can reach the fake runtime before the pipe
// that carries its stdout has been drained.
func waitEMF(t *testing.T, f *function, mark, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		docs := emfLines(t, f.stdout.String()[mark:])
		if len(docs) >= n || time.Now().After(deadline) {
			return docs
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// emfLines returns the EMF documents in out, each validated.
func emfLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var docs []map[string]any
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, `"_aws"`) {
			continue
		}
		if err := emf.Validate([]byte(line)); err != nil {
			t.Errorf("EMF line: %v\n%s", err, line)
		}
		var m map[string]any
		json.Unmarshal([]byte(line), &m)
		docs = append(docs, m)
	}
	return docs
}

type reportDoc struct {
	Schema   string
	Partial  bool
	Gaps     []cwlens.Gap
	Skipped  []string
	Findings []cwlens.Finding
	Resolved []cwlens.Finding
}

func readReport(t *testing.T, st *awsemu.S3, key string) reportDoc {
	t.Helper()
	b, ok := st.Object(bucket, key)
	if !ok {
		t.Fatalf("s3://%s/%s not written; the bucket holds %v", bucket, key, st.Keys(bucket))
	}
	var d reportDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return d
}

func isFlood(f cwlens.Finding) bool {
	return f.Subject == "/ecs/karmacadabra-prod/facilitator" &&
		(f.Kind == cwlens.KindIngestionLevelShift || f.Kind == cwlens.KindIngestionSpike)
}

// setup builds the function and replays the reference account as if
// scanned now.
func setup(t *testing.T) (bin string, snap *cwlens.Snapshot, now time.Time) {
	t.Helper()
	bin = buildBootstrap(t)
	now = time.Now().UTC()
	ref, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	if snap, err = awsemu.ShiftToNow(ref, now); err != nil {
		t.Fatal(err)
	}
	return bin, snap, now
}

// TestBootstrap runs the built function three times on the reference
// account, as the daily schedule would: the first run reports and alerts,
// the second finds the same and stays quiet, the third sees the flood gone.
func TestBootstrap(t *testing.T) {
	bin, snap, now := setup(t)
	stateDir := t.TempDir()
	st, err := awsemu.NewS3(stateDir, bucket)
	if err != nil {
		t.Fatal(err)
	}
	sn, err := awsemu.NewSNS(stateDir)
	if err != nil {
		t.Fatal(err)
	}
	emu := &swappable{}
	emu.cur.Store(account(snap, awsemu.Options{}, st, sn))
	srv := httptest.NewServer(emu)
	defer srv.Close()
	rt := newFakeRuntime(t)
	fn := startFunction(t, bin, rt, srv.URL)

	day := now.Truncate(time.Hour).Format("2006/01/02")
	dated, latest := "cwlens/"+day+"/report.json", "cwlens/latest/report.json"

	// 1: the scheduled event: everything new, reports written, one alert.
	out, took1 := rt.invoke(t, scheduledEvent(now), 60*time.Second)
	coldStart := rt.firstNext.Sub(fn.started)
	r1 := result(t, out)
	if r1.Status != "ok" || r1.New == 0 || r1.New != r1.Findings || !r1.Alerted {
		t.Fatalf("run 1: %+v", r1)
	}
	for _, key := range []string{dated, "cwlens/" + day + "/report.md", "cwlens/" + day + "/report.html", latest, "cwlens/latest/report.md", "cwlens/latest/report.html"} {
		if _, ok := st.Object(bucket, key); !ok {
			t.Errorf("run 1 did not write %s", key)
		}
	}
	if _, err := os.Stat(filepath.Join(stateDir, "s3", bucket, "cwlens", "latest", "report.json")); err != nil {
		t.Errorf("the emulator's state dir lacks the report: %v", err)
	}
	rep := readReport(t, st, latest)
	if rep.Schema != "cwlens.report/v1" || !slices.ContainsFunc(rep.Findings, isFlood) {
		t.Fatalf("run 1 report: schema %q, findings %v", rep.Schema, rep.Findings)
	}
	// Without CWLENS_SAMPLE_EVENTS the function reads no log events.
	if f := rep.Findings[slices.IndexFunc(rep.Findings, isFlood)]; len(f.Templates) != 0 {
		t.Errorf("run 1 sampled without CWLENS_SAMPLE_EVENTS: %d templates on the flood", len(f.Templates))
	}
	msgs := sn.Messages()
	if len(msgs) != 1 {
		t.Fatalf("run 1 published %d messages, want 1", len(msgs))
	}
	if len(msgs[0].Subject) >= 100 || !strings.HasPrefix(msgs[0].Subject, "cwlens: ") ||
		!strings.Contains(msgs[0].Message, "s3://"+bucket+"/cwlens/"+day+"/report.md") || !strings.Contains(msgs[0].Message, "/month") {
		t.Errorf("message: %q\n%s", msgs[0].Subject, msgs[0].Message)
	}
	docs := waitEMF(t, fn, 0, 6)
	if len(docs) != 6 {
		t.Fatalf("run 1 printed %d EMF lines, want 6:\n%s", len(docs), fn.stdout.String())
	}
	if docs[0]["NewFindings"] != float64(r1.New) || docs[0]["APICalls"].(float64) < 5 {
		t.Errorf("run 1 EMF summary %v", docs[0])
	}
	mark := len(fn.stdout.String())

	// 2: the same data a day later: every finding ongoing, nothing published.
	out, took2 := rt.invoke(t, scheduledEvent(now), 60*time.Second)
	r2 := result(t, out)
	if r2.New != 0 || r2.Ongoing != r1.Findings || r2.Resolved != 0 || r2.Alerted || len(sn.Messages()) != 1 {
		t.Fatalf("run 2: %+v, %d messages", r2, len(sn.Messages()))
	}
	for _, f := range readReport(t, st, latest).Findings {
		if f.Status != cwlens.StatusOngoing {
			t.Errorf("run 2 labels %s %s %q", f.Kind, f.Subject, f.Status)
		}
	}
	if docs := waitEMF(t, fn, mark, 6); len(docs) != 6 || docs[0]["NewFindings"] != 0.0 {
		t.Errorf("run 2 EMF: %v", docs)
	}

	// 3: the flood is over: its finding is resolved, listed once.
	after, err := fixtures.AfterFlood()
	if err != nil {
		t.Fatal(err)
	}
	if after, err = awsemu.ShiftToNow(after, now); err != nil {
		t.Fatal(err)
	}
	emu.cur.Store(account(after, awsemu.Options{}, st, sn))
	out, _ = rt.invoke(t, scheduledEvent(now), 60*time.Second)
	r3 := result(t, out)
	rep = readReport(t, st, latest)
	if r3.Resolved == 0 || !slices.ContainsFunc(rep.Resolved, isFlood) || slices.ContainsFunc(rep.Findings, isFlood) {
		t.Fatalf("run 3: %+v; resolved %v", r3, rep.Resolved)
	}
	for _, f := range rep.Resolved {
		if f.Status != cwlens.StatusResolved {
			t.Errorf("resolved finding labelled %q", f.Status)
		}
	}
	if r3.Alerted || len(sn.Messages()) != 1 {
		t.Errorf("run 3 published: %+v", r3)
	}

	peak := fn.stop()
	info, _ := os.Stat(bin)
	t.Logf("bootstrap %.1f MB (native, unstripped); cold start %v; invocation 1 %v, 2 %v; peak RSS %.1f MB; %d API calls in run 1",
		float64(info.Size())/1e6, coldStart.Round(time.Millisecond), took1.Round(time.Millisecond), took2.Round(time.Millisecond), peak, r1.APICalls)
}

// TestBootstrapDeadline gives the function too little time for a slow
// account: it stops scanning, writes a partial report saying what it
// skipped, and answers normally before its deadline.
func TestBootstrapDeadline(t *testing.T) {
	bin, snap, now := setup(t)
	st, _ := awsemu.NewS3("", bucket)
	sn, _ := awsemu.NewSNS("")
	// The account answers slowly; S3 and SNS (their own endpoints) do not.
	slow := awsemu.New(snap, awsemu.Options{Faults: awsemu.Faults{Slow: 700 * time.Millisecond}}).Start()
	defer slow.Close()
	fast := account(snap, awsemu.Options{}, st, sn).Start()
	defer fast.Close()
	rt := newFakeRuntime(t)
	startFunction(t, bin, rt, slow.URL, "AWS_ENDPOINT_URL_S3="+fast.URL, "AWS_ENDPOINT_URL_SNS="+fast.URL)

	budget := 4 * time.Second
	out, took := rt.invoke(t, scheduledEvent(now), budget)
	if out.err {
		t.Fatalf("the function answered with an error: %s", out.body)
	}
	if took >= budget {
		t.Errorf("answered after %v, past its %v deadline", took, budget)
	}
	r := result(t, out)
	if r.Status != "partial" || len(r.Skipped) == 0 || !strings.Contains(r.Skipped[0], "scan stopped") {
		t.Fatalf("result %+v", r)
	}
	rep := readReport(t, st, "cwlens/latest/report.json")
	if !rep.Partial || len(rep.Skipped) == 0 || !slices.ContainsFunc(rep.Gaps, func(g cwlens.Gap) bool { return g.API == "cwlens:scan" }) {
		t.Errorf("report: partial %v, skipped %v, gaps %v", rep.Partial, rep.Skipped, rep.Gaps)
	}
	t.Logf("deadline %v: answered after %v, %s", budget, took.Round(time.Millisecond), r.Skipped[0])
}

// TestBootstrapSample: with CWLENS_SAMPLE_EVENTS the function samples the
// flooding log group, and the lines that flood reach report.json's flood
// finding; a manual payload's sample_events 0 turns that off again.
func TestBootstrapSample(t *testing.T) {
	bin, snap, now := setup(t)
	st, _ := awsemu.NewS3("", bucket)
	sn, _ := awsemu.NewSNS("")
	srv := account(snap, awsemu.Options{}, st, sn).Start()
	defer srv.Close()
	rt := newFakeRuntime(t)
	startFunction(t, bin, rt, srv.URL, batch.EnvSampleEvents+"=2000")

	flood := func(key string) cwlens.Finding {
		t.Helper()
		rep := readReport(t, st, key)
		i := slices.IndexFunc(rep.Findings, isFlood)
		if i < 0 {
			t.Fatalf("%s: no flood among %d findings", key, len(rep.Findings))
		}
		return rep.Findings[i]
	}

	out, took := rt.invoke(t, scheduledEvent(now), 60*time.Second)
	r := result(t, out)
	if r.Status != "ok" {
		t.Fatalf("sampled run: %+v", r)
	}
	f := flood("cwlens/latest/report.json")
	if len(f.Templates) == 0 {
		t.Fatalf("CWLENS_SAMPLE_EVENTS=2000: the flood has no templates")
	}
	// The fixture's flood is health checks in a tight loop: the top
	// template, by bytes since the flood began.
	if top := f.Templates[0]; !strings.Contains(top.Template, "uri=/health") || top.ByteShare < 0.5 || top.GrowthRate <= 1 {
		t.Errorf("top template %+v, want the health check carrying most of the bytes", top)
	}

	out, tookOff := rt.invoke(t, `{"sample_events":0,"report_prefix":"unsampled"}`, 60*time.Second)
	off := result(t, out)
	if off.Status != "ok" {
		t.Fatalf("unsampled run: %+v", off)
	}
	if f := flood("unsampled/latest/report.json"); len(f.Templates) != 0 {
		t.Errorf(`{"sample_events":0}: %d templates on the flood`, len(f.Templates))
	}
	t.Logf("sample 2000: %v, %d API calls, top template %.1f %% of the bytes; sample 0: %v, %d API calls",
		took.Round(time.Millisecond), r.APICalls, f.Templates[0].ByteShare*100, tookOff.Round(time.Millisecond), off.APICalls)
}
