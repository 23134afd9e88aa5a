package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
