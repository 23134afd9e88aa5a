package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutRefuses: --out writes only regular files, and never one of the
// command's own inputs. Each refusal is exit 2 with one line, nothing on
// stdout, and leaves what was there as it was.
func TestOutRefuses(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "snap.json")
	copyFile(t, small, snap)
	target := filepath.Join(dir, "target.txt")
	os.WriteFile(target, []byte("kept"), 0o644)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	state := filepath.Join(dir, "state.json")
	lines := filepath.Join(dir, "app.log")
	os.WriteFile(lines, []byte("GET /a 200\nGET /b 200\n"), 0o644)

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"the snapshot itself", []string{"report", snap, "--out", snap}, "--out " + snap + " is also an input of this command (" + snap + ")"},
		{"the snapshot by another path", []string{"report", snap, "--out", filepath.Join(dir, ".", "snap.json")}, "is also an input"},
		{"the state file (not yet written)", []string{"report", snap, "--state", state, "--out", state}, "is also an input of this command (" + state + ")"},
		{"the scenario", []string{"project", snap, "--scenario", referenceScenarioFile, "--out", referenceScenarioFile}, "is also an input"},
		{"the lines", []string{"patterns", "--lines", lines, "--out", lines}, "is also an input"},
		{"a symbolic link", []string{"report", snap, "--out", link}, link + " is a symbolic link, not a regular file"},
		{"a directory", []string{"report", snap, "--out", dir}, dir + " is a directory, not a regular file"},
		{"a device", []string{"report", snap, "--out", os.DevNull}, os.DevNull + " is a device, not a regular file"},
		{"scan onto a link", []string{"scan", "--region", "us-east-1", "--out", link}, "is a symbolic link"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.ReadFile(snap)
			r := run(t, c.args...)
			if r.code != exitFailed || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want exit 2 and %q", r.code, len(r.stdout), r.stderr, c.want)
			}
			if after, _ := os.ReadFile(snap); string(after) != string(before) {
				t.Error("the snapshot changed")
			}
		})
	}
	if b, _ := os.ReadFile(target); string(b) != "kept" {
		t.Errorf("the link's target changed: %q", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced")
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("a refused run wrote the state: %v", err)
	}
}

// TestOutKeepsMode: a report written over a 0600 file stays 0600.
func TestOutKeepsMode(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	os.WriteFile(out, []byte("old"), 0o600)
	if r := run(t, "report", small, "--format", "json", "--out", out); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() < 100 {
		t.Errorf("after the report: %v, %v", fi.Mode(), err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
