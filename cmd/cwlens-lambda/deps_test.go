package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoParquetInTheFunction: the function's bootstrap must stay under
// Lambda's 25 MB limit; the Parquet library (cwlens reconcile --cur, a
// command of the CLI only) must not be linked into it.
func TestNoParquetInTheFunction(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/parquet-go/") || pkg == "github.com/cwlens/cwlens/cur" {
			t.Errorf("the function imports %s", pkg)
		}
	}
}
