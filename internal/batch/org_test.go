package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/cwlens/cwlens"
)

// ListKeys makes memStore a KeyLister.
func (s *memStore) ListKeys(_ context.Context, bucket, prefix string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range s.objects {
		if rest, ok := strings.CutPrefix(k, bucket+"/"); ok && strings.HasPrefix(rest, prefix) {
			keys = append(keys, rest)
		}
	}
	return keys, nil
}

// fakeOrg is an organisation: each account's scanner, and the accounts whose
// role cannot be assumed.
type fakeOrg struct {
	accounts []string
	refused  map[string]bool
	scanner  Scanner
}

func (o *fakeOrg) ListAccounts(context.Context) ([]string, error) { return o.accounts, nil }

func (o *fakeOrg) ScannerFor(_ context.Context, account, _ string) (Scanner, error) {
	if o.refused[account] {
		return nil, errors.New("sts:AssumeRole: AccessDenied: not authorized to perform sts:AssumeRole")
	}
	return accountScanner{account: account, next: o.scanner}, nil
}

// accountScanner serves the reference snapshot as the given account.
type accountScanner struct {
	account string
	next    Scanner
}

func (s accountScanner) Scan(ctx context.Context, req ScanRequest) (ScanResult, error) {
	res, err := s.next.Scan(ctx, req)
	if res.Snapshot != nil {
		res.Snapshot.AccountID = s.account
	}
	return res, err
}

func step(t *testing.T, o *OrgRunner, payload string) (any, error) {
	t.Helper()
	s, ok, err := ParseOrgStep(json.RawMessage(payload))
	if !ok || err != nil {
		t.Fatalf("ParseOrgStep(%s) = %v, %v", payload, ok, err)
	}
	return o.Step(context.Background(), base, s, reference(t).Window.End)
}

func TestOrgRun(t *testing.T) {
	ref := reference(t)
	snaps := map[string]*cwlens.Snapshot{}
	for _, r := range []string{"us-east-1", "eu-west-1"} {
		cp := *ref
		cp.Region = r
		snaps[r] = &cp
	}
	store, sns := newMemStore(), &fakeSNS{}
	org := &fakeOrg{accounts: []string{"222222222222", "111111111111", "333333333333"}, refused: map[string]bool{"333333333333": true},
		scanner: &fixedScanner{snaps: snaps}}
	var log bytes.Buffer
	// The store refuses to read a report.json whole: members' reports are
	// merged as they stream.
	streaming := &streamStore{memStore: store}
	runner := newRunner(nil, store, sns, &log)
	runner.Store = streaming
	o := &OrgRunner{Runner: runner, Accounts: org, Assume: org, Keys: store, Org: OrgConfig{Concurrency: 7}}

	out, err := step(t, o, `{"org":{"step":"plan","run":"r1","regions":["us-east-1","eu-west-1"]}}`)
	if err != nil {
		t.Fatal(err)
	}
	plan := out.(Plan)
	if len(plan.Accounts) != 3 || plan.Accounts[0] != "111111111111" || plan.Concurrency != 7 || plan.Run != "r1" {
		t.Fatalf("plan = %+v", plan)
	}

	for _, a := range plan.Accounts {
		for _, r := range plan.Regions {
			payload := `{"org":{"step":"member","run":"r1","account":"` + a + `","region":"` + r + `"}}`
			_, err := step(t, o, payload)
			if a == "333333333333" {
				if err == nil || !strings.Contains(err.Error(), "AssumeRole") {
					t.Fatalf("refused role: err = %v", err)
				}
				// The state machine's Catch hands the error to the failed step.
				cause, _ := json.Marshal(map[string]string{"errorMessage": err.Error()})
				ferr, _ := json.Marshal(map[string]any{"org": map[string]any{"step": "failed", "run": "r1", "account": a, "region": r,
					"error": map[string]string{"Error": "errorString", "Cause": string(cause)}}})
				if _, err := step(t, o, string(ferr)); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("member %s/%s: %v", a, r, err)
			}
		}
	}
	if len(sns.sent) != 0 {
		t.Errorf("members sent %d alerts; only the merge alerts", len(sns.sent))
	}
	for _, k := range []string{"cwlens/org/r1/111111111111/eu-west-1/report.json", "cwlens/org/latest/222222222222/us-east-1/report.json",
		"cwlens/org/r1/333333333333/us-east-1/failed.json"} {
		if _, ok := store.objects["acme-reports/"+k]; !ok {
			t.Errorf("no %s; wrote %v", k, slices.Sorted(maps.Keys(store.objects)))
		}
	}

	out, err = step(t, o, `{"org":{"step":"merge","run":"r1","accounts":["111111111111","222222222222","333333333333"],"regions":["us-east-1","eu-west-1"]}}`)
	if err != nil {
		t.Fatal(err)
	}
	mr := out.(MergeResult)
	if n := len(streaming.opened); n < 4 {
		t.Errorf("the merge streamed %d objects, want the 4 member reports at least", n)
	}
	if mr.Members != 6 || mr.Failed != 2 || mr.Complete || !mr.Alerted || len(sns.sent) != 1 {
		t.Fatalf("merge = %+v, %d alerts", mr, len(sns.sent))
	}
	msg := sns.sent[0]
	if !strings.Contains(msg.body, "111111111111") || !strings.Contains(msg.body, "222222222222") || !strings.Contains(msg.body, "the scanned accounts") {
		t.Errorf("the alert does not cover the organisation:\n%s", msg.body)
	}
	merged := string(store.objects["acme-reports/cwlens/org/r1/report.md"])
	if !strings.Contains(merged, "333333333333/us-east-1: failed: errorString: 333333333333/us-east-1: sts:AssumeRole: AccessDenied") {
		t.Errorf("merged report does not say why 333333333333 failed:\n%s", merged)
	}
}

