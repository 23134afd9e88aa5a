package ingest_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/cwlens/cwlens/fixtures"
)

// TestIAMPolicyMatchesCalls scans an account through the emulator and
// compares the APIs the scan really called with docs/iam-policy.json: a call
// the policy lacks would fail in a locked-down account, an action the scan
// never calls is a permission granted for nothing. The scan samples (the
// reference account has a flood to sample) and reads a bill, so that every
// call a scan can make is made.
func TestIAMPolicyMatchesCalls(t *testing.T) {
	ref, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	// With a bill to read, scan --bill calls Cost Explorer too.
	ref.Bill = testBill()
	_, srv := scanSampling(t, ref, "", 100, withBill)
	called := srv.APIs()

	b, err := os.ReadFile("../docs/iam-policy.json")
	if err != nil {
		t.Fatal(err)
	}
	var policy struct {
		Statement []struct {
			Effect   string
			Action   []string
			Resource any
		}
	}
	if err := json.Unmarshal(b, &policy); err != nil {
		t.Fatalf("docs/iam-policy.json: %v", err)
	}
	var allowed []string
	for _, s := range policy.Statement {
		if s.Effect != "Allow" {
			t.Errorf("statement with Effect %q: the policy only allows", s.Effect)
		}
		allowed = append(allowed, s.Action...)
	}
	slices.Sort(allowed)
	for _, api := range called {
		if _, ok := slices.BinarySearch(allowed, api); !ok {
			t.Errorf("the scan calls %s, which docs/iam-policy.json does not allow", api)
		}
	}
	for _, a := range allowed {
		if _, ok := slices.BinarySearch(called, a); !ok {
			t.Errorf("docs/iam-policy.json allows %s, which the scan never calls", a)
		}
	}
}
