package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/report"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	small     = "testdata/small.json"
	partial   = "testdata/partial.json"
	reference = "../../fixtures/karmacadabra-prod/snapshot.json"
	// referenceScenarioFile is the source analysis's recommendations.
	referenceScenarioFile = "../../fixtures/karmacadabra-prod/scenario.yaml"
)

// services of the reference account; each has a log group /ecs/karmacadabra-prod/<name>.
var services = []string{"facilitator", "validator", "karma-hello", "abracadabra", "skill-extractor", "voice-extractor", "test-seller", "marketplace"}

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return result{code, out.String(), errb.String()}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/cwlens -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/cwlens -update rewrites it); got:\n%s", path, got)
	}
}

// cliCase is one command line and what it must print and return.
type cliCase struct {
	name       string
	args       []string
	code       int
	stdout     []string // substrings
	stderr     []string
	golden     string // stdout golden file
	noStdout   bool
	stderrLine bool // stderr must be exactly one line
}

func TestRun(t *testing.T) {
	cases := []cliCase{
		{name: "report table", args: []string{"report", small}, golden: "small.table.golden",
			stdout: []string{"/ecs/small/api", "202.4 MB", "2 vCPU / 4 GiB (2048/4096)", "FARGATE_SPOT"}},
		{name: "report json", args: []string{"report", small, "--format", "json"}, golden: "small.json.golden"},
		{name: "flags before the argument", args: []string{"report", "-f", "json", small}, golden: "small.json.golden"},
		{name: "report markdown", args: []string{"report", small, "--format=markdown"}, stdout: []string{"## Log groups (2)", "| /ecs/small/api |"}},
		{name: "report csv", args: []string{"report", small, "--format", "csv"}, stdout: []string{"log_groups,/ecs/small/api,STANDARD,7,202400000,2025-10-31,1900000000"}},
		{name: "at moves the last day", args: []string{"report", small, "--at", "2025-10-30T12:00:00Z", "--format", "csv"},
			stdout: []string{"log_groups,/ecs/small/api,STANDARD,7,202400000,2025-10-29,555000000"}},
		{name: "analyze shows findings only", args: []string{"analyze", small}, stdout: []string{"Findings (2)", "volume_concentration", "no_retention"}},
		{name: "fail-on above every finding", args: []string{"analyze", small, "--fail-on", "high"}, stdout: []string{"Findings (2)"}},
		{name: "fail-on at a finding's severity", args: []string{"analyze", small, "--fail-on", "medium"}, code: exitFindings,
			stdout: []string{"Findings (2)"}, stderr: []string{"1 finding(s) at or above medium"}, stderrLine: true},
		{name: "low sensitivity", args: []string{"analyze", small, "--sensitivity", "low"}, stdout: []string{"Findings (2)"}},
		{name: "bad sensitivity", args: []string{"analyze", small, "--sensitivity", "extreme"}, code: exitFailed, noStdout: true,
			stderr: []string{"--sensitivity: sensitivity \"extreme\""}},
		{name: "partial snapshot", args: []string{"report", partial}, code: exitPartial,
			stdout: []string{"WARNING: partial scan", "ecs:DescribeServices"}, stderr: []string{"partial snapshot: 1 item(s)"}, stderrLine: true},
		{name: "demo", args: []string{"demo"}, golden: "demo.table.golden",
			stdout: []string{"Log groups (8)", "ECS services (8)", "karmacadabra-prod (123456789012) · us-east-1", "202.4 MB", "FARGATE_SPOT"}},
		{name: "version", args: []string{"version"}, stdout: []string{"cwlens ", "go1."}},

		{name: "unknown flag", args: []string{"report", small, "--bogus"}, code: exitFailed, noStdout: true,
			stderr: []string{"cwlens: unknown flag: --bogus", "cwlens report --help"}},
		{name: "unknown command", args: []string{"reprot"}, code: exitFailed, noStdout: true, stderr: []string{`unknown command "reprot"`}},
		{name: "missing argument", args: []string{"report"}, code: exitFailed, noStdout: true, stderr: []string{"missing SNAPSHOT", "cwlens report --help"}},
		{name: "extra argument", args: []string{"report", small, small}, code: exitFailed, noStdout: true, stderr: []string{"unexpected argument"}},
		{name: "bad format", args: []string{"report", small, "--format", "yaml"}, code: exitFailed, noStdout: true,
			stderr: []string{`--format: unknown format "yaml" (want one of table, json, csv, markdown, html)`}},
		{name: "empty fail-on", args: []string{"report", small, "--fail-on", ""}, code: exitFailed, noStdout: true,
			stderr: []string{`invalid argument "" for "--fail-on" flag: must not be empty`}},
		{name: "empty sensitivity", args: []string{"report", small, "--sensitivity", ""}, code: exitFailed, noStdout: true,
			stderr: []string{`invalid argument "" for "--sensitivity" flag: must not be empty`}},
		{name: "bad fail-on", args: []string{"report", small, "--fail-on", "severe"}, code: exitFailed, noStdout: true, stderr: []string{"--fail-on: unknown severity"}},
		{name: "bad at", args: []string{"report", small, "--at", "yesterday"}, code: exitFailed, noStdout: true, stderr: []string{`--at: "yesterday" is neither`}},
		{name: "at outside the window", args: []string{"report", small, "--at", "2030-01-01"}, code: exitFailed, noStdout: true,
			stderr: []string{"--at 2030-01-01T00:00:00Z is outside the snapshot's window"}},
		{name: "missing file", args: []string{"report", "testdata/nope.json"}, code: exitFailed, noStdout: true,
			stderr: []string{"testdata/nope.json"}, stderrLine: true},
	}
	for _, c := range cases {
		t.Run(c.name, c.check)
	}
}

