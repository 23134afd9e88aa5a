//go:build e2e

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReleaseBinaryNamesNoDevelopmentPath builds cwlens as a release is
// built (-trimpath) and looks for development paths and tools in its bytes:
// the price book, help and messages it carries.
func TestReleaseBinaryNamesNoDevelopmentPath(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "cwlens")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if m := devPath.Find(data); m != nil {
		t.Errorf("the release binary names %q", m)
	}
}