func TestParseOrgStep(t *testing.T) {
	if _, ok, _ := ParseOrgStep(json.RawMessage(`{"regions":["us-east-1"]}`)); ok {
		t.Error("a manual payload was taken for an organisation step")
	}
	for _, tc := range []struct{ payload, want string }{
		{`{"org":{"step":"scan"}}`, "org.step"},
		{`{"org":{"step":"member","run":"r1","account":"12","region":"us-east-1"}}`, "org.account"},
		{`{"org":{"step":"member","run":"../x","account":"123456789012","region":"us-east-1"}}`, "org.run"},
		{`{"org":{"step":"failed","run":"r1","account":"123456789012","region":"Mars"}}`, "org.region"},
		{`{"org":{"step":"plan","accounts":["1"]}}`, "org.accounts"},
		{`{"org":{"step":"plan","bogus":1}}`, "bogus"},
	} {
		_, ok, err := ParseOrgStep(json.RawMessage(tc.payload))
		if !ok || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: ok %v, err %v; want an error naming %s", tc.payload, ok, err, tc.want)
		}
	}
}

// TestOrgMemberReadsNoBill: a member's scan is not asked for the bill even
// with CWLENS_BILL (the member role does not grant ce:).
func TestOrgMemberReadsNoBill(t *testing.T) {
	scan := &billScanner{}
	org := &fakeOrg{accounts: []string{"111111111111"}, scanner: scan}
	store := newMemStore()
	o := &OrgRunner{Runner: newRunner(nil, store, &fakeSNS{}, &bytes.Buffer{}), Accounts: org, Assume: org, Keys: store}
	s, ok, err := ParseOrgStep(json.RawMessage(`{"org":{"step":"member","run":"r1","account":"111111111111","region":"us-east-1"}}`))
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	cfg := base
	cfg.Bill = true
	if _, err := o.Step(context.Background(), cfg, s, reference(t).Window.End); err != nil {
		t.Fatal(err)
	}
	if len(scan.asked) != 1 || scan.asked[0] {
		t.Errorf("the member's scan was asked for the bill: %v", scan.asked)
	}
}