// check runs the case's command line and compares what it did.
func (c cliCase) check(t *testing.T) {
	r := run(t, c.args...)
	if r.code != c.code {
		t.Errorf("exit %d, want %d; stderr:\n%s", r.code, c.code, r.stderr)
	}
	for _, s := range c.stdout {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	for _, s := range c.stderr {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
	if c.code == exitOK && r.stderr != "" {
		t.Errorf("stderr not empty on success:\n%s", r.stderr)
	}
	if c.noStdout && r.stdout != "" {
		t.Errorf("stdout not empty on failure:\n%s", r.stdout)
	}
	if c.stderrLine && strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr is not one line:\n%s", r.stderr)
	}
	if c.golden != "" {
		golden(t, c.golden, r.stdout)
	}
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"demo", "report", "analyze", "version", "patterns"} {
		r := run(t, cmd, "--help")
		if r.code != exitOK || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "cwlens "+cmd) {
			t.Errorf("%s --help: exit %d, stdout:\n%s", cmd, r.code, r.stdout)
		}
	}
	r := run(t, "--help")
	for _, cmd := range []string{"demo", "report", "analyze", "version", "patterns"} {
		if !strings.Contains(r.stdout, "  "+cmd+" ") {
			t.Errorf("cwlens --help does not list %s:\n%s", cmd, r.stdout)
		}
	}
}

func TestDemoInventory(t *testing.T) {
	r := run(t, "demo")
	for _, s := range services {
		if !strings.Contains(r.stdout, "/ecs/karmacadabra-prod/"+s+" ") || !strings.Contains(r.stdout, "karmacadabra-prod/"+s+" ") {
			t.Errorf("demo does not show the log group and service of %s", s)
		}
	}
}

// The demo is the report of the reference file with its scenario, from the
// embedded copies.
func TestDemoIsReferenceReport(t *testing.T) {
	demo, file := run(t, "demo", "--format", "json"), run(t, "report", reference, "--scenario", referenceScenarioFile, "--format", "json")
	if demo.code != exitOK || file.code != exitOK || demo.stdout != file.stdout {
		t.Errorf("demo (exit %d) and report %s (exit %d) differ", demo.code, reference, file.code)
	}
}

func TestReportJSONSchema(t *testing.T) {
	r := run(t, "report", reference, "--format", "json")
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if string(doc["schema"]) != `"cwlens.report/v1"` {
		t.Errorf("schema = %s", doc["schema"])
	}
	for _, k := range []string{"account", "region", "window", "inventory", "findings", "projection"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("no %q in the report", k)
		}
	}
}

func TestOut(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	r := run(t, "report", small, "--format", "json", "--out", path)
	if r.code != exitOK || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil || !json.Valid(b) {
		t.Fatalf("report file: %v, valid JSON %v", err, json.Valid(b))
	}

	// A failed run leaves the previous report as it was.
	r = run(t, "report", "testdata/nope.json", "--format", "json", "--out", path)
	if r.code != exitFailed {
		t.Errorf("exit %d for a missing snapshot", r.code)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, b) {
		t.Error("a failed run changed the existing report")
	}
	assertOnly(t, dir, "report.json")
}

func TestOutUnwritable(t *testing.T) {
	dir := t.TempDir()
	// A directory in the way is refused before anything is written.
	// Nothing must be left behind.
	blocked := filepath.Join(dir, "blocked")
	if err := os.MkdirAll(filepath.Join(blocked, "keep"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := run(t, "report", small, "--out", blocked)
	if r.code != exitFailed || !strings.Contains(r.stderr, blocked+" is a directory") {
		t.Errorf("--out onto a directory: exit %d, stderr %q", r.code, r.stderr)
	}
	assertOnly(t, dir, "blocked")

	missing := filepath.Join(dir, "no", "such", "dir", "r.txt")
	if r := run(t, "report", small, "--out", missing); r.code == exitOK || r.stdout != "" {
		t.Errorf("--out into a missing directory: exit %d, stdout %q", r.code, r.stdout)
	}
	assertOnly(t, dir, "blocked")
}

// assertOnly fails unless dir holds exactly the named entries.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want %v: a temporary file was left behind", dir, got, names)
	}
}

