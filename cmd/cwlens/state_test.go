package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
	"github.com/cwlens/cwlens/fixtures"
	"github.com/cwlens/cwlens/internal/runstate"
)

// TestStateFile: --state keeps the run-to-run state beside a cron job. The
// first run creates it; a second run reads it; a bad one is refused with one
// line naming it; nothing is half-written.
func TestStateFile(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "cwlens.state")

	r := run(t, "report", reference, "--state", state, "--format", "json")
	if r.code != exitOK {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	st, err := runstate.Load(state)
	if err != nil || st == nil {
		t.Fatalf("state after the first run: %v, %v", st, err)
	}
	var doc struct {
		Findings []struct{ Status string }
		Resolved []json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(st.Findings) != len(doc.Findings) || doc.Resolved == nil {
		t.Errorf("state holds %d findings, the report %d; resolved %v", len(st.Findings), len(doc.Findings), doc.Resolved)
	}
	for _, f := range doc.Findings {
		if f.Status != "new" {
			t.Errorf("first run labels a finding %q", f.Status)
		}
	}
	if r := run(t, "report", reference, "--state", state, "--format", "json"); r.code != exitOK {
		t.Fatalf("second run: exit %d: %s", r.code, r.stderr)
	}

	bad := filepath.Join(dir, "bad.state")
	os.WriteFile(bad, []byte(`{"schema":"cwlens.state/v1","findings":[{"kind":"x","subject":"y","severity":"dire"}]}`), 0o644)
	r = run(t, "report", reference, "--state", bad)
	if r.code != exitFailed || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 ||
		!strings.Contains(r.stderr, bad+`: findings[0].severity: "dire": unknown severity`) {
		t.Errorf("bad state: exit %d, stdout %d bytes, stderr %q", r.code, len(r.stdout), r.stderr)
	}

	// The report cannot be written: the state does not move.
	before, _ := os.ReadFile(state)
	r = run(t, "report", reference, "--state", state, "--out", filepath.Join(dir, "missing", "r.json"))
	if r.code != exitFailed {
		t.Errorf("unwritable report: exit %d", r.code)
	}
	if after, _ := os.ReadFile(state); string(after) != string(before) {
		t.Error("the state moved although the report was not written")
	}
}

// TestStateThreeRuns is a cron job's week: the flood appears (exit 1 on the
// new high findings), stays (exit 0: nothing new), and ends (resolved, once).
func TestStateThreeRuns(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	after, err := fixtures.AfterFlood()
	if err != nil {
		t.Fatal(err)
	}
	b, err := cwlens.EncodeSnapshot(after)
	if err != nil {
		t.Fatal(err)
	}
	afterPath := filepath.Join(dir, "after.json")
	if err := os.WriteFile(afterPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	type finding struct{ Kind, Subject, Status string }
	var doc struct{ Findings, Resolved []finding }
	decode := func(r result) {
		t.Helper()
		doc.Findings, doc.Resolved = nil, nil
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatalf("%v: %s", err, r.stderr)
		}
	}
	isFlood := func(f finding) bool { return f.Kind == "ingestion_level_shift" && f.Subject == fixtures.FloodGroup }

	r := run(t, "report", reference, "--state", state, "--fail-on", "high", "--format", "json")
	decode(r)
	if r.code != exitFindings || !strings.Contains(r.stderr, "at or above high") || !slices.ContainsFunc(doc.Findings, isFlood) {
		t.Fatalf("day 1: exit %d, stderr %q, findings %v", r.code, r.stderr, doc.Findings)
	}
	r = run(t, "report", reference, "--state", state, "--fail-on", "high", "--format", "json")
	decode(r)
	if r.code != exitOK || len(doc.Resolved) != 0 {
		t.Fatalf("day 2: exit %d (%s), resolved %v", r.code, r.stderr, doc.Resolved)
	}
	for _, f := range doc.Findings {
		if f.Status != "ongoing" {
			t.Errorf("day 2: %s %s is %q", f.Kind, f.Subject, f.Status)
		}
	}
	r = run(t, "report", afterPath, "--state", state, "--fail-on", "high", "--format", "json")
	decode(r)
	if r.code != exitOK || !slices.ContainsFunc(doc.Resolved, isFlood) || slices.ContainsFunc(doc.Findings, isFlood) {
		t.Fatalf("day 3: exit %d (%s), findings %v, resolved %v", r.code, r.stderr, doc.Findings, doc.Resolved)
	}
	r = run(t, "report", afterPath, "--state", state, "--format", "json")
	decode(r)
	if len(doc.Resolved) != 0 {
		t.Errorf("day 4 resolves again: %v", doc.Resolved)
	}
}

// TestStateOwner: a state file records whose findings it holds. Another
// account's or Region's run is refused with one line, before anything is
// written, so that its findings are never called "ongoing" and its alert
// silenced.
func TestStateOwner(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	if r := run(t, "report", reference, "--state", state, "--format", "json"); r.code != exitOK {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	st, err := runstate.Load(state)
	if err != nil || st.AccountID != "123456789012" || st.Region != "us-east-1" {
		t.Fatalf("state owner %q %q, err %v", st.AccountID, st.Region, err)
	}
	before, _ := os.ReadFile(state)

	snap, err := cwlens.ReadSnapshot(reference)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ account, region string }{{"210987654321", "us-east-1"}, {"123456789012", "eu-west-1"}} {
		other := *snap
		other.AccountID, other.Region = c.account, c.region
		path := filepath.Join(dir, c.account+c.region+".json")
		b, err := cwlens.EncodeSnapshot(&other)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path, b, 0o644)
		r := run(t, "report", path, "--state", state, "--fail-on", "high")
		if r.code != exitFailed || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 ||
			!strings.Contains(r.stderr, state+": the state belongs to another account or Region: it holds account 123456789012 in us-east-1, this run reads "+c.account+" in "+c.region) {
			t.Errorf("%s %s: exit %d, stdout %d bytes, stderr %q", c.account, c.region, r.code, len(r.stdout), r.stderr)
		}
	}
	if after, _ := os.ReadFile(state); string(after) != string(before) {
		t.Error("a refused run changed the state")
	}
}

// TestStateAtBeforeRun: a report --at a time before the state's run labels
// its findings but leaves the state as it was; it must not rewind a cron
// job's state to the past.
func TestStateAtBeforeRun(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	if r := run(t, "report", reference, "--state", state); r.code != exitOK {
		t.Fatalf("first run: exit %d: %s", r.code, r.stderr)
	}
	before, _ := os.ReadFile(state)
	r := run(t, "report", reference, "--state", state, "--at", "2025-10-28", "--format", "json")
	if r.code != exitOK {
		t.Fatalf("run in the past: exit %d: %s", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(state); string(after) != string(before) {
		t.Errorf("an --at before the state's run rewrote it:\n%s\nwas:\n%s", after, before)
	}
}