func TestVerdict(t *testing.T) {
	snap, err := cwlens.ReadSnapshot(small)
	if err != nil {
		t.Fatal(err)
	}
	at := snap.Window.End
	high := []cwlens.Finding{{Kind: cwlens.KindIngestionSpike, Subject: "/ecs/small/api", Severity: cwlens.SeverityHigh, Start: at}}
	sev := func(s cwlens.Severity) *cwlens.Severity { return &s }
	cases := []struct {
		name     string
		partial  bool
		findings []cwlens.Finding
		failOn   *cwlens.Severity
		code     int
	}{
		{"no fail-on", false, high, nil, exitOK},
		{"below", false, high, sev(cwlens.SeverityCritical), exitOK},
		{"at", false, high, sev(cwlens.SeverityHigh), exitFindings},
		{"above", false, high, sev(cwlens.SeverityInfo), exitFindings},
		{"partial wins over findings", true, high, sev(cwlens.SeverityInfo), exitPartial},
		{"partial alone", true, nil, nil, exitPartial},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := *snap
			if c.partial {
				s.Gaps = []cwlens.Gap{{API: "logs:DescribeLogGroups", Resource: "*", Reason: "throttled"}}
			}
			err := verdict(report.New(&s, at, c.findings, nil), c.failOn)
			code := exitOK
			if err != nil {
				code = err.(*statusError).code
			}
			if code != c.code {
				t.Errorf("status %d (%v), want %d", code, err, c.code)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	cases := map[string]time.Time{
		"2025-10-30":                time.Date(2025, 10, 30, 0, 0, 0, 0, time.UTC),
		"2025-10-30T12:00:00Z":      time.Date(2025, 10, 30, 12, 0, 0, 0, time.UTC),
		"2025-10-30T14:00:00+02:00": time.Date(2025, 10, 30, 12, 0, 0, 0, time.UTC),
	}
	for in, want := range cases {
		got, err := parseTime(in)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// TestBadSnapshots runs report on every file of the repository's corpus of
// bad snapshots (testdata/bad, whose exact messages the root package tests):
// each must exit 2, print nothing on stdout and one line on stderr that
// starts with the file. The cases the issue names must also name the field.
func TestBadSnapshots(t *testing.T) {
	fields := map[string]string{
		"truncated.json":             "truncated JSON",
		"schema99.json":              "schema_version: 99",
		"negative_stored_bytes.json": ".stored_bytes: -",
		"nan.json":                   ".values[",
		"unsorted_points.json":       ".points[",
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "bad", "*.json"))
	if err != nil || len(files) < len(fields) {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := run(t, "report", path)
			if r.code != exitFailed || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", r.code, r.stdout)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, "cwlens: "+path+": ") {
				t.Errorf("stderr = %q; want one line starting with the file", r.stderr)
			}
			if f := fields[filepath.Base(path)]; !strings.Contains(r.stderr, f) {
				t.Errorf("stderr = %q; want it to name %q", r.stderr, f)
			}
			delete(fields, filepath.Base(path))
		})
	}
	if len(fields) > 0 {
		t.Errorf("the corpus lacks %v", fields)
	}
}

func TestVersionString(t *testing.T) {
	info := &debug.BuildInfo{Main: debug.Module{Version: "v0.3.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"},
	}}
	cases := []struct {
		linked string
		info   *debug.BuildInfo
		want   string
	}{
		{"", info, "cwlens v0.3.0 (commit 0123456789ab+dirty, "},
		{"v1.0.0", info, "cwlens v1.0.0 (commit 0123456789ab+dirty, "}, // -ldflags -X wins
		{"", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "cwlens (devel) (go"},
		{"", nil, "cwlens (devel) (go"},
	}
	for _, c := range cases {
		if got := versionString(c.linked, c.info); !strings.HasPrefix(got, c.want) {
			t.Errorf("versionString(%q, …) = %q, want prefix %q", c.linked, got, c.want)
		}
	}
}

func TestUseColor(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	t.Setenv("NO_COLOR", "")
	if useColor(f) || useColor(&bytes.Buffer{}) {
		t.Error("colour on a regular file or a buffer")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if !useColor(tty) {
			t.Error("no colour on a terminal with NO_COLOR unset")
		}
		t.Setenv("NO_COLOR", "1")
		if useColor(tty) {
			t.Error("colour on a terminal with NO_COLOR=1")
		}
	}
}

// TestREADMESample keeps the README's sample output the real output of
// `cwlens demo`; -update rewrites the sample in README.md.
func TestREADMESample(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	const open = "```\ncwlens report · "
	start := strings.Index(readme, open)
	end := strings.Index(readme[start+4:], "```\n")
	if start < 0 || end < 0 {
		t.Fatalf("%s has no sample of cwlens demo (a ``` block starting %q)", path, open[4:])
	}
	sample := readme[start+4 : start+4+end]
	r := run(t, "demo")
	if r.code != exitOK {
		t.Fatalf("demo: exit %d: %s", r.code, r.stderr)
	}
	if *update {
		readme = readme[:start+4] + r.stdout + readme[start+4+end:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if sample != r.stdout {
		t.Errorf("README.md's sample is not what cwlens demo prints now; go test ./cmd/cwlens -update rewrites it")
	}
}
